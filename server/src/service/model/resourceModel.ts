// The compact model of one Kubernetes object: who it is (kind, name, namespace) and the facts
// other features need (VirtualService rules with their destinations, mirrors, weights and
// matches; DestinationRule subsets; ServiceEntry/Service/Gateway hosts and names). Models are small,
// kept for every document in the workspace, and are what cross-resource checks, navigation
// and the traffic-split preview work from; parsed YAML trees are not kept.

import { isMap, isPair, type Node, type ParsedNode } from 'yaml';
import {
  asMap,
  asSeq,
  child,
  findPair,
  firstLineRange,
  keyRange,
  nodeRange,
  numberValue,
  stringValue,
  type YamlDocument,
} from '../parse/yamlDocument';
import type { Located, Range, ResourceKind } from '../types';
import { canonicalJson, describeMatch, matchKey, plainJson } from './matchConditions';
import { gatewayRouteKind, gatewayRouteKinds, type GatewayRouteKind, type GatewayRouteModel } from './gatewayApiRoutes';
import type { ReferenceGrantModel } from './referenceGrants';
import { maxAliasCount } from '../parse/yamlDocument';
import { buildGateway, type GatewayModel } from './gatewayModel';
import { buildKustomization, type KustomizationModel } from './kustomizationModel';
import { located, locatedList, stringMap, type ModelBase } from './modelParts';
import { buildServiceEntry, type ServiceEntryModel } from './serviceEntryModel';
import { buildService, type ServiceModel } from './serviceModel';
import { isWorkloadApiVersion, isWorkloadKind, workloadFromData, type WorkloadModel } from './workloadModel';
import { isRoutingTest } from './routingTestModel';

export type { GatewayModel, KustomizationModel, ServiceEntryModel, ServiceModel, WorkloadModel };

export const istioNetworkingVersions = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];

/**
 * The `istioMirror.defaultApiVersion` setting as completion and quick fixes write it: one of the
 * known versions, else the first (a workspace may set anything, e.g. a value with a line break).
 */
export function writableApiVersion(setting: string): string {
  return istioNetworkingVersions.includes(setting) ? setting : istioNetworkingVersions[0]!;
}

export interface ResourceIdentity {
  apiVersion?: string;
  kind?: string;
  name?: Located;
  namespace?: Located;
}

export interface DestinationModel {
  role: 'route' | 'mirror' | 'mirrors';
  protocol: 'http' | 'tcp' | 'tls';
  ruleIndex: number;
  /** Index in `route` or `mirrors`; 0 for `mirror`. */
  entryIndex: number;
  host?: Located;
  subset?: Located;
  port?: number;
  /** True when the destination writes `port` (even a placeholder or an empty one). */
  portWritten?: boolean;
  /** Range of `port.number`'s value, or of `port` when it has no number. */
  portRange?: Range;
  /** Route destinations: the declared weight (undefined when not written). */
  weight?: number;
  /** Mirrors: share of the rule's requests copied to this target, 0–100 as Istio applies it. */
  percent?: number;
  /** Range of the whole destination (or mirror) object. */
  range: Range;
  /** YAML path of the destination object from the document root. */
  path: (string | number)[];
}

export interface MatchModel {
  index: number;
  text: string;
  range: Range;
  /** Index of the earlier rule whose match makes this one unused (identical, or a shorter URI prefix). */
  shadowedByRule?: number;
  /** The earlier match that covers this one, in plain words, when it is not identical. */
  coveredBy?: string;
}

/** One rule of `http`, `tcp` or `tls`, in order. tcp and tls rules only ever `route`. */
export interface RouteRuleModel {
  protocol: 'http' | 'tcp' | 'tls';
  index: number;
  name?: string;
  /** Range used to point at the rule: its `name` value, or its first key. */
  range: Range;
  /** The whole rule item. */
  fullRange: Range;
  /** Undefined when the rule has no `match`: it takes all requests that reach it. */
  matches?: MatchModel[];
  action: 'route' | 'redirect' | 'directResponse' | 'delegate' | 'none';
  destinations: DestinationModel[];
  mirrors: DestinationModel[];
  /** Why no request can reach this rule, when none can. */
  unreachableReason?: string;
  /** `fault` of an HTTP rule, as the proxy applies it (only when it aborts or delays something). */
  fault?: FaultModel;
}

