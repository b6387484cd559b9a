// The traffic-split webview page. It receives the model of a file's VirtualServices from the
// extension (`HostMessage`, client/src/trafficSplit/messages.ts) and draws, per VirtualService,
// its rules in order with the match in plain words, a proportional bar per destination, a dashed
// bar per mirror target (copies whose responses are discarded), and the expected requests and
// copies per target for N requests to the VirtualService (a share entered per rule with a match,
// ranges until then). Clicking a rule or a target asks the extension
// to reveal it in the editor.
//
// Everything is built with DOM calls and every string from the model is set as text
// (`textContent`, text nodes): a host named `<img src=x onerror=…>` stays a host name. The page
// runs under a CSP without 'unsafe-inline'; bar widths are set through the CSSOM, which it allows.

import type { SplitVirtualService, TrafficSplitResult } from '../../server/src/protocol';
import type { HostMessage, RouteRef, WebviewMessage } from '../src/trafficSplit/messages';
import { el, validCount } from './dom';
import { virtualServiceSection, type Drawn, type SectionContext } from './virtualServiceSection';
import { RequestTrial, type Highlight } from './requestTrial';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const defaultPerRequests = 1000;

interface SavedState {
  perRequests: number;
  /** Shares entered for rules with a match, by VirtualService (vsKey) and rule (shareKey). */
  matchShares?: Record<string, Record<string, number>>;
}

interface View {
  fileName?: string;
  model?: TrafficSplitResult;
  perRequests: number;
  matchShares: Record<string, Record<string, number>>;
  /** What was scrolled to last, so updates while typing do not fight the user's scrolling. */
  scrolledTo?: string;
}

const saved = vscode.getState() as Partial<SavedState> | undefined;
const view: View = {
  perRequests: typeof saved?.perRequests === 'number' && validCount(saved.perRequests) ? saved.perRequests : defaultPerRequests,
  matchShares: typeof saved?.matchShares === 'object' && saved.matchShares !== null ? saved.matchShares : {},
};

const saveState = (): void => vscode.setState({ perRequests: view.perRequests, matchShares: view.matchShares } satisfies SavedState);

/** A VirtualService's identity on the page, for the shares entered for its rules. */
const vsKey = (vs: SplitVirtualService): string => `${vs.kind ?? 'VirtualService'}|${vs.namespace}/${vs.name}`;

// ---- the page -------------------------------------------------------------------------------

const app = document.getElementById('app') ?? document.body.appendChild(el('div'));
const perInput = el('input', 'per-input');
const perError = el('p', 'per-error', 'Enter a whole number of requests, 1 or more.');
const fileLabel = el('span', 'file-name');
const toolbar = el('header', 'toolbar');
const content = el('main', 'content');
const trial = new RequestTrial((request) => vscode.postMessage({ type: 'trace', request }));

function highlighted(highlight: Highlight): void {
  vscode.postMessage({ type: 'highlighted', ...highlight });
}

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
  const label = el('label', 'per-label', 'Per ', perInput, ' requests');
  label.title = 'Requests to each VirtualService: the totals below each one are for this many';
  label.htmlFor = 'per-requests';
  perInput.addEventListener('input', () => {
    const text = perInput.value.replace(/[\s,_]/g, '');
    const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : Number.NaN;
    const ok = validCount(value);
    perInput.setAttribute('aria-invalid', String(!ok));
    perError.hidden = ok;
    if (!ok) return;
    view.perRequests = value;
    saveState();
    render();
  });
  toolbar.append(el('div', 'title', el('span', 'title-text', 'Traffic split'), fileLabel), el('div', 'per', label, perError));
  app.append(toolbar, trial.element, content);
}

function emptyState(title: string, detail: string): HTMLElement {
  return el('div', 'empty', el('p', 'empty-title', title), el('p', 'empty-detail', detail));
}

/** A drawn VirtualService section and what it was drawn from: kept while that does not change. */
interface DrawnSection {
  signature: string;
  element: HTMLElement;
  drawn: Drawn;
}

let sections: DrawnSection[] = [];

