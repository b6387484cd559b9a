// The "Try a request" form of the traffic-split page: host, method, path, headers and the
// proxy the request goes through (`mesh` or a Gateway). The page sends it to the extension,
// which asks the language server (`istio/traceRequest`, the core of `istio-mirror trace`);
// the answer is shown under the form, and the rule that takes the request and the targets it
// and its copies go to are highlighted in the sections below. Every string is set as text.

import type { TraceRequestParams, TraceResult, TraceTarget, TrafficSplitResult } from '../../server/src/protocol';
import { formatPercent } from '../../server/src/service/model/trafficShares';
import { el } from './dom';

export interface Highlight {
  /** Position on the page of the VirtualService section, and of the rule in it (null: not on this page). */
  virtualService: number | null;
  route: number | null;
  /** Target rows highlighted (destinations and mirror targets). */
  targets: number;
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `name: value` (or `name=value`) per line; the lines it cannot read. */
export function parseHeaderLines(text: string): { headers: Record<string, string>; invalid: string[] } {
  const headers: Record<string, string> = {};
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^([^:=\s]+)\s*[:=]\s?(.*)$/.exec(line);
    if (!match) invalid.push(line);
    else headers[match[1]] = match[2];
  }
  return { headers, invalid };
}

function targetText(target: TraceTarget): string {
  return `${target.host}${target.port !== null ? `:${target.port}` : ''}${target.subset !== null ? ` subset ${target.subset}` : ''}`;
}

export class RequestTrial {
  readonly element: HTMLElement;
  private readonly host = el('input', 'try-input');
  private readonly hosts = el('datalist');
  private readonly method = el('select', 'try-input');
  private readonly path = el('input', 'try-input');
  private readonly headers = el('textarea', 'try-input try-headers');
  private readonly gateway = el('select', 'try-input');
  private readonly error = el('p', 'try-error');
  private readonly output = el('div', 'try-result');
  private model: TrafficSplitResult | undefined;
  /** The host as the page filled it in; once the user types another, it is kept. */
  private suggestedHost = '';
  private last: { request: TraceRequestParams; result: TraceResult | null; error?: string } | undefined;
  private pending: TraceRequestParams | undefined;

  constructor(private readonly send: (request: TraceRequestParams) => void) {
    const field = (id: string, label: string, input: HTMLElement, ...extra: Node[]): HTMLElement => {
      input.id = id;
      const caption = el('label', 'try-label', label);
      caption.htmlFor = id;
      return el('div', `try-field try-field-${id.slice(4)}`, caption, input, ...extra);
    };
    this.host.type = 'text';
    this.host.spellcheck = false;
    this.host.autocomplete = 'off';
    this.hosts.id = 'try-hosts';
    this.host.setAttribute('list', 'try-hosts');
    for (const name of methods) this.method.append(new Option(name, name));
    this.path.type = 'text';
    this.path.value = '/';
    this.path.spellcheck = false;
    this.path.autocomplete = 'off';
    this.headers.rows = 2;
    this.headers.spellcheck = false;
    this.headers.placeholder = 'x-user: jason';
    this.error.id = 'try-error';
    this.error.hidden = true;
    this.error.setAttribute('role', 'alert');
    this.headers.setAttribute('aria-describedby', 'try-error');
    this.output.setAttribute('role', 'status');
    this.output.setAttribute('aria-live', 'polite');
    const button = el('button', 'try-send', 'Trace');
    button.type = 'submit';
    const form = el('form', 'try-form',
      field('try-method', 'Method', this.method),
      field('try-host', 'Host', this.host, this.hosts),
      field('try-path', 'Path', this.path),
      field('try-headers', 'Headers (name: value per line)', this.headers),
      field('try-gateway', 'Via', this.gateway),
      el('div', 'try-actions', button));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.element = el('section', 'try', el('h2', 'try-title', 'Try a request'), form, this.error, this.output);
    this.element.setAttribute('aria-label', 'Try a request');
  }

