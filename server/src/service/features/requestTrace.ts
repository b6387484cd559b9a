// Where one request goes, with Istio's and Envoy's semantics: the VirtualServices for the
// request's host and gateway (`mesh` by default; a VirtualService without `gateways` is bound
// to `mesh`; exact hosts before wildcards, the most specific wildcard first), then the first
// `http` rule with a matching block (blocks ORed, the conditions in one block ANDed). Strings
// match exactly, by prefix or by RE2 regex over the whole value; header names are
// case-insensitive; `withoutHeaders` inverts its test with a missing header counting as empty;
// `ignoreUriCase` applies to exact and prefix URI tests. `gateways` in a match block replace
// the VirtualService's, and then source labels are not consulted (pilot's sourceMatchHTTP).
// Facts the request does not give (source labels, source namespace, a port) are reported as
// unknown rather than guessed.

import { RE2JS } from 're2js';
import { resolveHost, wildcardCovers, isWildcard } from '../model/hostNames';
import { fractionToPercent, mirrorFraction, policyMirrorPercentSource, ruleMirrorPercentSource, type FractionalPercent } from '../model/envoyFractions';
import { mirroredHostHeader, shadowHostSuffixDisabled, translatesMirrorsList, newestIstioRelease, type IstioRelease } from '../model/istioReleases';
import { normalisedShares } from '../model/trafficShares';
import type { Range } from '../types';
import { toFileRange } from './documentAt';
import { envoyFault, protoDuration } from './envoyRoutes';
import type { FeatureContext } from './featureContext';
import { boundGateways, resolveGatewayReference } from '../workspace/workspaceQueries';
import { serviceForHost } from './servicePorts';
import { asArray, asObject, jsonInteger as integer, jsonText as text, virtualServiceSpecs, type JsonObject, type VirtualServiceSpec } from './virtualServiceSpecs';

export interface TraceRequest {
  /** The host the client calls (`reviews`, `reviews.demo`, `shop.example.com:8080`). */
  host: string;
  /** Path, optionally with a query string. */
  path?: string;
  method?: string;
  /** Header names in any case. */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  port?: number;
  scheme?: string;
  /** `mesh` (default), `namespace/name` or a Gateway name in `namespace`. */
  gateway?: string;
  /** Namespace of the client (short hosts and gateway names resolve in it); defaults to the default namespace. */
  namespace?: string;
  /** Labels of the client workload (the gateway's pods for a gateway). */
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  release?: IstioRelease;
}

export interface TraceTarget {
  /** FQDN. */
  host: string;
  subset: string | null;
  port: number | null;
  /** Share of the requests (destinations) or of the requests copied (mirrors), 0–100. */
  percent: number;
}

export interface TraceMirror extends TraceTarget {
  /** The Host header the copy carries. */
  hostHeader: string;
  fraction: FractionalPercent;
}

export interface TraceFault {
  abort?: { httpStatus?: number; grpcStatus?: string; percent: number };
  delay?: { fixedDelay: string; percent: number };
}

export interface TraceRedirect {
  location: string;
  code: number;
}

export interface TraceUndecided {
  virtualService: string;
  httpIndex: number;
  matchIndex: number;
  reason: string;
}

export interface TraceResult {
  virtualService: string | null;
  file: string | null;
  httpIndex: number | null;
  name: string | null;
  /** The match block that matched (null for a rule without match). */
  matchIndex: number | null;
  destinations: TraceTarget[];
  mirrors: TraceMirror[];
  fault: TraceFault | null;
  redirect: TraceRedirect | null;
  directResponse: { status: number; body: string | null } | null;
  /** The path and Host the upstream request carries after `rewrite`. */
  rewrite: { path: string; authority: string | null } | null;
  /** Earlier rules whose match depends on facts the request did not give. */
  undecided: TraceUndecided[];
  notes: string[];
  /** Range of the rule that took the request, in its file. */
  range: Range | null;
}

type Verdict = true | false | { unknown: string };

