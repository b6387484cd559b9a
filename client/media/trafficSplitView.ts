// The traffic-split webview page. It receives the model of a file's VirtualServices from the
// extension (`HostMessage`, client/src/trafficSplit/messages.ts) and draws, per VirtualService,
// its rules in order with the match in plain words, a proportional bar per destination, a dashed
// bar per mirror target (copies whose responses are discarded), and the expected requests and
// copies per target for N requests to each rule. Clicking a rule or a target asks the extension
// to reveal it in the editor.
//
// Everything is built with DOM calls and every string from the model is set as text
// (`textContent`, text nodes): a host named `<img src=x onerror=…>` stays a host name. The page
// runs under a CSP without 'unsafe-inline'; bar widths are set through the CSSOM, which it allows.

import type { SplitDestination, SplitMirror, SplitRoute, SplitVirtualService, TrafficSplitResult } from '../../server/src/protocol';
import { targetTotals } from '../../server/src/service/features/trafficTotals';
import { formatPercent } from '../../server/src/service/model/trafficShares';
import type { HostMessage, RouteRef, WebviewMessage } from '../src/trafficSplit/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const svgNs = 'http://www.w3.org/2000/svg';
const defaultPerRequests = 1000;
const maxPerRequests = 1_000_000_000;
/** Colours per target, in order of first appearance (CSS classes `tone-0`…); red means a problem. */
const toneCount = 6;

interface SavedState {
  perRequests: number;
}

interface View {
  fileName?: string;
  model?: TrafficSplitResult;
  perRequests: number;
  /** What was scrolled to last, so updates while typing do not fight the user's scrolling. */
  scrolledTo?: string;
}

const saved = vscode.getState() as Partial<SavedState> | undefined;
const view: View = { perRequests: typeof saved?.perRequests === 'number' && validCount(saved.perRequests) ? saved.perRequests : defaultPerRequests };

// ---- small DOM helpers: text only --------------------------------------------------------

