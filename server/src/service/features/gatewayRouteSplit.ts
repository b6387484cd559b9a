// The traffic split of Gateway API routes: each HTTPRoute and GRPCRoute rule, converted to the
// VirtualService rule model as Istio converts it (model/gatewayApiRoutes.ts), rendered with the
// same code as VirtualServices, so the CLI preview and the webview show both APIs alike.

import { namespaceOf } from '../model/resourceModel';
import { checkGatewayRouteReferences } from '../checks/gatewayApiReferences';
import type { Problem } from '../types';
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
    routes: withIstioFailures(context, entry, namespace, splitRoutes(context, [model.rules.map((rule) => rule.route)], namespace, place)),
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

/** Codes with which Istio rejects the whole rule, wherever they are found in it. */
const ruleFailures = new Set(['IM2508', 'IM2510']);
/** Codes that make a backend (or mirror) resolve to nothing; on a GRPCRoute a mirror's failure fails the rule. */
const backendFailures = new Set(['IM2509', 'IM3501', 'IM3502']);

function firstSentence(message: string): string {
  return /^(.*?[.!?])(\s|$)/.exec(message)?.[1] ?? message;
}

/**
 * What Istio does with the route's problems, shown in the split: a backend or mirror that
 * resolves to nothing carries the problem; a rule Istio rejects (a RequestMirror inside a
 * backendRef, an unsupported filter, a backend named by its DNS name, or on a GRPCRoute an
 * unresolvable mirror) is marked as never used, with the reason.
 */
function withIstioFailures(context: FeatureContext, entry: ResourceEntry<GatewayRouteModel>, namespace: string, routes: SplitVirtualService['routes']): SplitVirtualService['routes'] {
  const model = entry.model;
  const document = context.index.getFile(entry.uri)?.documents[entry.documentIndex];
  const problems: Problem[] = [...(document?.analysis.problems ?? []), ...checkGatewayRouteReferences(model, namespace, context.index)];
  const within = (path: readonly (string | number)[] | undefined, prefix: readonly (string | number)[]): boolean =>
    path !== undefined && prefix.length <= path.length && prefix.every((step, index) => path[index] === step);
  for (const route of routes) {
    const rule = model.rules[route.index];
    if (!rule) continue;
    const forwarded = rule.backends.filter((backend) => (backend.weight ?? 1) > 0);
    for (const problem of problems) {
      const path = problem.data?.path;
      if (!within(path, ['spec', 'rules', route.index])) continue;
      const text = firstSentence(problem.message);
      const backendAt = forwarded.findIndex((backend) => within(path, backend.path));
      const mirrorAt = rule.mirrors.findIndex((mirror) => within(path, mirror.path));
      if (backendFailures.has(problem.code) && backendAt >= 0 && route.destinations[backendAt]) route.destinations[backendAt].problem ??= text;
      if (backendFailures.has(problem.code) && mirrorAt >= 0 && route.mirrors[mirrorAt]) route.mirrors[mirrorAt].problem ??= text;
      const failsRule = ruleFailures.has(problem.code)
        || (problem.code === 'IM2509' && (backendAt >= 0 || model.kind === 'GRPCRoute'))
        || (model.kind === 'GRPCRoute' && mirrorAt >= 0 && backendFailures.has(problem.code));
      if (failsRule && route.reachable) {
        route.reachable = false;
        route.unreachableReason = `Istio rejects this rule: ${text}`;
      }
    }
  }
  return routes;
}