/**
 * An HTTP rule's fault injection as Envoy's fault filter applies it, before routing: aborted
 * requests are answered by the calling proxy, so they are neither forwarded nor mirrored. A
 * percentage that is not written is 0 % (Envoy's default FractionalPercent).
 */
export interface FaultModel {
  /** Share of the rule's requests answered with `abortStatus`, 0–100. */
  abortPercent: number;
  /** `503`, or a gRPC status name. */
  abortStatus?: string;
  /** Share of the rule's requests delayed by `delay`, 0–100. */
  delayPercent: number;
  delay?: string;
}

export interface VirtualServiceModel extends ModelBase {
  kind: 'VirtualService';
  hosts: Located[];
  gateways: Located[];
  exportTo: string[];
  http: RouteRuleModel[];
  tcp: RouteRuleModel[];
  tls: RouteRuleModel[];
}

export interface SubsetModel {
  name: Located;
  labels: Record<string, string>;
  range: Range;
}

export interface DestinationRuleModel extends ModelBase {
  kind: 'DestinationRule';
  host?: Located;
  subsets: SubsetModel[];
  exportTo: string[];
  /** Range of the top-level `trafficPolicy` key, when there is one (Istio keeps only the first rule's when it merges). */
  trafficPolicy?: Range;
  /** True when the rule has a `workloadSelector` (Istio then merges it only with rules of the same selector). */
  hasWorkloadSelector: boolean;
}

export type ResourceModel = VirtualServiceModel | DestinationRuleModel | ServiceEntryModel | ServiceModel | GatewayModel | WorkloadModel | KustomizationModel | GatewayRouteModel | ReferenceGrantModel;

/** The kinds that have a model; documents of other kinds are only identified. */
export const modelledKinds: ReadonlySet<string> = new Set<string>(['VirtualService', 'DestinationRule', 'ServiceEntry', 'Service', 'Gateway', 'Kustomization', ...gatewayRouteKinds, 'ReferenceGrant']);

export function identify(yaml: YamlDocument): ResourceIdentity {
  const root = yaml.doc.contents;
  const metadata = child(root, 'metadata');
  return {
    apiVersion: stringValue(child(root, 'apiVersion')),
    kind: stringValue(child(root, 'kind')),
    name: located(yaml, child(metadata, 'name')),
    namespace: located(yaml, child(metadata, 'namespace')),
  };
}

/**
 * The kinds we validate: VirtualService and DestinationRule under Istio's networking API group,
 * HTTPRoute and GRPCRoute under the Gateway API's (model/gatewayApiRoutes.ts).
 */
export function validatedKind(identity: ResourceIdentity): 'VirtualService' | 'DestinationRule' | GatewayRouteKind | 'RoutingTest' | undefined {
  const gatewayKind = gatewayRouteKind(identity);
  if (gatewayKind) return gatewayKind;
  if (isRoutingTest(identity)) return 'RoutingTest';
  if (!identity.apiVersion || !istioNetworkingVersions.includes(identity.apiVersion)) return undefined;
  return identity.kind === 'VirtualService' || identity.kind === 'DestinationRule' ? identity.kind : undefined;
}

/** Builds the model of a recognised kind; undefined for objects the service does not model. */
export function buildModel(yaml: YamlDocument, identity: ResourceIdentity): ResourceModel | undefined {
  const root = yaml.doc.contents;
  const spec = child(root, 'spec');
  const base = { apiVersion: identity.apiVersion ?? '', name: identity.name, namespace: identity.namespace };
  const istio = identity.apiVersion?.startsWith('networking.istio.io/') ?? false;
  switch (identity.kind as ResourceKind | undefined) {
    case 'VirtualService':
      return istio ? buildVirtualService(yaml, spec, base) : undefined;
    case 'DestinationRule':
      return istio ? buildDestinationRule(yaml, spec, base) : undefined;
    case 'ServiceEntry':
      return istio ? buildServiceEntry(yaml, spec, base) : undefined;
    case 'Gateway':
      return istio ? buildGateway(yaml, spec, base) : undefined;
    case 'Service':
      return identity.apiVersion === 'v1' ? buildService(yaml, spec, base) : undefined;
    case 'Kustomization':
      return identity.apiVersion?.startsWith('kustomize.config.k8s.io/') ? buildKustomization(yaml, base) : undefined;
    default:
      if (isWorkloadKind(identity.kind) && isWorkloadApiVersion(identity.kind, identity.apiVersion)) {
        let data: unknown;
        try {
          data = yaml.doc.toJS({ maxAliasCount });
        } catch {
          data = undefined;
        }
        return workloadFromData(data, identity.kind, base);
      }
      return undefined;
  }
}

