// The istio/… requests (server/src/protocol.ts), used by the VS Code client's status item,
// commands and traffic-split preview (any client may call them). URIs are normalised on the
// way in and given back in the client's spelling.

import { normalizeUri } from './documentUris';
import type { ServerContext } from './serverContext';
import { runSafe } from './runSafe';
import { addMirrorRequest, createDestinationRuleRequest, mirrorTargetsRequest, resourceInfoRequest, scaffoldCanaryRequest, trafficSplitRequest, type TrafficSplitResult } from './protocol';

export function registerIstioRequests(ctx: ServerContext): void {
  const { connection, service, documents, log } = ctx;

  connection.onRequest(resourceInfoRequest, (params) => runSafe(log, 'resource info', () => service.resourceInfo(normalizeUri(params.uri), params.position), { validated: false, documents: 0, validatedDocuments: 0 }));
  connection.onRequest(scaffoldCanaryRequest, (params) => service.scaffoldCanary(params));
  connection.onRequest(trafficSplitRequest, (params) => runSafe(log, 'traffic split', () => {
    const uri = normalizeUri(params.uri);
    const model: TrafficSplitResult = service.trafficSplitWindow(uri, params.position, params.limit ?? Number.POSITIVE_INFINITY);
    const templates = service.resourceInfo(uri, params.position ?? { line: 0, character: 0 }).templateDocuments;
    if (templates) model.templateDocuments = templates;
    return documents.toClient(model);
  }, { virtualServices: [] }));
  connection.onRequest(addMirrorRequest, (params) => runSafe(log, 'add mirror', () => documents.toClient(service.addMirror(normalizeUri(params.uri), params.position, params.target, params.percentage)), null));
  connection.onRequest(createDestinationRuleRequest, (params) => runSafe(log, 'create DestinationRule', () => documents.toClient(service.createDestinationRule(normalizeUri(params.uri), params.position)), null));
  connection.onRequest(mirrorTargetsRequest, (params) => runSafe(log, 'mirror targets', () => documents.toClient(service.mirrorTargets(normalizeUri(params.uri), params.position)), { targets: [], defaultPercentage: ctx.settings.service.defaultMirrorPercentage }));
}
