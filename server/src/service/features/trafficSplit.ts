// The traffic-split model: for each VirtualService, every rule in order with its match in plain
// words, whether it can be reached, the normalised share of each destination and the share of
// requests copied to each mirror, with the subsets checked against the DestinationRules, and the
// replicas behind each target with the load a mirror puts on them (mirrorLoad.ts). Built
// from the same models and workspace index as the diagnostics; rendered by the CLI as text and
// by the VS Code client's webview.

import { resolveHost } from '../model/hostNames';
import { namespaceOf, ruleLabel, type DestinationModel, type FaultModel, type RouteRuleModel, type VirtualServiceModel } from '../model/resourceModel';
import { normalisedShares } from '../model/trafficShares';
import type { Range } from '../types';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { gatewayRouteSplits } from './gatewayRouteSplit';
import { mirrorLoad } from './mirrorLoad';
import { replicasBehind } from '../workspace/workspaceQueries';
import { addMirrorPolicies } from './mirrorPolicyView';

export interface SplitDestination {
  host: string;
  subset?: string;
  port?: number;
  /** The weight as written (undefined when not written). */
  weight?: number;
  /** Share of the rule's requests, 0–100 (weights are relative). */
  percent: number;
  /** Host after Istio's short-name expansion. */
  resolvedHost: string;
  /** Why the subset resolves to nothing, when it does. */
  problem?: string;
  /**
   * What happens to the requests sent here when they cannot be served: set with `problem`
   * (Envoy has no cluster for a subset that no DestinationRule defines, so it answers them 503).
   */
  failure?: string;
  /** Share of the rule's requests served here, 0–100: `percent` of those forwarded, 0 when they fail. */
  servedPercent: number;
  /** Pods behind the destination, when the workspace holds its Service and workloads. */
  replicas?: number;
  range: Range;
}

export interface SplitMirror {
  host: string;
  subset?: string;
  port?: number;
  /** Share of the rule's requests copied to this target, 0–100, as configured. */
  percent: number;
  /**
   * Share of the rule's requests whose copy reaches the target, 0–100: `percent` of the requests
   * forwarded (aborted ones are not mirrored); 0 when the copies are dropped (`problem`).
   */
  copiedPercent: number;
  /** `mirror` (with mirrorPercentage) or an entry of `mirrors`. */
  kind: 'mirror' | 'mirrors';
  resolvedHost: string;
  problem?: string;
  /** Pods behind the target, when the workspace holds its Service and workloads. */
  replicas?: number;
  /** The load the copies put on those pods, compared with the rule's destinations (mirrorLoad.ts). */
  load?: string;
  /** Whether the target's pods switch off writes, or a reminder that none does. */
  writes?: string;
  /** The Envoy mirror policy Istio sends for it (cluster, fraction, the copy's Host), in one line (mirrorPolicyView.ts). */
  envoy?: string;
  range: Range;
}

export interface SplitRoute {
  index: number;
  /** `#N` (from 1 in its list) and the name: how the rule is called everywhere (ruleLabel). */
  label: string;
  protocol: 'http' | 'tcp' | 'tls';
  name?: string;
  /**
   * True when a match decides which requests reach the rule's action: what share of the
   * VirtualService's traffic that is, no configuration says (the totals ask for it).
   */
  gated: boolean;
  /** The requests the rule's numbers are shares of, in words ("requests with header x = y", "all requests"). */
  takes: string;
  /** Fault injection (HTTP): aborted requests are answered by the proxy, never routed or mirrored. */
  fault?: FaultModel;
  /** Share of the rule's requests that are forwarded, 0–100 (100 less the aborted share; 0 when the rule does not forward). */
  forwardedPercent: number;
  /** The match in plain words: the blocks joined with " or "; "all requests"/"all other requests" without a match. */
  match: string;
  /** The match blocks one by one (ORed). */
  matches: string[];
  reachable: boolean;
  unreachableReason?: string;
  /** What the rule does with a request: forward (`route`), `redirect`, `directResponse` or `delegate`. */
  action: RouteRuleModel['action'];
  destinations: SplitDestination[];
  mirrors: SplitMirror[];
  /** Range of the rule's name, or of its first key (where to reveal it). */
  range: Range;
  /** Range of the whole rule (to tell which rule the cursor is in). */
  fullRange: Range;
}