function buildDestinationRule(yaml: YamlDocument, spec: ParsedNode | undefined, base: ModelBase): DestinationRuleModel {
  const subsets: SubsetModel[] = [];
  for (const item of asSeq(child(spec, 'subsets'))?.items ?? []) {
    const name = located(yaml, child(item, 'name'));
    if (!name) continue;
    subsets.push({ name, labels: stringMap(child(item, 'labels')), range: nodeRange(yaml, item) });
  }
  const model: DestinationRuleModel = {
    ...base,
    kind: 'DestinationRule',
    host: located(yaml, child(spec, 'host')),
    subsets,
    exportTo: locatedList(yaml, child(spec, 'exportTo')).map((entry) => entry.value),
    hasWorkloadSelector: child(spec, 'workloadSelector') !== undefined,
  };
  const policy = asMap(spec) ? findPair(asMap(spec)!, 'trafficPolicy') : undefined;
  if (policy && isMap(policy.value) && policy.value.items.length > 0) model.trafficPolicy = keyRange(yaml, policy);
  return model;
}

function destination(
  yaml: YamlDocument,
  node: ParsedNode | null | undefined,
  fields: Omit<DestinationModel, 'host' | 'subset' | 'port' | 'range'>,
): DestinationModel {
  const model: DestinationModel = { ...fields, range: nodeRange(yaml, node) };
  const host = located(yaml, child(node, 'host'));
  const subset = located(yaml, child(node, 'subset'));
  const portNode = child(node, 'port');
  const port = numberValue(child(portNode, 'number'));
  if (host) model.host = host;
  if (subset) model.subset = subset;
  if (port !== undefined) model.port = port;
  if (portNode !== undefined) {
    model.portWritten = true;
    model.portRange = nodeRange(yaml, child(portNode, 'number') ?? portNode);
  }
  return model;
}

/**
 * The share of requests a mirror receives, as Istio computes it: `percentage.value` when the
 * percentage object is present (`{}` means 0), otherwise the fallback (100 % when absent).
 */
export function percentOf(percentNode: ParsedNode | null | undefined, fallback: number): number {
  if (percentNode === undefined) return fallback;
  if (!isMap(percentNode)) return fallback;
  return numberValue(child(percentNode, 'value')) ?? 0;
}

/** The share a rule's single `mirror` receives: `mirrorPercentage` wins, then the deprecated integer, else 100 %. */
export function ruleMirrorPercent(rule: unknown): number {
  const map = asMap(rule);
  if (!map) return 100;
  const percentage = findPair(map, 'mirrorPercentage');
  if (percentage) return percentOf(percentage.value ?? undefined, 100);
  const legacy = findPair(map, 'mirrorPercent') ?? findPair(map, 'mirror_percent');
  const legacyValue = numberValue(legacy?.value);
  return legacyValue ?? 100;
}

function buildVirtualService(yaml: YamlDocument, spec: ParsedNode | undefined, base: ModelBase): VirtualServiceModel {
  const rules = (protocol: RouteRuleModel['protocol']): RouteRuleModel[] => {
    const matchJson: unknown[][] = [];
    const built = (asSeq(child(spec, protocol))?.items ?? []).map((rule, index) => buildRule(yaml, protocol, rule, index, matchJson));
    markUnreachableRules(built, matchJson);
    return built;
  };
  return {
    ...base,
    kind: 'VirtualService',
    hosts: locatedList(yaml, child(spec, 'hosts')),
    gateways: locatedList(yaml, child(spec, 'gateways')),
    exportTo: locatedList(yaml, child(spec, 'exportTo')).map((entry) => entry.value),
    http: rules('http'),
    tcp: rules('tcp'),
    tls: rules('tls'),
  };
}

/** Every destination a VirtualService sends requests or mirrored copies to. */
export function allDestinations(model: VirtualServiceModel): DestinationModel[] {
  return [...model.http, ...model.tcp, ...model.tls].flatMap((rule) => [...rule.destinations, ...rule.mirrors]);
}

