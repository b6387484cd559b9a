// The Envoy routes Istio's pilot generates for the `http` rules of each VirtualService
// (pilot/pkg/networking/core/route/route.go: TranslateRoute, TranslateRouteMatch,
// applyHTTPRouteDestination, GetDestinationCluster, MirrorPercent, MirrorPercentByPolicy,
// TranslateRequestMirrorPolicy, TranslateFault, retry.ConvertPolicy), as Envoy's JSON with the
// field names `istioctl proxy-config routes -o json` prints. Cluster names are pilot's
// BuildSubsetKey (`outbound|PORT|SUBSET|FQDN`); a destination without a port takes the only
// port of its Service or ServiceEntry, otherwise the port of the listener the route is built
// for (one route configuration per port of the VirtualService's hosts).

import { resolveHost } from '../model/hostNames';
import { mirrorFraction, percentValue, policyMirrorPercentSource, ruleMirrorPercentSource, fractionOfInteger, fractionOfPercent, type FractionalPercent } from '../model/envoyFractions';
import { shadowHostSuffixDisabled, translatesMirrorsList, type IstioRelease } from '../model/istioReleases';
import type { Range } from '../types';
import { parseGoDuration } from '../util/goDuration';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { serviceForHost } from './servicePorts';
import { asArray, asObject, jsonInteger as integer, jsonText as text, virtualServiceSpecs, type JsonObject, type VirtualServiceSpec } from './virtualServiceSpecs';

export interface EnvoyRoutesOptions {
  release: IstioRelease;
  /** Build the routes for this listener port only (otherwise: every port of the VirtualService's hosts). */
  listenerPort?: number;
}

export interface EnvoyStringMatcher {
  exact?: string;
  prefix?: string;
  safeRegex?: { regex: string };
}

export interface EnvoyHeaderMatcher {
  name: string;
  stringMatch?: EnvoyStringMatcher;
  presentMatch?: boolean;
  invertMatch?: boolean;
  treatMissingHeaderAsEmpty?: boolean;
}

export interface EnvoyQueryParameterMatcher {
  name: string;
  stringMatch?: EnvoyStringMatcher;
  presentMatch?: boolean;
}

export interface EnvoyRouteMatch {
  prefix?: string;
  path?: string;
  safeRegex?: { regex: string };
  caseSensitive?: boolean;
  headers?: EnvoyHeaderMatcher[];
  queryParameters?: EnvoyQueryParameterMatcher[];
}

export interface EnvoyMirrorPolicy {
  cluster: string;
  runtimeFraction: { defaultValue: FractionalPercent };
  traceSampled: boolean;
  disableShadowHostSuffixAppend: boolean;
}

export interface EnvoyRetryPolicy {
  retryOn: string;
  numRetries: number;
  retryHostPredicate?: { name: string }[];
  hostSelectionRetryMaxAttempts: string;
  perTryTimeout?: string;
  retriableStatusCodes?: number[];
  retryPriority?: { name: string };
  retryBackOff?: { baseInterval: string };
}

export interface EnvoyRouteAction {
  cluster?: string;
  weightedClusters?: { clusters: { name: string; weight: number }[] };
  timeout: string;
  maxGrpcTimeout: string;
  retryPolicy?: EnvoyRetryPolicy;
  prefixRewrite?: string;
  regexRewrite?: { pattern: { regex: string }; substitution: string };
  hostRewriteLiteral?: string;
  requestMirrorPolicies?: EnvoyMirrorPolicy[];
}

export interface EnvoyRedirectAction {
  hostRedirect?: string;
  pathRedirect?: string;
  prefixRewrite?: string;
  schemeRedirect?: string;
  portRedirect?: number;
  responseCode: string;
}

export interface EnvoyDirectResponseAction {
  status: number;
  body?: { inlineString: string } | { inlineBytes: string };
}

export interface EnvoyFault {
  delay?: { fixedDelay: string; percentage: FractionalPercent };
  abort?: { httpStatus?: number; grpcStatus?: string; percentage?: FractionalPercent };
}

