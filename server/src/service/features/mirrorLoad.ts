// The load a mirror puts on the pods behind it, from what the workspace holds: the replicas
// behind the mirror target and behind each of the rule's destinations, the per-replica load of
// the target compared with each destination's, and whether the target's pods switch off writes
// (mirrored copies include every POST and PUT). One answer for the hover and the preview.

import type { DestinationModel, RouteRuleModel } from '../model/resourceModel';
import { formatPercent, normalisedShares } from '../model/trafficShares';
import { replicasBehind, resourceName, writeGuards } from '../workspace/workspaceQueries';
import type { FeatureContext } from './featureContext';

export interface LoadComparison {
  /** The destination compared with, as `host` or `host subset`. */
  target: string;
  replicas: number;
  /** The destination's share of the rule's requests, 0–100. */
  share: number;
  /** The mirror target's per-replica load from this rule ÷ the destination's. */
  ratio: number;
}

export interface MirrorLoad {
  /** Pods behind the mirror target (0 when its labels select none). */
  replicas: number;
  /** `namespace/name` of the workloads behind the target. */
  workloads: string[];
  comparisons: LoadComparison[];
  /** The load in words: "canary: 1 replica receives copies of 50 % of the requests that 3 stable replicas serve: 1.5× …". */
  summary: string;
  /** Writes: what the target's pods set to disable them, or a reminder that nothing does. */
  writes: string;
}

function label(destination: DestinationModel): string {
  return destination.subset?.value || destination.host?.value || '(no host)';
}

function replicasText(count: number): string {
  return `${count} ${count === 1 ? 'replica' : 'replicas'}`;
}

function ratioText(ratio: number): string {
  return `${Number(ratio.toPrecision(ratio >= 10 ? 3 : 2))}×`;
}

/**
 * The load of one mirror of `rule`, resources written in `namespace`; undefined when the
 * workspace does not hold the pods behind the mirror target (so nothing can be said).
 */
export function mirrorLoad(context: FeatureContext, rule: RouteRuleModel, mirror: DestinationModel, namespace: string): MirrorLoad | undefined {
  const host = mirror.host?.value;
  if (!host) return undefined;
  const behind = replicasBehind(context.index, host, namespace, mirror.subset?.value);
  if (!behind.known || behind.replicas === undefined) return undefined;
  const percent = mirror.percent ?? 100;
  const workloads = behind.workloads.map(resourceName);
  const name = label(mirror);
  if (behind.replicas === 0) {
    return { replicas: 0, workloads, comparisons: [], summary: `${name}: no pod receives the copies (its labels select no workload of the Service)`, writes: '' };
  }

  const shares = normalisedShares(rule.destinations.map((destination) => destination.weight));
  const comparisons: LoadComparison[] = [];
  rule.destinations.forEach((destination, index) => {
    const share = shares[index] ?? 0;
    if (!destination.host || share === 0) return;
    const primary = replicasBehind(context.index, destination.host.value, namespace, destination.subset?.value);
    if (!primary.known || !primary.replicas) return;
    const ratio = (percent / behind.replicas!) / (share / primary.replicas);
    comparisons.push({ target: label(destination), replicas: primary.replicas, share, ratio });
  });

  let summary = `${name}: ${replicasText(behind.replicas)} ${behind.replicas === 1 ? 'receives' : 'receive'} copies of ${formatPercent(percent)} of this rule's requests`;
  if (comparisons.length === 1) {
    const [only] = comparisons;
    summary += ` that ${replicasText(only.replicas)} of ${only.target} serve: ${ratioText(only.ratio)} the per-replica load of ${only.target}`;
  } else if (comparisons.length > 1) {
    summary += `; per replica, ${comparisons.map((comparison) => `${ratioText(comparison.ratio)} the load of ${comparison.target} (${replicasText(comparison.replicas)}, ${formatPercent(comparison.share)} of the requests)`).join(', ')}`;
  }

  const guards = writeGuards(behind.workloads);
  const writes = guards.length > 0
    ? `Mirrored copies include writes; the target's pods set ${guards.map((guard) => `${guard.variable}${guard.value !== undefined ? `=${guard.value}` : ''} (${resourceName(guard.workload)})`).join(', ')}.`
    : 'Mirrored copies include writes (POST, PUT, DELETE), and no pod behind the target sets a variable that disables them (mirroring guides set DISABLE_WRITE=true or a read-only mode on the mirror target).';
  return { replicas: behind.replicas, workloads, comparisons, summary, writes };
}