function buildRule(yaml: YamlDocument, protocol: RouteRuleModel['protocol'], rule: ParsedNode | null, index: number, matchJson: unknown[][]): RouteRuleModel {
  const map = asMap(rule);
  const name = stringValue(child(rule, 'name'));
  const firstPair = map?.items.find((item) => isPair(item));
  const nameNode = child(rule, 'name');
  const range = nameNode ? nodeRange(yaml, nameNode) : firstPair ? keyRange(yaml, firstPair) : nodeRange(yaml, rule);
  const model: RouteRuleModel = {
    protocol,
    index,
    range,
    fullRange: nodeRange(yaml, rule),
    action: child(rule, 'delegate') ? 'delegate'
      : child(rule, 'route') ? 'route'
      : child(rule, 'redirect') ? 'redirect'
      : child(rule, 'directResponse') ? 'directResponse'
      : 'none',
    destinations: [],
    mirrors: [],
  };
  if (name !== undefined) model.name = name;

  const matchSeq = asSeq(child(rule, 'match'));
  matchJson[index] = [];
  if (matchSeq && matchSeq.items.length > 0) {
    model.matches = matchSeq.items.map((matchNode, matchIndex) => {
      const json = plainJson(matchNode as Node);
      matchJson[index][matchIndex] = json;
      return { index: matchIndex, text: protocol === 'http' ? describeMatch(json) : describeLayer4Match(json), range: firstLineRange(yaml, matchNode) };
    });
  }

  (asSeq(child(rule, 'route'))?.items ?? []).forEach((entry, entryIndex) => {
    const destinationNode = child(entry, 'destination');
    const target = destination(yaml, destinationNode ?? entry, {
      role: 'route', protocol, ruleIndex: index, entryIndex, path: ['spec', protocol, index, 'route', entryIndex, 'destination'],
    });
    const weight = numberValue(child(entry, 'weight'));
    if (weight !== undefined) target.weight = weight;
    model.destinations.push(target);
  });
  if (protocol !== 'http') return model;
  const fault = faultOf(child(rule, 'fault'));
  if (fault) model.fault = fault;

  const mirrorNode = child(rule, 'mirror');
  if (isMap(mirrorNode)) {
    const mirror = destination(yaml, mirrorNode, { role: 'mirror', protocol, ruleIndex: index, entryIndex: 0, path: ['spec', protocol, index, 'mirror'] });
    mirror.percent = ruleMirrorPercent(rule);
    model.mirrors.push(mirror);
  }
  (asSeq(child(rule, 'mirrors'))?.items ?? []).forEach((entry, entryIndex) => {
    const destinationNode = child(entry, 'destination');
    if (!isMap(destinationNode)) return;
    const mirror = destination(yaml, destinationNode, {
      role: 'mirrors', protocol, ruleIndex: index, entryIndex, path: ['spec', protocol, index, 'mirrors', entryIndex, 'destination'],
    });
    mirror.percent = percentOf(child(entry, 'percentage'), 100);
    model.mirrors.push(mirror);
  });
  return model;
}

/** Reads `fault` as pilot's TranslateFault hands it to Envoy: a delay needs `fixedDelay`, an abort a status. */
function faultOf(node: ParsedNode | null | undefined): FaultModel | undefined {
  if (!isMap(node)) return undefined;
  const clamp = (value: number): number => Math.min(100, Math.max(0, value));
  const fault: FaultModel = { abortPercent: 0, delayPercent: 0 };
  const delay = child(node, 'delay');
  const fixedDelay = stringValue(child(delay, 'fixedDelay'));
  if (isMap(delay) && fixedDelay !== undefined) {
    const percentage = child(delay, 'percentage');
    fault.delayPercent = clamp(percentage !== undefined ? percentOf(percentage, 0) : numberValue(child(delay, 'percent')) ?? 0);
    fault.delay = fixedDelay;
  }
  const abort = child(node, 'abort');
  const status = numberValue(child(abort, 'httpStatus'))?.toString() ?? stringValue(child(abort, 'grpcStatus'));
  if (isMap(abort) && status !== undefined) {
    fault.abortPercent = clamp(percentOf(child(abort, 'percentage'), 0));
    fault.abortStatus = status;
  }
  return fault.delay !== undefined || fault.abortStatus !== undefined ? fault : undefined;
}