/** The Envoy routes of one `http` rule at one listener port. */
export interface EnvoyRouteRule {
  /** `namespace/name`. */
  virtualService: string;
  uri: string;
  httpIndex: number;
  name: string | null;
  /** The listener port these routes are built for; null when it is not known. */
  listenerPort: number | null;
  /** Whether pilot sends these routes (not after a catch-all rule, not when `match.port` names another listener). */
  generated: boolean;
  /** One Envoy route per match block (a rule without match: one route for `/`). */
  match: EnvoyRouteMatch[];
  route: EnvoyRouteAction | null;
  redirect: EnvoyRedirectAction | null;
  directResponse: EnvoyDirectResponseAction | null;
  /** The fault filter's per-route configuration. */
  fault: EnvoyFault | null;
  /** What the reader needs to know: assumptions, ignored fields, why routes are not sent. */
  notes: string[];
  /** Range of the rule in its file. */
  range: Range;
}

export const listenerPortPlaceholder = '<listener port>';

/** Go durations (`1.5s`, `500ms`) → protobuf JSON (`1.500s`, `0.500s`). */
export function protoDuration(text: unknown): string | undefined {
  const nanos = typeof text === 'string' ? parseGoDuration(text) : undefined;
  if (nanos === undefined || nanos < 0) return undefined;
  const seconds = Math.floor(nanos / 1e9);
  const fraction = Math.round(nanos - seconds * 1e9);
  if (fraction === 0) return `${seconds}s`;
  const digits = String(fraction).padStart(9, '0');
  const trimmed = digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits;
  return `${seconds}.${trimmed}s`;
}



/** Istio's StringMatch → Envoy's StringMatcher (`ConvertToEnvoyMatch`). */
function stringMatcher(match: JsonObject): EnvoyStringMatcher | undefined {
  if ('exact' in match) return { exact: text(match.exact) ?? '' };
  if ('prefix' in match) return { prefix: text(match.prefix) ?? '' };
  if ('regex' in match) return { safeRegex: { regex: text(match.regex) ?? '' } };
  return undefined;
}

/** An empty StringMatch, or the regex `*`, becomes a presence test. */
export function isPresenceMatch(match: unknown): boolean {
  const object = asObject(match);
  if (!object || !('exact' in object || 'prefix' in object || 'regex' in object)) return true;
  return !('exact' in object) && !('prefix' in object) && object.regex === '*';
}

function headerMatcher(name: string, match: unknown): EnvoyHeaderMatcher {
  if (isPresenceMatch(match)) return { name, presentMatch: true };
  const stringMatch = stringMatcher(asObject(match) ?? {});
  return stringMatch ? { name, stringMatch } : { name };
}

/** `TranslateRouteMatch`. */
export function envoyRouteMatch(match: JsonObject | undefined): EnvoyRouteMatch {
  if (!match) return { prefix: '/' };
  const out: EnvoyRouteMatch = { prefix: '/' };
  const headers: EnvoyHeaderMatcher[] = [];
  for (const [name, condition] of Object.entries(asObject(match.headers) ?? {})) {
    if (name.startsWith('@request.auth.claims')) continue; // JWT claims become dynamic metadata matchers
    headers.push(headerMatcher(name, condition));
  }
  for (const [name, condition] of Object.entries(asObject(match.withoutHeaders) ?? {})) {
    if (name.startsWith('@request.auth.claims')) continue;
    const matcher = headerMatcher(name, condition);
    matcher.invertMatch = true;
    if (!isPresenceMatch(condition)) matcher.treatMissingHeaderAsEmpty = true;
    headers.push(matcher);
  }
  headers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const uri = asObject(match.uri);
  if (uri) {
    if ('exact' in uri) {
      delete out.prefix;
      out.path = text(uri.exact) ?? '';
    } else if ('prefix' in uri) {
      out.prefix = text(uri.prefix) ?? '';
    } else if ('regex' in uri) {
      delete out.prefix;
      out.safeRegex = { regex: text(uri.regex) ?? '' };
    }
  }
  out.caseSensitive = match.ignoreUriCase !== true;
  for (const [field, header] of [['method', ':method'], ['authority', ':authority'], ['scheme', ':scheme']] as const) {
    if (match[field] !== undefined && match[field] !== null) headers.push(headerMatcher(header, match[field]));
  }
  if (headers.length > 0) out.headers = headers;
  const queryParameters: EnvoyQueryParameterMatcher[] = [];
  for (const [name, condition] of Object.entries(asObject(match.queryParams) ?? {})) {
    if (isPresenceMatch(condition)) queryParameters.push({ name, presentMatch: true });
    else {
      const stringMatch = stringMatcher(asObject(condition) ?? {});
      queryParameters.push(stringMatch ? { name, stringMatch } : { name });
    }
  }
  if (queryParameters.length > 0) out.queryParameters = queryParameters;
  return out;
}

