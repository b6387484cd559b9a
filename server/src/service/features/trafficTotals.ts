// Expected requests and mirrored copies per target, from a traffic-split model. Arithmetic only,
// with type imports only, so the webview page can bundle it without the rest of the service.

import type { SplitVirtualService } from './trafficSplit';

export interface TargetTotal {
  /** `host/subset` or `host`, as written. */
  target: string;
  /** Requests served by this target, per `perRequests` requests to each route. */
  requests: number;
  /** Mirrored copies this target receives, per `perRequests` requests to each route. */
  mirroredCopies: number;
  /** True when some route sends to this target a subset that resolves to nothing. */
  problem: boolean;
}

/**
 * Expected requests and mirrored copies per target when each reachable rule of the
 * VirtualService handles `perRequests` requests, summed across rules. (How requests divide
 * between rules depends on live traffic, which no configuration states.)
 */
export function targetTotals(virtualService: SplitVirtualService, perRequests: number): TargetTotal[] {
  const totals = new Map<string, TargetTotal>();
  const entry = (host: string, subset: string | undefined): TargetTotal => {
    const target = subset ? `${host}/${subset}` : host;
    let total = totals.get(target);
    if (!total) totals.set(target, (total = { target, requests: 0, mirroredCopies: 0, problem: false }));
    return total;
  };
  for (const route of virtualService.routes) {
    if (!route.reachable) continue;
    for (const destination of route.destinations) {
      const total = entry(destination.host, destination.subset);
      total.requests += (destination.percent / 100) * perRequests;
      total.problem ||= destination.problem !== undefined;
    }
    for (const mirror of route.mirrors) {
      const total = entry(mirror.host, mirror.subset);
      total.mirroredCopies += (mirror.percent / 100) * perRequests;
      total.problem ||= mirror.problem !== undefined;
    }
  }
  return [...totals.values()];
}
