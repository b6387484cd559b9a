// Check: subset-not-found (IST0101, as istioctl analyze's ReferencedResourceNotFound)
//
// Every route, `mirror` and `mirrors` destination that names a subset must find it in the
// DestinationRule Istio would apply to that host. Hosts are compared after short-name
// expansion with each resource's own namespace; exact-host rules hide wildcard rules, as in
// Istio. Unlike Kiali, mirrors are checked too: a missing mirror subset drops every copy
// silently. A subset needs a DestinationRule, so a subset whose host has no DestinationRule in
// the workspace is reported; a host itself is never reported for lacking a Service or
// ServiceEntry in the workspace (workspaces rarely hold every Service).

import { closestMatch } from '../util/closestMatch';
import { hasPlaceholder } from '../model/hostNames';
import { allDestinations, type VirtualServiceModel } from '../model/resourceModel';
import type { Problem, RelatedLocation } from '../types';
import type { DestinationRuleEntry, WorkspaceIndex } from '../workspace/workspaceIndex';

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
    if (!destination.host || !destination.subset || destination.subset.value === '' || hasPlaceholder(destination.host.value)) continue;
    const subset = destination.subset.value;
    const { lookup, names } = index.definedSubsets(destination.host.value, namespace);
    if (names.has(subset)) continue;
    const defined = [...names];

    const resolved = index.resolveHost(destination.host.value, namespace);
    const what = destination.role === 'route' ? 'requests to it fail with 503 (no healthy upstream)' : 'every mirrored copy is dropped silently, with no error anywhere';
    const assumed = namespaceWritten ? '' : ` (namespace "${namespace}" assumed: the VirtualService has no metadata.namespace)`;
    let message: string;
    if (lookup.match === 'none') {
      message = `Subset "${subset}" is not defined: no DestinationRule in the workspace has host ${resolved}${assumed}, so ${what}. Create a DestinationRule for ${destination.host.value} with subset "${subset}".`;
    } else {
      const owners = lookup.rules.map(ruleName).join(', ');
      const suggestion = closestMatch(subset, defined);
      const list = defined.length > 0 ? `it defines ${defined.map((name) => `"${name}"`).join(', ')}` : 'it defines no subsets';
      const shadow = lookup.shadowedWildcards.some((entry) => entry.model.subsets.some((s) => s.name.value === subset))
        ? ` A wildcard DestinationRule (${lookup.shadowedWildcards.map(ruleName).join(', ')}) defines it, but Istio uses the exact-host rule and does not merge them.`
        : '';
      message = `Subset "${subset}" is not defined by DestinationRule ${owners} for host ${resolved}${assumed} (${list}), so ${what}.${shadow} ${suggestion ? `Did you mean "${suggestion}"? ` : ''}Add the subset to the DestinationRule or use a defined one.`;
    }
    const problem: Problem = {
      code: 'IST0101',
      range: destination.subset.range,
      message,
      data: { host: resolved, subset, path: [...destination.path, 'subset'] },
    };
    problems.push({ problem, rules: [...lookup.rules] });
  }
  return problems;
}

function ruleName(entry: DestinationRuleEntry): string {
  return `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`;
}

export function relatedLocation(entry: DestinationRuleEntry): RelatedLocation {
  const range = entry.model.host?.range ?? entry.model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    uri: entry.uri,
    range: {
      start: { line: range.start.line + entry.startLine, character: range.start.character },
      end: { line: range.end.line + entry.startLine, character: range.end.character },
    },
    message: `DestinationRule ${ruleName(entry)} (subsets: ${entry.model.subsets.map((s) => s.name.value).join(', ') || 'none'})`,
  };
}