type Child = Node | string | false | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  for (const child of children) {
    if (child === false || child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A small key: a filled square for a destination, a dashed one for a mirror target. */
function swatch(kind: 'destination' | 'mirror'): SVGSVGElement {
  const icon = svg('svg', { class: `swatch swatch-${kind}`, width: '12', height: '12', viewBox: '0 0 12 12', 'aria-hidden': 'true', focusable: 'false' });
  icon.append(svg('rect', kind === 'destination' ? { x: '1', y: '1', width: '10', height: '10', rx: '2' } : { x: '1.5', y: '1.5', width: '9', height: '9', rx: '2', 'stroke-dasharray': '2.5 1.5' }));
  return icon;
}

// ---- numbers ------------------------------------------------------------------------------

function validCount(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= maxPerRequests;
}

/** "1,000", "778", "7.8": whole numbers from 100 up, one decimal below when it is not whole. */
function count(value: number): string {
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
}

function targetName(host: string, subset: string | undefined): string {
  return subset ? `${host}/${subset}` : host;
}

/** `host/subset` as text, allowed to wrap after the slash (narrow panels). */
function targetLabel(className: string, host: string, subset: string | undefined): HTMLSpanElement {
  const label = el('span', className, el('span', 'target-host', host));
  if (subset !== undefined) label.append(document.createElement('wbr'), el('span', 'target-subset', `/${subset}`));
  return label;
}

// ---- the page -------------------------------------------------------------------------------

const app = document.getElementById('app') ?? document.body.appendChild(el('div'));
const perInput = el('input', 'per-input');
const perError = el('p', 'per-error', 'Enter a whole number of requests, 1 or more.');
const fileLabel = el('span', 'file-name');
const toolbar = el('header', 'toolbar');
const content = el('main', 'content');

function buildToolbar(): void {
  perInput.id = 'per-requests';
  perInput.type = 'text';
  perInput.inputMode = 'numeric';
  perInput.autocomplete = 'off';
  perInput.spellcheck = false;
  perInput.value = String(view.perRequests);
  perInput.setAttribute('aria-describedby', 'per-requests-error');
  perError.id = 'per-requests-error';
  perError.hidden = true;
  perError.setAttribute('role', 'alert');
  const label = el('label', 'per-label', 'Per ', perInput, ' requests to each rule');
  label.htmlFor = 'per-requests';
  perInput.addEventListener('input', () => {
    const text = perInput.value.replace(/[\s,_]/g, '');
    const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : Number.NaN;
    const ok = validCount(value);
    perInput.setAttribute('aria-invalid', String(!ok));
    perError.hidden = ok;
    if (!ok) return;
    view.perRequests = value;
    vscode.setState({ perRequests: value } satisfies SavedState);
    render();
  });
  toolbar.append(el('div', 'title', el('span', 'title-text', 'Traffic split'), fileLabel), el('div', 'per', label, perError));
  app.append(toolbar, content);
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

interface Drawn {
  routes: number;
  targets: number;
}

function reveal(vs: SplitVirtualService, range: SplitRoute['range']): void {
  vscode.postMessage({ type: 'reveal', uri: vs.file, range });
}

/** A focusable control that reveals `range` (a button: Enter and Space work, and it is announced). */
function revealButton(className: string, key: string, vs: SplitVirtualService, range: SplitRoute['range'], ...children: Child[]): HTMLButtonElement {
  const button = el('button', className, ...children);
  button.type = 'button';
  button.dataset.key = key;
  button.title = 'Show in the editor';
  button.addEventListener('click', () => reveal(vs, range));
  return button;
}

function targetRow(vs: SplitVirtualService, route: SplitRoute, target: SplitDestination | SplitMirror, kind: 'destination' | 'mirror', key: string, tone: number): HTMLButtonElement {
  const percent = clampPercent(target.percent);
  const expected = (percent / 100) * view.perRequests;
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
  if (!route.reachable) details.push('never reached');
  else details.push(kind === 'mirror' ? `${count(expected)} of ${count(view.perRequests)} requests copied` : `${count(expected)} of ${count(view.perRequests)} requests`);
  const row = revealButton(`target target-${kind} tone-${tone}`, key, vs, target.range, line, bar, el('span', 'target-detail', details.join(' · ')));
  row.dataset.kind = kind;
  row.dataset.percent = String(percent);
  if (target.problem) {
    row.classList.add('has-problem');
    row.append(el('span', 'target-problem', el('span', 'problem-icon', '✗ '), target.problem));
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

function ruleItem(vs: SplitVirtualService, vsIndex: number, route: SplitRoute, position: number, tones: Map<string, number>, drawn: Drawn): HTMLLIElement {
  const title = route.name ?? `${route.protocol}[${route.index}]`;
  const match = el('span', 'rule-match');
  route.matches.forEach((text, i) => {
    if (i > 0) match.append(el('span', 'or', ' or '));
    match.append(el('span', 'match-block', text));
  });
  const head = revealButton('rule-head', `r:${vsIndex}:${position}`, vs, route.range,
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
    targets.append(targetRow(vs, route, destination, 'destination', `d:${vsIndex}:${position}:${i}`, tones.get(targetName(destination.host, destination.subset)) ?? 0));
  });
  if (route.mirrors.length > 0) {
    targets.append(el('p', 'mirrors-label', route.mirrors.length === 1 ? 'Mirrored: a copy of each request, response discarded' : 'Mirrored: copies of each request, responses discarded'));
    route.mirrors.forEach((mirror, i) => {
      targets.append(targetRow(vs, route, mirror, 'mirror', `m:${vsIndex}:${position}:${i}`, tones.get(targetName(mirror.host, mirror.subset)) ?? 0));
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

function totalsSection(vs: SplitVirtualService, tones: Map<string, number>): HTMLElement | undefined {
  const totals = targetTotals(vs, view.perRequests);
  if (totals.length === 0) return undefined;
  const n = count(view.perRequests);
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

function virtualServiceSection(vs: SplitVirtualService, vsIndex: number, active: boolean, several: boolean, drawn: Drawn): HTMLElement {
  const tones = tonesOf(vs);
  const title = revealButton('vs-title', `vs:${vsIndex}`, vs, vs.nameRange, el('span', 'vs-kind', vs.kind ?? 'VirtualService'), el('span', 'vs-name', `${vs.namespace}/${vs.name}`));
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
  vs.routes.forEach((route, position) => rules.append(ruleItem(vs, vsIndex, route, position, tones, drawn)));
  section.append(rules);
  const totals = totalsSection(vs, tones);
  if (totals) section.append(totals);
  return section;
}

function emptyState(title: string, detail: string): HTMLElement {
  return el('div', 'empty', el('p', 'empty-title', title), el('p', 'empty-detail', detail));
}

function render(focus?: RouteRef): void {
  const model = view.model;
  fileLabel.textContent = view.fileName ?? '';
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.key : undefined;
  const drawn: Drawn = { routes: 0, targets: 0 };
  let empty: string | undefined;
  if (!model) {
    toolbar.classList.add('is-hidden');
    content.replaceChildren(emptyState('Waiting for the language server…', 'The preview appears as soon as the file is analysed.'));
    return;
  }
  if (model.virtualServices.length === 0 && model.templateDocuments) {
    toolbar.classList.add('is-hidden');
    empty = 'Helm template: not checked';
    content.replaceChildren(emptyState(empty, 'A template is YAML only once it is rendered, so its VirtualServices cannot be previewed here. Render it (`helm template`) and open the output.'));
  } else if (model.virtualServices.length === 0) {
    toolbar.classList.add('is-hidden');
    empty = 'No VirtualService in this file';
    content.replaceChildren(emptyState(empty, 'Open a YAML file with a VirtualService (networking.istio.io) or an HTTPRoute or GRPCRoute (gateway.networking.k8s.io) to see where its requests and mirrored copies go. The preview follows the active editor.'));
  } else {
    toolbar.classList.remove('is-hidden');
    const several = model.virtualServices.length > 1;
    content.replaceChildren(...model.virtualServices.map((vs, i) => virtualServiceSection(vs, i, i === model.activeIndex, several, drawn)));
  }
  if (model.activeIndex !== undefined && model.activeRoute !== undefined) {
    // The rule the editor's cursor is in.
    content.querySelector<HTMLElement>(`.vs[data-vs="${model.activeIndex}"] .rule[data-route="${model.activeRoute}"]`)?.classList.add('is-current');
  }
  if (focused) {
    const again = content.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`);
    again?.focus({ preventScroll: true });
  }
  scrollToInterest(model, focus);
  vscode.postMessage({ type: 'rendered', virtualServices: model.virtualServices.length, routes: drawn.routes, targets: drawn.targets, ...(empty ? { empty } : {}) });
}

/** Scrolls to the rule asked for, or to the VirtualService under the cursor when that changed. */
function scrollToInterest(model: TrafficSplitResult, focus: RouteRef | undefined): void {
  if (focus) {
    const rule = content.querySelector<HTMLElement>(`.vs[data-vs="${focus.virtualService}"] .rule[data-route="${focus.route}"]`);
    if (rule) {
      rule.classList.add('is-focused');
      rule.scrollIntoView({ block: 'center' });
      view.scrolledTo = `${view.fileName}#${focus.virtualService}`;
      return;
    }
  }
  const target = `${view.fileName}#${model.activeIndex ?? 0}`;
  if (target === view.scrolledTo) return;
  view.scrolledTo = target;
  if (model.activeIndex === undefined || model.virtualServices.length < 2) return;
  content.querySelector<HTMLElement>(`.vs[data-vs="${model.activeIndex}"]`)?.scrollIntoView({ block: 'start' });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'show':
      view.fileName = message.fileName;
      view.model = message.model;
      render(message.focus);
      break;
  }
});

buildToolbar();
render();
vscode.postMessage({ type: 'ready' });
