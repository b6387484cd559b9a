// The LSP side of the Gateway API features (issue 13): the `istio/convertToHttpRoute` request,
// and the traffic-split result as the preview panel reads it (Gateway API routes listed with
// the VirtualServices, in file order, marked by `kind`).

import type { Connection } from 'vscode-languageserver/node';
import type { IstioLanguageService } from './service/languageService';
import { convertToHttpRouteRequest, type TrafficSplitResult } from './protocol';
import { runSafe } from './runSafe';
import type { TrafficSplitModel } from './service/features/trafficSplit';

/** The split model with HTTPRoutes and GRPCRoutes folded into `virtualServices` in file order (the panel's one list). */
export function panelModel(model: TrafficSplitModel): TrafficSplitResult {
  const all = [...model.virtualServices, ...(model.httpRoutes ?? []), ...(model.grpcRoutes ?? [])];
  all.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line));
  return { virtualServices: all };
}

export function registerGatewayApiRequests(connection: Connection, service: IstioLanguageService, log: (message: string) => void): void {
  connection.onRequest(convertToHttpRouteRequest, (params) => runSafe(log, 'convert to HTTPRoute', () => service.convertToHttpRoute(params.uri, params.position) ?? null, null));
}