interface NormalisedRequest {
  authority: string;
  hostName: string;
  path: string;
  queryString: string;
  method: string;
  scheme: string;
  headers: Map<string, string>;
  query: Map<string, string>;
  port?: number;
  gateway: string;
  namespace: string;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  release: IstioRelease;
}



const regexCache = new Map<string, RE2JS | null>();

function compiled(regex: string): RE2JS | null {
  let pattern = regexCache.get(regex);
  if (pattern === undefined) {
    try {
      pattern = RE2JS.compile(regex);
    } catch {
      pattern = null;
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(regex, pattern);
  }
  return pattern;
}

/** RE2 over the whole value, as Envoy's safe_regex matches. */
export function fullMatch(regex: string, value: string): boolean {
  return compiled(regex)?.matcher(value).matches() ?? false;
}

/** An Istio StringMatch against a value (absent value: no match); an empty match or regex `*` tests presence. */
function stringMatches(condition: unknown, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const match = asObject(condition);
  if (!match || !('exact' in match || 'prefix' in match || 'regex' in match)) return true;
  if ('exact' in match) return ignoreCase ? (text(match.exact) ?? '').toLowerCase() === value.toLowerCase() : text(match.exact) === value;
  if ('prefix' in match) return ignoreCase ? value.toLowerCase().startsWith((text(match.prefix) ?? '').toLowerCase()) : value.startsWith(text(match.prefix) ?? '');
  if (match.regex === '*') return true;
  return fullMatch(text(match.regex) ?? '', value);
}

function isPresence(condition: unknown): boolean {
  const match = asObject(condition);
  return !match || !('exact' in match || 'prefix' in match || 'regex' in match) || (!('exact' in match) && !('prefix' in match) && match.regex === '*');
}

/** `name=value` pairs of a query string, first value of each name (as Envoy's matcher reads them). */
function parseQuery(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    if (!out.has(name)) out.set(name, equals === -1 ? '' : part.slice(equals + 1));
  }
  return out;
}

/** A gateway reference as pilot resolves it: `mesh`, or `namespace/name`. */
function gatewayName(reference: string, namespace: string): string {
  if (reference === 'mesh') return reference;
  const resolved = resolveGatewayReference(reference, namespace);
  return `${resolved.namespace}/${resolved.name}`;
}

function normalise(context: FeatureContext, request: TraceRequest): NormalisedRequest {
  const namespace = request.namespace ?? context.settings.defaultNamespace;
  const authority = request.headers ? Object.entries(request.headers).find(([name]) => /^(host|:authority)$/i.test(name))?.[1] ?? request.host : request.host;
  const portInHost = /^(.*):(\d+)$/.exec(request.host);
  const hostName = portInHost && !request.host.endsWith(']') ? portInHost[1] : request.host;
  const rawPath = request.path ?? '/';
  const queryAt = rawPath.indexOf('?');
  const path = queryAt === -1 ? rawPath : rawPath.slice(0, queryAt);
  const queryString = queryAt === -1 ? '' : rawPath.slice(queryAt + 1);
  const query = parseQuery(queryString);
  for (const [name, value] of Object.entries(request.query ?? {})) query.set(name, value);
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name.toLowerCase(), value);
  const method = (request.method ?? 'GET').toUpperCase();
  const scheme = request.scheme ?? 'http';
  headers.set(':method', method);
  headers.set(':authority', authority);
  headers.set(':scheme', scheme);
  headers.set(':path', rawPath);
  const normalised: NormalisedRequest = {
    authority,
    hostName,
    path: path === '' ? '/' : path,
    queryString,
    method,
    scheme,
    headers,
    query,
    gateway: request.gateway ? gatewayName(request.gateway, namespace) : 'mesh',
    namespace,
    release: request.release ?? newestIstioRelease,
  };
  const port = request.port ?? (portInHost ? Number(portInHost[2]) : undefined);
  if (port !== undefined) normalised.port = port;
  if (request.sourceLabels) normalised.sourceLabels = request.sourceLabels;
  if (request.sourceNamespace !== undefined) normalised.sourceNamespace = request.sourceNamespace;
  return normalised;
}

