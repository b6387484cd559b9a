// Check: `exportTo` of VirtualServices and DestinationRules (IM2126), as Istio's validateExportTo:
// namespaces, `.` (own namespace) or `*` (all), no duplicates, `*` alone, no `~` (ServiceEntries
// only), and a DestinationRule with a workload selector exported to its own namespace only.
// Findings that depend on the namespace are made only when `metadata.namespace` is written: the
// namespace of `kubectl apply -n` is not known.

import type { ParsedNode } from 'yaml';
import { asSeq, child, scalarText } from '../parse/yamlDocument';
import { hasPlaceholder, isDns1123Label } from '../model/hostNames';
import type { DocumentProblems } from './documentProblems';

export function checkExportTo(spec: ParsedNode | undefined, namespace: string | undefined, withWorkloadSelector: boolean, out: DocumentProblems): void {
  const items = asSeq(child(spec, 'exportTo'))?.items ?? [];
  if (items.length === 0) return;
  const seen = new Set<string>();
  const accepted: string[] = [];
  items.forEach((item, index) => {
    const value = scalarText(item) ?? '';
    if (hasPlaceholder(value)) return;
    const path = { path: ['spec', 'exportTo', index] };
    const key = value === '.' && namespace !== undefined ? namespace : value;
    if (seen.has(key)) {
      const words = key !== value ? `\`.\` is this resource's own namespace "${namespace}", which is already listed` : `"${value}" is listed twice`;
      out.atNode('IM2126', item, `Duplicate \`exportTo\` entry: ${words}. Remove one.`, path);
      return;
    }
    if (value === '~') {
      out.atNode('IM2126', item, '`~` (exported to no one) is allowed only for ServiceEntries. Remove it, or export to `.`.', path);
      return;
    }
    if (value !== '.' && value !== '*' && !isDns1123Label(value)) {
      out.atNode('IM2126', item, `"${value}" is not a namespace name: \`exportTo\` takes namespaces (DNS-1123 labels), \`.\` or \`*\`.`, path);
      return;
    }
    seen.add(key);
    accepted.push(key);
  });
  if (withWorkloadSelector && accepted.length > 0) {
    const own = accepted.includes('.') || (namespace !== undefined && accepted.includes(namespace));
    const first = items[0];
    if (!own && (namespace !== undefined || accepted.some((entry) => entry === '*'))) {
      out.atNode('IM2126', first, 'A DestinationRule with a `workloadSelector` applies only to workloads of its own namespace, so it cannot be exported beyond it; Istio rejects this `exportTo`. Use `exportTo: ["."]`.', { path: ['spec', 'exportTo', 0] });
    } else if (own && accepted.length > 1) {
      out.atNode('IM2126', first, 'A DestinationRule with a `workloadSelector` can be exported only to its own namespace; Istio rejects more than one `exportTo` entry. Use `exportTo: ["."]`.', { path: ['spec', 'exportTo', 0] });
    }
  }
  if (seen.has('*') && items.length > 1) {
    const star = items.find((item) => scalarText(item) === '*');
    out.atNode('IM2126', star, '`*` already exports to every namespace; Istio rejects it together with other `exportTo` entries. Keep `*` alone, or list the namespaces.', { path: ['spec', 'exportTo'] });
  }
}