/** `IsCatchAllRoute`: `/` or `.*` with no header or query test; nothing after it is ever used. */
export function isCatchAllMatch(match: EnvoyRouteMatch, hasClaimMatch = false): boolean {
  const everyPath = match.prefix === '/' || match.safeRegex?.regex === '.*';
  return everyPath && !match.headers?.length && !match.queryParameters?.length && !hasClaimMatch;
}

function hasClaimMatch(match: JsonObject | undefined): boolean {
  return [match?.headers, match?.withoutHeaders].some((map) => Object.keys(asObject(map) ?? {}).some((name) => name.startsWith('@request.auth.claims')));
}

/** Where a destination's cluster port comes from. */
interface ClusterName {
  name: string;
  /** True when the port is the listener's and the listener is not known. */
  needsListener: boolean;
}

function clusterName(context: FeatureContext, destination: JsonObject | undefined, namespace: string, listenerPort: number | undefined): ClusterName {
  const host = text(destination?.host) ?? '';
  if (host === '') return { name: 'UnknownService', needsListener: false };
  const service = serviceForHost(context, host, namespace);
  // An ExternalName Service is an alias: the cluster is the concrete service's.
  const fqdn = service?.externalName ?? resolveHost(host, namespace, context.settings.clusterDomain);
  const subset = text(destination?.subset) ?? '';
  const explicit = integer(asObject(destination?.port)?.number);
  let port: number | undefined = explicit;
  if (port === undefined) port = service && service.ports.length === 1 ? service.ports[0] : listenerPort;
  return { name: `outbound|${port ?? listenerPortPlaceholder}|${subset}|${fqdn}`, needsListener: port === undefined };
}

/** Whether a destination's cluster depends on the listener port (no port, and not exactly one service port). */
function dependsOnListener(context: FeatureContext, destination: JsonObject | undefined, namespace: string): boolean {
  return clusterName(context, destination, namespace, undefined).needsListener;
}

function mirrorDestinations(rule: JsonObject, release: IstioRelease): JsonObject[] {
  const targets: JsonObject[] = [];
  const mirror = asObject(rule.mirror);
  if (mirror) targets.push(mirror);
  if (translatesMirrorsList(release)) {
    for (const entry of asArray(rule.mirrors)) {
      const destination = asObject(asObject(entry)?.destination);
      if (destination) targets.push(destination);
    }
  }
  return targets;
}

function ruleDestinations(rule: JsonObject): JsonObject[] {
  return asArray(rule.route).map((entry) => asObject(asObject(entry)?.destination) ?? {});
}

