// The one place that answers questions across resources, as Istio would answer them from the
// workspace: which Service or ServiceEntry is behind a host and which ports it exposes, which
// workloads (and how many replicas) a Service or a subset selects, which labels could tell a
// new subset apart, which Gateway a VirtualService binds to, and how kustomize reads a file.
// Checks, editing features, views and commands ask here instead of walking the index.
//
// Every answer says how sure it is: a workspace rarely holds a whole cluster, so "nothing found"
// is not the same as knowing that the workspace holds this app and nothing matches (`known`).

import { hasPlaceholder, isIpAddress, resolveHost, wildcardCovers } from '../model/hostNames';
import type { DestinationRuleModel, GatewayModel, ServiceEntryModel, ServiceModel, SubsetModel, VirtualServiceModel, WorkloadModel } from '../model/resourceModel';
import { replicaCount } from '../model/workloadModel';
import type { DestinationRuleEntry, GatewayIdentity, IndexedResource, ResourceEntry, WorkspaceIndex } from './workspaceIndex';
import { setOwn } from '../util/ownProperty';
import { validateDnsLabel, validateImage, validatePort, validateServiceName } from '../util/inputValidation';

// ---------------------------------------------------------------------------------------------
// Hosts → Services and ServiceEntries

export interface HostPort {
  number: number;
  name?: string;
  protocol?: string;
}

export interface HostBackends {
  /** The host as Istio resolves it from the asking resource's namespace. */
  resolved: string;
  /** Kubernetes Services whose mesh host this is (at most one per namespace and name). */
  services: IndexedResource<ServiceModel>[];
  /** ServiceEntries declaring the host (exactly or by wildcard) and visible from the namespace. */
  serviceEntries: IndexedResource<ServiceEntryModel>[];
  /** The ports the host exposes: the Service's, else those of its ServiceEntries. */
  ports: HostPort[];
  /** True when the workspace declares the host (a Service or a ServiceEntry). */
  known: boolean;
  /** True when the host is outside the cluster domain: only a ServiceEntry can make it known to the mesh. */
  external: boolean;
}

/** What is behind `host` as written in a resource of `namespace`. */
export function hostBackends(index: WorkspaceIndex, host: string, namespace: string): HostBackends {
  const resolved = index.resolveHost(host, namespace);
  const services = index.servicesWithHost(resolved).filter((entry) => visibleFrom(serviceExportTo(entry.model), entry.namespace, namespace));
  const serviceEntries = serviceEntriesFor(index, resolved, namespace);
  const ports: HostPort[] = services.length > 0
    ? services[0].model.ports.map((port) => ({ number: port.number, ...(port.name !== undefined ? { name: port.name } : {}), protocol: port.protocol }))
    : uniquePorts(serviceEntries.flatMap((entry) => entry.model.ports));
  return {
    resolved,
    services,
    serviceEntries,
    ports,
    known: services.length > 0 || serviceEntries.length > 0,
    external: isExternalHost(resolved, index.analysisContext.clusterDomain),
  };
}

/** The Service behind `host`, when the workspace holds it. */
export function serviceForHost(index: WorkspaceIndex, host: string, namespace: string): IndexedResource<ServiceModel> | undefined {
  return hostBackends(index, host, namespace).services[0];
}

/**
 * ServiceEntries that declare `resolvedHost` for a resource in `namespace`, as istioctl looks
 * them up: hosts expanded with the entry's namespace, exact matches first, else wildcard hosts
 * that cover it; only entries exported to that namespace.
 */
export function serviceEntriesFor(index: WorkspaceIndex, resolvedHost: string, namespace: string): IndexedResource<ServiceEntryModel>[] {
  const exact: IndexedResource<ServiceEntryModel>[] = [];
  const wildcard: IndexedResource<ServiceEntryModel>[] = [];
  for (const entry of index.serviceEntries()) {
    if (!visibleFrom(entry.model.exportTo, entry.namespace, namespace)) continue;
    for (const written of entry.model.hosts) {
      const declared = written.value.startsWith('*') ? written.value : index.resolveHost(written.value, entry.namespace);
      if (declared === resolvedHost) {
        exact.push(entry);
        break;
      }
      if (declared.startsWith('*') && wildcardCovers(declared, resolvedHost)) {
        wildcard.push(entry);
        break;
      }
    }
  }
  return exact.length > 0 ? exact : wildcard;
}

