// Renders the traffic-split model as text for `istio-mirror preview`: each VirtualService,
// its rules in order with the match in plain words, proportional bars for the destinations'
// normalised shares, mirrors marked as copies, and the expected requests per N.

import { targetTotals, type SplitRoute, type SplitVirtualService, type TrafficSplitModel } from '../service/features/trafficSplit';
import { formatPercent } from '../service/model/trafficShares';

const barWidth = 20;

function bar(percent: number, fill: string): string {
  // Out-of-range percentages (Istio rejects them; the check reports them) are drawn clamped.
  const cells = Math.round((Math.min(100, Math.max(0, percent)) / 100) * barWidth);
  return fill.repeat(cells) + '·'.repeat(barWidth - cells);
}

function target(host: string, subset: string | undefined): string {
  return subset ? `${host}/${subset}` : host;
}

function replicas(value: number): string {
  return `${value} ${value === 1 ? 'replica' : 'replicas'}`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Width of the target column, shared by all rules of a VirtualService so the bars line up. */
function targetWidth(virtualService: SplitVirtualService): number {
  return Math.max(0, ...virtualService.routes.flatMap((route) => [
    ...route.destinations.map((d) => target(d.host, d.subset).length),
    ...route.mirrors.map((m) => target(m.host, m.subset).length + 7),
  ]));
}

type ResourceKind = 'VirtualService' | 'HTTPRoute' | 'GRPCRoute';

function routeLines(route: SplitRoute, perRequests: number, width: number, kind: ResourceKind): string[] {
  const title = route.name ? `"${route.name}"` : `#${route.index}`;
  const protocol = route.protocol === 'http' ? '' : `${route.protocol} `;
  const lines = [`  ${protocol}rule ${title}: ${route.match}${route.reachable ? '' : `  (never used: ${route.unreachableReason})`}`];
  if (route.action !== 'route') {
    // A Gateway API rule without a backend of weight above 0 is answered with HTTP 500 by Istio.
    const action = kind !== 'VirtualService' && route.action === 'directResponse' ? 'an error (HTTP 500): no backend of weight above 0' : route.action;
    lines.push(`      answers with ${action}`);
  }
  for (const destination of route.destinations) {
    const name = target(destination.host, destination.subset);
    const weight = destination.weight !== undefined ? ` (weight ${destination.weight})` : '';
    const problem = destination.problem ? `  ✗ ${destination.problem}` : '';
    const pods = destination.replicas !== undefined ? ` · ${replicas(destination.replicas)}` : '';
    lines.push(`      → ${name.padEnd(width)}  ${formatPercent(destination.percent).padStart(7)}  ${bar(destination.percent, '█')}  ${count((destination.percent / 100) * perRequests)} of ${count(perRequests)}${weight}${pods}${problem}`);
  }
  for (const mirror of route.mirrors) {
    const name = `mirror ${target(mirror.host, mirror.subset)}`;
    const problem = mirror.problem ? `  ✗ ${mirror.problem}` : '';
    lines.push(`      ⇢ ${name.padEnd(width)}  ${formatPercent(mirror.percent).padStart(7)}  ${bar(mirror.percent, '░')}  ${count((mirror.percent / 100) * perRequests)} copies, responses discarded${problem}`);
    if (mirror.load) lines.push(`          load: ${mirror.load}`);
    if (mirror.writes) lines.push(`          writes: ${mirror.writes}`);
    if (mirror.envoy) lines.push(`          ${mirror.envoy}`);
  }
  return lines;
}

function virtualServiceLines(virtualService: SplitVirtualService, file: string, perRequests: number, kind: ResourceKind = 'VirtualService'): string[] {
  const where = kind === 'VirtualService'
    ? `  hosts: ${virtualService.hosts.join(', ') || '(none: delegate)'}${virtualService.gateways.length > 0 ? ` · gateways: ${virtualService.gateways.join(', ')}` : ''}`
    : `  parents: ${virtualService.gateways.join(', ') || '(none: the route applies nowhere)'}${virtualService.hosts.length > 0 ? ` · hostnames: ${virtualService.hosts.join(', ')}` : ''}`;
  const lines = [`${kind} ${virtualService.namespace}/${virtualService.name}  (${file}:${virtualService.nameRange.start.line + 1})`, where];
  const width = targetWidth(virtualService);
  for (const route of virtualService.routes) lines.push(...routeLines(route, perRequests, width, kind));
  const totals = targetTotals(virtualService, perRequests);
  if (totals.length > 0) {
    lines.push(`  per ${count(perRequests)} requests to each rule:`);
    for (const total of totals) {
      const parts = [total.requests > 0 ? `${count(total.requests)} requests` : '', total.mirroredCopies > 0 ? `${count(total.mirroredCopies)} mirrored copies` : ''].filter(Boolean);
      lines.push(`      ${total.target}: ${parts.join(' + ') || 'nothing'}${total.problem ? '  ✗ subset not defined' : ''}`);
    }
  }
  return lines;
}

export function formatPreviewText(model: TrafficSplitModel, fileOf: (uri: string) => string, perRequests: number): string {
  const sections = [
    ...model.virtualServices.map((vs) => virtualServiceLines(vs, fileOf(vs.file), perRequests)),
    ...(model.httpRoutes ?? []).map((route) => virtualServiceLines(route, fileOf(route.file), perRequests, 'HTTPRoute')),
    ...(model.grpcRoutes ?? []).map((route) => virtualServiceLines(route, fileOf(route.file), perRequests, 'GRPCRoute')),
  ];
  if (sections.length === 0) return 'No VirtualService, HTTPRoute or GRPCRoute found.';
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}
