// The istio/… requests (server/src/protocol.ts), used by the VS Code client's status item,
// commands and traffic-split preview (any client may call them). URIs are normalised on the
// way in and given back in the client's spelling.

import { normalizeUri } from './documentUris';
import type { ServerContext } from './serverContext';
import { runSafe } from './runSafe';
import { addMirrorRequest, createDestinationRuleRequest, mirrorTargetsRequest, resourceInfoRequest, scaffoldCanaryRequest, traceRequestRequest, trafficSplitRequest, type TraceRequestParams, type TraceResult, type TrafficSplitResult } from './protocol';
import { releaseOfSetting } from './service/model/istioReleases';
import { ScaffoldInputError } from './service/features/scaffoldInputs';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

export function registerIstioRequests(ctx: ServerContext): void {
  const { connection, service, documents, log } = ctx;

  connection.onRequest(resourceInfoRequest, (params) => runSafe(log, 'resource info', () => service.resourceInfo(normalizeUri(params.uri), params.position), { validated: false, documents: 0, validatedDocuments: 0 }));
  connection.onRequest(scaffoldCanaryRequest, (params) => {
    try {
      return service.scaffoldCanary(params);
    } catch (error) {
      // A value that cannot go into the YAML: the client is told which field and why.
      if (error instanceof ScaffoldInputError) throw new ResponseError(ErrorCodes.InvalidParams, error.message, { problems: error.problems });
      throw error;
    }
  });
  connection.onRequest(trafficSplitRequest, (params) => runSafe(log, 'traffic split', () => {
    const uri = normalizeUri(params.uri);
    const model: TrafficSplitResult = service.trafficSplitWindow(uri, params.position, params.limit ?? Number.POSITIVE_INFINITY);
    const templates = service.resourceInfo(uri, params.position ?? { line: 0, character: 0 }).templateDocuments;
    if (templates) model.templateDocuments = templates;
    return documents.toClient(model);
  }, { virtualServices: [] }));
  connection.onRequest(addMirrorRequest, (params) => runSafe(log, 'add mirror', () => documents.toClient(service.addMirror(normalizeUri(params.uri), params.position, params.target, params.percentage)), null));
  connection.onRequest(createDestinationRuleRequest, (params) => runSafe(log, 'create DestinationRule', () => documents.toClient(service.createDestinationRule(normalizeUri(params.uri), params.position)), null));
  connection.onRequest(traceRequestRequest, (params) => runSafe(log, 'trace request', () => {
    // A request without a host goes nowhere: no answer rather than a guess.
    const request = traceParams(params);
    return request.host === '' ? null : documents.toClient(service.traceRequest({ ...request, release: releaseOfSetting(ctx.settings.service.istioVersion) }));
  }, null as TraceResult | null));
  connection.onRequest(mirrorTargetsRequest, (params) => runSafe(log, 'mirror targets', () => documents.toClient(service.mirrorTargets(normalizeUri(params.uri), params.position)), { targets: [], defaultPercentage: ctx.settings.service.defaultMirrorPercentage }));
}

/** The fields of a trace request, checked (any client may send anything). */
function traceParams(params: TraceRequestParams): TraceRequestParams {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const out: TraceRequestParams = { host: text(params?.host) ?? '' };
  const path = text(params?.path);
  if (path) out.path = path.startsWith('/') ? path : `/${path}`;
  const method = text(params?.method);
  if (method) out.method = method;
  const gateway = text(params?.gateway);
  if (gateway) out.gateway = gateway;
  const namespace = text(params?.namespace);
  if (namespace) out.namespace = namespace;
  if (params?.headers && typeof params.headers === 'object') {
    out.headers = Object.fromEntries(Object.entries(params.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].trim() !== '').map(([name, value]) => [name.trim(), value]));
  }
  return out;
}
