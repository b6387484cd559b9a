// The full `http` rules of a VirtualService as plain JSON, for the views that need every field
// Istio reads (the Envoy routes, the request trace): the index keeps only compact models, so
// the document is parsed again (through the shared parse cache) and its rules converted.

import { asSeq, child } from '../parse/yamlDocument';
import { plainJson } from '../model/matchConditions';
import type { Node } from 'yaml';
import type { VirtualServiceModel } from '../model/resourceModel';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import { parseCached } from './documentAt';
import type { FeatureContext } from './featureContext';

export type JsonObject = Record<string, unknown>;

export interface VirtualServiceSpec {
  entry: ResourceEntry<VirtualServiceModel>;
  /** `namespace/name`. */
  id: string;
  /** `spec.http` rules in order; non-objects become `{}`. */
  http: JsonObject[];
}

export function asObject(value: unknown): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A scalar as Istio's JSON decoding would read it into a string field. */
export function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A whole number (written as a number or as digits). */
export function jsonInteger(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}

export function virtualServiceSpec(context: FeatureContext, entry: ResourceEntry<VirtualServiceModel>): VirtualServiceSpec {
  const document = context.index.getFile(entry.uri)?.documents[entry.documentIndex];
  const http: JsonObject[] = [];
  if (document) {
    const yaml = parseCached(document.text);
    for (const rule of asSeq(child(child(yaml.doc.contents, 'spec'), 'http'))?.items ?? []) {
      http.push(asObject(plainJson(rule as Node)) ?? {});
    }
  }
  return { entry, id: `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`, http };
}

/** Every VirtualService of the given files (all when `uris` is undefined), in index order. */
export function virtualServiceSpecs(context: FeatureContext, uris?: readonly string[]): VirtualServiceSpec[] {
  const wanted = uris ? new Set(uris) : undefined;
  const specs: VirtualServiceSpec[] = [];
  for (const entry of context.index.resources('VirtualService')) {
    if (!wanted || wanted.has(entry.uri)) specs.push(virtualServiceSpec(context, entry));
  }
  return specs;
}