/** The names a client's host can stand for: short names expand in the client's namespace, as the sidecar's virtual host domains do. */
function requestHostNames(context: FeatureContext, request: NormalisedRequest): string[] {
  const host = request.hostName;
  if (request.gateway !== 'mesh') return [host];
  const domain = context.settings.clusterDomain;
  const labels = host.split('.');
  if (labels.length === 1) return [resolveHost(host, request.namespace, domain)];
  if (labels.length === 2) return [host, `${host}.svc.${domain}`];
  if (labels.length === 3 && labels[2] === 'svc') return [host, `${host}.${domain}`];
  return [host];
}

/** How well a VirtualService host covers the request host: exact beats every wildcard, a longer wildcard beats a shorter one. */
function hostScore(vsHost: string, requestHosts: string[]): number {
  let best = -1;
  for (const candidate of requestHosts) {
    if (vsHost === candidate) return Number.MAX_SAFE_INTEGER;
    if (vsHost === '*') best = Math.max(best, 0);
    else if (isWildcard(vsHost) && wildcardCovers(vsHost, candidate)) best = Math.max(best, vsHost.length);
  }
  return best;
}


/** The request's port: given, else the only port of the service it calls. */
function requestPort(context: FeatureContext, request: NormalisedRequest, hosts: string[]): number | undefined {
  if (request.port !== undefined) return request.port;
  if (request.gateway !== 'mesh') return undefined;
  for (const host of hosts) {
    const ports = serviceForHost(context, host, request.namespace)?.ports;
    if (ports && ports.length === 1) return ports[0];
  }
  return undefined;
}

function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}

/** One match block against the request: every condition must hold. */
function blockVerdict(block: JsonObject, request: NormalisedRequest, port: number | undefined, vsNamespace: string): Verdict {
  const unknowns: string[] = [];
  const port_ = integer(block.port);
  if (port_ !== undefined && port_ !== 0) {
    if (port === undefined) unknowns.push(`it needs port ${port_} and the request's port is not known (give --port)`);
    else if (port !== port_) return false;
  }
  const gateways = asArray(block.gateways).map((gateway) => gatewayName(String(gateway), vsNamespace));
  if (gateways.length > 0) {
    if (!gateways.includes(request.gateway)) return false;
  } else {
    const labels = asObject(block.sourceLabels);
    if (labels && Object.keys(labels).length > 0) {
      if (!request.sourceLabels) unknowns.push(`it needs a client with labels ${labelsText(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])))} (give --source-labels)`);
      else if (!Object.entries(labels).every(([key, value]) => request.sourceLabels?.[key] === String(value))) return false;
    }
    const sourceNamespace = text(block.sourceNamespace);
    if (sourceNamespace) {
      if (request.sourceNamespace === undefined) unknowns.push(`it needs a client in namespace ${sourceNamespace} (give --source-namespace)`);
      else if (request.sourceNamespace !== sourceNamespace) return false;
    }
  }
  const uri = block.uri;
  if (uri !== undefined && uri !== null) {
    const match = asObject(uri) ?? {};
    const ignoreCase = block.ignoreUriCase === true && !('regex' in match);
    if (!stringMatches(uri, request.path, ignoreCase)) return false;
  }
  for (const [field, header] of [['method', ':method'], ['authority', ':authority'], ['scheme', ':scheme']] as const) {
    if (block[field] !== undefined && block[field] !== null && !stringMatches(block[field], request.headers.get(header))) return false;
  }
  for (const [name, condition] of Object.entries(asObject(block.headers) ?? {})) {
    if (name.startsWith('@request.auth.claims')) {
      unknowns.push(`it tests the JWT claim ${name.slice('@request.auth.claims'.length).replace(/^\./, '')}`);
      continue;
    }
    if (!stringMatches(condition, request.headers.get(name.toLowerCase()))) return false;
  }
  for (const [name, condition] of Object.entries(asObject(block.withoutHeaders) ?? {})) {
    if (name.startsWith('@request.auth.claims')) {
      unknowns.push(`it tests the JWT claim ${name.slice('@request.auth.claims'.length).replace(/^\./, '')}`);
      continue;
    }
    const value = request.headers.get(name.toLowerCase());
    const matched = isPresence(condition) ? value !== undefined : stringMatches(condition, value ?? '');
    if (matched) return false;
  }
  for (const [name, condition] of Object.entries(asObject(block.queryParams) ?? {})) {
    if (!stringMatches(condition, request.query.get(name))) return false;
  }
  return unknowns.length > 0 ? { unknown: unknowns.join('; ') } : true;
}

