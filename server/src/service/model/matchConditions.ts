// HTTP match blocks as the rest of the service sees them: in plain words for people
// ("header x-canary = true and URI prefix /api"), and as a canonical key that is equal
// exactly when Istio would consider two matches the same (JSON-equal, `name` ignored).

import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyText } from '../parse/yamlDocument';
import { setOwn } from '../util/ownProperty';

/** Plain JSON of a YAML node, without aliases expanded (matches never need them). */
export function plainJson(node: Node | null | undefined, depth = 0): unknown {
  if (!node || depth > 32) return null;
  if (isScalar(node)) return node.value ?? null;
  if (isSeq(node)) return node.items.map((item) => plainJson(item as Node, depth + 1));
  if (isMap(node)) {
    // A header or query parameter named `__proto__` is a key like any other (setOwn).
    const result: Record<string, unknown> = {};
    for (const item of node.items) {
      const key = keyText(item);
      if (key !== undefined) setOwn(result, key, plainJson(item.value as Node, depth + 1));
    }
    return result;
  }
  return null;
}

/** JSON with sorted keys, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The key Istio compares matches by: the match without its `name`. */
export function matchKey(match: unknown): string {
  if (match && typeof match === 'object' && !Array.isArray(match)) {
    const { name: _ignored, ...rest } = match as Record<string, unknown>;
    void _ignored;
    return canonicalJson(rest);
  }
  return canonicalJson(match);
}

function stringMatchWords(subject: string, value: unknown): string {
  if (!value || typeof value !== 'object') return `${subject} present`;
  const match = value as Record<string, unknown>;
  if ('exact' in match) return `${subject} = ${String(match.exact)}`;
  if ('prefix' in match) return `${subject} prefix ${String(match.prefix)}`;
  if ('regex' in match) return `${subject} matches /${String(match.regex)}/`;
  return `${subject} present`;
}

function mapWords(kind: string, value: unknown, negate = false): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).map(([name, condition]) => {
    const words = stringMatchWords(`${kind} ${name}`, condition);
    return negate ? `not (${words})` : words;
  });
}

/** One match block in plain words; conditions inside a block are ANDed. */
export function describeMatch(match: unknown): string {
  if (!match || typeof match !== 'object') return 'all requests';
  const m = match as Record<string, unknown>;
  const parts: string[] = [];
  if (m.uri !== undefined && m.uri !== null) parts.push(stringMatchWords(m.ignoreUriCase === true ? 'URI (any case)' : 'URI', m.uri));
  if (m.method !== undefined && m.method !== null) parts.push(stringMatchWords('method', m.method));
  if (m.scheme !== undefined && m.scheme !== null) parts.push(stringMatchWords('scheme', m.scheme));
  if (m.authority !== undefined && m.authority !== null) parts.push(stringMatchWords('authority', m.authority));
  parts.push(...mapWords('header', m.headers));
  parts.push(...mapWords('header', m.withoutHeaders, true));
  parts.push(...mapWords('query', m.queryParams));
  if (m.port !== undefined && m.port !== null) parts.push(`port ${String(m.port)}`);
  if (m.sourceLabels && typeof m.sourceLabels === 'object') {
    const labels = Object.entries(m.sourceLabels as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(',');
    parts.push(`from workloads ${labels}`);
  }
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== null) parts.push(`from namespace ${String(m.sourceNamespace)}`);
  const gateways = Array.isArray(m.gateways) ? m.gateways.filter((gateway) => gateway !== null && gateway !== undefined) : [];
  if (gateways.length > 0) parts.push(`via ${gateways.map(String).join(', ')}`);
  if (m.statPrefix !== undefined && parts.length === 0) return 'all requests';
  return parts.length > 0 ? parts.join(' and ') : 'all requests';
}