const goStatusCodes = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** `retry.ConvertPolicy` for a rule that sets `retries`; null when `attempts` ≤ 0 disables retries. */
function retryPolicy(retries: JsonObject): EnvoyRetryPolicy | null {
  const attempts = integer(retries.attempts) ?? 0;
  if (attempts <= 0) return null;
  const policy: EnvoyRetryPolicy = {
    retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
    numRetries: attempts,
    retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
    hostSelectionRetryMaxAttempts: '5',
  };
  const retryOn = text(retries.retryOn);
  if (retryOn) {
    const codes: number[] = [];
    const others: string[] = [];
    for (const part of retryOn.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
      if (/^[+-]?\d+$/.test(part) && goStatusCodes.has(Number(part))) codes.push(Number(part));
      else others.push(part);
    }
    policy.retryOn = others.join(',');
    if (codes.length > 0) {
      policy.retriableStatusCodes = codes;
      if (!policy.retryOn.includes('retriable-status-codes')) policy.retryOn += ',retriable-status-codes';
    }
  }
  const perTry = protoDuration(retries.perTryTimeout);
  if (perTry) policy.perTryTimeout = perTry;
  if (typeof retries.retryIgnorePreviousHosts === 'boolean' && !retries.retryIgnorePreviousHosts) delete policy.retryHostPredicate;
  if (retries.retryRemoteLocalities === true) policy.retryPriority = { name: 'envoy.retry_priorities.previous_priorities' };
  const backoff = protoDuration(retries.backoff);
  if (backoff) policy.retryBackOff = { baseInterval: backoff };
  return policy;
}

function authorityOf(headers: unknown): string | undefined {
  const request = asObject(asObject(headers)?.request);
  const find = (map: unknown): string | undefined => {
    for (const [name, value] of Object.entries(asObject(map) ?? {})) {
      if (/^(:authority|host)$/i.test(name)) return text(value);
    }
    return undefined;
  };
  return find(request?.set) ?? find(request?.add);
}

/** `ApplyRedirect`. */
function redirectAction(redirect: JsonObject, listenerPort: number | undefined, notes: string[]): EnvoyRedirectAction | null {
  const out: EnvoyRedirectAction = { responseCode: 'MOVED_PERMANENTLY' };
  const authority = text(redirect.authority);
  if (authority) out.hostRedirect = authority;
  const prefix = text(redirect.prefixRewrite);
  if (prefix) out.prefixRewrite = prefix;
  else if (text(redirect.uri)) out.pathRedirect = text(redirect.uri);
  const scheme = text(redirect.scheme);
  if (scheme) out.schemeRedirect = scheme;
  const hasPort = redirect.port !== undefined || redirect.derivePort !== undefined;
  if (hasPort) {
    let port = 0;
    if (redirect.derivePort === 'FROM_REQUEST_PORT') {
      if (listenerPort === undefined) notes.push('the redirect keeps the request port, which is the listener port');
      port = listenerPort ?? 0;
    } else if (redirect.port !== undefined) port = integer(redirect.port) ?? 0;
    const effectiveScheme = scheme ?? 'http';
    if ((port === 80 && effectiveScheme === 'http') || (port === 443 && effectiveScheme === 'https')) port = 0;
    if (port !== 0) out.portRedirect = port;
  }
  const codes: Record<number, string> = { 0: 'MOVED_PERMANENTLY', 301: 'MOVED_PERMANENTLY', 302: 'FOUND', 303: 'SEE_OTHER', 307: 'TEMPORARY_REDIRECT', 308: 'PERMANENT_REDIRECT' };
  const code = integer(redirect.redirectCode) ?? 0;
  if (!codes[code]) {
    notes.push(`redirect code ${code} is not supported by pilot: the route gets no action`);
    return null;
  }
  out.responseCode = codes[code];
  return out;
}

/** `ApplyDirectResponse`. */
function directResponseAction(directResponse: JsonObject): EnvoyDirectResponseAction {
  const out: EnvoyDirectResponseAction = { status: integer(directResponse.status) ?? 0 };
  const body = asObject(directResponse.body);
  const string = text(body?.string);
  if (string !== undefined) out.body = { inlineString: string };
  else if (text(body?.bytes) !== undefined) out.body = { inlineBytes: text(body?.bytes) ?? '' };
  return out;
}