export interface SplitVirtualService {
  /** Set for Gateway API routes (entries of `httpRoutes` and `grpcRoutes`); absent for VirtualServices. */
  kind?: 'HTTPRoute' | 'GRPCRoute';
  name: string;
  namespace: string;
  /** The file's URI. */
  file: string;
  hosts: string[];
  gateways: string[];
  routes: SplitRoute[];
  /** Range of the whole document in the file (for following the cursor). */
  range: Range;
  /** Range of `metadata.name` (where to reveal the resource). */
  nameRange: Range;
}

export interface TrafficSplitModel {
  virtualServices: SplitVirtualService[];
  /**
   * Gateway API HTTPRoutes, converted as Istio converts them; entries have the VirtualService
   * shape (`hosts` are the route's hostnames, `gateways` its parents). Always set by the service;
   * optional so that an empty result can be written as `{ virtualServices: [] }`.
   */
  httpRoutes?: SplitVirtualService[];
  /** Gateway API GRPCRoutes, likewise. */
  grpcRoutes?: SplitVirtualService[];
}

function routeMatch(rule: RouteRuleModel, rules: RouteRuleModel[]): string[] {
  if (rule.matches) return rule.matches.map((match) => match.text);
  const everything = rule.protocol === 'http' ? 'requests' : 'connections';
  return [rules.some((other) => other.index < rule.index && other.matches) ? `all other ${everything}` : `all ${everything}`];
}

/** "requests with header x = y or URI prefix /api"; "all requests"; "all other requests". */
function takesText(rule: RouteRuleModel, matches: string[]): string {
  const noun = rule.protocol === 'http' ? 'requests' : 'connections';
  if (!rule.matches) return matches[0] ?? `all ${noun}`;
  return `${noun} with ${matches.join(' or ')}`;
}

function subsetProblem(context: FeatureContext, destination: DestinationModel, namespace: string): string | undefined {
  if (!destination.host || !destination.subset || destination.subset.value === '') return undefined;
  const lookup = context.index.destinationRulesFor(destination.host.value, namespace);
  const subset = destination.subset.value;
  if (lookup.rules.some((entry) => entry.model.subsets.some((candidate) => candidate.name.value === subset))) return undefined;
  if (lookup.match === 'none') return `no DestinationRule for this host defines subset "${subset}"`;
  const names = lookup.rules.flatMap((entry) => entry.model.subsets.map((candidate) => candidate.name.value));
  return `subset "${subset}" is not in DestinationRule ${lookup.rules.map((entry) => `${entry.namespace}/${entry.model.name?.value ?? '?'}`).join(', ')} (it has ${names.join(', ') || 'none'})`;
}

/**
 * The rules of one resource as the preview shows them: `rules` in order, hosts resolved in
 * `namespace`, ranges made file-relative with `place`. Shared by VirtualServices and by the
 * Gateway API routes, which are converted to the same rule model (features/gatewayRouteSplit.ts).
 */
