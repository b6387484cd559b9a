// The LSP side of the Gateway API features (issue 13): the `istio/convertToHttpRoute` request.
// (The preview's list of VirtualServices and Gateway API routes in file order is built by the
// service, features/trafficSplitWindow.ts.)

import type { Connection } from 'vscode-languageserver/node';
import type { IstioLanguageService } from './service/languageService';
import { convertToHttpRouteRequest } from './protocol';
import { runSafe } from './runSafe';

export function registerGatewayApiRequests(connection: Connection, service: IstioLanguageService, log: (message: string) => void): void {
  connection.onRequest(convertToHttpRouteRequest, (params) => runSafe(log, 'convert to HTTPRoute', () => service.convertToHttpRoute(params.uri, params.position) ?? null, null));
}
