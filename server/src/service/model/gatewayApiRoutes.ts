// The model of Gateway API routes (HTTPRoute, GRPCRoute of `gateway.networking.k8s.io`): their
// parents, host names, and each rule converted to the route model the VirtualService features
// use, as Istio converts them (pilot/pkg/config/kube/gateway/conversion.go): backendRefs become
// weighted destinations (weight 0 dropped, no weight at all → a 500 direct response unless a
// RequestRedirect answers), each RequestMirror filter of the rule becomes one `mirrors` entry
// with percentage 100 × numerator ÷ denominator. The backend references themselves are kept
// too (kind, group, namespace, port and where they are written) for the checks across files.

import { isMap, type ParsedNode } from 'yaml';
import { asMap, asSeq, child, firstLineRange, keyRange, nodeRange, numberValue, scalarText, stringValue, type YamlDocument } from '../parse/yamlDocument';
import type { Located, Range } from '../types';
import type { DestinationModel, MatchModel, ResourceIdentity, RouteRuleModel } from './resourceModel';
import { plainJson } from './matchConditions';

export const gatewayApiGroup = 'gateway.networking.k8s.io';

/** The served versions of each route kind this service checks (Gateway API v1.3+ standard channel). */
const routeVersions: Record<GatewayRouteKind, readonly string[]> = {
  HTTPRoute: [`${gatewayApiGroup}/v1`, `${gatewayApiGroup}/v1beta1`],
  GRPCRoute: [`${gatewayApiGroup}/v1`],
};

export type GatewayRouteKind = 'HTTPRoute' | 'GRPCRoute';

export const gatewayRouteKinds: ReadonlySet<string> = new Set<GatewayRouteKind>(['HTTPRoute', 'GRPCRoute']);

/** HTTPRoute or GRPCRoute when the document is one of a served version; everything else of the group is left alone. */
export function gatewayRouteKind(identity: ResourceIdentity): GatewayRouteKind | undefined {
  const kind = identity.kind;
  if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') return undefined;
  return identity.apiVersion !== undefined && routeVersions[kind].includes(identity.apiVersion) ? kind : undefined;
}

/** A backendRef of a rule, or the backendRef of a RequestMirror filter, as written. */
export interface BackendRefModel {
  role: 'backend' | 'mirror';
  ruleIndex: number;
  /** Index in `backendRefs` (backends) or in the rule's `filters` (mirrors). */
  entryIndex: number;
  /** `group` after defaulting: "" (core) unless written. */
  group: string;
  /** `kind` after defaulting: `Service` unless written. */
  kind: string;
  name?: Located;
  namespace?: Located;
  port?: Located<number>;
  /** Backends: the weight after defaulting (1). */
  weight?: number;
  /** Mirrors: the share of requests copied, 0–100. */
  percent?: number;
  /** Where the weight (backends) or the `percent` / fraction `numerator` (mirrors) is written. */
  shareRange?: Range;
  /** Range of the backendRef object. */
  range: Range;
  /** YAML path of the backendRef object from the document root. */
  path: (string | number)[];
}

export interface ParentRefModel {
  group: string;
  kind: string;
  name?: Located;
  namespace?: Located;
  sectionName?: string;
  port?: number;
  range: Range;
}

/** A RequestMirror filter written in a backendRef's `filters`, which Istio rejects. */
export interface MisplacedMirrorModel {
  ruleIndex: number;
  backendIndex: number;
  filterIndex: number;
  /** Range of the filter's `type` value. */
  range: Range;
}

export interface GatewayRouteRuleModel {
  index: number;
  name?: string;
  backends: BackendRefModel[];
  mirrors: BackendRefModel[];
  /** The rule as the VirtualService features see it. */
  route: RouteRuleModel;
  misplacedMirrors: MisplacedMirrorModel[];
  /** True when a RequestRedirect filter answers the requests. */
  redirects: boolean;
}

interface GatewayRouteBase {
  apiVersion: string;
  name?: Located;
  namespace?: Located;
  parentRefs: ParentRefModel[];
  hostnames: Located[];
  rules: GatewayRouteRuleModel[];
}

export interface HTTPRouteModel extends GatewayRouteBase {
  kind: 'HTTPRoute';
}