function target(context: FeatureContext, destination: JsonObject, namespace: string, percent: number): TraceTarget {
  const host = resolveHost(text(destination.host) ?? '', namespace, context.settings.clusterDomain);
  const explicit = integer(asObject(destination.port)?.number);
  const ports = explicit === undefined ? serviceForHost(context, host, namespace)?.ports : undefined;
  return { host, subset: text(destination.subset) ?? null, port: explicit ?? (ports?.length === 1 ? ports[0] : null), percent };
}

/** Envoy's prefix_rewrite / regex_rewrite on the path (the query string is kept). */
function rewrittenPath(rule: JsonObject, block: JsonObject | undefined, request: NormalisedRequest): string | undefined {
  const rewrite = asObject(rule.rewrite);
  if (!rewrite) return undefined;
  const query = request.queryString !== '' ? `?${request.queryString}` : '';
  const regex = asObject(rewrite.uriRegexRewrite);
  if (regex) {
    const pattern = compiled(text(regex.match) ?? '');
    if (!pattern) return undefined;
    const substitution = (text(regex.rewrite) ?? '').replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
    return `${pattern.matcher(request.path).replaceAll(substitution)}${query}`;
  }
  const uri = text(rewrite.uri);
  if (!uri) return undefined;
  return `${replacedPrefix(block, request.path, uri)}${query}`;
}

/** Envoy's prefix rewrite: the matched URI prefix (the whole path for exact and regex matches; `/` without a URI match) is replaced. */
function replacedPrefix(block: JsonObject | undefined, path: string, replacement: string): string {
  const match = asObject(block?.uri);
  if (match && 'prefix' in match) return `${replacement}${path.slice((text(match.prefix) ?? '').length)}`;
  if (match && ('exact' in match || 'regex' in match)) return replacement;
  return `${replacement}${path.slice(1)}`;
}

function redirectOf(redirect: JsonObject, block: JsonObject | undefined, request: NormalisedRequest, port: number | undefined): TraceRedirect {
  const scheme = text(redirect.scheme) ?? request.scheme;
  const authority = text(redirect.authority) ?? request.hostName;
  let redirectPort: number | undefined;
  if (redirect.derivePort === 'FROM_REQUEST_PORT') redirectPort = port;
  else if (integer(redirect.port) !== undefined) redirectPort = integer(redirect.port);
  if ((redirectPort === 80 && scheme === 'http') || (redirectPort === 443 && scheme === 'https')) redirectPort = undefined;
  const query = request.queryString !== '' ? `?${request.queryString}` : '';
  const prefix = text(redirect.prefixRewrite);
  const path = prefix ? replacedPrefix(block, request.path, prefix) : (text(redirect.uri) ?? request.path);
  const code = integer(redirect.redirectCode) ?? 301;
  return { location: `${scheme}://${authority}${redirectPort ? `:${redirectPort}` : ''}${path}${query}`, code: code === 0 ? 301 : code };
}

function emptyResult(): TraceResult {
  return { virtualService: null, file: null, httpIndex: null, name: null, matchIndex: null, destinations: [], mirrors: [], fault: null, redirect: null, directResponse: null, rewrite: null, undecided: [], notes: [], range: null };
}

