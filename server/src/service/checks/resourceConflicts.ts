// Conflicts between resources of the workspace that Istio resolves silently:
// - IST0109: two VirtualServices claim the same host on the same gateway. On `mesh` (the
//   sidecars) Istio uses one of them and ignores the other; on a named gateway it merges their
//   routes in creation order, so one's catch-all can hide the other's rules. A warning: the
//   workspace may hold alternatives that are never applied together.
// - IM3004 (as Kiali's KIA0201): two DestinationRules of one namespace for one host define the
//   same subset, or both set a top-level traffic policy: Istio merges them and keeps the first
//   created rule's, so the other's is ignored.
// - IM3006: the same kind, namespace and name defined twice outside kustomize: the later apply
//   replaces the earlier. Kustomize patches and bases are not duplicates.

import { hasPlaceholder } from '../model/hostNames';
import type { DestinationRuleModel, VirtualServiceModel } from '../model/resourceModel';
import type { IndexedResource, ResourceEntry, WorkspaceIndex } from '../workspace/workspaceIndex';
import { boundGateways, formatLabels, kustomizeRole, resourceName } from '../workspace/workspaceQueries';
import { subsetNameRange } from './backendReferences';
import { ruleFor } from './ruleTable';
import { relatedTo, type Finding } from './relatedResources';

/**
 * True when the document has an error Istio's webhook rejects: such a resource never reaches the
 * cluster, so its own conflicts are not reported. (Rivals are not filtered so: whether another
 * document is rejected changes with every keystroke there, and would re-publish every claimant.)
 */
function rejected(entry: IndexedResource): boolean {
  return entry.document.analysis.problems.some((problem) => (problem.severity ?? ruleFor(problem.code).severity) === 'error');
}

/** At most three items in a message (`a, b, c and 2 more`); the related locations list the rest. */
function shortList(items: readonly string[], more = 'more'): string {
  const shown = items.slice(0, 3).join(', ');
  return items.length > 3 ? `${shown} and ${items.length - 3} ${more}` : shown;
}

function names(entries: readonly ResourceEntry[]): string {
  return shortList(entries.map(resourceName));
}

const maxRelated = 5;