export interface GRPCRouteModel extends GatewayRouteBase {
  kind: 'GRPCRoute';
}

export type GatewayRouteModel = HTTPRouteModel | GRPCRouteModel;

export interface GatewayModelContext {
  clusterDomain: string;
}

function located(yaml: YamlDocument, node: ParsedNode | null | undefined): Located | undefined {
  const value = scalarText(node);
  return value === undefined ? undefined : { value, range: nodeRange(yaml, node) };
}

function locatedNumber(yaml: YamlDocument, node: ParsedNode | null | undefined): Located<number> | undefined {
  const value = numberValue(node);
  return value === undefined ? undefined : { value, range: nodeRange(yaml, node) };
}

/** The share of requests a RequestMirror filter copies, as Istio computes it: fraction first, then percent, else 100. */
export function mirrorFilterPercent(mirror: unknown): number {
  const fraction = child(mirror, 'fraction');
  if (isMap(fraction)) {
    const numerator = numberValue(child(fraction, 'numerator')) ?? 0;
    const denominator = numberValue(child(fraction, 'denominator')) ?? 100;
    return denominator > 0 ? (100 * numerator) / denominator : 0;
  }
  return numberValue(child(mirror, 'percent')) ?? 100;
}

/**
 * The host Istio gives a backend: `<name>.<namespace>.svc.<domain>` for a Service (the short
 * name when no namespace is written: it expands with the route's namespace like a VirtualService
 * host), the name itself for an Istio `Hostname` (a ServiceEntry host).
 */
export function backendHost(backend: Pick<BackendRefModel, 'group' | 'kind' | 'name' | 'namespace'>, context: GatewayModelContext): string {
  const name = backend.name?.value ?? '';
  if (isServiceBackend(backend) && backend.namespace) return `${name}.${backend.namespace.value}.svc.${context.clusterDomain}`;
  return name;
}

/** A reference to a core Service (the default kind). */
export function isServiceBackend(backend: Pick<BackendRefModel, 'group' | 'kind'>): boolean {
  return backend.group === '' && backend.kind === 'Service';
}

function backendRef(yaml: YamlDocument, node: ParsedNode | null | undefined, fields: Pick<BackendRefModel, 'role' | 'ruleIndex' | 'entryIndex' | 'path'>): BackendRefModel {
  const model: BackendRefModel = {
    ...fields,
    group: stringValue(child(node, 'group')) ?? '',
    kind: stringValue(child(node, 'kind')) ?? 'Service',
    range: nodeRange(yaml, node),
  };
  const name = located(yaml, child(node, 'name'));
  const namespace = located(yaml, child(node, 'namespace'));
  const port = locatedNumber(yaml, child(node, 'port'));
  if (name) model.name = name;
  if (namespace) model.namespace = namespace;
  if (port) model.port = port;
  return model;
}

export function buildGatewayRoute(yaml: YamlDocument, identity: ResourceIdentity, context: GatewayModelContext): GatewayRouteModel | undefined {
  const kind = gatewayRouteKind(identity);
  if (!kind) return undefined;
  const spec = child(yaml.doc.contents, 'spec');
  const parentRefs: ParentRefModel[] = (asSeq(child(spec, 'parentRefs'))?.items ?? []).map((node) => {
    const parent: ParentRefModel = {
      group: stringValue(child(node, 'group')) ?? gatewayApiGroup,
      kind: stringValue(child(node, 'kind')) ?? 'Gateway',
      range: nodeRange(yaml, node),
    };
    const name = located(yaml, child(node, 'name'));
    const namespace = located(yaml, child(node, 'namespace'));
    const sectionName = stringValue(child(node, 'sectionName'));
    const port = numberValue(child(node, 'port'));
    if (name) parent.name = name;
    if (namespace) parent.namespace = namespace;
    if (sectionName !== undefined) parent.sectionName = sectionName;
    if (port !== undefined) parent.port = port;
    return parent;
  });
  const hostnames = (asSeq(child(spec, 'hostnames'))?.items ?? []).flatMap((node) => located(yaml, node) ?? []);
  const rulesNode = asSeq(child(spec, 'rules'));
  // An HTTPRoute without rules gets the API server's default: one rule for every path, no backends.
  const ruleNodes: (ParsedNode | null | undefined)[] = rulesNode ? rulesNode.items : kind === 'HTTPRoute' && spec ? [undefined] : [];
  const rules = ruleNodes.map((node, index) => buildRule(yaml, kind, node, index, context, rulesNode ? undefined : nodeRange(yaml, spec)));
  return { kind, apiVersion: identity.apiVersion ?? '', name: identity.name, namespace: identity.namespace, parentRefs, hostnames, rules } as GatewayRouteModel;
}