/** `TranslateFault`. */
export function envoyFault(fault: JsonObject | undefined): EnvoyFault | null {
  if (!fault) return null;
  const out: EnvoyFault = {};
  const delay = asObject(fault.delay);
  if (delay) {
    const fixed = protoDuration(delay.fixedDelay);
    if (fixed) {
      const percentage = delay.percentage !== undefined && delay.percentage !== null ? fractionOfPercent(percentValue(delay.percentage)) : fractionOfInteger(integer(delay.percent) ?? 0);
      out.delay = { fixedDelay: fixed, percentage };
    }
  }
  const abort = asObject(fault.abort);
  if (abort) {
    const entry: NonNullable<EnvoyFault['abort']> = {};
    if (abort.percentage !== undefined && abort.percentage !== null) entry.percentage = fractionOfPercent(percentValue(abort.percentage));
    if (integer(abort.httpStatus) !== undefined) entry.httpStatus = integer(abort.httpStatus);
    else if (text(abort.grpcStatus) !== undefined) entry.grpcStatus = text(abort.grpcStatus);
    if (entry.httpStatus !== undefined || entry.grpcStatus !== undefined) out.abort = entry;
  }
  return out.delay || out.abort ? out : null;
}

/** The listener ports to build a VirtualService's routes for. */
function listenerPorts(context: FeatureContext, spec: VirtualServiceSpec, options: EnvoyRoutesOptions): (number | undefined)[] {
  if (options.listenerPort !== undefined) return [options.listenerPort];
  const namespace = spec.entry.namespace;
  const ports = new Set<number>();
  for (const host of spec.entry.model.hosts) {
    for (const port of serviceForHost(context, host.value, namespace)?.ports ?? []) ports.add(port);
  }
  const sorted = [...ports].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted;
  const needed = spec.http.some((rule) => [...ruleDestinations(rule), ...mirrorDestinations(rule, options.release)].some((destination) => dependsOnListener(context, destination, namespace)));
  return needed && sorted.length > 1 ? sorted : [undefined];
}

