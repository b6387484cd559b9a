// One VirtualService of the traffic-split page: its rules in order with the match in plain
// words, a proportional bar per destination (shares of the requests the rule's match takes), a
// dashed bar per mirror target, faults, and the expected requests and copies per target for N
// requests to the VirtualService: ranges where a match decides, until its share is entered. Built from the model alone, so the
// page can keep a drawn section while its VirtualService does not change. Later sections of the
// page (Envoy routes, a request trace, monitoring queries) go in modules of their own beside this.

import type { SplitDestination, SplitMirror, SplitRoute, SplitVirtualService } from '../../server/src/protocol';
import { shareKey, trafficTotals, type Amount, type TotalsGroup } from '../../server/src/service/features/trafficTotals';
import { formatPercent } from '../../server/src/service/model/trafficShares';
import type { Range } from 'vscode-languageserver-types';
import { clampPercent, count, el, swatch, targetLabel, targetName, type Child } from './dom';

/** Colours per target, in order of first appearance (CSS classes `tone-0`…); red means a problem. */
const toneCount = 6;

/** What a section needs from the page. */
export interface SectionContext {
  perRequests: number;
  /** The shares entered for this VirtualService's rules with a match (percent of the requests reaching each), by shareKey. */
  matchShares: Readonly<Record<string, number>>;
  /** The user entered (or cleared) the share a rule's match takes. */
  setShare(vs: SplitVirtualService, rule: string, percent: number | undefined): void;
  /** Asks the extension to reveal `range` of `uri` in the editor. */
  reveal(uri: string, range: Range): void;
}

export interface Drawn {
  routes: number;
  targets: number;
}

/** Tones by target: destinations in order of first appearance, then the mirror-only targets. */
function tonesOf(vs: SplitVirtualService): Map<string, number> {
  const tones = new Map<string, number>();
  const targets = [...vs.routes.flatMap((route) => route.destinations), ...vs.routes.flatMap((route) => route.mirrors)];
  for (const target of targets) {
    const name = targetName(target.host, target.subset);
    if (!tones.has(name)) tones.set(name, tones.size % toneCount);
  }
  return tones;
}

/** A focusable control that reveals `range` (a button: Enter and Space work, and it is announced). */
function revealButton(page: SectionContext, className: string, key: string, vs: SplitVirtualService, range: SplitRoute['range'], ...children: Child[]): HTMLButtonElement {
  const button = el('button', className, ...children);
  button.type = 'button';
  button.dataset.key = key;
  button.title = 'Show in the editor';
  button.addEventListener('click', () => page.reveal(vs.file, range));
  return button;
}

function targetRow(page: SectionContext, vs: SplitVirtualService, route: SplitRoute, target: SplitDestination | SplitMirror, kind: 'destination' | 'mirror', key: string, tone: number): HTMLButtonElement {
  // The bar is what really arrives: aborted requests are not forwarded, failing ones not served, dropped copies not delivered.
  const effective = kind === 'mirror' ? (target as SplitMirror).copiedPercent : (target as SplitDestination).servedPercent;
  const failing = kind === 'destination' && (target as SplitDestination).failure !== undefined;
  const percent = clampPercent(failing || target.problem ? target.percent : effective);
  const name = targetLabel('target-name', target.host || '(no host)', target.subset);
  const line = el('span', 'target-line', swatch(kind), kind === 'mirror' && el('span', 'copy-tag', 'copy'), failing && el('span', 'fail-tag', 'fails'), name, el('span', 'target-percent', formatPercent(target.percent)));
  const fill = el('span', 'fill');
  fill.style.width = `${percent}%`;
  if (percent === 0) fill.classList.add('is-empty');
  const bar = el('span', 'bar', fill);
  bar.setAttribute('aria-hidden', 'true');
  const details: string[] = [];
  if (kind === 'destination' && (target as SplitDestination).weight !== undefined) details.push(`weight ${(target as SplitDestination).weight}`);
  if (target.port !== undefined) details.push(`port ${target.port}`);
  if (target.replicas !== undefined) details.push(`${target.replicas} ${target.replicas === 1 ? 'replica' : 'replicas'}`);
  if (!route.reachable) details.push('never reached');
  else if (failing) details.push(`${formatPercent(target.percent)} of ${route.takes}`);
  else if (kind === 'mirror') details.push(target.problem ? `configured for ${formatPercent(target.percent)} of ${route.takes}` : `a copy of ${formatPercent(effective)} of ${route.takes}, response discarded`);
  else details.push(`${formatPercent(effective)} of ${route.takes}`);
  const row = revealButton(page, `target target-${kind} tone-${tone}`, key, vs, target.range, line, bar, el('span', 'target-detail', details.join(' · ')));
  row.dataset.kind = kind;
  row.dataset.percent = String(percent);
  if (target.problem) {
    row.classList.add('has-problem');
    if (failing) row.classList.add('is-failing');
    const failure = (target as SplitDestination).failure ?? '';
    const lead = failing ? `${failure.charAt(0).toUpperCase()}${failure.slice(1)}: ` : kind === 'mirror' ? 'Copies dropped: ' : '';
    row.append(el('span', 'target-problem', el('span', 'problem-icon', '✗ '), `${lead}${target.problem}`));
  }
  if (kind === 'mirror') {
    const mirror = target as SplitMirror;
    if (mirror.load) row.append(el('span', 'target-load', mirror.load));
    if (mirror.writes) row.append(el('span', 'target-load target-writes', mirror.writes));
    if (mirror.envoy) row.append(el('span', 'target-load target-envoy', mirror.envoy));
  }
  return row;
}

