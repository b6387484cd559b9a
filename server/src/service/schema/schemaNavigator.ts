// Answers "what does the schema say about the value at this path?" for the hand-written
// schemas in schemas/. Structural validation itself is done by the Ajv validators compiled
// at build time; this navigator serves everything around it: did-you-mean suggestions,
// deprecations, duration checks, and later completion and hover.

import commonSchema from '../../../../schemas/common.schema.json';
import destinationRuleSchema from '../../../../schemas/destinationRule.schema.json';
import virtualServiceSchema from '../../../../schemas/virtualService.schema.json';
import gatewayApiSchema from '../../../../schemas/gatewayApi.schema.json';
import httpRouteSchema from '../../../../schemas/httpRoute.schema.json';
import grpcRouteSchema from '../../../../schemas/grpcRoute.schema.json';
import routingTestSchema from '../../../../schemas/routingTest.schema.json';

/** A JSON Schema object as written in schemas/ (draft-07 plus our `x-` annotations). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  'x-since'?: string;
  'x-deprecated'?: string;
  'x-oneOf'?: string[] | string[][];
  [keyword: string]: unknown;
}

/** A schema reached by navigation, with the name of the definition it came from (if any). */
export interface SchemaNode {
  schema: JsonSchema;
  /** Name of the last `definitions` entry followed to reach this schema, e.g. `Duration`. */
  definition?: string;
  file: string;
}

const files: Record<string, JsonSchema> = {
  'common.schema.json': commonSchema as JsonSchema,
  'virtualService.schema.json': virtualServiceSchema as JsonSchema,
  'destinationRule.schema.json': destinationRuleSchema as JsonSchema,
  'gatewayApi.schema.json': gatewayApiSchema as unknown as JsonSchema,
  'httpRoute.schema.json': httpRouteSchema as unknown as JsonSchema,
  'grpcRoute.schema.json': grpcRouteSchema as unknown as JsonSchema,
  'routingTest.schema.json': routingTestSchema as unknown as JsonSchema,
};

/** The kinds with a schema: Istio's VirtualService and DestinationRule, the Gateway API's HTTPRoute and GRPCRoute. */
export type ValidatedKind = 'VirtualService' | 'DestinationRule' | 'HTTPRoute' | 'GRPCRoute' | 'RoutingTest';

const rootFiles: Record<ValidatedKind, string> = {
  VirtualService: 'virtualService.schema.json',
  DestinationRule: 'destinationRule.schema.json',
  HTTPRoute: 'httpRoute.schema.json',
  GRPCRoute: 'grpcRoute.schema.json',
  RoutingTest: 'routingTest.schema.json',
};

export function rootSchema(kind: ValidatedKind): SchemaNode {
  const file = rootFiles[kind];
  return { schema: files[file], file };
}