  /** A new model: the host suggestions and gateways follow it; the last request is traced again. */
  update(model: TrafficSplitResult): void {
    this.model = model;
    const resources = model.virtualServices.filter((vs) => vs.kind === undefined);
    const hosts = [...new Set(resources.flatMap((vs) => vs.hosts).filter((host) => host !== '' && !host.includes('*')))];
    this.hosts.replaceChildren(...hosts.map((host) => new Option(host)));
    const active = resources[model.activeIndex ?? 0] ?? resources[0];
    const suggestion = active?.hosts.find((host) => !host.includes('*')) ?? hosts[0] ?? '';
    if (this.host.value === this.suggestedHost) this.host.value = suggestion;
    this.suggestedHost = suggestion;
    const gateways = [...new Set(['mesh', ...resources.flatMap((vs) => vs.gateways)])];
    const chosen = this.gateway.value;
    this.gateway.replaceChildren(...gateways.map((gateway) => new Option(gateway, gateway)));
    if (gateways.includes(chosen)) this.gateway.value = chosen;
    else if (active && active.gateways.length > 0 && !active.gateways.includes('mesh')) this.gateway.value = active.gateways[0];
    if (this.last && !this.pending) this.trace(this.last.request);
  }

  private submit(): void {
    const { headers, invalid } = parseHeaderLines(this.headers.value);
    this.error.hidden = invalid.length === 0;
    this.headers.setAttribute('aria-invalid', String(invalid.length > 0));
    if (invalid.length > 0) {
      this.error.textContent = `Not a header (write name: value): ${invalid.join(', ')}`;
      return;
    }
    const host = this.host.value.trim();
    if (host === '') {
      this.error.hidden = false;
      this.error.textContent = 'Enter the host the client calls.';
      return;
    }
    const request: TraceRequestParams = { host, method: this.method.value, path: this.path.value.trim() || '/', headers };
    const gateway = this.gateway.value;
    if (gateway && gateway !== 'mesh') request.gateway = gateway;
    const namespace = this.namespaceFor(host);
    if (namespace) request.namespace = namespace;
    this.trace(request);
  }

  /** The client's namespace: that of the VirtualService naming the host (short names resolve in it). */
  private namespaceFor(host: string): string | undefined {
    const resources = this.model?.virtualServices.filter((vs) => vs.kind === undefined) ?? [];
    return (resources.find((vs) => vs.hosts.includes(host)) ?? resources[this.model?.activeIndex ?? 0] ?? resources[0])?.namespace;
  }

  private trace(request: TraceRequestParams): void {
    this.pending = request;
    this.output.classList.add('is-busy');
    this.send(request);
  }

  /** The extension's answer: shows it and highlights it in `content`. */
  answer(request: TraceRequestParams, result: TraceResult | null, error: string | undefined, content: HTMLElement): Highlight {
    this.pending = undefined;
    this.output.classList.remove('is-busy');
    this.last = { request, result, ...(error ? { error } : {}) };
    this.output.replaceChildren(...this.describe(request, result, error));
    return this.highlight(content);
  }