export function checkVirtualServiceConflicts(entry: ResourceEntry<VirtualServiceModel>, index: WorkspaceIndex): Finding[] {
  const findings: Finding[] = [];
  const { model, namespace } = entry;
  if (rejected(entry as IndexedResource)) return findings;
  const name = model.name?.value;
  const gateways = boundGateways(model, namespace);
  const seen = new Set<string>();
  for (const host of model.hosts) {
    if (hasPlaceholder(host.value) || /\$\{|\$\(/.test(host.value)) continue;
    const resolved = index.resolveHost(host.value, namespace);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const rivals = index.virtualServicesClaiming(resolved).filter((other) =>
      other.document !== (entry as IndexedResource).document
      && !(other.namespace === namespace && other.model.name?.value === name)
      && !kustomizeRole(index, other.uri).patch
      && !other.document.analysis.problems.some((problem) => problem.code === 'IM0001')
      && exportsOverlap(model.exportTo, namespace, other.model.exportTo, other.namespace));
    if (rivals.length === 0) continue;
    const onMesh = rivals.filter((other) => gateways.includes('mesh') && boundGateways(other.model, other.namespace).includes('mesh'));
    if (onMesh.length > 0) {
      findings.push({
        problem: {
          code: 'IST0109',
          range: host.range,
          message: `VirtualServices ${names([entry, ...onMesh])} ${onMesh.length > 1 ? 'all' : 'both'} claim host ${resolved} for the mesh: applied together, the sidecars use only one of them and ignore the others, so which routes and mirrors apply is undefined. Merge them into one VirtualService (or ignore this if they are alternatives never applied together).`,
        },
        related: onMesh.slice(0, maxRelated).map((other) => relatedTo(other, `VirtualService ${resourceName(other)} also claims ${resolved}`)),
      });
      continue;
    }
    const shared = rivals.flatMap((other) => {
      const common = boundGateways(other.model, other.namespace).filter((gateway) => gateway !== 'mesh' && gateways.includes(gateway));
      return common.length > 0 ? [{ other, gateway: common[0] }] : [];
    });
    if (shared.length === 0) continue;
    findings.push({
      problem: {
        code: 'IST0109',
        range: host.range,
        message: `VirtualServices ${names([entry, ...shared.map(({ other }) => other)])} ${shared.length > 1 ? 'all' : 'both'} claim host ${resolved} on gateway ${shared[0].gateway}: Istio merges their routes in the order they were created, so a catch-all rule in the first hides the rules of the others. Merge them into one VirtualService.`,
      },
      related: shared.slice(0, maxRelated).map(({ other }) => relatedTo(other, `VirtualService ${resourceName(other)} also claims ${resolved}`)),
    });
  }
  return findings;
}

/** True when some namespace sees both resources (Istio's exportTo: empty or `*` is everywhere, `.` its own namespace). */
function exportsOverlap(a: readonly string[], namespaceA: string, b: readonly string[], namespaceB: string): boolean {
  const scope = (exportTo: readonly string[], own: string): Set<string> | 'all' => {
    if (exportTo.length === 0 || exportTo.includes('*')) return 'all';
    return new Set(exportTo.map((entry) => (entry === '.' ? own : entry)));
  };
  const left = scope(a, namespaceA);
  const right = scope(b, namespaceB);
  if (left === 'all' || right === 'all') return (left === 'all' ? right : left) === 'all' || ((left === 'all' ? right : left) as Set<string>).size > 0;
  for (const namespace of left) if (right.has(namespace)) return true;
  return false;
}

export function checkDestinationRuleConflicts(entry: ResourceEntry<DestinationRuleModel>, index: WorkspaceIndex): Finding[] {
  const findings: Finding[] = [];
  const { model, namespace } = entry;
  const host = model.host?.value;
  if (!host || hasPlaceholder(host) || host.startsWith('*') || /\$\{|\$\(/.test(host)) return findings;
  const lookup = index.destinationRulesFor(host, namespace);
  if (lookup.match !== 'exact') return findings;
  const others = lookup.rules.filter((other) =>
    other.document !== (entry as IndexedResource).document
    && other.namespace === namespace
    && other.model.name?.value !== model.name?.value
    && other.model.hasWorkloadSelector === model.hasWorkloadSelector
    && !model.hasWorkloadSelector
    && !kustomizeRole(index, other.uri).patch);
  if (others.length === 0) return findings;
  const resolved = index.resolveHost(host, namespace);
  for (const subset of model.subsets) {
    const twins = others.flatMap((other) => other.model.subsets.filter((candidate) => candidate.name.value === subset.name.value).map((candidate) => ({ other, candidate })));
    if (twins.length === 0) continue;
    const differ = twins.some(({ candidate }) => formatLabels(candidate.labels) !== formatLabels(subset.labels));
    findings.push({
      problem: {
        code: 'IM3004',
        range: subset.name.range,
        message: `Subset "${subset.name.value}" is also defined by DestinationRule ${twins.map(({ other }) => resourceName(other)).join(', ')} for host ${resolved}: Istio merges DestinationRules of one host and namespace and keeps the subset of the rule created first, ignoring the other${differ ? ` — and they differ (${formatLabels(subset.labels)} here, ${twins.map(({ candidate }) => formatLabels(candidate.labels)).join('; ')} there)` : ''}. Define each subset once.`,
      },
      related: twins.map(({ other, candidate }) => relatedTo(other, `DestinationRule ${resourceName(other)}: subset "${candidate.name.value}" (${formatLabels(candidate.labels)})`, subsetNameRange(candidate.name.value))),
    });
  }
  if (model.trafficPolicy) {
    const withPolicy = others.filter((other) => other.model.trafficPolicy);
    if (withPolicy.length > 0) {
      findings.push({
        problem: {
          code: 'IM3004',
          range: model.trafficPolicy,
          message: `DestinationRule ${withPolicy.map(resourceName).join(', ')} also sets a top-level trafficPolicy for host ${resolved}: Istio merges DestinationRules of one host and namespace and keeps only the policy of the rule created first, so one of the two policies is ignored. Keep the traffic policy in one DestinationRule.`,
        },
        related: withPolicy.map((other) => relatedTo(other, `DestinationRule ${resourceName(other)} sets a trafficPolicy`, (current) => (current.kind === 'DestinationRule' ? current.trafficPolicy : undefined))),
      });
    }
  }
  return findings;
}

/** IM3006: the same VirtualService or DestinationRule (namespace and name) defined twice outside kustomize. */
export function checkDuplicateDefinition(entry: ResourceEntry<VirtualServiceModel | DestinationRuleModel>, index: WorkspaceIndex): Finding[] {
  const name = entry.model.name;
  if (!name || kustomizeRole(index, entry.uri).built) return [];
  const twins = index.definitionsOf(entry.model.kind, entry.namespace, name.value).filter((other) =>
    other.document !== (entry as IndexedResource).document && !kustomizeRole(index, other.uri).built);
  if (twins.length === 0) return [];
  // No line numbers here: the finding is cached while the copy may move; the related locations say where.
  // Each file named once, with how often it holds a copy ("this file (2 times), b.yaml").
  const copies = new Map<string, number>();
  for (const other of twins) {
    const place = other.uri === entry.uri ? 'this file' : fileName(other.uri);
    copies.set(place, (copies.get(place) ?? 0) + 1);
  }
  const where = shortList([...copies].map(([place, count]) => (count > 1 ? `${place} (${count} times)` : place)), 'more files');
  return [{
    problem: {
      code: 'IM3006',
      range: name.range,
      message: `${entry.model.kind} ${resourceName(entry)} is also defined in ${where}: it is one object, so applying both replaces one definition with the other and only the last applied takes effect. Rename one, or delete the copy.`,
    },
    related: twins.slice(0, maxRelated).map((other) => relatedTo(other, `${entry.model.kind} ${resourceName(other)} defined again`)),
  }];
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