/** The fault of a rule in words: a full abort means nothing is routed or mirrored. */
function faultNote(route: SplitRoute): string | undefined {
  const fault = route.fault;
  if (!fault || !route.reachable) return undefined;
  if (fault.abortPercent >= 100) return `Fault: every request is aborted with ${fault.abortStatus} by the calling proxy, so nothing is routed and nothing is mirrored.`;
  const parts: string[] = [];
  if (fault.abortPercent > 0) parts.push(`${formatPercent(fault.abortPercent)} of ${route.takes} aborted with ${fault.abortStatus} (neither routed nor mirrored)`);
  if (fault.delayPercent > 0) parts.push(`${formatPercent(fault.delayPercent)} delayed by ${fault.delay}`);
  return parts.length > 0 ? `Fault: ${parts.join('; ')}.` : undefined;
}

function actionNote(route: SplitRoute, gatewayApi: boolean): string | undefined {
  switch (route.action) {
    case 'redirect': return 'Answers with a redirect: no request is forwarded, nothing is mirrored.';
    case 'directResponse': return gatewayApi
      ? 'No backend of weight above 0: every request gets an error (HTTP 500), nothing is mirrored.'
      : 'Answers with a direct response: no request is forwarded, nothing is mirrored.';
    case 'delegate': return 'Delegates to another VirtualService, which decides where requests go.';
    case 'none': return 'No destination yet: this rule forwards nothing.';
    default: return route.destinations.length === 0 ? 'No destination yet: this rule forwards nothing.' : undefined;
  }
}

function ruleItem(page: SectionContext, vs: SplitVirtualService, vsIndex: number, route: SplitRoute, position: number, tones: Map<string, number>, drawn: Drawn): HTMLLIElement {
  // Numbered as in messages, code lenses and the outline: #N from 1 in its list (ruleLabel);
  // an unnamed rule is called by its match, which the line below already shows.
  const title = route.name;
  const match = el('span', 'rule-match');
  route.matches.forEach((text, i) => {
    if (i > 0) match.append(el('span', 'or', ' or '));
    match.append(el('span', 'match-block', text));
  });
  const head = revealButton(page, 'rule-head', `r:${vsIndex}:${position}`, vs, route.range,
    el('span', 'rule-number', `#${route.index + 1}`),
    el('span', 'rule-text', el('span', 'rule-title', title !== undefined && el('span', 'rule-name', title), route.protocol !== 'http' && el('span', 'protocol', route.protocol.toUpperCase())), match));
  const item = el('li', 'rule', head);
  item.dataset.route = String(position);
  if (!route.reachable) {
    item.classList.add('is-unreachable');
    item.append(el('p', 'unreachable-reason', el('strong', undefined, 'Never reached: '), route.unreachableReason ?? 'an earlier rule takes every request'));
  }
  const note = actionNote(route, vs.kind !== undefined);
  if (note) item.append(el('p', 'action-note', note));
  const fault = faultNote(route);
  if (fault) {
    item.append(el('p', 'fault-note', fault));
    if (route.fault && route.fault.abortPercent >= 100) item.classList.add('is-aborted');
  }
  const targets = el('div', 'targets');
  route.destinations.forEach((destination, i) => {
    targets.append(targetRow(page, vs, route, destination, 'destination', `d:${vsIndex}:${position}:${i}`, tones.get(targetName(destination.host, destination.subset)) ?? 0));
  });
  if (route.mirrors.length > 0) {
    targets.append(el('p', 'mirrors-label', route.mirrors.length === 1 ? 'Mirrored: a copy of each forwarded request, response discarded' : 'Mirrored: copies of each forwarded request, responses discarded'));
    route.mirrors.forEach((mirror, i) => {
      targets.append(targetRow(page, vs, route, mirror, 'mirror', `m:${vsIndex}:${position}:${i}`, tones.get(targetName(mirror.host, mirror.subset)) ?? 0));
    });
  }
  if (targets.childElementCount > 0) item.append(targets);
  drawn.routes++;
  drawn.targets += route.destinations.length + route.mirrors.length;
  return item;
}

