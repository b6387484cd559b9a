// Renders the traffic-split model as text for `istio-mirror preview`: each VirtualService,
// its rules in order with the match in plain words, proportional bars for the destinations'
// normalised shares (of the requests the rule's match takes), mirrors marked as copies, faults,
// and the expected requests per N requests to the VirtualService (ranges where a match decides).

import { trafficTotals, type Amount, type SplitRoute, type SplitVirtualService, type TrafficSplitModel } from '../service/features/trafficSplit';
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

function routeLines(route: SplitRoute, width: number, kind: ResourceKind): string[] {
  const protocol = route.protocol === 'http' ? '' : `${route.protocol} `;
  const lines = [`  ${protocol}rule ${route.label}: ${route.match}${route.reachable ? '' : `  (never used: ${route.unreachableReason})`}`];
  if (route.action !== 'route') {
    // A Gateway API rule without a backend of weight above 0 is answered with HTTP 500 by Istio.
    const action = kind !== 'VirtualService' && route.action === 'directResponse' ? 'an error (HTTP 500): no backend of weight above 0' : route.action;
    lines.push(`      answers with ${action}`);
  }
  const fault = route.fault;
  if (fault && fault.abortPercent >= 100) lines.push(`      fault: every request aborted with ${fault.abortStatus}: nothing is routed or mirrored`);
  else if (fault && fault.abortPercent > 0) lines.push(`      fault: ${formatPercent(fault.abortPercent)} aborted with ${fault.abortStatus} (neither routed nor mirrored)`);
  if (fault && fault.delayPercent > 0) lines.push(`      fault: ${formatPercent(fault.delayPercent)} delayed by ${fault.delay}`);
  // The shares are of the requests this rule takes, which its match decides.
  const of = `of ${route.takes}`;
  for (const destination of route.destinations) {
    const name = target(destination.host, destination.subset);
    const weight = destination.weight !== undefined ? ` (weight ${destination.weight})` : '';
    const outcome = destination.failure ? `  ✗ fails (503): ${destination.problem}` : `  ${of}`;
    const pods = destination.replicas !== undefined ? ` · ${replicas(destination.replicas)}` : '';
    lines.push(`      → ${name.padEnd(width)}  ${formatPercent(destination.percent).padStart(7)}  ${bar(destination.failure ? 0 : destination.servedPercent, '█')}${weight}${outcome}${pods}`);
  }
  for (const mirror of route.mirrors) {
    const name = `mirror ${target(mirror.host, mirror.subset)}`;
    const outcome = mirror.problem ? `  ✗ copies dropped: ${mirror.problem}` : `  copies ${of}, responses discarded`;
    lines.push(`      ⇢ ${name.padEnd(width)}  ${formatPercent(mirror.percent).padStart(7)}  ${bar(mirror.copiedPercent, '░')}${outcome}`);
    if (mirror.load) lines.push(`          load: ${mirror.load}`);
    if (mirror.writes) lines.push(`          writes: ${mirror.writes}`);
    if (mirror.envoy) lines.push(`          ${mirror.envoy}`);
  }
  return lines;
}

function amountText(amount: Amount): string {
  return Math.round(amount.min) === Math.round(amount.max) ? count(amount.min) : `${count(amount.min)}–${count(amount.max)}`;
}

const some = (amount: Amount): boolean => amount.max > 0;

function totalsLines(virtualService: SplitVirtualService, perRequests: number, kind: ResourceKind): string[] {
  const lines: string[] = [];
  for (const group of trafficTotals(virtualService, perRequests)) {
    const noun = group.protocol === 'http' ? 'requests' : 'connections';
    const unknown = group.unknownShares.map((route) => route.label).join(', ');
    lines.push(`  per ${count(perRequests)} ${noun} to this ${group.protocol === 'http' ? '' : `${group.protocol.toUpperCase()} `}${kind}${unknown ? ` (ranges: the share that rule${group.unknownShares.length > 1 ? 's' : ''} ${unknown} take${group.unknownShares.length > 1 ? '' : 's'} depend${group.unknownShares.length > 1 ? '' : 's'} on the ${noun}' headers, paths…)` : ''}:`);
    for (const total of group.targets) {
      const parts = [
        some(total.requests) ? `${amountText(total.requests)} ${noun}` : '',
        some(total.failed) ? `${amountText(total.failed)} failing (503)` : '',
        some(total.mirroredCopies) ? `${amountText(total.mirroredCopies)} mirrored copies` : '',
        some(total.droppedCopies) ? `${amountText(total.droppedCopies)} copies dropped` : '',
      ].filter(Boolean);
      lines.push(`      ${total.target}: ${parts.join(' + ') || 'nothing'}${total.problem ? '  ✗ subset not defined' : ''}`);
    }
    if (some(group.answered)) lines.push(`      answered by the proxy (fault abort, redirect, direct response): ${amountText(group.answered)}`);
    if (some(group.delegated)) lines.push(`      passed to a delegate VirtualService: ${amountText(group.delegated)}`);
    if (some(group.unmatched)) lines.push(`      matched by no rule (404): ${amountText(group.unmatched)}`);
  }
  return lines;
}

function virtualServiceLines(virtualService: SplitVirtualService, file: string, perRequests: number, kind: ResourceKind = 'VirtualService'): string[] {
  const where = kind === 'VirtualService'
    ? `  hosts: ${virtualService.hosts.join(', ') || '(none: delegate)'}${virtualService.gateways.length > 0 ? ` · gateways: ${virtualService.gateways.join(', ')}` : ''}`
    : `  parents: ${virtualService.gateways.join(', ') || '(none: the route applies nowhere)'}${virtualService.hosts.length > 0 ? ` · hostnames: ${virtualService.hosts.join(', ')}` : ''}`;
  const lines = [`${kind} ${virtualService.namespace}/${virtualService.name}  (${file}:${virtualService.nameRange.start.line + 1})`, where];
  const width = targetWidth(virtualService);
  for (const route of virtualService.routes) lines.push(...routeLines(route, width, kind));
  lines.push(...totalsLines(virtualService, perRequests, kind));
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