/** A host Kubernetes does not serve: not a short name, not under `.svc.<cluster domain>`, not an IP. */
export function isExternalHost(resolvedHost: string, clusterDomain: string): boolean {
  if (resolvedHost === '*' || resolvedHost.startsWith('*') || isIpAddress(resolvedHost) || hasPlaceholder(resolvedHost)) return false;
  if (!resolvedHost.includes('.')) return false;
  const domain = `.${clusterDomain}`;
  if (resolvedHost.endsWith(domain) || resolvedHost.endsWith('.svc') || resolvedHost.endsWith('.local')) return false;
  // `name.namespace` and `name.namespace.svc` resolve through the pod's DNS search path.
  if (/^[a-z0-9-]+\.[a-z0-9-]+$/.test(resolvedHost) && !/\.(?:com|org|net|io|dev|app|cloud|co|example|test|internal)$/.test(resolvedHost)) return false;
  return true;
}

/** Istio's `exportTo` visibility: empty or `*` everywhere, `.` the resource's own namespace, else the listed ones. */
export function visibleFrom(exportTo: readonly string[], ownNamespace: string, namespace: string): boolean {
  if (exportTo.length === 0) return true;
  return exportTo.some((entry) => entry === '*' || entry === namespace || (entry === '.' && ownNamespace === namespace));
}

function serviceExportTo(model: ServiceModel): string[] {
  return model.exportTo;
}

function uniquePorts(ports: readonly HostPort[]): HostPort[] {
  const seen = new Map<number, HostPort>();
  for (const port of ports) if (!seen.has(port.number)) seen.set(port.number, { ...port });
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Services and subsets → workloads

/** True when every key of `selector` is in `labels` with the same value (Kubernetes' equality selector). */
export function labelsMatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels[key] !== value) return false;
  return true;
}

/** The workloads of `namespace` whose pods carry every label of `selector`. */
export function workloadsSelectedBy(index: WorkspaceIndex, namespace: string, selector: Readonly<Record<string, string>>): IndexedResource<WorkloadModel>[] {
  // Start from the workloads carrying the selector's rarest label (all of the namespace's for an
  // empty selector). Every label's list is looked at: the answer depends on each (trackReads).
  const labels = Object.entries(selector);
  let candidates: readonly IndexedResource<WorkloadModel>[] | undefined = labels.length === 0 ? index.workloadsIn(namespace) : undefined;
  for (const [key, value] of labels) {
    const carrying = index.workloadsWithPodLabel(namespace, key, value);
    if (candidates === undefined || carrying.length < candidates.length) candidates = carrying;
  }
  return (candidates ?? []).filter((entry) => entry.model.hasPodTemplate && labelsMatch(selector, entry.model.podLabels));
}

/** The workloads a Service sends to (none for a Service without selector or of type ExternalName). */
export function workloadsOfService(index: WorkspaceIndex, service: ResourceEntry<ServiceModel>): IndexedResource<WorkloadModel>[] {
  if (!service.model.selector || service.model.type === 'ExternalName' || Object.keys(service.model.selector).length === 0) return [];
  return workloadsSelectedBy(index, service.namespace, service.model.selector);
}

export interface WorkloadSelection {
  /** The Service behind the host, when the workspace holds it. */
  service?: IndexedResource<ServiceModel>;
  /** The workloads the Service selects. */
  serviceWorkloads: IndexedResource<WorkloadModel>[];
  /** Of those, the ones whose pods also carry the given labels. */
  selected: IndexedResource<WorkloadModel>[];
  /**
   * True when "none selected" can be trusted: the Service is here with a selector, and the
   * workspace holds at least one of its workloads (so it holds the app's workloads).
   */
  known: boolean;
}

/**
 * The workloads a set of subset labels selects behind `host`: the pods Istio would put in the
 * subset's cluster are the Service's endpoints (its selector, in its namespace) that also carry
 * the subset's labels.
 */
export function workloadsForLabels(index: WorkspaceIndex, host: string, namespace: string, labels: Readonly<Record<string, string>>): WorkloadSelection {
  const service = serviceForHost(index, host, namespace);
  if (!service) return { serviceWorkloads: [], selected: [], known: false };
  const serviceWorkloads = workloadsOfService(index, service);
  return {
    service,
    serviceWorkloads,
    selected: serviceWorkloads.filter((entry) => labelsMatch(labels, entry.model.podLabels)),
    known: serviceWorkloads.length > 0,
  };
}