function translateRule(context: FeatureContext, spec: VirtualServiceSpec, index: number, listenerPort: number | undefined, options: EnvoyRoutesOptions, afterCatchAll: string | undefined): { rule: EnvoyRouteRule; catchAll: boolean } {
  const rule = spec.http[index];
  const model = spec.entry.model.http[index];
  const namespace = spec.entry.namespace;
  const notes: string[] = [];
  const matchBlocks = asArray(rule.match).map((block) => asObject(block) ?? {});
  const blocks: (JsonObject | undefined)[] = matchBlocks.length > 0 ? matchBlocks : [undefined];
  const match: EnvoyRouteMatch[] = [];
  let catchAll = false;
  for (const block of blocks) {
    const port = integer(block?.port);
    if (port !== undefined && port !== 0 && listenerPort !== undefined && port !== listenerPort) {
      notes.push(`a match for port ${port} is not sent on listener ${listenerPort}`);
      continue;
    }
    if (port !== undefined && port !== 0 && listenerPort === undefined) notes.push(`a match applies only on listener port ${port}`);
    if (asArray(block?.gateways).length > 0) notes.push(`a match applies only on ${asArray(block?.gateways).map(String).join(', ')}`);
    if (asObject(block?.sourceLabels) || text(block?.sourceNamespace)) notes.push('a match applies only to client proxies with its sourceLabels/sourceNamespace');
    const envoyMatch = envoyRouteMatch(block);
    match.push(envoyMatch);
    if (isCatchAllMatch(envoyMatch, hasClaimMatch(block))) {
      catchAll = true;
      break;
    }
  }
  const out: EnvoyRouteRule = {
    virtualService: spec.id,
    uri: spec.entry.uri,
    httpIndex: index,
    name: text(rule.name) ?? null,
    listenerPort: listenerPort ?? null,
    generated: afterCatchAll === undefined && match.length > 0,
    match,
    route: null,
    redirect: null,
    directResponse: null,
    fault: envoyFault(asObject(rule.fault)),
    notes,
    range: toFileRange(spec.entry, model?.fullRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
  };
  if (afterCatchAll !== undefined) notes.unshift(`not sent: ${afterCatchAll} before it takes every request`);
  else if (match.length === 0) notes.unshift(`not sent on listener ${listenerPort}: every match names another port`);

  const redirect = asObject(rule.redirect);
  const directResponse = asObject(rule.directResponse);
  if (redirect) {
    out.redirect = redirectAction(redirect, listenerPort, notes);
  } else if (directResponse) {
    out.directResponse = directResponseAction(directResponse);
  } else if (rule.delegate !== undefined && rule.delegate !== null) {
    notes.push('delegate: the routes come from the delegate VirtualService, merged with this rule’s match');
  } else {
    out.route = routeAction(context, rule, namespace, listenerPort, options, notes);
  }
  if ((rule.mirror || asArray(rule.mirrors).length > 0) && !out.route && (redirect || directResponse)) notes.push('mirrors are not sent with a redirect or direct response');
  return { rule: out, catchAll };
}

/** One mirror target of a rule (`mirror`, or one `mirrors` entry) and the policy pilot sends for it. */
export interface MirrorPolicyEntry {
  role: 'mirror' | 'mirrors';
  /** Position in `mirrors` (0 for `mirror`). */
  position: number;
  /** Null when pilot sends no policy for it (an explicit 0 %). */
  policy: EnvoyMirrorPolicy | null;
  /** Why there is no policy. */
  note?: string;
  /** True when the cluster's port is the listener's and the listener is not known. */
  needsListener: boolean;
}

/**
 * The mirror policies of `applyHTTPRouteDestination` in pilot's order: `mirror` first (its
 * fraction from `MirrorPercent`), then each `mirrors` entry (`MirrorPercentByPolicy`; the list
 * is ignored before 1.20, so it gives no entries then).
 */
export function mirrorPolicyEntries(context: FeatureContext, rule: JsonObject, namespace: string, listenerPort: number | undefined, release: IstioRelease): MirrorPolicyEntry[] {
  const entries: MirrorPolicyEntry[] = [];
  const disableSuffix = shadowHostSuffixDisabled(release);
  const add = (role: 'mirror' | 'mirrors', position: number, destination: JsonObject, fraction: FractionalPercent | undefined): void => {
    const cluster = clusterName(context, destination, namespace, listenerPort);
    const entry: MirrorPolicyEntry = { role, position, policy: null, needsListener: cluster.needsListener };
    if (fraction) entry.policy = { cluster: cluster.name, runtimeFraction: { defaultValue: fraction }, traceSampled: false, disableShadowHostSuffixAppend: disableSuffix };
    else entry.note = `${role === 'mirror' ? 'mirror' : `mirrors[${position}]`}: the percentage is 0, so pilot sends no mirror policy`;
    entries.push(entry);
  };
  const mirror = asObject(rule.mirror);
  if (mirror) add('mirror', 0, mirror, mirrorFraction(ruleMirrorPercentSource(rule)));
  if (translatesMirrorsList(release)) {
    asArray(rule.mirrors).forEach((item, position) => {
      const policy = asObject(item) ?? {};
      const destination = asObject(policy.destination);
      if (destination) add('mirrors', position, destination, mirrorFraction(policyMirrorPercentSource(policy)));
    });
  }
  return entries;
}

/** `applyHTTPRouteDestination`. */
function routeAction(context: FeatureContext, rule: JsonObject, namespace: string, listenerPort: number | undefined, options: EnvoyRoutesOptions, notes: string[]): EnvoyRouteAction {
  const timeout = protoDuration(rule.timeout) ?? '0s';
  const action: EnvoyRouteAction = { timeout, maxGrpcTimeout: timeout };
  let needsListener = false;
  const cluster = (destination: JsonObject | undefined): string => {
    const name = clusterName(context, destination, namespace, listenerPort);
    needsListener ||= name.needsListener;
    return name.name;
  };
  const rewrite = asObject(rule.rewrite);
  let authority = authorityOf(rule.headers);
  if (rewrite) {
    const regex = asObject(rewrite.uriRegexRewrite);
    if (regex) action.regexRewrite = { pattern: { regex: text(regex.match) ?? '' }, substitution: text(regex.rewrite) ?? '' };
    else if (text(rewrite.uri)) action.prefixRewrite = text(rewrite.uri);
    if (text(rewrite.authority)) authority = text(rewrite.authority);
  }
  if (authority) action.hostRewriteLiteral = authority;

  const entries = mirrorPolicyEntries(context, rule, namespace, listenerPort, options.release);
  const policies: EnvoyMirrorPolicy[] = [];
  for (const entry of entries) {
    if (entry.note) notes.push(entry.note);
    if (entry.policy) policies.push(entry.policy);
    if (entry.policy) needsListener ||= entry.needsListener;
  }
  if (asArray(rule.mirrors).length > 0 && !translatesMirrorsList(options.release)) notes.push('mirrors: Istio releases before 1.20 ignore this field');
  if (policies.length > 0) action.requestMirrorPolicies = policies;

  const routes = asArray(rule.route).map((entry) => asObject(entry) ?? {});
  if (routes.length === 1) {
    action.cluster = cluster(asObject(routes[0].destination));
    const destinationAuthority = authorityOf(routes[0].headers);
    if (destinationAuthority && !action.hostRewriteLiteral) action.hostRewriteLiteral = destinationAuthority;
  } else {
    const clusters: { name: string; weight: number }[] = [];
    for (const entry of routes) {
      const weight = integer(entry.weight) ?? 0;
      if (weight === 0) continue;
      clusters.push({ name: cluster(asObject(entry.destination)), weight });
    }
    action.weightedClusters = { clusters };
    if (routes.length === 0) notes.push('no route: Envoy rejects a route without clusters');
  }
  if (rule.retries !== undefined && rule.retries !== null) {
    const policy = retryPolicy(asObject(rule.retries) ?? {});
    if (policy) action.retryPolicy = policy;
    else notes.push('retries: attempts 0 turns retries off (no retry policy)');
  }
  if (needsListener) notes.push(`the cluster port is the listener's: the destination names no port and its Service does not have exactly one (pass --port to pick a listener)`);
  return ordered(action);
}

/** The fields in the order Envoy prints them. */
function ordered(action: EnvoyRouteAction): EnvoyRouteAction {
  const keys: (keyof EnvoyRouteAction)[] = ['cluster', 'weightedClusters', 'timeout', 'retryPolicy', 'prefixRewrite', 'regexRewrite', 'hostRewriteLiteral', 'requestMirrorPolicies', 'maxGrpcTimeout'];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (action[key] !== undefined) out[key] = action[key];
  return out as unknown as EnvoyRouteAction;
}

/** The Envoy routes of every `http` rule of the VirtualServices in the given files (all when `uris` is undefined). */
export function envoyRoutes(context: FeatureContext, options: EnvoyRoutesOptions, uris?: readonly string[]): EnvoyRouteRule[] {
  const out: EnvoyRouteRule[] = [];
  for (const spec of virtualServiceSpecs(context, uris)) out.push(...envoyRoutesOf(context, spec, options));
  return out;
}

export function envoyRoutesOf(context: FeatureContext, spec: VirtualServiceSpec, options: EnvoyRoutesOptions): EnvoyRouteRule[] {
  const out: EnvoyRouteRule[] = [];
  for (const listenerPort of listenerPorts(context, spec, options)) {
    let catchAllRule: string | undefined;
    spec.http.forEach((_, index) => {
      const { rule, catchAll } = translateRule(context, spec, index, listenerPort, options, catchAllRule);
      out.push(rule);
      if (catchAll && catchAllRule === undefined) catchAllRule = rule.name !== null ? `rule "${rule.name}"` : `http[${index}]`;
    });
  }
  return out;
}
