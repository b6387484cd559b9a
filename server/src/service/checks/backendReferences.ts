// Checks of a VirtualService against what stands behind its destinations and mirrors in the
// workspace (istioctl's DestinationHostAnalyzer and GatewayAnalyzer, and what Envoy does at
// run time). Each finding is made only where the workspace holds what is needed to be sure:
// - IST0112: no `port`, and the Service exposes several (Istio falls back to the port the
//   request arrived on, which works only where the target has that port too: a warning);
// - IM3002 (istioctl IST0101 host:port): a `port` the Service or ServiceEntry does not expose;
// - IM3003: a host outside the cluster that no ServiceEntry declares (no cluster is built);
// - IM3001 (istioctl IST0173, seen from the route): a subset that selects none of the pods
//   the workspace holds for its Service;
// - IM3005 (istioctl IST0101 gateway): a gateway the workspace does not hold, where it holds Gateways.

import { hasPlaceholder } from '../model/hostNames';
import { allDestinations, type DestinationModel, type ResourceModel, type VirtualServiceModel } from '../model/resourceModel';
import type { Problem, Range } from '../types';
import type { ResourceEntry, WorkspaceIndex } from '../workspace/workspaceIndex';
import {
  formatLabels,
  gatewayFor,
  hostBackends,
  resourceName,
  subsetDefinitions,
  workloadsForLabels,
  type HostBackends,
  type HostPort,
} from '../workspace/workspaceQueries';
import { relatedTo, type Finding, type RelatedSource } from './relatedResources';

export interface BackendCheckOptions {
  /** True for a kustomize patch: what it leaves out is not reported. */
  partial: boolean;
}

export function checkBackendReferences(entry: ResourceEntry<VirtualServiceModel>, index: WorkspaceIndex, options: BackendCheckOptions): Finding[] {
  const problems: Finding[] = [];
  const { model, namespace } = entry;
  for (const destination of allDestinations(model)) {
    const host = destination.host;
    if (!host || host.value === '' || hasPlaceholder(host.value)) continue;
    const backends = hostBackends(index, host.value, namespace);
    if (backends.known) {
      checkPort(destination, backends, options, problems);
    } else if (backends.external) {
      problems.push(finding(externalHostProblem(destination, backends)));
    }
    if (destination.subset) checkSubsetPods(destination, index, namespace, problems);
  }
  checkGateways(model, index, namespace, problems);
  return problems;
}

/** Picks the range of a subset's name from a DestinationRule's model. */
export function subsetNameRange(name: string): (model: ResourceModel) => Range | undefined {
  return (model) => (model.kind === 'DestinationRule' ? model.subsets.find((subset) => subset.name.value === name)?.name.range : undefined);
}

function finding(problem: Problem, related: RelatedSource[] = []): Finding {
  return { problem, related };
}

function what(destination: DestinationModel): string {
  return destination.role === 'route' ? 'requests to it fail with 503' : 'every mirrored copy is dropped silently';
}

function portList(ports: readonly HostPort[]): string {
  return ports.map((port) => (port.name ? `${port.number} (${port.name})` : String(port.number))).join(', ');
}

function backendName(backends: HostBackends): string {
  if (backends.services.length > 0) return `Service ${resourceName(backends.services[0])}`;
  return `ServiceEntry ${backends.serviceEntries.map(resourceName).join(', ')}`;
}

function backendRelated(backends: HostBackends): RelatedSource[] {
  return [...backends.services, ...backends.serviceEntries].map((entry) => relatedTo(entry, `${entry.model.kind} ${resourceName(entry)}`));
}

function checkPort(destination: DestinationModel, backends: HostBackends, options: BackendCheckOptions, problems: Finding[]): void {
  const host = destination.host!;
  const ports = backends.ports;
  if (ports.length === 0) return;
  if (!destination.portWritten) {
    if (ports.length < 2 || options.partial) return;
    problems.push(finding({
      code: 'IST0112',
      range: host.range,
      message: `${destination.role === 'route' ? 'Destination' : 'Mirror'} ${host.value} has no port, and ${backendName(backends)} exposes ${ports.length} ports: ${portList(ports)}. Istio then uses the port the request arrived on, so ${what(destination)} wherever that port is not one of these. Add \`port: {number: ${ports[0].number}}\` (or another of them).`,
      data: { path: [...destination.path, 'port'], replacementValue: ports.map((port) => port.number) },
    }, backendRelated(backends)));
    return;
  }
  if (destination.port === undefined || ports.some((port) => port.number === destination.port)) return;
  // Sure only for a Service (one object per name); another ServiceEntry for the host, or the
  // real Service beside a ServiceEntry, may be applied from elsewhere.
  const sure = backends.services.length > 0;
  problems.push(finding({
    code: 'IM3002',
    ...(sure ? {} : { severity: 'warning' as const }),
    range: destination.portRange ?? host.range,
    message: `Port ${destination.port} is not exposed by ${backendName(backends)} for ${backends.resolved} (it exposes ${portList(ports)}), so Istio builds no cluster for it and ${what(destination)}. Use one of the exposed ports.`,
    data: { path: [...destination.path, 'port', 'number'], replacementValue: ports.map((port) => port.number) },
  }, backendRelated(backends)));
}

