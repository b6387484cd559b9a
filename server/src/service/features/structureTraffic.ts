// A route's traffic in words, shared by the outline (document symbols) and the code lenses so
// both say the same thing: which destinations get which share of requests (weights are
// relative, as Istio applies them), which targets receive mirrored copies and how many, and
// why a rule is never used. Everything comes from the model; nothing is re-parsed here.

import { formatPercent, normalisedShares } from '../model/trafficShares';
import type { DestinationModel, RouteRuleModel } from '../model/resourceModel';

/** Separator between the parts of a traffic summary. */
export const partSeparator = ' · ';

/**
 * How a destination is named in a summary: its subset, or its host when it has none. When the
 * destination's host differs from the host of the rule's first route destination (a mirror
 * to another service, a split across services) the host is added, or "v2" would be ambiguous.
 */
export function destinationLabel(destination: DestinationModel, rule: RouteRuleModel): string {
  const host = destination.host?.value;
  const subset = destination.subset?.value;
  if (subset === undefined || subset === '') return host ?? '(no host)';
  const mainHost = rule.destinations[0]?.host?.value;
  return host !== undefined && mainHost !== undefined && host !== mainHost ? `${host}/${subset}` : subset;
}

/** The share of the rule's requests each route destination receives, in rule order. */
export function destinationShares(rule: RouteRuleModel): { destination: DestinationModel; percent: number }[] {
  const shares = normalisedShares(rule.destinations.map((destination) => destination.weight));
  return rule.destinations.map((destination, index) => ({ destination, percent: shares[index] }));
}

/** `stable 90 % · canary 10 %` for a route; the action in words for rules that do not route. */
export function routeSplitText(rule: RouteRuleModel): string {
  switch (rule.action) {
    case 'redirect':
      return 'redirect';
    case 'directResponse':
      return 'direct response';
    case 'delegate':
      return 'delegated';
    case 'none':
      return 'no action';
    case 'route':
      return destinationShares(rule)
        .map(({ destination, percent }) => `${destinationLabel(destination, rule)} ${formatPercent(percent)}`)
        .join(partSeparator) || 'no destinations';
  }
}

/** Percent of the rule's requests copied to a mirror (100 % when no percentage is written). */
export function mirrorPercentText(mirror: DestinationModel): string {
  return formatPercent(mirror.percent ?? 100);
}

/** `mirror → canary-v2 25 %`; Istio never mirrors on a rule that redirects or answers directly. */
export function mirrorText(mirror: DestinationModel, rule: RouteRuleModel): string {
  const share = rule.action === 'route' ? mirrorPercentText(mirror) : 'never (the rule does not forward)';
  return `mirror → ${destinationLabel(mirror, rule)} ${share}`;
}

/** The whole traffic summary of a rule: destinations with shares, then every mirror. */
export function trafficSummary(rule: RouteRuleModel): string {
  if (rule.unreachableReason !== undefined) return `never used: ${rule.unreachableReason}`;
  const fault = rule.fault;
  // The proxy answers aborted requests itself: nothing of them is routed or mirrored.
  if (fault && fault.abortPercent >= 100) return `every request aborted with ${fault.abortStatus} by the fault: nothing routed or mirrored`;
  const faults = [
    fault && fault.abortPercent > 0 ? `abort ${fault.abortStatus} ${formatPercent(fault.abortPercent)}` : '',
    fault && fault.delayPercent > 0 ? `delay ${fault.delay} ${formatPercent(fault.delayPercent)}` : '',
  ].filter(Boolean);
  return [...faults, routeSplitText(rule), ...rule.mirrors.map((mirror) => mirrorText(mirror, rule))].join(partSeparator);
}

/**
 * What a rule is called for people: its `name`; else its matches in plain words (match blocks
 * are alternatives, hence "or"); else what it takes, everything that reaches it.
 */
export function ruleTitle(rule: RouteRuleModel): string {
  if (rule.name !== undefined && rule.name !== '') return rule.name;
  if (rule.matches && rule.matches.length > 0) return rule.matches.map((match) => match.text).join(' or ');
  return rule.protocol === 'http' ? 'all requests' : 'all connections';
}