/** Where the request goes. */
export function traceRequest(context: FeatureContext, request: TraceRequest, uris?: readonly string[]): TraceResult {
  const normalised = normalise(context, request);
  const hosts = requestHostNames(context, normalised);
  const result = emptyResult();
  const port = requestPort(context, normalised, hosts);

  // The VirtualServices bound to the request's gateway, by how specifically they name its host.
  const candidates: { spec: VirtualServiceSpec; score: number }[] = [];
  for (const spec of virtualServiceSpecs(context, uris)) {
    if (!boundGateways(spec.entry.model, spec.entry.namespace).includes(normalised.gateway)) continue;
    const score = Math.max(-1, ...spec.entry.model.hosts.map((host) => hostScore(resolveHost(host.value, spec.entry.namespace, context.settings.clusterDomain), hosts)));
    if (score >= 0) candidates.push({ spec, score });
  }
  const best = Math.max(-1, ...candidates.map((candidate) => candidate.score));
  let chosen = candidates.filter((candidate) => candidate.score === best).map((candidate) => candidate.spec);
  if (chosen.length === 0) {
    if (normalised.gateway === 'mesh') {
      const host = hosts[hosts.length - 1];
      const service = serviceForHost(context, host, normalised.namespace);
      result.destinations = [{ host, subset: null, port: port ?? null, percent: 100 }];
      result.notes.push(service ? `no VirtualService for this host: the sidecar sends the request to ${service.kind} ${service.id} by default` : 'no VirtualService for this host, and no Service or ServiceEntry for it in the workspace: the sidecar passes it through as is (outboundTrafficPolicy ALLOW_ANY)');
    } else {
      result.notes.push(`no VirtualService on ${normalised.gateway} for this host: the gateway answers 404`);
    }
    return result;
  }
  if (normalised.gateway === 'mesh' && chosen.length > 1) {
    result.notes.push(`${chosen.length} VirtualServices name this host for the mesh; sidecars use only the oldest, taken here as the first found (${chosen[0].id}); ignored: ${chosen.slice(1).map((spec) => spec.id).join(', ')}`);
    chosen = [chosen[0]];
  } else if (chosen.length > 1) {
    result.notes.push(`the rules of ${chosen.map((spec) => spec.id).join(', ')} are merged on ${normalised.gateway} in the order found (Istio orders them by creation time)`);
  }

  for (const spec of chosen) {
    const outcome = traceRules(context, spec, normalised, port, result, 0);
    if (outcome) return outcome;
  }
  result.notes.push(`no rule of ${chosen.map((spec) => spec.id).join(', ')} matches the request: Envoy answers 404 (NR)`);
  return result;
}

function traceRules(context: FeatureContext, spec: VirtualServiceSpec, request: NormalisedRequest, port: number | undefined, result: TraceResult, depth: number): TraceResult | undefined {
  for (const [index, rule] of spec.http.entries()) {
    const blocks = asArray(rule.match).map((block) => asObject(block) ?? {});
    let matched: number | null | undefined;
    if (blocks.length === 0) matched = null;
    for (const [matchIndex, block] of blocks.entries()) {
      const verdict = blockVerdict(block, request, port, spec.entry.namespace);
      if (verdict === true) {
        matched = matchIndex;
        break;
      }
      if (verdict !== false) result.undecided.push({ virtualService: spec.id, httpIndex: index, matchIndex, reason: verdict.unknown });
    }
    if (matched === undefined) continue;
    const delegate = asObject(rule.delegate);
    if (delegate && depth === 0) {
      const name = text(delegate.name);
      const namespace = text(delegate.namespace) ?? spec.entry.namespace;
      const target = virtualServiceSpecs(context).find((candidate) => candidate.entry.model.name?.value === name && candidate.entry.namespace === namespace);
      if (!target) {
        result.notes.push(`http[${index}] of ${spec.id} delegates to ${namespace}/${name}, which is not in the workspace`);
        return finish(context, spec, index, matched, request, port, result);
      }
      const delegated = traceRules(context, target, request, port, result, depth + 1);
      if (delegated) {
        delegated.notes.push(`delegated by http[${index}] of ${spec.id}`);
        return delegated;
      }
      result.notes.push(`http[${index}] of ${spec.id} delegates to ${target.id}, whose rules do not match: Envoy answers 404 (NR)`);
      return result;
    }
    return finish(context, spec, index, matched, request, port, result);
  }
  return undefined;
}