function externalHostProblem(destination: DestinationModel, backends: HostBackends): Problem {
  const host = destination.host!;
  const port = destination.port ?? (destination.role === 'route' ? undefined : 80);
  const consequence = destination.role === 'route'
    ? 'requests routed to it fail with 503 (no cluster)'
    : 'every mirrored copy is dropped, with no error anywhere';
  return {
    code: 'IM3003',
    range: host.range,
    message: `${host.value} is outside the cluster and no ServiceEntry in the workspace declares it: Istio builds no cluster for a host it does not know, so ${consequence}. Add a ServiceEntry for ${host.value}${port !== undefined ? ` with port ${port}` : ''} (quick fix), or ignore this if one is applied from elsewhere.`,
    data: { host: backends.resolved, path: [...destination.path, 'host'], ...(destination.port !== undefined ? { replacementValue: destination.port } : {}) },
  };
}

/** Topology labels Istio adds to every endpoint from its node: the workspace cannot know their values. */
const topologyLabel = /^(?:topology\.istio\.io\/|topology\.kubernetes\.io\/|kubernetes\.io\/hostname$|failure-domain\.beta\.kubernetes\.io\/)/;

/** True when a subset's labels can be compared with pod templates (no placeholders, no node-derived labels). */
export function comparableLabels(labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => !topologyLabel.test(key) && !hasPlaceholder(value) && !/\$\{|\$\(|\{\{/.test(value));
}

function checkSubsetPods(destination: DestinationModel, index: WorkspaceIndex, namespace: string, problems: Finding[]): void {
  const subset = destination.subset!;
  const host = destination.host!;
  const definitions = subsetDefinitions(index, host.value, namespace, subset.value);
  if (definitions.length === 0) return;
  const { subset: definition, rule } = definitions[0];
  if (Object.keys(definition.labels).length === 0 || !comparableLabels(definition.labels)) return;
  const selection = workloadsForLabels(index, host.value, namespace, definition.labels);
  if (!selection.known || selection.selected.length > 0 || !selection.service) return;
  const pods = selection.serviceWorkloads.map((workload) => `${workload.model.name?.value ?? '?'} (${formatLabels(workload.model.podLabels)})`).join('; ');
  const consequence = destination.role === 'route' ? 'requests routed to it fail with 503 (no healthy upstream)' : 'its mirrored copies go nowhere';
  problems.push(finding({
    code: 'IM3001',
    range: subset.range,
    message: `Subset "${subset.value}" selects no pod: it needs ${formatLabels(definition.labels)}, and the pods of Service ${resourceName(selection.service)} in the workspace are ${pods}. So ${consequence}. Fix the subset's labels in DestinationRule ${resourceName(rule)} or the workload's pod labels.`,
  }, [
    relatedTo(rule, `DestinationRule ${resourceName(rule)}, subset "${subset.value}"`, subsetNameRange(subset.value)),
    ...selection.serviceWorkloads.map((workload) => relatedTo(workload, `${workload.model.kind} ${resourceName(workload)}: ${formatLabels(workload.model.podLabels)}`)),
  ]));
}

function checkGateways(model: VirtualServiceModel, index: WorkspaceIndex, namespace: string, problems: Finding[]): void {
  if (!index.hasGateways()) return;
  model.gateways.forEach((gateway, position) => {
    if (gateway.value === 'mesh' || gateway.value === '' || hasPlaceholder(gateway.value) || /\$\{|\$\(/.test(gateway.value)) return;
    const lookup = gatewayFor(index, gateway.value, namespace);
    if (lookup.found.length > 0) return;
    problems.push(finding({
      code: 'IM3005',
      range: gateway.range,
      message: `Gateway ${lookup.namespace}/${lookup.name} is not in the workspace, which holds other Gateways: if it does not exist, this VirtualService is bound to nothing there and its routes and mirrors do not apply at that gateway. Check the name and namespace (\`namespace/name\`, or a short name for the VirtualService's namespace "${namespace}").`,
      data: { path: ['spec', 'gateways', position] },
    }));
  });
}
