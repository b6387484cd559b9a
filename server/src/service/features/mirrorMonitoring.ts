// Monitoring a mirror: for every mirror target of every HTTP rule, the PromQL that compares the
// primary destination with the mirror (request rate, 5xx ratio, p50/p99 latency, the rate
// normalised by the mirror's percentage), the shell commands that look at the same pods and at
// the caller's Envoy routes, and notes on what the numbers can and cannot say. Rendered by the
// CLI (`istio-mirror monitor`), the editor's Monitor panel and the Grafana dashboard.
//
// Facts this rests on (Istio source, istio/proxy + envoy contrib/istio stats filter):
// - A mirrored copy is sent by the caller's router outside the HTTP filter chain, so the caller's
//   sidecar records nothing for it; only the receiving sidecar reports it (reporter="destination").
// - On reporter="destination", `destination_version` is the receiving pod's `version` label, and
//   `destination_canonical_revision` its `service.istio.io/canonical-revision` label, which the
//   sidecar injector sets from canonical-revision, else `app.kubernetes.io/version`, else
//   `version`, else "latest". `destination_workload` is the workload (Deployment…) name, and
//   `destination_service_name`/`_namespace` come from the inbound cluster's service metadata.
// - The mirror cluster is `outbound|<port>|<subset>|<host>` (port: the mirror's, else the
//   service's only port, else the port called); a 0 % mirror gets no mirror policy at all.
// - Envoy cluster stats carry `cluster_name` (Istio's bootstrap tag) but are not exported by
//   default (proxyStatsMatcher inclusion needed).

import { backendHost, isServiceBackend, type GatewayRouteModel } from '../model/gatewayApiRoutes';
import { resolveHost } from '../model/hostNames';
import { namespaceOf, ruleLabel, type DestinationModel, type RouteRuleModel, type VirtualServiceModel } from '../model/resourceModel';
import { formatPercent, normalisedShares } from '../model/trafficShares';
import type { Range } from '../types';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import { hostBackends, subsetDefinitions, workloadsForLabels, type HostPort } from '../workspace/workspaceQueries';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { matcherText, quantile, regexLiteral, summedRate, type LabelMatcher } from './promQuery';

export interface MonitorOptions {
  /** The rate window, a PromQL duration (`5m`). */
  window: string;
  /** Written in place of namespaces the workspace does not state (Grafana's `$namespace`). */
  namespaceVariable?: string;
  /** Only mirrors of VirtualServices in these files (all files when undefined). */
  uris?: readonly string[];
}

/** How a side's requests are told apart in Istio's metrics. */
export type SelectedBy =
  /** `destination_version` (the pods' `version` label). */
  | 'version'
  /** `destination_canonical_revision` (`service.istio.io/canonical-revision` / `app.kubernetes.io/version`). */
  | 'canonicalRevision'
  /** `destination_workload` + `destination_workload_namespace`. */
  | 'workload'
  /** Only the service: every pod behind it. */
  | 'service'
  /** Outside the mesh: the caller's Envoy statistics for the cluster it sends to. */
  | 'envoyCluster';

export interface MonitorTarget {
  /** As written in the VirtualService. */
  host: string;
  subset: string | null;
  /** The subset's labels from its DestinationRule (empty without a subset, or when it is not defined here). */
  labels: Record<string, string>;
  /** After Istio's short-name expansion. */
  resolvedHost: string;
  /** The Kubernetes service behind the host; null for a host outside the cluster domain. */
  service: { name: string; namespace: string } | null;
  /** True when the namespace comes from `--namespace`/the default, not from the files. */
  namespaceAssumed: boolean;
  selectedBy: SelectedBy;
  /** The PromQL label matchers of this side, e.g. `{reporter="destination", destination_version="v2"}`. */
  matchers: string;
  /** In words: the label Istio reports for this side, e.g. `destination_version="v2"`. */
  reportedAs: string;
  /** `kubectl -l` selector of its pods (the Service's selector and the subset's labels); null when unknown. */
  podSelector: string | null;
  /** False when the Service's selector is unknown and `podSelector` has the subset's labels only. */
  podSelectorComplete: boolean;
  /** The Envoy cluster the caller sends to, e.g. `outbound|8000|v2|httpbin.demo.svc.cluster.local`. */
  cluster: string;
}

export interface MonitorQuery {
  /** Stable key: requestRate, errorRatio5xx, latencyP50, latencyP99, requestRateNormalised. */
  name: string;
  title: string;
  /** Grafana unit of the value. */
  unit: 'reqps' | 'percentunit' | 'ms';
  primary: string;
  mirror: string;
}

export interface MonitorCommand {
  description: string;
  command: string;
}

/** The kinds of route whose mirrors are monitored. */
export type MonitoredRouteKind = 'VirtualService' | 'HTTPRoute' | 'GRPCRoute';

