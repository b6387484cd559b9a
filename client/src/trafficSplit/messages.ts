// The messages between the traffic-split panel (extension host, trafficSplitPanel.ts) and its
// webview page (client/media/trafficSplitView.ts), defined once for both sides. Data only
// travels this way: the page's HTML carries no data, so nothing from a YAML file is ever
// interpolated into markup or script.

import type { Range } from 'vscode-languageserver-types';
import type { TraceRequestParams, TraceResult, TrafficSplitResult } from '../../../server/src/protocol';

/** A rule of the model: `virtualService` indexes `virtualServices`, `route` that one's `routes`. */
export interface RouteRef {
  virtualService: number;
  route: number;
}

/** Host → webview. */
export type HostMessage =
  /**
   * The model of the file's VirtualServices (`activeIndex`: the one under the cursor). `focus`
   * is set once, when a rule was asked for (the code lens): the page scrolls to it.
   */
  | { type: 'show'; fileName: string; model: TrafficSplitResult; focus?: RouteRef }
  /** The answer to a `trace` from the "Try a request" form: where the request goes (null: nowhere known). */
  | { type: 'traced'; request: TraceRequestParams; result: TraceResult | null; error?: string };

/** Webview → host. */
export type WebviewMessage =
  /** The page's script runs: the host (re)sends the current model. */
  | { type: 'ready' }
  /** The user picked a rule or a target: reveal `range` of the file `uri` in its editor. */
  | { type: 'reveal'; uri: string; range: Range }
  /**
   * The page drew a model: counts of what it drew, and the words of its rules, targets and
   * totals as the page shows them (at most 200 lines; the end-to-end tests read them).
   */
  | { type: 'rendered'; virtualServices: number; routes: number; targets: number; empty?: string; words?: string[] }
  /** The "Try a request" form was sent: trace it with the language server (`istio/traceRequest`). */
  | { type: 'trace'; request: TraceRequestParams }
  /** The page highlighted a trace (what it marked; the end-to-end tests read it). */
  | { type: 'highlighted'; virtualService: number | null; route: number | null; targets: number };

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000_000;
}

function isPosition(value: unknown): value is Range['start'] {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as Record<string, unknown>;
  return isCount(line) && isCount(character);
}

/**
 * A message from the webview, checked field by field (the page is ours, but whatever arrives
 * over postMessage is treated as input); undefined when it is not one of ours.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal': {
      const range = message.range as Record<string, unknown> | null | undefined;
      if (typeof message.uri !== 'string' || typeof range !== 'object' || range === null) return undefined;
      if (!isPosition(range.start) || !isPosition(range.end)) return undefined;
      const start = { line: range.start.line, character: range.start.character };
      const end = { line: range.end.line, character: range.end.character };
      return { type: 'reveal', uri: message.uri, range: { start, end } };
    }
    case 'rendered':
      if (!isCount(message.virtualServices) || !isCount(message.routes) || !isCount(message.targets)) return undefined;
      return {
        type: 'rendered', virtualServices: message.virtualServices, routes: message.routes, targets: message.targets,
        ...(typeof message.empty === 'string' ? { empty: message.empty.slice(0, 200) } : {}),
        ...(Array.isArray(message.words) ? { words: message.words.slice(0, 200).filter((line): line is string => typeof line === 'string').map((line) => line.slice(0, 500)) } : {}),
      };
    case 'trace': {
      const request = parseTraceRequest(message.request);
      return request ? { type: 'trace', request } : undefined;
    }
    case 'highlighted': {
      const index = (value: unknown): number | null | undefined => (value === null ? null : isCount(value) ? value : undefined);
      const virtualService = index(message.virtualService);
      const route = index(message.route);
      if (virtualService === undefined || route === undefined || !isCount(message.targets)) return undefined;
      return { type: 'highlighted', virtualService, route, targets: message.targets };
    }
    default:
      return undefined;
  }
}

const shortText = (value: unknown, limit: number): string | undefined => (typeof value === 'string' && value.length <= limit ? value : undefined);

/** The form's request, field by field: strings of bounded length, at most 50 headers. */
function parseTraceRequest(value: unknown): TraceRequestParams | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const host = shortText(fields.host, 500);
  if (host === undefined) return undefined;
  const request: TraceRequestParams = { host };
  const path = shortText(fields.path, 4000);
  if (path !== undefined) request.path = path;
  const method = shortText(fields.method, 40);
  if (method !== undefined) request.method = method;
  const gateway = shortText(fields.gateway, 500);
  if (gateway !== undefined) request.gateway = gateway;
  const namespace = shortText(fields.namespace, 300);
  if (namespace !== undefined) request.namespace = namespace;
  if (typeof fields.headers === 'object' && fields.headers !== null) {
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(fields.headers as Record<string, unknown>).slice(0, 50)) {
      const text = shortText(header, 4000);
      if (text !== undefined && name.length <= 200) headers[name] = text;
    }
    request.headers = headers;
  }
  return request;
}
