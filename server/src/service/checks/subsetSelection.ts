// Checks of a DestinationRule against the workloads and services of the workspace
// (istioctl's destinationrule.SubsetSelectPodAnalyzer), made only where the workspace holds
// enough to be sure:
// - IST0173: a subset whose labels (with the Service's selector, in the Service's namespace,
//   as Envoy's subset cluster takes them) match none of the pod templates of the Service's
//   workloads, when the workspace holds the Service and at least one of its workloads;
// - IST0174: a host that no Service or ServiceEntry declares, when the workspace holds Services
//   of that namespace (an in-cluster host) or ServiceEntries (another host).

import { hasPlaceholder, isWildcard } from '../model/hostNames';
import type { DestinationRuleModel } from '../model/resourceModel';
import type { WorkspaceIndex, ResourceEntry } from '../workspace/workspaceIndex';
import { formatLabels, hostBackends, resourceName, workloadsForSubset } from '../workspace/workspaceQueries';
import { comparableLabels } from './backendReferences';
import { relatedTo, type Finding } from './relatedResources';

export function checkSubsetSelection(entry: ResourceEntry<DestinationRuleModel>, index: WorkspaceIndex): Finding[] {
  const findings: Finding[] = [];
  const { model, namespace } = entry;
  const host = model.host;
  if (!host || host.value === '' || hasPlaceholder(host.value) || /\$\{|\$\(/.test(host.value) || isWildcard(host.value)) return findings;
  const backends = hostBackends(index, host.value, namespace);
  if (!backends.known) {
    if (workspaceCoversHost(index, backends.resolved, backends.external)) {
      findings.push({
        problem: {
          code: 'IST0174',
          range: host.range,
          message: `Host ${backends.resolved} matches no Service or ServiceEntry in the workspace${backends.external ? ', which declares other external hosts with ServiceEntries' : `, which holds other Services of namespace "${namespaceOfHost(backends.resolved)}"`}: this DestinationRule applies to nothing unless the host is defined elsewhere. Check the host name (short names expand with the DestinationRule's namespace "${namespace}").`,
        },
        related: [],
      });
    }
    return findings;
  }
  for (const subset of model.subsets) {
    if (Object.keys(subset.labels).length === 0 || !comparableLabels(subset.labels)) continue;
    const selection = workloadsForSubset(index, entry, subset);
    if (!selection.known || selection.selected.length > 0 || !selection.service) continue;
    const pods = selection.serviceWorkloads.map((workload) => `${workload.model.name?.value ?? '?'} (${formatLabels(workload.model.podLabels)})`).join('; ');
    findings.push({
      problem: {
        code: 'IST0173',
        range: subset.name.range,
        message: `Subset "${subset.name.value}" selects no pod: it needs ${formatLabels(subset.labels)}, and the pods of Service ${resourceName(selection.service)} in the workspace are ${pods}. Routes to it fail with 503 (no healthy upstream) and mirrored copies to it go nowhere. Change the subset's labels to those of the pods it should select.`,
        data: { subset: subset.name.value, host: backends.resolved },
      },
      related: selection.serviceWorkloads.map((workload) => relatedTo(workload, `${workload.model.kind} ${resourceName(workload)}: ${formatLabels(workload.model.podLabels)}`)),
    });
  }
  return findings;
}

function namespaceOfHost(resolved: string): string | undefined {
  return /^[^.]+\.([^.]+)\.svc\./.exec(resolved)?.[1];
}

/** True when the workspace holds enough of the host's kind to say it is missing. */
function workspaceCoversHost(index: WorkspaceIndex, resolved: string, external: boolean): boolean {
  if (external) return index.serviceEntries().length > 0;
  const namespace = namespaceOfHost(resolved);
  if (namespace === undefined) return false;
  // A host under another domain (`x.ns.svc.cluster.locl`) is no Service name of this cluster:
  // the Services of `ns` say nothing about it (nor are its findings re-published when they change).
  if (!resolved.endsWith(`.${namespace}.svc.${index.analysisContext.clusterDomain}`)) return false;
  return index.servicesInNamespace(namespace);
}