export interface MirrorMonitor {
  /** `NAMESPACE/NAME` of the VirtualService; null for a Gateway API route (see `route`). */
  virtualService: string | null;
  /** The route the mirror is written in: its kind and `NAMESPACE/NAME`. */
  route: { kind: MonitoredRouteKind; name: string };
  /** URI of its file. */
  file: string;
  /** Index of the rule in `http` (VirtualService) or `rules` (HTTPRoute, GRPCRoute). */
  httpIndex: number;
  ruleName: string | null;
  /** `mirror`, `mirrors` (then `mirrorIndex` is the entry) or a route's RequestMirror filter (`mirrorIndex` in the rule's `filters`). */
  kind: 'mirror' | 'mirrors' | 'requestMirror';
  mirrorIndex: number;
  primary: MonitorTarget;
  mirror: MonitorTarget;
  /** Share of the rule's requests copied to the mirror, 0–100 (0 when the rule never mirrors). */
  percent: number;
  /** Share of the rule's requests the primary destination serves, 0–100. */
  primaryShare: number;
  queries: MonitorQuery[];
  commands: MonitorCommand[];
  notes: string[];
  /** Where the mirror is written (its host value), in the file. */
  range: Range;
}

interface Workload {
  name: string;
  namespace: string;
  podLabels: Record<string, string>;
}

const versionLabel = 'version';
const canonicalRevisionLabel = 'service.istio.io/canonical-revision';
const appVersionLabel = 'app.kubernetes.io/version';

/**
 * A route whose rules mirror: a VirtualService, or an HTTPRoute/GRPCRoute whose rules are
 * converted to the VirtualService rule model (model/gatewayApiRoutes.ts) as Istio converts them.
 */
interface MonitoredRoute {
  kind: MonitoredRouteKind;
  /** `NAMESPACE/NAME`. */
  name: string;
  namespace: string;
  namespaceWritten: boolean;
  rules: RouteRuleModel[];
  /** The host callers address, as written (the VirtualService's first host, a route's parent Service). */
  callHost: string | undefined;
  /** The port callers use: a parent Service's `port`, else the host's only port. */
  listenerPort: HostPort | undefined;
  /** Applied by the callers' sidecars (VirtualService bound to `mesh`, a route whose parent is a Service). */
  meshBound: boolean;
  /** The gateways (other than `mesh`) the route is bound to. */
  gateways: string[];
  uri: string;
  startLine: number;
}

/** Every mirror of the workspace's (or the given files') VirtualServices, HTTPRoutes and GRPCRoutes, in file order. */
export function mirrorMonitoring(context: FeatureContext, options: MonitorOptions): MirrorMonitor[] {
  const monitors: MirrorMonitor[] = [];
  for (const route of monitoredRoutes(context, options.uris)) {
    for (const rule of route.rules) {
      rule.mirrors.forEach((mirror) => monitors.push(monitorOf(context, options, route, rule, mirror)));
    }
  }
  return monitors;
}

/**
 * Where each mirror `mirrorMonitoring` lists is written (the `range` of its monitor), in the
 * same order, without building the queries: the editor's Monitor code lenses, asked for on
 * every edit, need only the places.
 */
export function monitoredMirrorRanges(context: FeatureContext, uris?: readonly string[]): Range[] {
  const ranges: Range[] = [];
  for (const route of monitoredRoutes(context, uris)) {
    for (const rule of route.rules) {
      for (const mirror of rule.mirrors) ranges.push(mirrorRange(route, mirror));
    }
  }
  return ranges;
}

function monitoredRoutes(context: FeatureContext, uris: readonly string[] | undefined): MonitoredRoute[] {
  const wanted = uris ? new Set(uris) : undefined;
  const routes: MonitoredRoute[] = [];
  for (const entry of context.index.resources()) {
    if (wanted && !wanted.has(entry.uri)) continue;
    const model = entry.model;
    if (model.kind === 'VirtualService') routes.push(virtualServiceRoute(context, { ...entry, model }));
    else if (model.kind === 'HTTPRoute' || model.kind === 'GRPCRoute') routes.push(gatewayRoute(context, { ...entry, model }));
  }
  return routes;
}

function mirrorRange(route: MonitoredRoute, mirror: DestinationModel): Range {
  return toFileRange({ startLine: route.startLine }, mirror.host?.range ?? mirror.range);
}

function virtualServiceRoute(context: FeatureContext, entry: ResourceEntry<VirtualServiceModel>): MonitoredRoute {
  const model = entry.model;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const callHost = model.hosts[0]?.value;
  return {
    kind: 'VirtualService',
    name: `${namespace}/${model.name?.value ?? '(unnamed)'}`,
    namespace,
    namespaceWritten: model.namespace !== undefined,
    rules: model.http,
    callHost,
    listenerPort: callHost ? onlyPort(context, callHost, namespace) : undefined,
    meshBound: model.gateways.length === 0 || model.gateways.some((gateway) => gateway.value === 'mesh'),
    gateways: model.gateways.map((gateway) => gateway.value).filter((gateway) => gateway !== 'mesh'),
    uri: entry.uri,
    startLine: entry.startLine,
  };
}

