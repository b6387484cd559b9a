// Hover sections about what runs behind a target: the workloads a subset selects (their
// replicas and images) and the load a mirror puts on them (mirrorLoad.ts). Silent when the
// workspace does not hold the host's Service and its workloads.

import type { DestinationModel, RouteRuleModel, SubsetModel } from '../model/resourceModel';
import { replicaCount, type WorkloadModel } from '../model/workloadModel';
import type { IndexedResource } from '../workspace/workspaceIndex';
import { formatLabels, resourceName, subsetDefinitions, workloadsForLabels } from '../workspace/workspaceQueries';
import type { FeatureContext } from './featureContext';
import { mirrorLoad } from './mirrorLoad';

/** A workspace string as Markdown inline code, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ` ${text} ` : text}${fence}`;
}

function workloadLine(entry: IndexedResource<WorkloadModel>): string {
  const replicas = replicaCount(entry.model);
  const images = [...new Set(entry.model.containers.map((container) => container.image).filter((image): image is string => !!image))];
  const parts = [replicas === undefined ? 'one pod per node' : `${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`];
  if (images.length > 0) parts.push(`${images.length === 1 ? 'image' : 'images'} ${images.map(markdownCode).join(', ')}`);
  return `- ${entry.model.kind} ${markdownCode(resourceName(entry))}: ${parts.join(', ')}`;
}

/** The workloads a subset's labels select behind `host` (as written in a resource of `namespace`). */
export function subsetPodsHover(context: FeatureContext, host: string, namespace: string, labels: Readonly<Record<string, string>>): string | undefined {
  const selection = workloadsForLabels(context.index, host, namespace, labels);
  if (!selection.known || !selection.service) return undefined;
  const service = markdownCode(resourceName(selection.service));
  if (selection.selected.length === 0) {
    const others = selection.serviceWorkloads.map((entry) => `- ${entry.model.kind} ${markdownCode(resourceName(entry))}: ${markdownCode(formatLabels(entry.model.podLabels))}`);
    return `**Pods:** none of Service ${service}'s workloads carry ${markdownCode(formatLabels(labels))}. Its workloads:\n\n${others.join('\n')}`;
  }
  return `**Pods** (Service ${service}):\n\n${selection.selected.map(workloadLine).join('\n')}`;
}

/** The pods behind a VirtualService destination's subset, from the DestinationRule that defines it. */
export function destinationPodsHover(context: FeatureContext, destination: DestinationModel, namespace: string): string | undefined {
  const host = destination.host?.value;
  const subset = destination.subset?.value;
  if (!host || !subset) return undefined;
  const [definition] = subsetDefinitions(context.index, host, namespace, subset);
  return definition ? subsetPodsHover(context, host, namespace, definition.subset.labels) : undefined;
}

/** The pods behind a DestinationRule's subset. */
export function ruleSubsetPodsHover(context: FeatureContext, host: string | undefined, subset: SubsetModel, namespace: string): string | undefined {
  return host ? subsetPodsHover(context, host, namespace, subset.labels) : undefined;
}

/** The load a mirror puts on its target's pods, and whether they write. */
export function mirrorLoadHover(context: FeatureContext, rule: RouteRuleModel, mirror: DestinationModel, namespace: string): string | undefined {
  const load = mirrorLoad(context, rule, mirror, namespace);
  if (!load) return undefined;
  return `**Load:** ${load.summary}.${load.writes ? `\n\n${load.writes}` : ''}`;
}