  private describe(request: TraceRequestParams, result: TraceResult | null, error: string | undefined): Node[] {
    const head = `${request.method ?? 'GET'} ${request.host}${request.path ?? '/'}${request.gateway ? ` via ${request.gateway}` : ''}`;
    const out: Node[] = [el('p', 'try-request', head)];
    if (!result) {
      out.push(el('p', 'try-note', error ? `The language server could not trace it: ${error}` : 'No answer: the language server is not ready.'));
      return out;
    }
    if (result.virtualService) {
      // Numbered as on the page, in messages and in the code lenses (#N from 1).
      const rule = `rule #${(result.httpIndex ?? 0) + 1}${result.name ? ` "${result.name}"` : ''}`;
      const place = this.sectionOf(result) === undefined ? ' (not in this file)' : '';
      out.push(el('p', 'try-rule', 'Taken by ', el('strong', 'try-rule-name', rule), ` of VirtualService ${result.virtualService}${place}`));
    }
    const list = el('ul', 'try-targets');
    for (const destination of result.destinations) list.append(el('li', 'try-destination', `→ ${targetText(destination)}  ${formatPercent(destination.percent)}`));
    for (const mirror of result.mirrors) list.append(el('li', 'try-mirror', `copy → ${targetText(mirror)}  ${formatPercent(mirror.percent)} of these requests, Host: ${mirror.hostHeader}`));
    if (list.childElementCount > 0) out.push(list);
    if (result.fault?.abort) out.push(el('p', 'try-note', `Fault: abort with ${result.fault.abort.httpStatus ?? result.fault.abort.grpcStatus ?? '?'} for ${formatPercent(result.fault.abort.percent)} of requests`));
    if (result.fault?.delay) out.push(el('p', 'try-note', `Fault: delay ${result.fault.delay.fixedDelay} for ${formatPercent(result.fault.delay.percent)} of requests`));
    if (result.redirect) out.push(el('p', 'try-note', `Redirect ${result.redirect.code} to ${result.redirect.location}`));
    if (result.directResponse) out.push(el('p', 'try-note', `Direct response ${result.directResponse.status}${result.directResponse.body !== null ? `: ${result.directResponse.body}` : ''}`));
    if (result.rewrite) out.push(el('p', 'try-note', `Rewritten to ${result.rewrite.path}${result.rewrite.authority ? `, Host ${result.rewrite.authority}` : ''}`));
    for (const entry of result.undecided) out.push(el('p', 'try-note', `Not known: rule #${entry.httpIndex + 1} of ${entry.virtualService} might take it first — ${entry.reason}`));
    for (const note of result.notes) out.push(el('p', 'try-note', note));
    return out;
  }

  /** Position of the result's VirtualService among the page's sections. */
  private sectionOf(result: TraceResult): number | undefined {
    const index = this.model?.virtualServices.findIndex((vs) => vs.kind === undefined && `${vs.namespace}/${vs.name}` === result.virtualService && vs.file === result.file);
    return index === undefined || index < 0 ? undefined : index;
  }

  /** Marks the rule that takes the last request and the targets it and its copies go to. */
  highlight(content: HTMLElement): Highlight {
    for (const marked of content.querySelectorAll('.is-traced, .is-hit')) marked.classList.remove('is-traced', 'is-hit');
    for (const tag of content.querySelectorAll('.traced-tag')) tag.remove();
    const result = this.last?.result;
    const none: Highlight = { virtualService: null, route: null, targets: 0 };
    if (!result || result.httpIndex === null || !this.model) return none;
    const section = this.sectionOf(result);
    if (section === undefined) return none;
    const vs = this.model.virtualServices[section];
    const position = vs.routes.findIndex((route) => route.protocol === 'http' && route.index === result.httpIndex);
    const rule = content.querySelector<HTMLElement>(`.vs[data-vs="${section}"] .rule[data-route="${position}"]`);
    if (position < 0 || !rule) return { virtualService: section, route: null, targets: 0 };
    rule.classList.add('is-traced');
    rule.querySelector('.rule-title')?.append(el('span', 'traced-tag', 'this request'));
    const route = vs.routes[position];
    let targets = 0;
    const mark = (key: string): void => {
      const row = rule.querySelector<HTMLElement>(`[data-key="${key}"]`);
      if (row) {
        row.classList.add('is-hit');
        targets++;
      }
    };
    const same = (target: TraceTarget, candidate: { resolvedHost: string; subset?: string }): boolean => candidate.resolvedHost === target.host && (candidate.subset ?? null) === target.subset;
    const used = new Set<number>();
    for (const destination of result.destinations) {
      const index = route.destinations.findIndex((candidate, i) => !used.has(i) && same(destination, candidate));
      if (index >= 0) {
        used.add(index);
        mark(`d:${section}:${position}:${index}`);
      }
    }
    used.clear();
    for (const mirror of result.mirrors) {
      const index = route.mirrors.findIndex((candidate, i) => !used.has(i) && same(mirror, candidate));
      if (index >= 0) {
        used.add(index);
        mark(`m:${section}:${position}:${index}`);
      }
    }
    return { virtualService: section, route: position, targets };
  }

  /** Whether a request was answered (the highlight is redrawn with the sections). */
  get answered(): boolean {
    return this.last !== undefined;
  }
}