/** A total's target is `host/subset` or `host` (host names have no slash). */
function totalsLabel(target: string): HTMLSpanElement {
  const slash = target.indexOf('/');
  return slash < 0 ? targetLabel('totals-name', target, undefined) : targetLabel('totals-name', target.slice(0, slash), target.slice(slash + 1));
}

function amountText(amount: Amount): string {
  return count(amount.min) === count(amount.max) ? count(amount.min) : `${count(amount.min)}–${count(amount.max)}`;
}

/** An input for the share of the requests reaching `route` that its match takes; empty = unknown. */
function shareInput(page: SectionContext, vs: SplitVirtualService, route: SplitRoute, vsIndex: number): HTMLElement {
  const key = shareKey(route);
  const input = el('input', 'share-input');
  input.type = 'text';
  input.inputMode = 'decimal';
  input.autocomplete = 'off';
  input.placeholder = '?';
  input.dataset.key = `s:${vsIndex}:${key}`;
  input.dataset.rule = key;
  const given = page.matchShares[key];
  input.value = given === undefined ? '' : String(given);
  const error = el('span', 'share-error', 'a percentage, 0 to 100');
  error.hidden = true;
  input.addEventListener('change', () => {
    const text = input.value.trim().replace(/%$/, '').trim();
    const value = text === '' ? undefined : Number(text);
    const ok = value === undefined || (/^[0-9]+(\.[0-9]+)?$/.test(text) && value >= 0 && value <= 100);
    error.hidden = ok;
    input.setAttribute('aria-invalid', String(!ok));
    if (ok) page.setShare(vs, key, value);
  });
  const label = el('label', 'share-label', el('span', 'share-rule', `Rule ${route.label}`), el('span', 'share-match', route.match), el('span', 'share-field', 'takes ', input, ' % of the requests that reach it'), error);
  return label;
}