/**
 * Istio's unreachable-rule analysis (webhook analyzeUnreachableHTTPRules / TCPRules /
 * TLSRules; istioctl IST0130 and IST0131): a rule after a match-less rule is never used, a
 * match identical to an earlier one (its `name` ignored) is never used, and a rule whose every
 * match is unused is never used. For HTTP, a URI prefix covered by an earlier, shorter prefix
 * with otherwise the same conditions is also unused.
 */
function markUnreachableRules(rules: RouteRuleModel[], matchJson: unknown[][]): void {
  const firstRuleByMatch = new Map<string, number>();
  // Earlier URI-prefix matches, grouped by everything else they test, then by prefix, so that a
  // rule with thousands of matches is checked in time linear in them.
  const earlierPrefixes = new Map<string, Map<string, { rule: number; text: string }>>();
  let catchAllRule: number | undefined;
  for (const rule of rules) {
    if (!rule.matches) {
      if (catchAllRule !== undefined) {
        rule.unreachableReason = `rule ${ruleLabel(rules[catchAllRule])} before it has no match and takes every request; only the last rule may have no match`;
      } else {
        catchAllRule = rule.index;
      }
      continue;
    }
    let unused = 0;
    for (const match of rule.matches) {
      const json = matchJson[rule.index][match.index];
      const key = matchKey(json);
      const earlier = firstRuleByMatch.get(key);
      if (earlier !== undefined) {
        match.shadowedByRule = earlier;
        unused += 1;
        continue;
      }
      firstRuleByMatch.set(key, rule.index);
      if (rule.protocol !== 'http') continue;
      const prefix = uriPrefix(json);
      if (prefix === undefined) continue;
      const conditions = prefixConditions(json);
      let sameConditions = earlierPrefixes.get(conditions);
      if (!sameConditions) earlierPrefixes.set(conditions, (sameConditions = new Map()));
      for (let length = 0; length <= prefix.length; length++) {
        const cover = sameConditions.get(prefix.slice(0, length));
        if (cover) {
          match.shadowedByRule = cover.rule;
          match.coveredBy = cover.text;
          unused += 1;
          break;
        }
      }
      if (!sameConditions.has(prefix)) sameConditions.set(prefix, { rule: rule.index, text: match.text });
    }
    if (catchAllRule !== undefined) {
      rule.unreachableReason = `rule ${ruleLabel(rules[catchAllRule])} before it has no match and takes every request`;
    } else if (unused === rule.matches.length) {
      rule.unreachableReason = 'every match of it is already used by earlier rules';
    }
  }
}

function uriPrefix(match: unknown): string | undefined {
  const uri = (match as { uri?: { prefix?: unknown } } | null)?.uri;
  return uri && typeof uri === 'object' && typeof uri.prefix === 'string' ? uri.prefix : undefined;
}

/**
 * Everything a match tests besides its URI prefix, as a key: by Istio's prefix rule an earlier
 * shorter prefix covers a later match only when these are identical (no method counts as GET).
 */
function prefixConditions(match: unknown): string {
  const { name: _name, uri: _uri, method, ...others } = match as Record<string, unknown>;
  void _name;
  void _uri;
  return canonicalJson({ ...others, method: method ?? { exact: 'GET' } });
}

function describeLayer4Match(match: unknown): string {
  if (!match || typeof match !== 'object') return 'all connections';
  const m = match as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(m.sniHosts)) parts.push(`SNI ${m.sniHosts.map(String).join(', ')}`);
  if (Array.isArray(m.destinationSubnets)) parts.push(`to ${m.destinationSubnets.map(String).join(', ')}`);
  if (m.port !== undefined) parts.push(`port ${String(m.port)}`);
  if (m.sourceNamespace !== undefined) parts.push(`from namespace ${String(m.sourceNamespace)}`);
  return parts.length > 0 ? parts.join(' and ') : 'all connections';
}

/**
 * How a rule is numbered and named everywhere (messages, code lenses, outline, preview, CLI):
 * `#N` counted from 1 in its list (`http`, `tcp` or `tls`), then its name when it has one.
 */
export function ruleLabel(rule: { index: number; name?: string }): string {
  return rule.name !== undefined && rule.name !== '' ? `#${rule.index + 1} "${rule.name}"` : `#${rule.index + 1}`;
}

/** The namespace a resource lives in, after the default is applied. */
export function namespaceOf(model: { namespace?: Located }, defaultNamespace: string): string {
  return model.namespace?.value ?? defaultNamespace;
}