/** The workloads behind a subset of a DestinationRule (the rule's host, in the rule's namespace). */
export function workloadsForSubset(index: WorkspaceIndex, rule: ResourceEntry<DestinationRuleModel>, subset: SubsetModel): WorkloadSelection {
  const host = rule.model.host?.value;
  if (!host) return { serviceWorkloads: [], selected: [], known: false };
  return workloadsForLabels(index, host, rule.namespace, subset.labels);
}

export interface SubsetDefinition {
  rule: DestinationRuleEntry;
  subset: SubsetModel;
}

/** The subsets named `name` that Istio would use for `host` (from the DestinationRules it applies). */
export function subsetDefinitions(index: WorkspaceIndex, host: string, namespace: string, name: string): SubsetDefinition[] {
  const { lookup } = index.definedSubsets(host, namespace);
  return lookup.rules.flatMap((rule) => rule.model.subsets.filter((subset) => subset.name.value === name).map((subset) => ({ rule, subset })));
}

export interface TargetReplicas {
  /** The workloads whose pods receive what is sent to the target. */
  workloads: IndexedResource<WorkloadModel>[];
  /** Their pods in total; undefined when unknown (a DaemonSet, or nothing known). */
  replicas?: number;
  /** True when the workspace holds the Service, its workloads and (for a subset) its definition. */
  known: boolean;
}

/** The pods behind a destination or mirror target (`host`, optionally a subset), as the workspace tells. */
export function replicasBehind(index: WorkspaceIndex, host: string, namespace: string, subset?: string): TargetReplicas {
  let selection: WorkloadSelection;
  if (subset !== undefined && subset !== '') {
    const definitions = subsetDefinitions(index, host, namespace, subset);
    if (definitions.length === 0) return { workloads: [], known: false };
    selection = workloadsForLabels(index, host, namespace, definitions[0].subset.labels);
  } else {
    const service = serviceForHost(index, host, namespace);
    const serviceWorkloads = service ? workloadsOfService(index, service) : [];
    selection = { serviceWorkloads, selected: serviceWorkloads, known: serviceWorkloads.length > 0 };
  }
  if (!selection.known) return { workloads: [], known: false };
  const counts = selection.selected.map((entry) => replicaCount(entry.model));
  const replicas = counts.some((count) => count === undefined) ? undefined : counts.reduce<number>((total, count) => total + (count ?? 0), 0);
  return replicas === undefined ? { workloads: selection.selected, known: true } : { workloads: selection.selected, replicas, known: true };
}

export interface SubsetLabelChoice {
  /** Labels a new subset could select by. */
  labels: Record<string, string>;
  /** The workloads those labels select behind the host. */
  workloads: IndexedResource<WorkloadModel>[];
}

/** Labels that are the same on every pod of a workload kind but say nothing about a version. */
const ignoredLabelKeys = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'rollouts-pod-template-hash']);

/**
 * Labels a new subset of `host` could select by, one choice per group of the Service's
 * workloads: the `version` label where the pods carry one (Istio's convention), else the labels
 * beyond the Service's selector whose values tell the workloads apart. Empty when the workspace
 * does not hold the Service and its workloads (callers then offer a placeholder, not labels).
 */
export function candidateSubsetLabels(index: WorkspaceIndex, host: string, namespace: string): SubsetLabelChoice[] {
  const service = serviceForHost(index, host, namespace);
  if (!service) return [];
  const workloads = workloadsOfService(index, service);
  if (workloads.length === 0) return [];
  const selectorKeys = new Set(Object.keys(service.model.selector ?? {}));
  const keysOf = (entry: IndexedResource<WorkloadModel>): string[] => Object.keys(entry.model.podLabels).filter((key) => !selectorKeys.has(key) && !ignoredLabelKeys.has(key) && !hasPlaceholder(entry.model.podLabels[key]));
  // Keys whose values differ between workloads tell them apart; with one workload, any extra key does.
  const distinguishing = new Set<string>();
  const allKeys = new Set(workloads.flatMap(keysOf));
  for (const key of allKeys) {
    const values = new Set(workloads.map((entry) => entry.model.podLabels[key]));
    if (workloads.length === 1 || values.size > 1) distinguishing.add(key);
  }
  const preferred = ['version', 'app.kubernetes.io/version', 'track', 'stage'];
  const choices = new Map<string, SubsetLabelChoice>();
  for (const workload of workloads) {
    const keys = keysOf(workload).filter((key) => distinguishing.has(key));
    if (keys.length === 0) continue;
    const chosen = preferred.find((key) => keys.includes(key));
    const labels: Record<string, string> = {};
    for (const key of chosen ? [chosen] : keys.sort()) setOwn(labels, key, workload.model.podLabels[key]);
    const id = JSON.stringify(labels);
    if (choices.has(id)) continue;
    choices.set(id, { labels, workloads: workloads.filter((entry) => labelsMatch(labels, entry.model.podLabels)) });
  }
  return [...choices.values()];
}

