// The monitoring part of the hover on a mirror's subset: the label Istio reports for the
// subset's pods on the receiving side (the only side that sees mirrored copies) and the query of
// the request rate it receives, from the same code as `istio-mirror monitor`.

import type { DestinationModel } from '../model/resourceModel';
import type { FeatureContext } from './featureContext';
import { subsetRateQuery } from './mirrorMonitoring';
import { markdownCode, markdownFence } from '../util/markdownText';

export function mirrorSubsetMonitoringHover(context: FeatureContext, destination: DestinationModel, namespace: string): string | undefined {
  const host = destination.host?.value;
  const subset = destination.subset?.value;
  if (!host || !subset) return undefined;
  const { reportedAs, query, selectedBy } = subsetRateQuery(context, host, subset, namespace);
  if (selectedBy === 'envoyCluster') {
    return `**Monitoring:** ${markdownCode(String(host))} is not a Kubernetes service, so no Istio sidecar reports the copies it receives; the caller's Envoy statistics count them:\n\n${markdownFence(query, 'promql')}`;
  }
  const how = selectedBy === 'service'
    ? `Istio's metrics cannot tell this subset's pods from the rest of the service (its labels include no \`version\`, \`app.kubernetes.io/version\` or \`service.istio.io/canonical-revision\`, and the workspace holds no workload for it)`
    : `Istio reports this subset's pods as ${markdownCode(String(reportedAs))}`;
  return `**Monitoring:** ${how}, on \`reporter="destination"\`: only the receiving sidecar reports mirrored copies. Copies received per second:\n\n${markdownFence(query, 'promql')}\n\n\`istio-mirror monitor\` and the **Monitor** code lens give the full comparison with the primary.`;
}