export function splitRoutes(context: FeatureContext, ruleLists: readonly RouteRuleModel[][], namespace: string, place: { startLine: number }): SplitRoute[] {
  const resolve = (host: string): string => resolveHost(host, namespace, context.settings.clusterDomain);
  const routes: SplitRoute[] = [];
  for (const rules of ruleLists) {
    for (const rule of rules) {
      const shares = normalisedShares(rule.destinations.map((destination) => destination.weight));
      const matches = routeMatch(rule, rules);
      const forwards = rule.action === 'route' && rule.unreachableReason === undefined;
      const forwardedPercent = forwards ? 100 - (rule.fault?.abortPercent ?? 0) : 0;
      const route: SplitRoute = {
        index: rule.index,
        label: ruleLabel(rule),
        protocol: rule.protocol,
        match: matches.join(' or '),
        matches,
        gated: rule.matches !== undefined,
        takes: takesText(rule, matches),
        forwardedPercent,
        reachable: rule.unreachableReason === undefined,
        action: rule.action,
        destinations: rule.destinations.map((destination, i) => {
          const percent = shares[i] ?? 0;
          const split: SplitDestination = {
            host: destination.host?.value ?? '',
            percent,
            servedPercent: (percent * forwardedPercent) / 100,
            resolvedHost: resolve(destination.host?.value ?? ''),
            range: toFileRange(place, destination.host?.range ?? destination.range),
          };
          if (destination.subset) split.subset = destination.subset.value;
          if (destination.port !== undefined) split.port = destination.port;
          if (destination.weight !== undefined) split.weight = destination.weight;
          const problem = subsetProblem(context, destination, namespace);
          if (problem) {
            split.problem = problem;
            // Pilot still routes to the subset's cluster, which it never creates: Envoy answers 503 (NC, no cluster).
            split.failure = 'requests sent here fail with 503 (the proxy has no cluster for this subset)';
            split.servedPercent = 0;
          } else if (destination.host) {
            const behind = replicasBehind(context.index, destination.host.value, namespace, destination.subset?.value);
            if (behind.replicas !== undefined) split.replicas = behind.replicas;
          }
          return split;
        }),
        // Mirrors on a redirect or direct response never run (Istio attaches them to forwarding routes only).
        mirrors: rule.mirrors.map((mirror) => {
          const percent = rule.action === 'route' ? (mirror.percent ?? 100) : 0;
          const split: SplitMirror = {
            host: mirror.host?.value ?? '',
            percent,
            copiedPercent: (Math.min(100, Math.max(0, percent)) * forwardedPercent) / 100,
            kind: mirror.role === 'mirror' ? 'mirror' : 'mirrors',
            resolvedHost: resolve(mirror.host?.value ?? ''),
            range: toFileRange(place, mirror.host?.range ?? mirror.range),
          };
          if (mirror.subset) split.subset = mirror.subset.value;
          if (mirror.port !== undefined) split.port = mirror.port;
          const problem = rule.action === 'route' ? subsetProblem(context, mirror, namespace) : `this rule answers with ${rule.action}, so it never mirrors`;
          if (problem) {
            split.problem = problem;
            split.copiedPercent = 0;
          } else {
            const load = mirrorLoad(context, rule, mirror, namespace);
            if (load) {
              split.replicas = load.replicas;
              split.load = load.summary;
              if (load.writes) split.writes = load.writes;
            }
          }
          return split;
        }),
        range: toFileRange(place, rule.range),
        fullRange: toFileRange(place, rule.fullRange),
      };
      if (rule.fault) route.fault = rule.fault;
      if (rule.name !== undefined) route.name = rule.name;
      if (rule.unreachableReason) route.unreachableReason = rule.unreachableReason;
      routes.push(route);
    }
  }
  return routes;
}

/** Range of a whole indexed document in its file. */
export function documentRange(context: FeatureContext, entry: { uri: string; documentIndex: number; startLine: number }): Range {
  const indexed = context.index.getFile(entry.uri)?.documents[entry.documentIndex];
  const lineCount = indexed ? Math.max(1, indexed.slice.lineCount) : 1;
  return { start: { line: entry.startLine, character: 0 }, end: { line: entry.startLine + lineCount - 1, character: 0 } };
}

export function splitOfVirtualService(context: FeatureContext, entry: ResourceEntry<VirtualServiceModel>): SplitVirtualService {
  const model = entry.model;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const place = { startLine: entry.startLine };
  const routes = splitRoutes(context, [model.http, model.tcp, model.tls], namespace, place);
  addMirrorPolicies(context, entry, routes);
  return {
    name: model.name?.value ?? '(unnamed)',
    namespace,
    file: entry.uri,
    hosts: model.hosts.map((host) => host.value),
    gateways: model.gateways.map((gateway) => gateway.value),
    routes,
    range: documentRange(context, entry),
    nameRange: toFileRange(place, model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
  };
}

/** The traffic split of every VirtualService in the given files (all files when `uris` is undefined). */
export function trafficSplit(context: FeatureContext, uris?: readonly string[]): TrafficSplitModel {
  const wanted = uris ? new Set(uris) : undefined;
  const virtualServices: SplitVirtualService[] = [];
  for (const entry of context.index.resources('VirtualService')) {
    if (wanted && !wanted.has(entry.uri)) continue;
    virtualServices.push(splitOfVirtualService(context, entry));
  }
  return { virtualServices, ...gatewayRouteSplits(context, wanted) };
}

export { shareKey, trafficTotals, type Amount, type TargetTotal, type TotalsGroup } from './trafficTotals';
