// The LSP side of the Gateway API features (issue 13): the `istio/convertToHttpRoute` request.
// (The preview's list of VirtualServices and Gateway API routes in file order is built by the
// service, features/trafficSplitWindow.ts.)

import { normalizeUri } from './documentUris';
import type { ServerContext } from './serverContext';
import { convertToHttpRouteRequest } from './protocol';
import { runSafe } from './runSafe';

export function registerGatewayApiRequests(ctx: ServerContext): void {
  const { connection, service, documents, log } = ctx;
  connection.onRequest(convertToHttpRouteRequest, (params) => runSafe(log, 'convert to HTTPRoute', () => documents.toClient(service.convertToHttpRoute(normalizeUri(params.uri), params.position) ?? null), null));
}
