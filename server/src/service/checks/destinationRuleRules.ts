// Checks: DestinationRule rules beyond the schema (IM2201–IM2205, and IM2109 for subset names): unique subset names,
// empty policies Istio rejects, and the host. A subset without labels is legitimate (egress-gateway
// and TLS-origination subsets carry only a policy), so it is not reported.
// Sources: istio-reference §3.8.

import { isMap, isScalar, type Pair, type ParsedNode } from 'yaml';
import { checkTrafficPolicy } from './trafficPolicyRules';
import { checkExportTo } from './exportToRules';
import { checkSubsetLabels } from './labelRules';
import { asMap, asSeq, child, findPair, keyText, scalarText } from '../parse/yamlDocument';
import { hasPlaceholder, isDns1123Label, isIpAddress, sanitisedSubsetName, wildcardDomainProblem } from '../model/hostNames';
import type { DestinationRuleModel } from '../model/resourceModel';
import type { DocumentProblems } from './documentProblems';
import { shortened } from '../util/messageText';

export function checkDestinationRule(spec: ParsedNode | undefined, model: DestinationRuleModel, out: DocumentProblems): void {
  const specMap = asMap(spec);
  if (!specMap) return;

  if (model.host && !hasPlaceholder(model.host.value)) {
    const host = model.host.value;
    const problem = isIpAddress(host) ? 'an IP address cannot be a DestinationRule host; use a service name or a ServiceEntry host' : wildcardDomainProblem(host);
    if (problem) out.at('IM2204', model.host.range, `Host "${host}" is invalid: ${problem}.`, { data: { path: ['spec', 'host'] } });
  }

  const seen = new Map<string, number>();
  asSeq(child(specMap, 'subsets'))?.items.forEach((subsetNode, index) => {
    const subset = asMap(subsetNode);
    if (!subset) return;
    const namePair = findPair(subset, 'name');
    const name = scalarText(namePair?.value);
    if (namePair && (name === undefined || name === '') && (namePair.value === null || isScalar(namePair.value))) {
      out.atKey('IM2109', namePair, 'The subset name is empty; Istio rejects it. Name the subset (e.g. `v1`), the name routes refer to.', { path: ['spec', 'subsets', index, 'name'] });
    }
    if (namePair && name !== undefined && name !== '' && !isDns1123Label(name) && !hasPlaceholder(name)) {
      const fixed = sanitisedSubsetName(name);
      out.atNode('IM2109', namePair.value, `Subset name "${shortened(name)}" is invalid: use letters, digits and '-' only (at most 63, starting and ending with a letter or digit), e.g. "${fixed}".`, { path: ['spec', 'subsets', index, 'name'], replacementValue: fixed });
    }
    if (namePair && name !== undefined) {
      const first = seen.get(name);
      if (first !== undefined) {
        out.atNode('IM2201', namePair.value, `Subset name "${name}" is already used by subset #${first}; Istio rejects duplicate subset names. Rename one.`, { path: ['spec', 'subsets', index, 'name'] });
      } else {
        seen.set(name, index);
      }
    }
    checkSubsetLabels(subset, index, out);
    const policy = findPair(subset, 'trafficPolicy');
    if (policy) checkPolicy(policy, ['spec', 'subsets', index, 'trafficPolicy'], out);
  });

  const policy = findPair(specMap, 'trafficPolicy');
  if (policy) checkPolicy(policy, ['spec', 'trafficPolicy'], out);
  checkWorkloadSelector(specMap, out);
  const selector = findPair(specMap, 'workloadSelector');
  checkExportTo(spec, model.namespace?.value, selector !== undefined && selector.value !== null, out);
}

/** Istio (and the CRD) reject `*` and empty keys in a DestinationRule's workload selector. */
function checkWorkloadSelector(spec: unknown, out: DocumentProblems): void {
  const selectorPair = isMap(spec) ? findPair(spec, 'workloadSelector') : undefined;
  if (selectorPair && isMap(selectorPair.value) && (asMap(child(selectorPair.value, 'matchLabels'))?.items.length ?? 0) === 0) {
    out.atKey('IM2213', selectorPair, 'The `workloadSelector` has no labels, so the DestinationRule applies to every workload of its namespace; Istio warns. Add `matchLabels`, or remove the selector.', { path: ['spec', 'workloadSelector'] });
  }
  const labels = asMap(child(child(spec, 'workloadSelector'), 'matchLabels'));
  for (const item of labels?.items ?? []) {
    const key = keyText(item) ?? '';
    const value = scalarText(item.value) ?? '';
    if (key === '' || key.includes('*')) {
      out.atKey('IM2205', item, `Label key "${key}" is not allowed in a workload selector: ${key === '' ? 'it is empty' : 'wildcards are not supported'}.`, { path: ['spec', 'workloadSelector', 'matchLabels', key] });
    } else if (value.includes('*')) {
      out.atNode('IM2205', item.value, `Label value "${value}" is not allowed in a workload selector: wildcards are not supported. Name the exact value.`, { path: ['spec', 'workloadSelector', 'matchLabels', key] });
    }
  }
}

/** Istio rejects empty traffic policies, connection pools and port-level settings. */
function checkPolicy(pair: Pair<ParsedNode, ParsedNode | null>, path: (string | number)[], out: DocumentProblems): void {
  const policy = pair.value;
  if (isMap(policy) && policy.items.length === 0) {
    out.atKey('IM2203', pair, '`trafficPolicy` is empty; Istio rejects it (`traffic policy must have at least one field`). Remove it or add a setting.', { path });
    return;
  }
  const policyMap = asMap(policy);
  if (policyMap) checkTrafficPolicy(policyMap, path, out);
  const pool = policyMap ? findPair(policyMap, 'connectionPool') : undefined;
  if (pool && isMap(pool.value) && pool.value.items.length === 0) {
    out.atKey('IM2203', pool, '`connectionPool` is empty; Istio rejects it. Add `tcp` or `http` settings, or remove it.', { path: [...path, 'connectionPool'] });
  }
  asSeq(child(policy, 'portLevelSettings'))?.items.forEach((setting, index) => {
    const map = asMap(setting);
    if (!map) return;
    const portPool = findPair(map, 'connectionPool');
    if (portPool && isMap(portPool.value) && portPool.value.items.length === 0) {
      out.atKey('IM2203', portPool, '`connectionPool` is empty; Istio rejects it. Add `tcp` or `http` settings, or remove it.', { path: [...path, 'portLevelSettings', index, 'connectionPool'] });
    }
    const fields = map.items.map((item) => keyText(item)).filter((key) => key !== 'port');
    if (fields.length === 0) {
      const anchor = map.items[0] as Pair | undefined;
      if (anchor) out.atKey('IM2203', anchor, 'This port-level setting has only a `port`; Istio rejects it. Add a policy (loadBalancer, connectionPool, outlierDetection or tls) or remove it.', { path: [...path, 'portLevelSettings', index] });
    }
  });
}
