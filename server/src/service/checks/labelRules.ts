// Checks: label selectors as Istio's webhook validates them (`labels.Instance.Validate` and
// `IsDNS1123Label` in istio/istio pkg/config/labels): DestinationRule subset `labels` (IM2215),
// and `sourceLabels` in http, tcp and tls matches and an http match's `sourceNamespace`
// (IM2128). A key is an optional DNS prefix (≤ 253 characters) and `/`, then a name of at most
// 63 alphanumerics, `-`, `_` or `.` that starts and ends alphanumeric; a value is empty or the
// same characters (Istio sets no length limit on values).

import { isScalar, type ParsedNode } from 'yaml';
import { asMap, asSeq, child, keyText } from '../parse/yamlDocument';
import { hasPlaceholder, isDns1123Label } from '../model/hostNames';
import type { DocumentProblems } from './documentProblems';

type Path = (string | number)[];

const dnsLabel = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const qualifiedName = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelKey = new RegExp(`^(${dnsLabel}(?:\\.${dnsLabel})*/)?(${qualifiedName})$`);
const labelValue = new RegExp(`^(?:${qualifiedName})?$`);

/** Why Istio rejects this label key, or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  if (key.length > 400) return 'it is too long';
  const match = labelKey.exec(key);
  if (!match) return "a key is a name of letters, digits, '-', '_' or '.' that starts and ends with a letter or digit, optionally after a DNS prefix and '/' (e.g. `app.kubernetes.io/version`)";
  if (match[1] && match[1].length - 1 > 253) return 'its DNS prefix is longer than 253 characters';
  if (match[2]!.length > 63) return 'its name (after any prefix) is longer than 63 characters';
  return undefined;
}

/** Why Istio rejects this label value, or undefined when it is valid. */
export function labelValueProblem(value: string): string | undefined {
  return labelValue.test(value) ? undefined : "a value is empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
}

/** Each key and string value of a label map; placeholders are never read as labels. */
function checkLabelMap(node: ParsedNode | null | undefined, path: Path, code: string, what: string, out: DocumentProblems): void {
  for (const pair of asMap(node)?.items ?? []) {
    const key = keyText(pair);
    if (key === undefined || hasPlaceholder(key)) continue;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      out.atKey(code, pair, `${what} key "${key}" is invalid: ${keyProblem}; Istio rejects it. Use a Kubernetes label key.`, { path: [...path, key] });
      continue;
    }
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || hasPlaceholder(pair.value.value)) continue;
    const value = pair.value.value;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) out.atNode(code, pair.value, `${what} value "${value}" of "${key}" is invalid: ${valueProblem}; Istio rejects it. Use the value the pods' label carries.`, { path: [...path, key] });
  }
}

/** DestinationRule `subsets[].labels`. */
export function checkSubsetLabels(subset: unknown, index: number, out: DocumentProblems): void {
  checkLabelMap(child(subset, 'labels'), ['spec', 'subsets', index, 'labels'], 'IM2215', 'Subset label', out);
}

/** VirtualService matches: `sourceLabels` in http, tcp and tls rules, `sourceNamespace` in http rules. */
export function checkSourceSelectors(spec: ParsedNode | undefined, out: DocumentProblems): void {
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    asSeq(child(spec, protocol))?.items.forEach((rule, ruleIndex) => {
      asSeq(child(rule, 'match'))?.items.forEach((match, matchIndex) => {
        const path: Path = ['spec', protocol, ruleIndex, 'match', matchIndex];
        checkLabelMap(child(match, 'sourceLabels'), [...path, 'sourceLabels'], 'IM2128', 'Source label', out);
        if (protocol !== 'http') return;
        const namespace = child(match, 'sourceNamespace');
        if (!isScalar(namespace) || typeof namespace.value !== 'string' || namespace.value === '' || hasPlaceholder(namespace.value)) return;
        if (!isDns1123Label(namespace.value)) {
          out.atNode('IM2128', namespace, `sourceNamespace "${namespace.value}" is not a valid namespace name; Istio rejects it. Use letters, digits and '-' (at most 63, starting and ending with a letter or digit).`, { path: [...path, 'sourceNamespace'] });
        }
      });
    });
  }
}