function totalsGroup(page: SectionContext, vs: SplitVirtualService, vsIndex: number, group: TotalsGroup, tones: Map<string, number>): HTMLElement[] {
  const n = count(page.perRequests);
  const noun = group.protocol === 'http' ? 'requests' : 'connections';
  const table = el('div', 'totals-table');
  table.setAttribute('role', 'table');
  const header = el('div', 'totals-row totals-header', el('span', 'totals-target', 'Target'), el('span', 'totals-number', group.protocol === 'http' ? 'Requests' : 'Connections'), el('span', 'totals-number', 'Mirrored copies'));
  header.setAttribute('role', 'row');
  table.append(header);
  const some = (amount: Amount): boolean => amount.max > 0;
  for (const total of group.targets) {
    const served = some(total.requests) || !some(total.mirroredCopies);
    const target = el('span', 'totals-target', el('span', 'totals-key', swatch(served ? 'destination' : 'mirror'), totalsLabel(total.target)));
    if (total.problem) target.append(el('span', 'totals-problem', '✗ subset not defined'));
    const requests = [some(total.requests) ? amountText(total.requests) : '', some(total.failed) ? `${amountText(total.failed)} fail (503)` : ''].filter(Boolean).join(' + ') || '–';
    const copies = [some(total.mirroredCopies) ? amountText(total.mirroredCopies) : '', some(total.droppedCopies) ? `${amountText(total.droppedCopies)} dropped` : ''].filter(Boolean).join(' + ') || '–';
    const row = el('div', `totals-row tone-${tones.get(total.target) ?? 0}`, target,
      el('span', 'totals-number totals-requests', requests),
      el('span', 'totals-number totals-copies', copies));
    row.setAttribute('role', 'row');
    row.dataset.target = total.target;
    if (total.problem) row.classList.add('has-problem');
    table.append(row);
  }
  const extra = (label: string, amount: Amount, name: string): void => {
    if (!some(amount)) return;
    const row = el('div', 'totals-row totals-other', el('span', 'totals-target', label), el('span', 'totals-number totals-requests', amountText(amount)), el('span', 'totals-number totals-copies', '–'));
    row.setAttribute('role', 'row');
    row.dataset.target = name;
    table.append(row);
  };
  extra('Answered by the proxy (fault, redirect, direct response)', group.answered, '(answered)');
  extra('Passed to a delegate VirtualService', group.delegated, '(delegated)');
  extra('Matched by no rule: 404', group.unmatched, '(unmatched)');
  for (const row of table.children) for (const cell of row.children) cell.setAttribute('role', row === header ? 'columnheader' : 'cell');
  const gated = vs.routes.filter((route) => route.protocol === group.protocol && route.reachable && route.gated);
  const assumptions = gated.length > 0 ? el('div', 'shares', ...gated.map((route) => shareInput(page, vs, route, vsIndex))) : undefined;
  const unknown = group.unknownShares.map((route) => route.label);
  const note = unknown.length > 0
    ? `How many ${noun} match rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} is not in the configuration, so the figures are ranges (from none to all of the ${noun} that reach ${unknown.length > 1 ? 'each' : 'it'}). Enter the share to see one number.`
    : gated.length > 0
      ? `Assumes the shares entered above for the rules with a match.`
      : `Every ${noun.slice(0, -1)} reaches the first rule, which has no match.`;
  return [
    el('h3', 'totals-title', `Per ${n} ${noun} to this ${vs.kind ?? 'VirtualService'}${group.protocol === 'http' ? '' : ` (${group.protocol.toUpperCase()})`}`),
    ...(assumptions ? [assumptions] : []),
    table,
    el('p', 'totals-note', `${note} Copies add load on the mirror targets; their responses are discarded.`),
  ];
}

function totalsSection(page: SectionContext, vs: SplitVirtualService, vsIndex: number, tones: Map<string, number>): HTMLElement | undefined {
  const groups = trafficTotals(vs, page.perRequests, page.matchShares).filter((group) => group.targets.length > 0 || group.answered.max > 0);
  if (groups.length === 0) return undefined;
  return el('section', 'totals', ...groups.flatMap((group) => totalsGroup(page, vs, vsIndex, group, tones)));
}

export function virtualServiceSection(page: SectionContext, vs: SplitVirtualService, vsIndex: number, active: boolean, several: boolean, drawn: Drawn): HTMLElement {
  const tones = tonesOf(vs);
  const title = revealButton(page, 'vs-title', `vs:${vsIndex}`, vs, vs.nameRange, el('span', 'vs-kind', vs.kind ?? 'VirtualService'), el('span', 'vs-name', `${vs.namespace}/${vs.name}`));
  const head = el('header', 'vs-head', title, active && several && el('span', 'active-tag', 'under the cursor'));
  const meta = el('dl', 'vs-meta');
  const chips = (values: string[], empty: string): HTMLElement => values.length === 0 ? el('dd', 'muted', empty) : el('dd', undefined, ...values.map((value) => el('span', 'chip', value)));
  if (vs.kind !== undefined) {
    // Gateway API routes: their parents (Gateways or Services) and optional hostnames.
    meta.append(el('dt', undefined, 'Parents'), chips(vs.gateways, 'none: the route applies nowhere'));
    if (vs.hosts.length > 0) meta.append(el('dt', undefined, 'Hostnames'), chips(vs.hosts, ''));
  } else {
    meta.append(el('dt', undefined, 'Hosts'), chips(vs.hosts, 'none (a delegate VirtualService)'));
    if (vs.gateways.length > 0) meta.append(el('dt', undefined, 'Gateways'), chips(vs.gateways, ''));
  }
  const section = el('section', `vs${active && several ? ' is-active' : ''}`, head, meta);
  section.dataset.vs = String(vsIndex);
  if (vs.routes.length === 0) {
    section.append(el('p', 'empty-rules', 'No rules yet: add an http route to see where requests go.'));
    return section;
  }
  const rules = el('ol', 'rules');
  vs.routes.forEach((route, position) => rules.append(ruleItem(page, vs, vsIndex, route, position, tones, drawn)));
  section.append(rules);
  const totals = totalsSection(page, vs, vsIndex, tones);
  if (totals) section.append(totals);
  return section;
}
