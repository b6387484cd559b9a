// One VirtualService of the traffic-split page: its rules in order with the match in plain
// words, a proportional bar per destination, a dashed bar per mirror target, and the expected
// requests and copies per target for N requests to each rule. Built from the model alone, so the
// page can keep a drawn section while its VirtualService does not change. Later sections of the
// page (Envoy routes, a request trace, monitoring queries) go in modules of their own beside this.

import type { SplitDestination, SplitMirror, SplitRoute, SplitVirtualService } from '../../server/src/protocol';
import { targetTotals } from '../../server/src/service/features/trafficTotals';
import { formatPercent } from '../../server/src/service/model/trafficShares';
import type { Range } from 'vscode-languageserver-types';
import { clampPercent, count, el, swatch, targetLabel, targetName, type Child } from './dom';

/** Colours per target, in order of first appearance (CSS classes `tone-0`…); red means a problem. */
const toneCount = 6;

/** What a section needs from the page. */
export interface SectionContext {
  perRequests: number;
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
  const percent = clampPercent(target.percent);
  const expected = (percent / 100) * page.perRequests;
  const name = targetLabel('target-name', target.host || '(no host)', target.subset);
  const line = el('span', 'target-line', swatch(kind), kind === 'mirror' && el('span', 'copy-tag', 'copy'), name, el('span', 'target-percent', formatPercent(target.percent)));
  const fill = el('span', 'fill');
  fill.style.width = `${percent}%`;
  if (percent === 0) fill.classList.add('is-empty');
  const bar = el('span', 'bar', fill);
  bar.setAttribute('aria-hidden', 'true');
  const details: string[] = [];
  if (kind === 'mirror') details.push('copy, response discarded');
  if (kind === 'destination' && (target as SplitDestination).weight !== undefined) details.push(`weight ${(target as SplitDestination).weight}`);
  if (target.port !== undefined) details.push(`port ${target.port}`);
  if (target.replicas !== undefined) details.push(`${target.replicas} ${target.replicas === 1 ? 'replica' : 'replicas'}`);
  if (!route.reachable) details.push('never reached');
  else details.push(kind === 'mirror' ? `${count(expected)} of ${count(page.perRequests)} requests copied` : `${count(expected)} of ${count(page.perRequests)} requests`);
  const row = revealButton(page, `target target-${kind} tone-${tone}`, key, vs, target.range, line, bar, el('span', 'target-detail', details.join(' · ')));
  row.dataset.kind = kind;
  row.dataset.percent = String(percent);
  if (target.problem) {
    row.classList.add('has-problem');
    row.append(el('span', 'target-problem', el('span', 'problem-icon', '✗ '), target.problem));
  }
  if (kind === 'mirror') {
    const mirror = target as SplitMirror;
    if (mirror.load) row.append(el('span', 'target-load', mirror.load));
    if (mirror.writes) row.append(el('span', 'target-load target-writes', mirror.writes));
    if (mirror.envoy) row.append(el('span', 'target-load target-envoy', mirror.envoy));
  }
  return row;
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
  const title = route.name ?? `${route.protocol}[${route.index}]`;
  const match = el('span', 'rule-match');
  route.matches.forEach((text, i) => {
    if (i > 0) match.append(el('span', 'or', ' or '));
    match.append(el('span', 'match-block', text));
  });
  const head = revealButton(page, 'rule-head', `r:${vsIndex}:${position}`, vs, route.range,
    el('span', 'rule-number', String(position + 1)),
    el('span', 'rule-text', el('span', 'rule-title', el('span', 'rule-name', title), route.protocol !== 'http' && el('span', 'protocol', route.protocol.toUpperCase())), match));
  const item = el('li', 'rule', head);
  item.dataset.route = String(position);
  if (!route.reachable) {
    item.classList.add('is-unreachable');
    item.append(el('p', 'unreachable-reason', el('strong', undefined, 'Never reached: '), route.unreachableReason ?? 'an earlier rule takes every request'));
  }
  const note = actionNote(route, vs.kind !== undefined);
  if (note) item.append(el('p', 'action-note', note));
  const targets = el('div', 'targets');
  route.destinations.forEach((destination, i) => {
    targets.append(targetRow(page, vs, route, destination, 'destination', `d:${vsIndex}:${position}:${i}`, tones.get(targetName(destination.host, destination.subset)) ?? 0));
  });
  if (route.mirrors.length > 0) {
    targets.append(el('p', 'mirrors-label', route.mirrors.length === 1 ? 'Mirrored: a copy of each request, response discarded' : 'Mirrored: copies of each request, responses discarded'));
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

function totalsSection(page: SectionContext, vs: SplitVirtualService, tones: Map<string, number>): HTMLElement | undefined {
  const totals = targetTotals(vs, page.perRequests);
  if (totals.length === 0) return undefined;
  const n = count(page.perRequests);
  const table = el('div', 'totals-table');
  table.setAttribute('role', 'table');
  const header = el('div', 'totals-row totals-header', el('span', 'totals-target', 'Target'), el('span', 'totals-number', 'Requests'), el('span', 'totals-number', 'Mirrored copies'));
  header.setAttribute('role', 'row');
  table.append(header);
  for (const total of totals) {
    const target = el('span', 'totals-target', el('span', 'totals-key', swatch(total.requests > 0 || total.mirroredCopies === 0 ? 'destination' : 'mirror'), totalsLabel(total.target)));
    if (total.problem) target.append(el('span', 'totals-problem', '✗ subset not defined'));
    const row = el('div', `totals-row tone-${tones.get(total.target) ?? 0}`, target,
      el('span', 'totals-number totals-requests', total.requests > 0 ? count(total.requests) : '–'),
      el('span', 'totals-number totals-copies', total.mirroredCopies > 0 ? count(total.mirroredCopies) : '–'));
    row.setAttribute('role', 'row');
    row.dataset.target = total.target;
    if (total.problem) row.classList.add('has-problem');
    table.append(row);
  }
  for (const row of table.children) for (const cell of row.children) cell.setAttribute('role', row === header ? 'columnheader' : 'cell');
  return el('section', 'totals',
    el('h3', 'totals-title', `Per ${n} requests to each rule`),
    table,
    el('p', 'totals-note', `Assumes ${n} requests reach each rule that can be reached; how requests really divide between rules depends on live traffic. Copies add load on the mirror targets; their responses are discarded.`));
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
  const totals = totalsSection(page, vs, tones);
  if (totals) section.append(totals);
  return section;
}