function buildRule(yaml: YamlDocument, kind: GatewayRouteKind, node: ParsedNode | null | undefined, index: number, context: GatewayModelContext, defaultRange?: Range): GatewayRouteRuleModel {
  const rulePath = ['spec', 'rules', index];
  const name = stringValue(child(node, 'name'));
  const nameNode = child(node, 'name');
  const firstPair = asMap(node)?.items[0];
  const range = defaultRange ?? (nameNode ? nodeRange(yaml, nameNode) : firstPair ? keyRange(yaml, firstPair) : nodeRange(yaml, node));

  const backends: BackendRefModel[] = [];
  const misplacedMirrors: MisplacedMirrorModel[] = [];
  (asSeq(child(node, 'backendRefs'))?.items ?? []).forEach((entry, entryIndex) => {
    const backend = backendRef(yaml, entry, { role: 'backend', ruleIndex: index, entryIndex, path: [...rulePath, 'backendRefs', entryIndex] });
    backend.weight = numberValue(child(entry, 'weight')) ?? 1;
    const weightNode = child(entry, 'weight');
    if (weightNode) backend.shareRange = nodeRange(yaml, weightNode);
    backends.push(backend);
    (asSeq(child(entry, 'filters'))?.items ?? []).forEach((filter, filterIndex) => {
      const type = child(filter, 'type');
      if (stringValue(type) === 'RequestMirror' || (type === undefined && child(filter, 'requestMirror'))) {
        misplacedMirrors.push({ ruleIndex: index, backendIndex: entryIndex, filterIndex, range: firstLineRange(yaml, type ?? filter) });
      }
    });
  });

  const mirrors: BackendRefModel[] = [];
  let redirects = false;
  (asSeq(child(node, 'filters'))?.items ?? []).forEach((filter, filterIndex) => {
    const type = stringValue(child(filter, 'type'));
    if (type === 'RequestRedirect') redirects = true;
    if (type !== 'RequestMirror') return;
    const mirrorNode = child(filter, 'requestMirror');
    const refNode = child(mirrorNode, 'backendRef');
    if (!isMap(refNode)) return;
    const mirror = backendRef(yaml, refNode, { role: 'mirror', ruleIndex: index, entryIndex: filterIndex, path: [...rulePath, 'filters', filterIndex, 'requestMirror', 'backendRef'] });
    mirror.percent = mirrorFilterPercent(mirrorNode);
    const shareNode = child(child(mirrorNode, 'fraction'), 'numerator') ?? child(mirrorNode, 'percent');
    if (shareNode) mirror.shareRange = nodeRange(yaml, shareNode);
    mirrors.push(mirror);
  });

  const forwarded = backends.filter((backend) => (backend.weight ?? 1) > 0);
  const action: RouteRuleModel['action'] = redirects ? 'redirect' : forwarded.length > 0 ? 'route' : 'directResponse';
  const route: RouteRuleModel = {
    protocol: 'http',
    index,
    range,
    fullRange: defaultRange ?? nodeRange(yaml, node),
    action,
    destinations: forwarded.map((backend) => destinationOf(backend, context, 'route')),
    mirrors: mirrors.map((mirror) => destinationOf(mirror, context, 'mirrors')),
  };
  if (name !== undefined) route.name = name;
  const matches = asSeq(child(node, 'matches'))?.items ?? [];
  if (matches.length > 0) {
    route.matches = matches.map((match, matchIndex): MatchModel => ({
      index: matchIndex,
      text: kind === 'HTTPRoute' ? describeHttpRouteMatch(plainJson(match)) : describeGrpcRouteMatch(plainJson(match)),
      range: firstLineRange(yaml, match),
    }));
  }
  const model: GatewayRouteRuleModel = { index, backends, mirrors, route, misplacedMirrors, redirects };
  if (name !== undefined) model.name = name;
  return model;
}

