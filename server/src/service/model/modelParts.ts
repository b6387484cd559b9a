// Small pieces every kind's model is built from: the identity fields all models share and
// readers that turn YAML nodes into located strings, string maps and lists.

import { asMap, asSeq, keyText, nodeRange, scalarText, type YamlDocument } from '../parse/yamlDocument';
import type { ParsedNode } from 'yaml';
import type { Located } from '../types';
import { setOwn } from '../util/ownProperty';

export interface ModelBase {
  apiVersion: string;
  name?: Located;
  /** `metadata.namespace` as written; absent means the default namespace. */
  namespace?: Located;
}

export function located(yaml: YamlDocument, node: ParsedNode | null | undefined): Located | undefined {
  const value = scalarText(node);
  return value === undefined ? undefined : { value, range: nodeRange(yaml, node) };
}

/** A map of scalar keys to scalar values (labels, selectors); other entries are left out. */
export function stringMap(node: unknown): Record<string, string> {
  // YAML keys become object keys: `__proto__` must stay a key like any other (setOwn).
  const result: Record<string, string> = {};
  const map = asMap(node);
  if (!map) return result;
  for (const item of map.items) {
    const key = keyText(item);
    const value = scalarText(item.value);
    if (key !== undefined && value !== undefined) setOwn(result, key, value);
  }
  return result;
}

export function locatedList(yaml: YamlDocument, node: unknown): Located[] {
  const result: Located[] = [];
  for (const item of asSeq(node)?.items ?? []) {
    const entry = located(yaml, item);
    if (entry) result.push(entry);
  }
  return result;
}

/** The same for plain data (a document turned into JSON): scalar entries as strings. */
export function plainStringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isPlainObject(value)) return result;
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || typeof entry === 'object') continue;
    setOwn(result, key, String(entry));
  }
  return result;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-negative integer from plain data, as Kubernetes reads counts (`"3"` is not a number there). */
export function plainCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