function resolvePointer(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let current: unknown = schema;
  for (const raw of pointer.split('/').filter((part) => part.length > 0)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current as JsonSchema | undefined;
}

const mergedRefs = new WeakMap<JsonSchema, JsonSchema>();

/**
 * Follows `$ref`s until a schema without one is reached. Keywords written next to a `$ref`
 * (a field's own description, `x-since`, `x-deprecated`) win over the referenced definition's.
 */
export function dereference(node: SchemaNode): SchemaNode {
  let current = node;
  const siblings: JsonSchema[] = [];
  for (let guard = 0; guard < 32 && current.schema.$ref !== undefined; guard++) {
    const [target, pointer = ''] = current.schema.$ref.split('#');
    const file = target === '' ? current.file : target.replace(/^.*\//, '');
    const base = files[file];
    const schema = base ? resolvePointer(base, pointer) : undefined;
    if (!schema) return current;
    if (Object.keys(current.schema).length > 1) siblings.push(current.schema);
    const definition = /\/definitions\/([^/]+)$/.exec(pointer)?.[1] ?? current.definition;
    current = { schema, file, definition };
  }
  if (siblings.length === 0) return current;
  // Cache the merge on the outermost referring schema, so navigation stays allocation-free.
  let merged = mergedRefs.get(siblings[0]);
  if (!merged) {
    merged = { ...current.schema };
    for (const sibling of [...siblings].reverse()) {
      for (const [keyword, value] of Object.entries(sibling)) if (keyword !== '$ref') merged[keyword] = value;
    }
    mergedRefs.set(siblings[0], merged);
  }
  return { ...current, schema: merged };
}

/**
 * Expands a schema into the alternatives a value may satisfy: the schema itself plus every
 * branch of `allOf`/`oneOf`/`anyOf` (recursively, refs followed). Branches that only carry
 * `required` add nothing, so they are harmless.
 */
export function expand(node: SchemaNode): SchemaNode[] {
  const result: SchemaNode[] = [];
  const visit = (candidate: SchemaNode, depth: number): void => {
    const resolved = dereference(candidate);
    result.push(resolved);
    if (depth > 8) return;
    for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
      for (const branch of resolved.schema[keyword] ?? []) {
        visit({ schema: branch, file: resolved.file, definition: resolved.definition }, depth + 1);
      }
    }
  };
  visit(node, 0);
  return result;
}

/** The schemas that apply to the child `step` (a key or an index) of a value described by `nodes`. */
export function childSchemas(nodes: readonly SchemaNode[], step: string | number): SchemaNode[] {
  const result: SchemaNode[] = [];
  for (const node of nodes) {
    for (const alternative of expand(node)) {
      const schema = alternative.schema;
      if (typeof step === 'number') {
        if (schema.items) result.push({ schema: schema.items, file: alternative.file });
        continue;
      }
      const property = schema.properties?.[step];
      if (property) {
        result.push({ schema: property, file: alternative.file });
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        result.push({ schema: schema.additionalProperties, file: alternative.file });
      }
    }
  }
  return result.map(dereference);
}

/**
 * A position in the schema tree, reached by following keys and indices from a manifest root.
 * Cursors are cached per path shape (a key not named by the schema, such as a header name in a
 * map, shares the cursor of the map's values), so walking documents costs no schema work after
 * the first visit of each shape.
 */
export class SchemaCursor {
  /** Children by the property they follow; sequence items and unnamed keys share one each. */
  private readonly propertyChildren = new Map<string, SchemaCursor>();
  private itemChild?: SchemaCursor;
  private valueChild?: SchemaCursor;
  private cachedProperties?: Map<string, SchemaNode>;
  private cachedDefinitions?: Set<string>;

  constructor(readonly nodes: SchemaNode[]) {}

  child(step: string | number): SchemaCursor {
    if (typeof step === 'number') return (this.itemChild ??= this.cursorFor(step));
    if (!this.properties().has(step)) return (this.valueChild ??= this.cursorFor(step));
    let cursor = this.propertyChildren.get(step);
    if (!cursor) {
      cursor = this.cursorFor(step);
      this.propertyChildren.set(step, cursor);
    }
    return cursor;
  }

  private cursorFor(step: string | number): SchemaCursor {
    return new SchemaCursor(this.nodes.length === 0 ? [] : childSchemas(this.nodes, step));
  }

  properties(): Map<string, SchemaNode> {
    this.cachedProperties ??= propertiesOf(this.nodes);
    return this.cachedProperties;
  }

  definitions(): Set<string> {
    this.cachedDefinitions ??= definitionNames(this.nodes);
    return this.cachedDefinitions;
  }
}

const rootCursors = new Map<ValidatedKind, SchemaCursor>();

export function rootCursor(kind: ValidatedKind): SchemaCursor {
  let cursor = rootCursors.get(kind);
  if (!cursor) {
    cursor = new SchemaCursor([dereference(rootSchema(kind))]);
    rootCursors.set(kind, cursor);
  }
  return cursor;
}

/** The cursor for the value at `path` (keys and indices from the manifest root). */
export function cursorAt(kind: ValidatedKind, path: readonly (string | number)[]): SchemaCursor {
  let cursor = rootCursor(kind);
  for (const step of path) cursor = cursor.child(step);
  return cursor;
}

/** Schemas for the value at `path` (keys and indices from the manifest root). Empty when the path leaves the schema. */
export function schemasAt(kind: ValidatedKind, path: readonly (string | number)[]): SchemaNode[] {
  return cursorAt(kind, path).nodes;
}

/** All named properties allowed on an object described by `nodes`, with their schemas. */
export function propertiesOf(nodes: readonly SchemaNode[]): Map<string, SchemaNode> {
  const properties = new Map<string, SchemaNode>();
  for (const node of nodes) {
    for (const alternative of expand(node)) {
      for (const [name, schema] of Object.entries(alternative.schema.properties ?? {})) {
        if (!properties.has(name)) properties.set(name, dereference({ schema, file: alternative.file }));
      }
    }
  }
  return properties;
}

/** True when an object described by `nodes` is a free-form map (its keys are data, not field names). */
export function isMapSchema(nodes: readonly SchemaNode[]): boolean {
  return nodes.some((node) =>
    expand(node).some((alternative) => typeof alternative.schema.additionalProperties === 'object' && !alternative.schema.properties),
  );
}

/** The first annotation value found on any of `nodes` (their expansions included). */
export function annotation<K extends keyof JsonSchema>(nodes: readonly SchemaNode[], keyword: K): JsonSchema[K] | undefined {
  for (const node of nodes) {
    for (const alternative of expand(node)) {
      const value = alternative.schema[keyword];
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** Names of the definitions `nodes` were reached through, e.g. `Duration`. */
export function definitionNames(nodes: readonly SchemaNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) if (node.definition) names.add(node.definition);
  return names;
}
