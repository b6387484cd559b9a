// The traffic split of Gateway API routes: each HTTPRoute and GRPCRoute rule, converted to the
// VirtualService rule model as Istio converts it (model/gatewayApiRoutes.ts), rendered with the
// same code as VirtualServices, so the CLI preview and the webview show both APIs alike.

import { namespaceOf } from '../model/resourceModel';
import type { GatewayRouteModel, ParentRefModel } from '../model/gatewayApiRoutes';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { documentRange, splitRoutes, type SplitVirtualService } from './trafficSplit';

/** A parent as the preview names it: `Gateway istio-system/public`, `Service reviews:9080`. */
export function describeParent(parent: ParentRefModel): string {
  const name = `${parent.namespace ? `${parent.namespace.value}/` : ''}${parent.name?.value ?? '?'}`;
  const section = parent.sectionName ? `/${parent.sectionName}` : parent.port !== undefined ? `:${parent.port}` : '';
  return `${parent.kind} ${name}${section}`;
}

export function splitOfGatewayRoute(context: FeatureContext, entry: ResourceEntry<GatewayRouteModel>): SplitVirtualService {
  const model = entry.model;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const place = { startLine: entry.startLine };
  return {
    kind: model.kind,
    name: model.name?.value ?? '(unnamed)',
    namespace,
    file: entry.uri,
    hosts: model.hostnames.map((host) => host.value),
    gateways: model.parentRefs.map(describeParent),
    routes: splitRoutes(context, [model.rules.map((rule) => rule.route)], namespace, place),
    range: documentRange(context, entry),
    nameRange: toFileRange(place, model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
  };
}

/** The HTTPRoutes and GRPCRoutes of the given files (all when `wanted` is undefined). */
export function gatewayRouteSplits(context: FeatureContext, wanted?: ReadonlySet<string>): { httpRoutes: SplitVirtualService[]; grpcRoutes: SplitVirtualService[] } {
  const httpRoutes: SplitVirtualService[] = [];
  const grpcRoutes: SplitVirtualService[] = [];
  for (const entry of context.index.resources('HTTPRoute')) if (!wanted || wanted.has(entry.uri)) httpRoutes.push(splitOfGatewayRoute(context, entry));
  for (const entry of context.index.resources('GRPCRoute')) if (!wanted || wanted.has(entry.uri)) grpcRoutes.push(splitOfGatewayRoute(context, entry));
  return { httpRoutes, grpcRoutes };
}