// ---------------------------------------------------------------------------------------------
// Gateways and VirtualServices

export interface GatewayLookup {
  /** `namespace/name` after Istio's resolution of the reference. */
  namespace: string;
  name: string;
  /** True for the reserved `mesh` (the sidecars). */
  mesh: boolean;
  /** Gateways of either API with that namespace and name. */
  found: GatewayIdentity[];
  /** The Istio Gateway's model when the reference names one. */
  gateway?: GatewayModel;
  /** True when the workspace holds Gateways at all (only then "not found" means something). */
  workspaceHasGateways: boolean;
}

/** The Gateway a VirtualService's `gateways` entry names, resolved as Istio resolves it. */
export function gatewayFor(index: WorkspaceIndex, reference: string, namespace: string): GatewayLookup {
  const { namespace: gatewayNamespace, name } = resolveGatewayReference(reference, namespace);
  const found = reference === 'mesh' ? [] : [...index.gatewaysNamed(gatewayNamespace, name)];
  const lookup: GatewayLookup = { namespace: gatewayNamespace, name, mesh: reference === 'mesh', found, workspaceHasGateways: index.hasGateways() };
  for (const identity of found) {
    const model = identity.document.analysis.model;
    if (model?.kind === 'Gateway') {
      lookup.gateway = model;
      break;
    }
  }
  return lookup;
}

/** Istio's resolveGatewayName: `ns/name`, `./name`, a short name (the VirtualService's namespace) or the legacy `name.ns…`. */
export function resolveGatewayReference(reference: string, namespace: string): { namespace: string; name: string } {
  const slash = reference.indexOf('/');
  if (slash >= 0) {
    const before = reference.slice(0, slash);
    return { namespace: before === '.' ? namespace : before, name: reference.slice(slash + 1) };
  }
  const dot = reference.indexOf('.');
  if (dot < 0) return { namespace, name: reference };
  const rest = reference.slice(dot + 1);
  const next = rest.indexOf('.');
  return { namespace: next < 0 ? rest : rest.slice(0, next), name: reference.slice(0, dot) };
}

/** The gateways a VirtualService is bound to: its `gateways`, or `mesh` when it lists none. */
export function boundGateways(model: VirtualServiceModel, namespace: string): string[] {
  if (model.gateways.length === 0) return ['mesh'];
  return model.gateways.map((gateway) => {
    if (gateway.value === 'mesh') return 'mesh';
    const resolved = resolveGatewayReference(gateway.value, namespace);
    return `${resolved.namespace}/${resolved.name}`;
  });
}

/** The VirtualServices claiming `host` (as written in a resource of `namespace`), in file order. */
export function virtualServicesForHost(index: WorkspaceIndex, host: string, namespace: string): readonly IndexedResource<VirtualServiceModel>[] {
  return index.virtualServicesClaiming(resolveHost(host, namespace, index.analysisContext.clusterDomain));
}

// ---------------------------------------------------------------------------------------------
// Apps: a Service and the versions of pods behind it

export interface WorkspaceApp {
  service: ResourceEntry<ServiceModel>;
  /** The Service's selector: every pod of the app carries these labels. */
  selector: Record<string, string>;
  /** The Service's port when it has one (the first otherwise). */
  port?: number;
  /** That port's `targetPort` when it is a number: the pods' port. */
  containerPort?: number;
  /** The workloads behind the Service by their `version` label, in file order. */
  versions: { version: string; image?: string; workload: IndexedResource<WorkloadModel> }[];
  /** True when a VirtualService of the workspace routes the Service's host. */
  routed: boolean;
}