function gatewayRoute(context: FeatureContext, entry: ResourceEntry<GatewayRouteModel>): MonitoredRoute {
  const model = entry.model;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const services = model.parentRefs.filter((parent) => isServiceBackend(parent) && parent.name);
  const gateways = model.parentRefs.filter((parent) => !isServiceBackend(parent)).map((parent) => `${parent.namespace?.value ?? namespace}/${parent.name?.value ?? '?'}`);
  const parent = services[0];
  const callHost = parent ? backendHost(parent, { clusterDomain: context.settings.clusterDomain }) : undefined;
  let listenerPort: HostPort | undefined;
  if (parent && callHost) {
    const ports = hostBackends(context.index, callHost, namespace).ports;
    listenerPort = parent.port !== undefined ? (ports.find((port) => port.number === parent.port) ?? { number: parent.port }) : ports.length === 1 ? ports[0] : undefined;
  }
  return {
    kind: model.kind,
    name: `${namespace}/${model.name?.value ?? '(unnamed)'}`,
    namespace,
    namespaceWritten: model.namespace !== undefined,
    rules: model.rules.map((rule) => rule.route),
    callHost,
    listenerPort,
    meshBound: services.length > 0,
    gateways,
    uri: entry.uri,
    startLine: entry.startLine,
  };
}

interface SideContext {
  context: FeatureContext;
  options: MonitorOptions;
  vsNamespace: string;
  vsNamespaceWritten: boolean;
  /** Gateway API routes: each backend is a Service of its own (no subsets), told apart by its pods. */
  backendServices?: boolean;
}

function monitorOf(context: FeatureContext, options: MonitorOptions, route: MonitoredRoute, rule: RouteRuleModel, mirror: DestinationModel): MirrorMonitor {
  const vsNamespace = route.namespace;
  const side: SideContext = { context, options, vsNamespace, vsNamespaceWritten: route.namespaceWritten, backendServices: route.kind !== 'VirtualService' };
  const shares = normalisedShares(rule.destinations.map((destination) => destination.weight));
  let primaryIndex = 0;
  shares.forEach((share, index) => {
    if (share > (shares[primaryIndex] ?? 0)) primaryIndex = index;
  });
  const primaryDestination = rule.destinations[primaryIndex];
  const primaryShare = shares[primaryIndex] ?? 0;
  const listenerPort = route.listenerPort;
  const primary = targetOf(side, written(primaryDestination), listenerPort);
  const mirrorTarget = targetOf(side, written(mirror), listenerPort);
  separateIdenticalSides(primary, mirrorTarget);

  const never = neverMirrors(rule, mirror);
  const percent = never ? 0 : (mirror.percent ?? 100);
  const notes: string[] = [];
  if (never) notes.push(never);
  // Two identical selections would draw the same numbers under two names: say so instead.
  const indistinct = !never && primary.matchers === mirrorTarget.matchers;
  if (indistinct) notes.push(`Istio's metrics cannot tell the primary and the mirror apart here: both would be selected by ${primary.matchers}, so no queries are given.`);
  const queries = never || indistinct ? [] : monitorQueries(options.window, primary, mirrorTarget, percent, primaryShare, route.kind === 'GRPCRoute');
  if (!never) notes.push(...mirrorNotes(context, route, rule, primary, mirrorTarget, percent, primaryShare, primaryIndex));
  notes.push(...sideNotes('primary', primary), ...sideNotes('mirror', mirrorTarget));
  if (primary.namespaceAssumed || mirrorTarget.namespaceAssumed) {
    notes.push(`The namespace "${vsNamespace}" is assumed (the ${route.kind} has no metadata.namespace); use --namespace for the namespace you apply it to.`);
  }
  const kind: MirrorMonitor['kind'] = route.kind !== 'VirtualService' ? 'requestMirror' : mirror.role === 'mirror' ? 'mirror' : 'mirrors';
  return {
    virtualService: route.kind === 'VirtualService' ? route.name : null,
    route: { kind: route.kind, name: route.name },
    file: route.uri,
    httpIndex: rule.index,
    ruleName: rule.name ?? null,
    kind,
    mirrorIndex: mirror.entryIndex,
    primary,
    mirror: mirrorTarget,
    percent,
    primaryShare,
    queries,
    commands: never ? [] : monitorCommands(route, rule, primary, mirrorTarget, route.callHost ? resolveHost(route.callHost, vsNamespace, context.settings.clusterDomain) : primary.resolvedHost, percent),
    notes,
    range: mirrorRange(route, mirror),
  };
}