const sectionContext = (vs: SplitVirtualService): SectionContext => ({
  perRequests: view.perRequests,
  matchShares: view.matchShares[vsKey(vs)] ?? {},
  setShare: (target, rule, percent) => {
    const shares = { ...(view.matchShares[vsKey(target)] ?? {}) };
    if (percent === undefined) delete shares[rule];
    else shares[rule] = percent;
    view.matchShares[vsKey(target)] = shares;
    saveState();
    render();
  },
  reveal: (uri, range) => vscode.postMessage({ type: 'reveal', uri, range }),
});

/**
 * Draws the model's VirtualServices, rebuilding only the sections whose VirtualService (or
 * whose place on the page) changed since the last draw; the others keep their elements.
 */
function drawSections(model: TrafficSplitResult, drawn: Drawn): void {
  const several = model.virtualServices.length > 1 || (model.totalVirtualServices ?? 0) > 1;
  const next = model.virtualServices.map((vs, i): DrawnSection => {
    const active = i === model.activeIndex;
    const page = sectionContext(vs);
    const signature = `${view.perRequests}|${JSON.stringify(page.matchShares)}|${active}|${several}|${JSON.stringify(vs)}`;
    const previous = sections[i];
    if (previous && previous.signature === signature) return previous;
    const counts: Drawn = { routes: 0, targets: 0 };
    return { signature, element: virtualServiceSection(page, vs, i, active, several, counts), drawn: counts };
  });
  sections = next;
  const children: HTMLElement[] = [];
  const total = model.totalVirtualServices ?? model.virtualServices.length;
  if (total > model.virtualServices.length) {
    const first = (model.firstIndex ?? 0) + 1;
    windowNote.textContent = `${model.virtualServices[0]?.kind ?? 'VirtualService'} ${first.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} in this file, the one ${model.activeIndex === undefined ? 'before' : 'under'} the cursor: a file this large is previewed one resource at a time. Move the cursor to another one to see it.`;
    children.push(windowNote);
  }
  for (const section of next) {
    children.push(section.element);
    drawn.routes += section.drawn.routes;
    drawn.targets += section.drawn.targets;
  }
  // Only the nodes that changed are replaced; the rest of the page stays as it is.
  if (children.length !== content.children.length || children.some((child, i) => content.children[i] !== child)) content.replaceChildren(...children);
}

const windowNote = el('p', 'window-note');

function render(focus?: RouteRef): void {
  const model = view.model;
  fileLabel.textContent = view.fileName ?? '';
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.key : undefined;
  const drawn: Drawn = { routes: 0, targets: 0 };
  let empty: string | undefined;
  if (!model) {
    toolbar.classList.add('is-hidden');
    trial.element.hidden = true;
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
    drawSections(model, drawn);
  }
  trial.element.hidden = empty !== undefined;
  // Sections drawn again lose their marks: mark the last traced request again.
  if (trial.answered) trial.highlight(content);
  if (empty) sections.length = 0;
  for (const current of content.querySelectorAll('.rule.is-current')) current.classList.remove('is-current');
  if (model.activeIndex !== undefined && model.activeRoute !== undefined) {
    // The rule the editor's cursor is in.
    content.querySelector<HTMLElement>(`.vs[data-vs="${model.activeIndex}"] .rule[data-route="${model.activeRoute}"]`)?.classList.add('is-current');
  }
  if (focused) {
    const again = content.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`);
    again?.focus({ preventScroll: true });
  }
  scrollToInterest(model, focus);
  vscode.postMessage({ type: 'rendered', virtualServices: model.virtualServices.length, routes: drawn.routes, targets: drawn.targets, ...(empty ? { empty } : {}), words: drawnWords() });
}

/** The words on the page, one line per rule head, note, target and totals row, as shown (for the tests). */
function drawnWords(): string[] {
  const lines: string[] = [];
  for (const element of content.querySelectorAll<HTMLElement>('.rule-head, .unreachable-reason, .action-note, .fault-note, .target, .totals-title, .share-label, .totals-row, .totals-note')) {
    if (lines.length >= 200) break;
    lines.push(...[...element.children].length > 0 && element.classList.contains('totals-row')
      ? [[...element.children].map((cell) => (cell.textContent ?? '').trim()).join(' | ')]
      : [(element.innerText || element.textContent || '').replace(/\s+/g, ' ').trim()]);
  }
  return lines;
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
      trial.update(message.model);
      break;
    case 'traced':
      highlighted(trial.answer(message.request, message.result, message.error, content));
      break;
  }
});

buildToolbar();
render();
vscode.postMessage({ type: 'ready' });