/**
 * The apps the workspace holds, as a canary setup would use them: Services whose selector
 * picks pods of every version (no `version` key in it), by namespace and name. Names and
 * selectors with placeholders are left out, and so are values the scaffold would refuse
 * (util/inputValidation.ts): such a Service is not offered, such a version, image or port not used.
 */
export function workspaceApps(index: WorkspaceIndex): WorkspaceApp[] {
  const apps: WorkspaceApp[] = [];
  for (const service of index.resources('Service')) {
    const name = service.model.name?.value;
    const selector = service.model.selector;
    if (!name || hasPlaceholder(name) || hasPlaceholder(service.namespace) || !selector || service.model.type === 'ExternalName') continue;
    // What the scaffold would refuse as an answer is not offered as one (Kubernetes would refuse such a Service too).
    if (validateServiceName(name) || validateDnsLabel(service.namespace)) continue;
    if (Object.keys(selector).length === 0 || 'version' in selector || Object.values(selector).some((value) => hasPlaceholder(value))) continue;
    const versions: WorkspaceApp['versions'] = [];
    for (const workload of workloadsOfService(index, service)) {
      const version = workload.model.podLabels.version;
      if (version === undefined || hasPlaceholder(version) || validateDnsLabel(version) || versions.some((known) => known.version === version)) continue;
      const image = workload.model.containers.map((container) => container.image).find((candidate) => candidate !== undefined && !validateImage(candidate));
      versions.push(image === undefined ? { version, workload } : { version, image, workload });
    }
    const app: WorkspaceApp = { service, selector, versions, routed: virtualServicesForHost(index, name, service.namespace).length > 0 };
    const [port] = service.model.ports;
    if (port && !validatePort(String(port.number))) {
      app.port = port.number;
      if (port.targetPort !== undefined && !validatePort(port.targetPort)) app.containerPort = Number(port.targetPort);
    }
    apps.push(app);
  }
  return apps.sort((a, b) => `${a.service.namespace}/${a.service.model.name?.value}`.localeCompare(`${b.service.namespace}/${b.service.model.name?.value}`));
}

// ---------------------------------------------------------------------------------------------
// Kustomize

export interface KustomizeRole {
  /** The file is a patch of some kustomization: a partial object, merged into a resource. */
  patch: boolean;
  /** The file is built by kustomize (a resource, a patch, or in a kustomization's folder). */
  built: boolean;
}

export function kustomizeRole(index: WorkspaceIndex, uri: string): KustomizeRole {
  const layout = index.kustomize();
  if (layout.empty) return { patch: false, built: false };
  return { patch: layout.isPatch(uri), built: layout.isBuilt(uri) };
}

// ---------------------------------------------------------------------------------------------
// Workloads: what their pods do with mirrored copies

export interface WriteGuard {
  workload: IndexedResource<WorkloadModel>;
  container?: string;
  variable: string;
  value?: string;
}

const writeGuardName = /(?:^|_)(?:DISABLE_?WRITES?|WRITES?_DISABLED|READ_?ONLY(?:_MODE)?|DRY_?RUN|NO_?WRITES?|SHADOW(?:_MODE)?|MIRROR(?:ED)?(?:_MODE)?|SIDE_?EFFECTS?(?:_DISABLED)?)(?:_|$)/i;

/**
 * Environment variables of the workloads' containers that look like a switch for writes or
 * side effects (`DISABLE_WRITE=true`, `READ_ONLY_MODE=true`, `DRY_RUN=1`…): mirroring guides
 * set one on the mirror target, because mirrored copies include every POST and PUT.
 */
export function writeGuards(workloads: readonly IndexedResource<WorkloadModel>[]): WriteGuard[] {
  const guards: WriteGuard[] = [];
  for (const workload of workloads) {
    for (const container of workload.model.containers) {
      for (const variable of container.env) {
        if (!writeGuardName.test(variable.name)) continue;
        const guard: WriteGuard = { workload, variable: variable.name };
        if (container.name !== undefined) guard.container = container.name;
        if (variable.value !== undefined) guard.value = variable.value;
        guards.push(guard);
      }
    }
  }
  return guards;
}

/** `demo/checkout-canary` for messages. */
export function resourceName(entry: ResourceEntry): string {
  return `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`;
}

/** `app=checkout, version=v2` for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'no labels' : entries.map(([key, value]) => `${key}=${value}`).join(', ');
}