/** Why this mirror never sends a copy, when it never does. */
function neverMirrors(rule: RouteRuleModel, mirror: DestinationModel): string | undefined {
  if (rule.unreachableReason) return `Rule ${ruleLabel(rule)} is never used (${rule.unreachableReason}), so nothing is mirrored.`;
  if (rule.action !== 'route') return `Rule ${ruleLabel(rule)} answers with ${rule.action}, so it never mirrors.`;
  if (!mirror.host || mirror.host.value === '') return 'The mirror has no host.';
  if ((mirror.percent ?? 100) <= 0) return 'The mirror percentage is 0 %: Istio generates no mirror policy, so nothing is copied.';
  if (rule.destinations.length === 0) return `Rule ${ruleLabel(rule)} has no route destination.`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The two sides

interface WrittenDestination {
  host: string;
  subset?: string;
  port?: number;
}

function written(destination: DestinationModel | undefined): WrittenDestination {
  const result: WrittenDestination = { host: destination?.host?.value ?? '' };
  if (destination?.subset?.value) result.subset = destination.subset.value;
  if (destination?.port !== undefined) result.port = destination.port;
  return result;
}

/** The full label matchers of each side (MonitorTarget.matchers is their text). */
const sideMatchers = new WeakMap<MonitorTarget, { base: LabelMatcher[]; all: LabelMatcher[] }>();

function matchersOf(target: MonitorTarget): LabelMatcher[] {
  return sideMatchers.get(target)?.all ?? [];
}

function targetOf(side: SideContext, destination: WrittenDestination, listenerPort: HostPort | undefined): MonitorTarget {
  const { context, vsNamespace } = side;
  const host = destination.host;
  const resolvedHost = resolveHost(host, vsNamespace, context.settings.clusterDomain);
  const subset = destination.subset ?? null;
  const labels = subset ? (subsetLabels(context, host, vsNamespace, subset) ?? {}) : {};
  const backends = hostBackends(context.index, host, vsNamespace);
  const service = kubernetesService(resolvedHost, context.settings.clusterDomain) ?? null;
  const namespaceAssumed = service !== null && !host.includes('.') && !side.vsNamespaceWritten;
  const port = destination.port ?? onlyPort(context, host, vsNamespace)?.number ?? listenerPort?.number;
  const cluster = `outbound|${port ?? '*'}|${subset ?? ''}|${resolvedHost}`;

  if (!service) {
    const clusterMatcher: LabelMatcher = port !== undefined
      ? { label: 'cluster_name', op: '=', value: cluster }
      : { label: 'cluster_name', op: '=~', value: `outbound\\|[0-9]+\\|${regexLiteral(subset ?? '')}\\|${regexLiteral(resolvedHost)}` };
    const external: MonitorTarget = {
      host, subset, labels, resolvedHost, service, namespaceAssumed: false, selectedBy: 'envoyCluster',
      matchers: matcherText([clusterMatcher]), reportedAs: `cluster_name${clusterMatcher.op}"${clusterMatcher.value}" (Envoy statistics of the caller)`,
      podSelector: null, podSelectorComplete: false, cluster,
    };
    sideMatchers.set(external, { base: [clusterMatcher], all: [clusterMatcher] });
    return external;
  }

  const namespace = namespaceAssumed && side.options.namespaceVariable ? side.options.namespaceVariable : service.namespace;
  const base: LabelMatcher[] = [
    { label: 'reporter', op: '=', value: 'destination' },
    { label: 'destination_service_name', op: '=', value: service.name },
    { label: 'destination_service_namespace', op: '=', value: namespace },
  ];
  const selector = backends.services[0]?.model.selector;
  const podLabels = selector || subset ? { ...(selector ?? {}), ...labels } : undefined;
  const podSelector = podLabels && Object.keys(podLabels).length > 0 ? Object.entries(podLabels).map(([k, v]) => `${k}=${v}`).join(',') : null;
  const target: MonitorTarget = {
    host, subset, labels, resolvedHost, service, namespaceAssumed, selectedBy: 'service',
    matchers: '', reportedAs: '', podSelector, podSelectorComplete: selector !== undefined, cluster,
  };
  if (!subset && side.backendServices && selector && Object.keys(selector).length > 0 && selectByPods(context, side, target, selector, namespace)) return target;
  const workloads = subset ? subsetWorkloads(context, host, vsNamespace, labels) : undefined;
  workloadsBySide.set(target, workloads);
  applySelection(target, base, subset ? labelSelection(labels, workloads, namespace) : undefined);
  return target;
}

/** Sides of Gateway API routes selected by their pods' labels instead of the Service's name. */
const selectedByPods = new WeakSet<MonitorTarget>();

/**
 * A Gateway API backend is a Service per version (reviews-v2 next to reviews). Its pods are
 * usually behind the shared Service too, and the receiving sidecar reports one Service name
 * for them, not necessarily this one: select the side by what Istio reports of its pods (the
 * Service selector's `version`, canonical revision or workloads) and by `app`.
 */
function selectByPods(context: FeatureContext, side: SideContext, target: MonitorTarget, selector: Record<string, string>, namespace: string): boolean {
  const workloads = subsetWorkloads(context, target.host, side.vsNamespace, {});
  const selection = labelSelection(selector, workloads, namespace);
  if (!selection) return false;
  target.labels = { ...selector };
  workloadsBySide.set(target, workloads);
  const base: LabelMatcher[] = [{ label: 'reporter', op: '=', value: 'destination' }];
  if (selection.selectedBy !== 'workload') {
    if (selector.app !== undefined) base.push({ label: 'destination_app', op: '=', value: selector.app });
    base.push({ label: 'destination_workload_namespace', op: '=', value: namespace });
  }
  applySelection(target, base, selection);
  selectedByPods.add(target);
  return true;
}

/** The workloads behind each side's subset, when the workspace holds them. */
const workloadsBySide = new WeakMap<MonitorTarget, Workload[] | undefined>();

interface Selection {
  selectedBy: SelectedBy;
  matchers: LabelMatcher[];
}

function applySelection(target: MonitorTarget, base: LabelMatcher[], selection: Selection | undefined): void {
  const matchers = [...base, ...(selection?.matchers ?? [])];
  target.selectedBy = selection?.selectedBy ?? 'service';
  target.matchers = matcherText(matchers);
  target.reportedAs = selection ? selection.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(', ') : `destination_service_name="${target.service?.name ?? ''}" (the whole service)`;
  sideMatchers.set(target, { base, all: matchers });
}

/** The metric label that tells the subset's pods apart, by the rules in the header. */
function labelSelection(labels: Record<string, string>, workloads: Workload[] | undefined, namespace: string): Selection | undefined {
  if (labels[versionLabel] !== undefined) {
    return { selectedBy: 'version', matchers: [{ label: 'destination_version', op: '=', value: labels[versionLabel] }] };
  }
  const revision = labels[canonicalRevisionLabel] ?? labels[appVersionLabel];
  if (revision !== undefined) {
    // With the pods in view, their canonical revision is known, not assumed: it is what the
    // injector writes (service.istio.io/canonical-revision, else app.kubernetes.io/version, …).
    const revisions = new Set((workloads ?? []).map((workload) => canonicalRevision(workload.podLabels)));
    if (revisions.size > 1 || (revisions.size === 1 && !revisions.has(revision))) return workloadSelection(workloads, namespace);
    return { selectedBy: 'canonicalRevision', matchers: [{ label: 'destination_canonical_revision', op: '=', value: revision }] };
  }
  return workloadSelection(workloads, namespace);
}

/** The canonical revision the sidecar injector gives pods with these labels. */
function canonicalRevision(podLabels: Record<string, string>): string {
  return podLabels[canonicalRevisionLabel] ?? podLabels[appVersionLabel] ?? podLabels[versionLabel] ?? 'latest';
}

function workloadSelection(workloads: Workload[] | undefined, namespace: string): Selection | undefined {
  if (!workloads || workloads.length === 0) return undefined;
  const names = [...new Set(workloads.map((workload) => workload.name))].sort();
  return {
    selectedBy: 'workload',
    matchers: [
      names.length === 1
        ? { label: 'destination_workload', op: '=', value: names[0] }
        : { label: 'destination_workload', op: '=~', value: names.map(regexLiteral).join('|') },
      { label: 'destination_workload_namespace', op: '=', value: namespace },
    ],
  };
}

/**
 * When both sides end up with the same series (e.g. subsets that differ only in a label Istio
 * does not report), tell them apart by their workloads if the workspace names different ones.
 */
function separateIdenticalSides(primary: MonitorTarget, mirror: MonitorTarget): void {
  if (primary.matchers !== mirror.matchers || !primary.service || !mirror.service) return;
  const primaryWorkloads = workloadsBySide.get(primary);
  const mirrorWorkloads = workloadsBySide.get(mirror);
  const key = (workloads: Workload[] | undefined): string => (workloads ?? []).map((w) => w.name).sort().join(',');
  if (!primaryWorkloads?.length || !mirrorWorkloads?.length || key(primaryWorkloads) === key(mirrorWorkloads)) return;
  for (const [target, workloads] of [[primary, primaryWorkloads], [mirror, mirrorWorkloads]] as const) {
    const base = sideMatchers.get(target)?.base ?? [];
    const namespace = base.find((m) => m.label === 'destination_service_namespace')?.value ?? target.service?.namespace ?? '';
    applySelection(target, base, workloadSelection(workloads, namespace));
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

function monitorQueries(window: string, primary: MonitorTarget, mirror: MonitorTarget, percent: number, primaryShare: number, grpc: boolean): MonitorQuery[] {
  const pair = (name: string, title: string, unit: MonitorQuery['unit'], build: (target: MonitorTarget) => string): MonitorQuery => ({
    name, title, unit, primary: build(primary), mirror: build(mirror),
  });
  const queries = [
    pair('requestRate', 'Request rate (req/s)', 'reqps', (target) => requestRate(target, window)),
    pair('errorRatio5xx', '5xx error ratio', 'percentunit', (target) => errorRatio(target, window)),
    ...(grpc && primary.selectedBy !== 'envoyCluster' && mirror.selectedBy !== 'envoyCluster'
      ? [pair('grpcErrorRatio', 'gRPC error ratio (grpc-status other than OK)', 'percentunit', (target) => grpcErrorRatio(target, window))]
      : []),
    pair('latencyP50', 'Latency p50 (ms)', 'ms', (target) => latency(target, 0.5, window)),
    pair('latencyP99', 'Latency p99 (ms)', 'ms', (target) => latency(target, 0.99, window)),
  ];
  queries.push({
    name: 'requestRateNormalised',
    title: 'Request rate normalised to 100 % of the rule (req/s)',
    unit: 'reqps',
    primary: divided(requestRate(primary, window), primaryShare),
    mirror: divided(requestRate(mirror, window), percent),
  });
  return queries;
}

function divided(query: string, percent: number): string {
  if (percent >= 100 || percent <= 0) return query;
  return `${query} / ${Number((percent / 100).toPrecision(6))}`;
}

function requestRate(target: MonitorTarget, window: string): string {
  const metric = target.selectedBy === 'envoyCluster' ? 'envoy_cluster_upstream_rq_total' : 'istio_requests_total';
  return summedRate(metric, matchersOf(target), window);
}

function errorRatio(target: MonitorTarget, window: string): string {
  const errors: LabelMatcher = target.selectedBy === 'envoyCluster'
    ? { label: 'response_code_class', op: '=', value: '5xx' }
    : { label: 'response_code', op: '=~', value: '5..' };
  const metric = target.selectedBy === 'envoyCluster' ? 'envoy_cluster_upstream_rq' : 'istio_requests_total';
  return `${summedRate(metric, [...matchersOf(target), errors], window)} / ${requestRate(target, window)}`;
}

/** gRPC failures mostly answer HTTP 200: Istio reports the gRPC status in `grpc_response_status`. */
function grpcErrorRatio(target: MonitorTarget, window: string): string {
  const failed: LabelMatcher = { label: 'grpc_response_status', op: '!=', value: '0' };
  return `${summedRate('istio_requests_total', [...matchersOf(target), failed], window)} / ${requestRate(target, window)}`;
}

function latency(target: MonitorTarget, q: number, window: string): string {
  const metric = target.selectedBy === 'envoyCluster' ? 'envoy_cluster_upstream_rq_time_bucket' : 'istio_request_duration_milliseconds_bucket';
  return quantile(q, metric, matchersOf(target), window);
}

/** How Istio reports a subset of `host` and the query of its request rate (for the hover). */
export function subsetRateQuery(context: FeatureContext, host: string, subset: string, namespace: string, window = '5m'): { reportedAs: string; query: string; selectedBy: SelectedBy } {
  const side: SideContext = { context, options: { window }, vsNamespace: namespace, vsNamespaceWritten: true };
  const target = targetOf(side, { host, subset }, undefined);
  return { reportedAs: target.reportedAs, query: requestRate(target, window), selectedBy: target.selectedBy };
}

// ---------------------------------------------------------------------------------------------
// Notes and commands

function mirrorNotes(context: FeatureContext, route: MonitoredRoute, rule: RouteRuleModel, primary: MonitorTarget, mirror: MonitorTarget, percent: number, primaryShare: number, primaryIndex: number): string[] {
  const notes: string[] = [];
  const fraction = Number((percent / 100).toPrecision(6));
  if (mirror.selectedBy !== 'envoyCluster') {
    notes.push('Mirrored copies are reported only by the sidecar that receives them (reporter="destination"); the caller\'s sidecar records nothing for them, so reporter="source" queries show no mirror traffic.');
  }
  if (percent < 100) {
    notes.push(`The mirror receives a copy of ${formatPercent(percent)} of the requests this rule handles, so its request rate is about ${formatPercent(percent)} of the rule's; requestRateNormalised divides it by ${fraction} to compare it with the primary. Error ratios and latencies compare directly.`);
  } else {
    notes.push('Every request this rule handles is copied to the mirror (100 %).');
  }
  notes.push('The mirror\'s responses are discarded by the caller\'s sidecar: its 5xx ratio and latency are what users would have seen, not what they saw.');
  const others = rule.destinations.filter((_, index) => index !== primaryIndex);
  if (others.length > 0) {
    notes.push(`The rule also sends ${others.map((d) => `${d.host?.value ?? '?'}${d.subset ? `/${d.subset.value}` : ''}`).join(', ')} part of its requests; the primary queries cover ${primary.host}${primary.subset ? `/${primary.subset}` : ''} (${formatPercent(primaryShare)} of the rule's requests).`);
  }
  const sameTarget = (destination: DestinationModel, target: MonitorTarget): boolean =>
    resolveHost(destination.host?.value ?? '', route.namespace, context.settings.clusterDomain) === target.resolvedHost
    && (destination.subset?.value || null) === target.subset;
  const otherRules = route.rules.filter((other) => other.index !== rule.index && other.unreachableReason === undefined);
  if (otherRules.some((other) => other.destinations.some((destination) => sameTarget(destination, primary)))) {
    notes.push(`Other rules of this ${route.kind} also route to ${primary.host}${primary.subset ? `/${primary.subset}` : ''}, and the destination side cannot tell rules apart: the primary's rate includes their requests, while the mirror gets copies of this rule's requests only${rule.matches ? ' (those matching it)' : ''}. Compare ratios and latencies, not rates.`);
  }
  if (route.rules.some((other) => other.unreachableReason === undefined && other.destinations.some((destination) => sameTarget(destination, mirror)))) {
    notes.push(`${mirror.host}${mirror.subset ? `/${mirror.subset}` : ''} also receives real requests from this ${route.kind}: its series mix real requests and mirrored copies.`);
  }
  const byPods = [primary, mirror].filter((target) => selectedByPods.has(target));
  if (byPods.length > 0) {
    notes.push(`Each backend of a ${route.kind} is a Service of its own; pods behind several Services are reported under one of them in destination_service_name, not necessarily the backend's, so ${byPods.map((target) => target.host).join(' and ')} ${byPods.length > 1 ? 'are' : 'is'} selected by what Istio reports of ${byPods.length > 1 ? 'their' : 'its'} pods (the Service selector's labels): ${byPods.map((target) => target.reportedAs).join('; ')}.`);
  }
  if (mirror.selectedBy === 'envoyCluster') {
    notes.push(...externalNotes(mirror, hostBackends(context.index, mirror.host, route.namespace).serviceEntries.length > 0));
  }
  return notes;
}

function externalNotes(target: MonitorTarget, serviceEntry: boolean): string[] {
  return [
    `${target.resolvedHost} is not a Kubernetes service (${serviceEntry ? 'a ServiceEntry host' : 'and no ServiceEntry in the workspace declares it'}): when it runs outside the mesh no Istio sidecar receives the copies, so istio_requests_total has no series for them at all, and there are no pods to read logs from.`,
    `What can be measured is the caller's side: the Envoy statistics of cluster ${target.cluster} (copies sent, upstream response classes, upstream time). Istio does not export them by default: add the prefix "cluster.${target.cluster.replace('|*|', '|')}" to proxyStatsMatcher.inclusionPrefixes (pod annotation proxy.istio.io/config) of the calling workloads. They count every request the caller sends to that cluster, not only mirrored copies.`,
    'What cannot be measured from the mesh: how the external service handles the copies (its own errors, logs and latency beyond the response), and whether it received them at all when the connection fails before a response.',
  ];
}

function sideNotes(role: 'primary' | 'mirror', target: MonitorTarget): string[] {
  const name = `${target.host}${target.subset ? `/${target.subset}` : ''}`;
  const notes: string[] = [];
  if (target.selectedBy === 'version') {
    notes.push(`The ${role} ${name} is selected by destination_version="${target.labels[versionLabel]}": on the receiving side Istio reports the pod's \`version\` label.`);
  } else if (target.selectedBy === 'canonicalRevision') {
    const source = target.labels[canonicalRevisionLabel] !== undefined ? canonicalRevisionLabel : appVersionLabel;
    const confirmed = (workloadsBySide.get(target) ?? []).length > 0;
    notes.push(`The ${role} ${name} is selected by destination_canonical_revision="${target.labels[source]}": Istio reports \`${source}\` there (destination_version only carries a \`version\` label)${source === appVersionLabel && !confirmed ? `, assuming its pods have no ${canonicalRevisionLabel} label of their own` : ''}.`);
  } else if (target.selectedBy === 'workload') {
    notes.push(`The ${role} ${name} is selected by its workloads (${target.reportedAs}): its subset labels are none Istio reports as a version.`);
  } else if (target.selectedBy === 'service' && target.subset) {
    notes.push(`The ${role} subset ${name} ${Object.keys(target.labels).length > 0 ? `selects pods by ${Object.entries(target.labels).map(([k, v]) => `${k}=${v}`).join(', ')}, none of which Istio reports (version, app.kubernetes.io/version, service.istio.io/canonical-revision), and no workload in the workspace is known to run its pods` : 'is not defined by any DestinationRule in the workspace'}: its series are those of the whole service. Add a \`version\` label to the subset and its pods (or the Deployments to the workspace).`);
  }
  return notes;
}

/** Port names Istio reads as HTTP (pilot's protocol parsing of `<protocol>[-<suffix>]`). */
const httpPortName = /^(?:http|http2|grpc|grpc-web|h2c)(?:-.*)?$/i;

/**
 * The name of the sidecar route configuration a call to `host:port` uses: the port number for
 * a port declared HTTP (shared per port), `host:port` when Istio detects the protocol.
 */
function sidecarRouteName(host: string, port: HostPort): { name: string; note?: string } {
  if (port.name !== undefined && httpPortName.test(port.name)) return { name: String(port.number) };
  const detected = `${host}:${port.number}`;
  return { name: detected, note: `the port${port.name ? ` "${port.name}"` : ''} does not declare HTTP by its name, so Istio detects the protocol and names the route ${detected} (it is ${port.number} instead when the port sets appProtocol: http)` };
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function monitorCommands(owner: MonitoredRoute, rule: RouteRuleModel, primary: MonitorTarget, mirror: MonitorTarget, routeHost: string, percent: number): MonitorCommand[] {
  const listenerPort = owner.listenerPort;
  const commands: MonitorCommand[] = [];
  for (const [role, target] of [['primary', primary], ['mirror', mirror]] as const) {
    if (!target.service || !target.podSelector) continue;
    const where = `-n ${shellQuote(target.service.namespace)} -l ${shellQuote(target.podSelector)}`;
    const unsure = target.podSelectorComplete ? '' : ' — by the subset\'s labels alone: the Service\'s selector is not in the workspace, so pods of other apps with these labels show too';
    commands.push({ description: `Pods of the ${role} (${target.host}${target.subset ? `/${target.subset}` : ''})${unsure}`, command: `kubectl get pods ${where} -o wide` });
    commands.push({ description: `Application logs of the ${role}`, command: `kubectl logs ${where} --prefix --tail=100` });
    if (role === 'mirror') {
      commands.push({ description: 'Sidecar access log of the mirror (the copies it receives, when access logging is on)', command: `kubectl logs ${where} -c istio-proxy --prefix --tail=100` });
    }
  }
  if (owner.meshBound) {
    const route = listenerPort ? sidecarRouteName(routeHost, listenerPort) : undefined;
    commands.push({
      description: `Envoy routes of a calling pod (any sidecar that calls ${owner.callHost ?? primary.host}): look for requestMirrorPolicies with cluster ${mirror.cluster} and ${formatPercent(percent)} in rule ${ruleLabel(rule)}${route?.note ? `; ${route.note}` : ''}${route ? '' : '; the route configuration is named after the port called (the Service\'s port is not in the workspace)'}`,
      command: `istioctl proxy-config routes <client-pod> -n <client-namespace>${route ? ` --name ${shellQuote(route.name)}` : ''} -o json`,
    });
  }
  const gateways = owner.gateways;
  if (gateways.length > 0) {
    commands.push({
      description: `Envoy routes of the gateway pods (${gateways.join(', ')}): their routes are named http.<server port> for plain HTTP servers`,
      command: 'istioctl proxy-config routes <gateway-pod> -n <gateway-namespace> -o json',
    });
  }
  const clusterFlags = `--fqdn ${shellQuote(mirror.resolvedHost)}${mirror.subset ? ` --subset ${shellQuote(mirror.subset)}` : ''}`;
  commands.push({ description: mirror.subset ? `The mirror cluster on a calling pod (present only when Istio knows subset ${mirror.subset} from a DestinationRule)` : 'The mirror cluster on a calling pod', command: `istioctl proxy-config clusters <client-pod> -n <client-namespace> ${clusterFlags}` });
  return commands;
}

// ---------------------------------------------------------------------------------------------
// Workspace lookups (all through workspaceQueries, the one place for cross-resource questions)

/** `name.namespace.svc.<domain>` → the Kubernetes service it names. */
function kubernetesService(resolvedHost: string, clusterDomain: string): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!resolvedHost.endsWith(suffix)) return undefined;
  const parts = resolvedHost.slice(0, -suffix.length).split('.');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' && !parts[0].startsWith('*') ? { name: parts[0], namespace: parts[1] } : undefined;
}

function subsetLabels(context: FeatureContext, host: string, namespace: string, subset: string): Record<string, string> | undefined {
  return subsetDefinitions(context.index, host, namespace, subset)[0]?.subset.labels;
}

/** The port a destination without `port` is sent to: the host's only port (Service, else ServiceEntry). */
function onlyPort(context: FeatureContext, host: string, namespace: string): HostPort | undefined {
  const { ports } = hostBackends(context.index, host, namespace);
  return ports.length === 1 ? ports[0] : undefined;
}

/**
 * The workloads whose pods are the subset's endpoints: the Service's workloads that carry the
 * subset's labels. Undefined when the workspace does not hold the Service and its workloads.
 */
function subsetWorkloads(context: FeatureContext, host: string, namespace: string, labels: Record<string, string>): Workload[] | undefined {
  const selection = workloadsForLabels(context.index, host, namespace, labels);
  if (!selection.known) return undefined;
  return selection.selected.map((entry) => ({ name: entry.model.name?.value ?? '', namespace: entry.namespace, podLabels: entry.model.podLabels })).filter((workload) => workload.name !== '');
}
