// Check: subset-not-found (IST0101, as istioctl analyze's ReferencedResourceNotFound)
//
// Every route, `mirror` and `mirrors` destination that names a subset must find it in the
// DestinationRule Istio would apply to that host. Hosts are compared after short-name
// expansion with each resource's own namespace; exact-host rules hide wildcard rules, as in
// Istio. Unlike Kiali, mirrors are checked too: a missing mirror subset drops every copy
// silently. Be right or be quiet: when the workspace holds no DestinationRule for the host (it
// is often applied from elsewhere), or the finding depends on the namespace assumed for a
// VirtualService without metadata.namespace, it is a warning that says what was assumed; it is
// an error only when the DestinationRule for the host is in the workspace and lacks the subset.
// A host itself is never reported for lacking a Service or ServiceEntry in the workspace.

import { closestMatch } from '../util/closestMatch';
import { shortened } from '../util/messageText';
import { hasPlaceholder } from '../model/hostNames';
import { allDestinations, type VirtualServiceModel } from '../model/resourceModel';
import type { Problem, RelatedLocation } from '../types';
import type { DestinationRuleEntry, WorkspaceIndex } from '../workspace/workspaceIndex';
import { shiftRange } from '../util/lineRanges';

/**
 * A missing subset, with the DestinationRules that lack it. Their locations are turned into
 * related information when the problem is reported (`relatedLocation`), so that a finding
 * cached with its VirtualService stays right when an edit moves those rules.
 */
export interface SubsetProblem {
  problem: Problem;
  rules: DestinationRuleEntry[];
}

export function checkSubsetReferences(model: VirtualServiceModel, namespace: string, namespaceWritten: boolean, index: WorkspaceIndex): SubsetProblem[] {
  const problems: SubsetProblem[] = [];
  for (const destination of allDestinations(model)) {
    if (!destination.host || !destination.subset || destination.subset.value === '') continue;
    const host = destination.host.value;
    const subset = destination.subset.value;
    if (hasPlaceholder(host) || hasPlaceholder(subset)) continue;
    const { lookup, names } = index.definedSubsets(host, namespace);
    if (names.has(subset)) continue;
    // A short host in a resource without metadata.namespace names a service in whatever
    // namespace the resource is applied to: DestinationRules for that name in any namespace are
    // candidates, and whatever follows from the default namespace is only an assumption.
    const assumedNamespace = !namespaceWritten && !host.includes('.');
    const elsewhere = assumedNamespace ? index.destinationRulesInAnyNamespace(host).filter((entry) => !lookup.rules.includes(entry)) : [];
    if (elsewhere.some((entry) => entry.model.subsets.some((s) => s.name.value === subset))) continue;
    // Likewise a DestinationRule without metadata.namespace and with a short host may be applied in
    // the VirtualService's namespace: when it defines the subset, there is a reading that is right.
    const shortName = shortNameOf(index.resolveHost(host, namespace));
    const floating = shortName ? index.destinationRulesInAnyNamespace(shortName).filter((entry) => entry.model.namespace === undefined && entry.model.host?.value === shortName) : [];
    if (floating.some((entry) => entry.model.subsets.some((s) => s.name.value === subset))) continue;

    const resolved = index.resolveHost(host, namespace);
    const what = destination.role === 'route' ? 'requests to it fail with 503 (no healthy upstream)' : 'every mirrored copy is dropped silently, with no error anywhere';
    const assumed = assumedNamespace ? ` (namespace "${namespace}" assumed: the VirtualService has no metadata.namespace)` : '';
    let message: string;
    let rules: DestinationRuleEntry[];
    let certain: boolean;
    if (lookup.match === 'none' && elsewhere.length === 0) {
      rules = [];
      certain = false;
      message = `Subset "${shortened(subset)}" cannot be checked: no DestinationRule for host ${resolved}${assumed} is in the workspace (it may be applied from elsewhere). If no DestinationRule defines "${shortened(subset)}", ${what}. Add the DestinationRule to the workspace, or create one for ${host} with subset "${shortened(subset)}".`;
    } else if (lookup.match === 'none') {
      rules = elsewhere;
      certain = false;
      const namespaces = [...new Set(elsewhere.map((entry) => entry.resolvedHost.slice(host.length + 1).split('.')[0]))];
      message = `Subset "${shortened(subset)}" is not defined by DestinationRule ${ownerNames(elsewhere)} (${definedList(elsewhere)}). The VirtualService has no metadata.namespace; applied in namespace ${namespaces.map((ns) => `"${ns}"`).join(' or ')}, ${what}. Add the subset to the DestinationRule or use a defined one.`;
    } else {
      rules = [...lookup.rules, ...elsewhere];
      // Without a namespace on the VirtualService the finding holds only when the DestinationRules
      // found move with it: no namespace and a short host of their own.
      certain = !assumedNamespace || (elsewhere.length === 0 && lookup.rules.every((entry) => entry.model.namespace === undefined && !(entry.model.host?.value ?? '').includes('.')));
      const suggestion = closestMatch(subset, names);
      const shadow = lookup.shadowedWildcards.some((entry) => entry.model.subsets.some((s) => s.name.value === subset))
        ? ` A wildcard DestinationRule (${ownerNames(lookup.shadowedWildcards)}) defines it, but Istio uses the exact-host rule and does not merge them.`
        : '';
      message = `Subset "${shortened(subset)}" is not defined by DestinationRule ${ownerNames(lookup.rules)} for host ${resolved}${certain ? '' : assumed} (${definedList(lookup.rules)}), so ${what}.${shadow} ${suggestion ? `Did you mean "${suggestion}"? ` : ''}Add the subset to the DestinationRule or use a defined one.`;
    }
    const problem: Problem = {
      code: 'IST0101',
      range: destination.subset.range,
      message,
      data: { host: resolved, subset, path: [...destination.path, 'subset'] },
    };
    if (!certain) problem.severity = 'warning';
    problems.push({ problem, rules });
  }
  return problems;
}

/** `reviews` for `reviews.demo.svc.cluster.local`; undefined for hosts outside the cluster. */
function shortNameOf(resolved: string): string | undefined {
  const parts = resolved.split('.');
  return parts.length >= 4 && parts[2] === 'svc' ? parts[0] : undefined;
}

/** `demo/reviews, demo/reviews-cb`: each DestinationRule once, even when several entries share a name. */
function ownerNames(entries: readonly DestinationRuleEntry[]): string {
  return [...new Set(entries.map(ruleName))].join(', ');
}

/** Subsets named in one message at most; the rest are counted. */
const listedSubsets = 10;

function definedList(entries: readonly DestinationRuleEntry[]): string {
  const defined = new Set<string>();
  for (const entry of entries) for (const s of entry.model.subsets) defined.add(s.name.value);
  if (defined.size === 0) return 'it defines no subsets';
  const shown = [...defined].slice(0, listedSubsets).map((name) => `"${shortened(name)}"`).join(', ');
  return `it defines ${shown}${defined.size > listedSubsets ? ` and ${defined.size - listedSubsets} more` : ''}`;
}


function ruleName(entry: DestinationRuleEntry): string {
  return `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`;
}

export function relatedLocation(entry: DestinationRuleEntry): RelatedLocation {
  const range = entry.model.host?.range ?? entry.model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    uri: entry.uri,
    range: shiftRange(range, entry.startLine),
    // Where the rule is; the finding's message already says which subsets it defines.
    message: `DestinationRule ${ruleName(entry)} is here`,
  };
}
