// Expected requests and mirrored copies per target, from a traffic-split model, for N requests
// to a VirtualService. Arithmetic only, with type imports only, so the webview page can bundle
// it without the rest of the service.
//
// Which rule a request reaches depends on the request: no configuration says what share of the
// traffic a match (a header, a URI prefix) takes. Each rule with a match therefore has a share
// that is either given (`matchShares`: the percentage of the requests reaching the rule that it
// takes) or unknown. With unknown shares every figure is a range: the totals are multilinear in
// the shares, so their extremes are at the corners of the box, and a corner where one unknown
// rule takes everything that reaches it leaves nothing for the later ones, so the corners are
// "no unknown rule takes anything" and "unknown rule k takes everything that reaches it".

import type { SplitRoute, SplitVirtualService } from './trafficSplit';

/** Lowest and highest value over the shares that are not known (equal when all are). */
export interface Amount {
  min: number;
  max: number;
}

export interface TargetTotal {
  /** `host/subset` or `host`, as written. */
  target: string;
  /** Requests served by this target. */
  requests: Amount;
  /** Requests sent to this target that fail (a subset no DestinationRule defines: 503). */
  failed: Amount;
  /** Mirrored copies that reach this target. */
  mirroredCopies: Amount;
  /** Copies aimed at this target that are dropped (a subset no DestinationRule defines). */
  droppedCopies: Amount;
  /** True when some route sends to this target a subset that resolves to nothing. */
  problem: boolean;
}

export interface TotalsGroup {
  protocol: SplitRoute['protocol'];
  targets: TargetTotal[];
  /** Requests answered by a fault abort, a redirect or a direct response (never forwarded nor mirrored). */
  answered: Amount;
  /** Requests passed to a delegate VirtualService. */
  delegated: Amount;
  /** Requests no rule takes (the proxy answers 404). */
  unmatched: Amount;
  /** The reachable rules with a match whose share was not given: what the ranges depend on. */
  unknownShares: SplitRoute[];
}

/** Key of a rule in `matchShares`. */
export function shareKey(route: Pick<SplitRoute, 'protocol' | 'index'>): string {
  return `${route.protocol}:${route.index}`;
}

interface Outcome {
  requests: Map<string, number>;
  failed: Map<string, number>;
  copies: Map<string, number>;
  dropped: Map<string, number>;
  answered: number;
  delegated: number;
  unmatched: number;
}

const targetOf = (target: { host: string; subset?: string }): string => (target.subset ? `${target.host}/${target.subset}` : target.host);
const add = (map: Map<string, number>, key: string, value: number): void => {
  map.set(key, (map.get(key) ?? 0) + value);
};

/** The traffic of `perRequests` requests through `routes` in order, each rule taking `share(route)` (0–1) of what reaches it. */
function flow(routes: readonly SplitRoute[], perRequests: number, share: (route: SplitRoute) => number): Outcome {
  const outcome: Outcome = { requests: new Map(), failed: new Map(), copies: new Map(), dropped: new Map(), answered: 0, delegated: 0, unmatched: 0 };
  let remaining = perRequests;
  for (const route of routes) {
    if (!route.reachable || remaining <= 0) continue;
    const taken = remaining * share(route);
    remaining -= taken;
    if (route.action === 'delegate') {
      outcome.delegated += taken;
      continue;
    }
    if (route.action !== 'route') {
      outcome.answered += taken;
      continue;
    }
    const forwarded = (taken * route.forwardedPercent) / 100;
    outcome.answered += taken - forwarded;
    for (const destination of route.destinations) {
      add(destination.failure ? outcome.failed : outcome.requests, targetOf(destination), (forwarded * destination.percent) / 100);
    }
    for (const mirror of route.mirrors) {
      const copies = (forwarded * Math.min(100, Math.max(0, mirror.percent))) / 100;
      add(mirror.problem ? outcome.dropped : outcome.copies, targetOf(mirror), copies);
    }
  }
  outcome.unmatched = remaining;
  return outcome;
}

/**
 * Per protocol (`http`, then `tcp`, `tls`), what `perRequests` requests to the VirtualService
 * become: requests and copies per target, answered, delegated and unmatched requests. A rule
 * with a match takes `matchShares[shareKey(rule)]` percent of the requests that reach it; rules
 * without a share make the figures ranges.
 */
export function trafficTotals(virtualService: SplitVirtualService, perRequests: number, matchShares: Readonly<Record<string, number>> = {}): TotalsGroup[] {
  const groups: TotalsGroup[] = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    const routes = virtualService.routes.filter((route) => route.protocol === protocol);
    if (routes.length === 0) continue;
    const known = (route: SplitRoute): number | undefined => {
      if (!route.gated) return 1;
      const given = matchShares[shareKey(route)];
      return given === undefined || !Number.isFinite(given) ? undefined : Math.min(100, Math.max(0, given)) / 100;
    };
    const unknown = routes.filter((route) => route.reachable && known(route) === undefined);
    const corners = [undefined, ...unknown].map((takesAll) => flow(routes, perRequests, (route) => known(route) ?? (route === takesAll ? 1 : 0)));
    const amount = (value: (outcome: Outcome) => number): Amount => {
      const values = corners.map(value);
      return { min: Math.min(...values), max: Math.max(...values) };
    };
    const targets: TargetTotal[] = [];
    const seen = new Set<string>();
    for (const route of routes) {
      for (const target of [...route.destinations, ...route.mirrors]) {
        const name = targetOf(target);
        if (seen.has(name)) continue;
        seen.add(name);
        targets.push({
          target: name,
          requests: amount((outcome) => outcome.requests.get(name) ?? 0),
          failed: amount((outcome) => outcome.failed.get(name) ?? 0),
          mirroredCopies: amount((outcome) => outcome.copies.get(name) ?? 0),
          droppedCopies: amount((outcome) => outcome.dropped.get(name) ?? 0),
          problem: routes.some((candidate) => [...candidate.destinations, ...candidate.mirrors].some((other) => targetOf(other) === name && other.problem !== undefined)),
        });
      }
    }
    groups.push({
      protocol,
      targets,
      answered: amount((outcome) => outcome.answered),
      delegated: amount((outcome) => outcome.delegated),
      unmatched: amount((outcome) => outcome.unmatched),
      unknownShares: unknown,
    });
  }
  return groups;
}