function destinationOf(backend: BackendRefModel, context: GatewayModelContext, role: 'route' | 'mirrors'): DestinationModel {
  const destination: DestinationModel = {
    role,
    protocol: 'http',
    ruleIndex: backend.ruleIndex,
    entryIndex: backend.entryIndex,
    range: backend.range,
    path: backend.path,
  };
  if (backend.name) destination.host = { value: backendHost(backend, context), range: backend.name.range };
  if (backend.port) destination.port = backend.port.value;
  if (role === 'route') destination.weight = backend.weight;
  else destination.percent = backend.percent;
  return destination;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '?';
}

function describeHeaderMatches(headers: unknown, words: string): string[] {
  if (!Array.isArray(headers)) return [];
  return headers.map((header: { name?: unknown; value?: unknown; type?: unknown }) =>
    header?.type === 'RegularExpression' ? `${words} ${text(header.name)} matches /${text(header.value)}/` : `${words} ${text(header.name)} = ${text(header.value)}`);
}

/** An HTTPRoute match in plain words, worded like VirtualService matches: "path prefix /api and header x-canary = yes". */
export function describeHttpRouteMatch(match: unknown): string {
  const m = (match && typeof match === 'object' ? match : {}) as Record<string, unknown>;
  const parts: string[] = [];
  const path = (m.path ?? {}) as { type?: unknown; value?: unknown };
  const pathType = path.type ?? 'PathPrefix';
  const pathValue = path.value ?? '/';
  if (pathType === 'Exact') parts.push(`path = ${text(pathValue)}`);
  else if (pathType === 'RegularExpression') parts.push(`path matches /${text(pathValue)}/`);
  else if (pathValue !== '/') parts.push(`path prefix ${text(pathValue)}`);
  if (m.method !== undefined) parts.push(`method ${text(m.method)}`);
  parts.push(...describeHeaderMatches(m.headers, 'header'));
  if (Array.isArray(m.queryParams)) {
    for (const param of m.queryParams as { name?: unknown; value?: unknown; type?: unknown }[]) {
      parts.push(param?.type === 'RegularExpression' ? `query ${text(param.name)} matches /${text(param.value)}/` : `query ${text(param.name)} = ${text(param.value)}`);
    }
  }
  return parts.length > 0 ? parts.join(' and ') : 'all requests';
}

/** A GRPCRoute match in plain words: "service helloworld.Greeter method SayHello". */
export function describeGrpcRouteMatch(match: unknown): string {
  const m = (match && typeof match === 'object' ? match : {}) as Record<string, unknown>;
  const parts: string[] = [];
  const method = m.method as { type?: unknown; service?: unknown; method?: unknown } | undefined;
  if (method && typeof method === 'object') {
    const regex = method.type === 'RegularExpression';
    if (method.service !== undefined) parts.push(regex ? `service matches /${text(method.service)}/` : `service ${text(method.service)}`);
    if (method.method !== undefined) parts.push(regex ? `method matches /${text(method.method)}/` : `method ${text(method.method)}`);
  }
  parts.push(...describeHeaderMatches(m.headers, 'metadata'));
  return parts.length > 0 ? parts.join(' and ') : 'all calls';
}

/** Every backend and mirror backend of a route. */
export function allBackendRefs(model: GatewayRouteModel): BackendRefModel[] {
  return model.rules.flatMap((rule) => [...rule.backends, ...rule.mirrors]);
}

/** The resolved hosts a route sends to or mirrors to (its files depend on the Services behind them). */
export function gatewayRouteHosts(model: GatewayRouteModel, namespace: string, clusterDomain: string): string[] {
  const hosts = new Set<string>();
  for (const backend of allBackendRefs(model)) {
    if (!backend.name) continue;
    const host = backendHost(backend, { clusterDomain });
    hosts.add(host.includes('.') ? host : `${host}.${namespace}.svc.${clusterDomain}`);
  }
  return [...hosts];
}