function finish(context: FeatureContext, spec: VirtualServiceSpec, index: number, matchIndex: number | null, request: NormalisedRequest, port: number | undefined, result: TraceResult): TraceResult {
  const rule = spec.http[index];
  const namespace = spec.entry.namespace;
  const model = spec.entry.model.http[index];
  result.virtualService = spec.id;
  result.file = spec.entry.uri;
  result.httpIndex = index;
  result.name = text(rule.name) ?? null;
  result.matchIndex = matchIndex;
  result.range = model ? toFileRange(spec.entry, model.fullRange) : null;
  result.undecided = result.undecided.filter((entry) => !(entry.virtualService === spec.id && entry.httpIndex === index));

  const fault = envoyFault(asObject(rule.fault));
  if (fault) {
    const summary: TraceFault = {};
    if (fault.delay) summary.delay = { fixedDelay: fault.delay.fixedDelay, percent: fractionToPercent(fault.delay.percentage) };
    if (fault.abort) {
      summary.abort = { percent: fault.abort.percentage ? fractionToPercent(fault.abort.percentage) : 0 };
      if (fault.abort.httpStatus !== undefined) summary.abort.httpStatus = fault.abort.httpStatus;
      if (fault.abort.grpcStatus !== undefined) summary.abort.grpcStatus = fault.abort.grpcStatus;
    }
    result.fault = summary;
  }
  const redirect = asObject(rule.redirect);
  const directResponse = asObject(rule.directResponse);
  if (result.fault?.abort && result.fault.abort.percent >= 100) {
    result.notes.push(`every request is aborted with ${result.fault.abort.httpStatus ?? result.fault.abort.grpcStatus}: nothing is routed or mirrored`);
    return result;
  }
  const block = matchIndex === null ? undefined : asObject(asArray(rule.match)[matchIndex]);
  if (redirect) {
    result.redirect = redirectOf(redirect, block, request, port);
    return result;
  }
  if (directResponse) {
    const body = asObject(directResponse.body);
    result.directResponse = { status: integer(directResponse.status) ?? 0, body: text(body?.string) ?? text(body?.bytes) ?? null };
    return result;
  }

  const path = rewrittenPath(rule, block, request);
  const rewrite = asObject(rule.rewrite);
  const authority = text(rewrite?.authority) ?? null;
  if (path !== undefined || authority !== null) result.rewrite = { path: path ?? `${request.path}${request.queryString ? `?${request.queryString}` : ''}`, authority };

  const routes = asArray(rule.route).map((entry) => asObject(entry) ?? {});
  const kept = routes.length > 1 ? routes.filter((entry) => (integer(entry.weight) ?? 0) > 0) : routes;
  const shares = normalisedShares(kept.map((entry) => integer(entry.weight)));
  result.destinations = kept.map((entry, position) => target(context, asObject(entry.destination) ?? {}, namespace, shares[position] ?? 0));

  const suffixDisabled = shadowHostSuffixDisabled(request.release);
  const hostHeader = mirroredHostHeader(authority ?? request.authority, suffixDisabled);
  const addMirror = (destination: JsonObject | undefined, fraction: FractionalPercent | undefined): void => {
    if (!destination || !fraction) return;
    result.mirrors.push({ ...target(context, destination, namespace, fractionToPercent(fraction)), hostHeader, fraction });
  };
  if (asObject(rule.mirror)) addMirror(asObject(rule.mirror), mirrorFraction(ruleMirrorPercentSource(rule)));
  if (translatesMirrorsList(request.release)) {
    for (const entry of asArray(rule.mirrors)) {
      const policy = asObject(entry) ?? {};
      addMirror(asObject(policy.destination), mirrorFraction(policyMirrorPercentSource(policy)));
    }
  }
  const timeout = protoDuration(rule.timeout);
  if (timeout && timeout !== '0s') result.notes.push(`timeout ${timeout}`);
  return result;
}
