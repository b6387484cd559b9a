// Check: structure (IM1001–IM1011)
//
// Runs the Ajv validator compiled from schemas/ over the document and turns each schema error
// into a precise, actionable problem: unknown keys get "did you mean", snake_case keys and
// removed fields get their own codes, type errors say what to write instead. A second pass,
// guided by the same schemas, reports deprecated fields.

import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type ParsedNode, type Scalar } from 'yaml';
import type { ErrorObject } from 'ajv';
import { validateDestinationRule, validateGRPCRoute, validateHTTPRoute, validateRoutingTest, validateVirtualService, type CompiledValidator } from '../schema/generated/validators';
import {
  annotation,
  definitionNames,
  propertiesOf,
  rootCursor,
  schemasAt,
  type SchemaCursor,
  type SchemaNode,
  type ValidatedKind,
} from '../schema/schemaNavigator';
import { closestMatch, snakeToCamel } from '../util/closestMatch';
import { parseGoDuration } from '../util/goDuration';
import { asMap, findPair, keyText } from '../parse/yamlDocument';
import { hasPlaceholder } from '../model/hostNames';
import type { DocumentProblems } from './documentProblems';

type Path = (string | number)[];

/**
 * Fields that existed in old Istio APIs and were removed, with what to use instead; `owner`
 * limits a name to the object it was removed from (the key that holds that object).
 */
const removedFields: Record<string, { replacement: string; owner?: string }> = {
  websocketUpgrade: { replacement: 'WebSocket upgrades are always allowed now; remove the field' },
  appendHeaders: { replacement: 'use `headers.request.add` instead' },
  removeResponseHeaders: { replacement: 'use `headers.response.remove` instead' },
  appendResponseHeaders: { replacement: 'use `headers.response.add` instead' },
  removeRequestHeaders: { replacement: 'use `headers.request.remove` instead' },
  appendRequestHeaders: { replacement: 'use `headers.request.add` instead' },
  sourceSubnet: { replacement: 'this TLS match field was removed in Istio 1.5; remove it' },
  percent: { replacement: 'use `percentage: {value: N}` instead', owner: 'abort' },
  name: { replacement: 'ports are selected by `number` only since Istio 1.4', owner: 'port' },
};

/** Fields whose deprecation has a dedicated rule elsewhere (so it is not reported twice). */
const deprecationsWithOwnRule = new Set(['mirrorPercent', 'mirror_percent']);

interface Located {
  node: ParsedNode | null | undefined;
  /** The pair whose value is `node`, when `node` sits under a map key. */
  pair?: Pair<ParsedNode, ParsedNode | null>;
  path: Path;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Finds the YAML node an Ajv instancePath designates, keeping the pair for key ranges. */
function locate(root: ParsedNode | null, pointer: string): Located | undefined {
  let node: ParsedNode | null | undefined = root;
  let pair: Pair<ParsedNode, ParsedNode | null> | undefined;
  const path: Path = [];
  for (const step of decodePointer(pointer)) {
    if (isSeq(node)) {
      const index = Number(step);
      node = node.items[index] as ParsedNode | null | undefined;
      pair = undefined;
      path.push(index);
    } else if (isMap(node)) {
      pair = findPair(node, step);
      if (!pair) return undefined;
      node = pair.value;
      path.push(step);
    } else {
      return undefined;
    }
  }
  return { node, pair, path };
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value;
}

const typeWords: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object (a block of key: value lines)',
  array: 'a list (lines starting with "- ")',
  null: 'empty',
};

function fieldName(located: Located): string {
  const last = located.path[located.path.length - 1];
  if (typeof last === 'number') {
    const owner = located.path[located.path.length - 2];
    return `${String(owner ?? 'item')}[${last}]`;
  }
  return last === undefined ? 'the document' : String(last);
}

function jsValue(node: Node | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return [];
  if (isMap(node)) return {};
  return undefined;
}

const validators: Record<ValidatedKind, CompiledValidator> = {
  VirtualService: validateVirtualService,
  DestinationRule: validateDestinationRule,
  HTTPRoute: validateHTTPRoute,
  GRPCRoute: validateGRPCRoute,
  RoutingTest: validateRoutingTest,
};

export function checkStructure(kind: ValidatedKind, value: unknown, root: ParsedNode | null, out: DocumentProblems): void {
  const validate = validators[kind];
  if (!validate(value)) reportSchemaErrors(kind, validate.errors ?? [], root, out);
  reportAnnotatedFields(kind, root, out);
}

function insideCombinatorBranch(error: ErrorObject): boolean {
  return /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath) || /\/not\//.test(error.schemaPath);
}

function reportSchemaErrors(kind: ValidatedKind, errors: ErrorObject[], root: ParsedNode | null, out: DocumentProblems): void {
  const seen = new Set<string>();
  for (const error of errors) {
    // Errors inside oneOf/anyOf branches only explain why a branch failed; the combinator's
    // own error (reported once, below) is the finding.
    if (insideCombinatorBranch(error)) continue;
    const key = error.keyword === 'oneOf' ? `${error.instancePath}|oneOf` : `${error.instancePath}|${error.keyword}|${error.schemaPath}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const located = locate(root, error.instancePath);
    if (!located) continue;
    reportError(kind, error, located, out);
  }
}

/** A scalar that is a placeholder (`${WEIGHT}`, `$(PORT)`, `MY_HOST`) is not a value yet: no type, format or range errors. */
function isPlaceholderNode(node: ParsedNode | null | undefined, enumField: boolean): boolean {
  return isScalar(node) && typeof node.value === 'string' && hasPlaceholder(node.value, !enumField);
}

function reportError(kind: ValidatedKind, error: ErrorObject, located: Located, out: DocumentProblems): void {
  if (isPlaceholderNode(located.node, error.keyword === 'enum' || error.keyword === 'const')) return;
  const schemas = schemasAt(kind, located.path);
  const name = fieldName(located);
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknownKey = String((error.params as { additionalProperty: string }).additionalProperty);
      const map = asMap(located.node);
      const pair = map ? findPair(map, unknownKey) : undefined;
      if (!pair || hasPlaceholder(unknownKey)) return;
      reportUnknownKey(unknownKey, pair, schemas, name, located.path, out);
      return;
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      // `sni_hosts` written instead of `sniHosts` is one mistake, reported as IM1002 only.
      const snake = missing.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      const holder = asMap(located.node);
      if (snake !== missing && holder && findPair(holder, snake)) return;
      const where = located.pair ?? undefined;
      const owner = located.path.length === 0 ? 'The resource' : `\`${name}\``;
      const message = `${owner} is missing the required field \`${missing}\`. Add \`${missing}:\`.`;
      if (where) out.atKey('IM1005', where, message, { path: [...located.path, missing] });
      else out.atNode('IM1005', firstLineNode(located.node), message, { path: [...located.path, missing] });
      return;
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type).split(',');
      const actual = jsValue(located.node);
      if (actual === null) {
        // Kubernetes treats an empty (null) field as absent; only say so when the field is required.
        const parentPath = located.path.slice(0, -1);
        const required = new Set(schemasAt(kind, parentPath).flatMap((node) => node.schema.required ?? []));
        const last = located.path[located.path.length - 1];
        if (located.pair && typeof last === 'string' && required.has(last)) {
          out.atKey('IM1005', located.pair, `\`${name}\` is required but has no value.`, { path: located.path });
        }
        return;
      }
      const wanted = expected.filter((type) => type !== 'null').map((type) => typeWords[type] ?? type).join(' or ');
      const definitions = definitionNames(schemas);
      let message = `\`${name}\` must be ${wanted}, but it is ${describeValue(actual)}.`;
      let replacementValue: unknown;
      if (definitions.has('Duration') || definitions.has('DurationAllowZero')) {
        message = `\`${name}\` must be a duration such as 5s, 250ms or 1m30s, but it is ${describeValue(actual)}.`;
        if (typeof actual === 'number') replacementValue = `${actual}s`;
      } else if (expected.includes('string') && isScalar(located.node) && actual !== null && typeof actual !== 'object') {
        const text = located.node.source ?? String(actual);
        message += ` Quote it: "${text}".`;
        replacementValue = String(text);
      } else if ((expected.includes('integer') || expected.includes('number')) && typeof actual === 'string' && actual.trim() !== '' && Number.isFinite(Number(actual))) {
        message += ` Write it without quotes: ${Number(actual)}.`;
        replacementValue = Number(actual);
      }
      out.atNode('IM1004', located.node, message, replacementValue === undefined ? { path: located.path } : { path: located.path, replacementValue });
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'enum'
        ? ((error.params as { allowedValues: unknown[] }).allowedValues ?? [])
        : [(error.params as { allowedValue: unknown }).allowedValue];
      const actual = jsValue(located.node);
      const suggestion = typeof actual === 'string' ? closestMatch(actual, allowed.map(String)) : undefined;
      const list = allowed.map((value) => String(value)).join(', ');
      // The suggestion before the list: a Problems row is cut at the panel's width.
      const message = suggestion ? `\`${name}\`: did you mean ${suggestion}? It must be one of ${list}.` : `\`${name}\` must be one of ${list}.`;
      out.atNode('IM1006', located.node, message, suggestion ? { path: located.path, replacementValue: suggestion } : { path: located.path });
      return;
    }
    case 'oneOf': {
      reportOneOf(error, located, schemas, name, out);
      return;
    }
    case 'pattern': {
      const definitions = definitionNames(schemas);
      const actual = jsValue(located.node);
      if (definitions.has('Duration') || definitions.has('DurationAllowZero')) {
        out.atNode('IM1008', located.node, `\`${name}\` is not a valid duration: "${String(actual)}". Write a number with a unit: ms, s, m or h (e.g. 250ms, 5s, 1m30s); there is no "d" unit.`, { path: located.path });
      } else {
        out.atNode('IM1008', located.node, `\`${name}\` has an invalid format: "${String(actual)}" (expected to match ${error.params && (error.params as { pattern: string }).pattern}).`, { path: located.path });
      }
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { limit, comparison } = error.params as { limit: number; comparison: string };
      // The schema node Ajv checked is the one carrying this limit; it may have the other bound too.
      const bounds = schemas.map((node) => node.schema).find((schema) => schema[error.keyword] === limit);
      const actual = jsValue(located.node);
      const range = bounds?.minimum !== undefined && bounds?.maximum !== undefined
        ? `between ${bounds.minimum} and ${bounds.maximum}`
        : `${comparison} ${limit}`;
      // Clamping makes sense for inclusive bounds only (`>= 1`, `<= 65535`).
      const minimum = comparison === '>=' ? limit : bounds?.minimum;
      const maximum = comparison === '<=' ? limit : bounds?.maximum;
      const replacement = typeof actual === 'number' && comparison.length === 2
        ? Math.min(maximum ?? actual, Math.max(minimum ?? actual, actual))
        : undefined;
      out.atNode('IM1009', located.node, `\`${name}\` must be ${range}; it is ${String(actual)}.`, replacement === undefined ? { path: located.path } : { path: located.path, replacementValue: replacement });
      return;
    }
    default: {
      out.atNode('IM1011', firstLineNode(located.node), `\`${name}\` ${error.message ?? 'is invalid'}.`, { path: located.path });
    }
  }
}

function reportUnknownKey(unknownKey: string, pair: Pair, schemas: SchemaNode[], owner: string, path: Path, out: DocumentProblems): void {
  const known = propertiesOf(schemas);
  const camel = snakeToCamel(unknownKey);
  const keyPath = [...path, unknownKey];
  if (camel !== unknownKey && known.has(camel)) {
    const consequence = camel === 'mirrorPercentage'
      ? ' With the field dropped, mirroring silently becomes 100 %.'
      : '';
    out.atKey('IM1002', pair, `\`${unknownKey}\` is the proto name; the Kubernetes API server only knows \`${camel}\` and drops this field.${consequence} Rename it to \`${camel}\`.`, { replacementKey: camel, path: keyPath });
    return;
  }
  const removed = removedFields[unknownKey];
  // Removed fields are Istio's; schemas of other APIs say nothing about them.
  if (removed && (!removed.owner || removed.owner === owner) && schemas.some((node) => node.file === 'virtualService.schema.json' || node.file === 'destinationRule.schema.json' || node.file === 'common.schema.json')) {
    out.atKey('IM1003', pair, `\`${unknownKey}\` was removed from the Istio API: ${removed.replacement}.`, { path: keyPath });
    return;
  }
  const suggestion = closestMatch(unknownKey, known.keys());
  const where = owner === 'the document' ? 'at the top level' : `in \`${owner}\``;
  const message = suggestion
    // The suggestion first: a Problems row is cut at the panel's width.
    ? `Unknown field \`${unknownKey}\`: did you mean \`${suggestion}\`? (${where})`
    : `Unknown field \`${unknownKey}\` ${where}. Known fields: ${[...known.keys()].join(', ')}.`;
  out.atKey('IM1001', pair, message, suggestion ? { replacementKey: suggestion, path: keyPath } : { path: keyPath });
}

/** Reports every mutually exclusive group the object breaks (once per object, whatever Ajv reported). */
function reportOneOf(error: ErrorObject, located: Located, schemas: SchemaNode[], name: string, out: DocumentProblems): void {
  const map = asMap(located.node);
  // A value that is not an object gets a type error; the oneOf failure adds nothing for people.
  if (!map) return;
  const groups = annotation(schemas, 'x-oneOf');
  const normalised: string[][] = !groups ? [] : Array.isArray(groups[0]) ? (groups as string[][]) : [groups as string[]];
  let reported = false;
  for (const group of normalised) {
    const present = map.items.filter((item) => isPair(item) && group.includes(keyText(item) ?? ''));
    if (present.length < 2) continue;
    const names = present.map((item) => `\`${keyText(item as Pair)}\``).join(' and ');
    for (const item of present.slice(1)) {
      out.atKey('IM1007', item as Pair, `${names} cannot be set together in \`${name}\`: keep only one of ${group.join(', ')}.`, { path: [...located.path, keyText(item as Pair) ?? ''] });
    }
    reported = true;
  }
  if (!reported) out.atNode('IM1011', firstLineNode(located.node), `\`${name}\` ${error.message ?? 'does not match any allowed form'}.`, { path: located.path });
}

/** For block maps and sequences, report on the first entry instead of the whole block. */
function firstLineNode(node: ParsedNode | null | undefined): Node | null | undefined {
  if (isMap(node) && node.items.length > 0) {
    const first = node.items[0];
    return (first.key as Node | null) ?? node;
  }
  return node;
}

/** Walks the document alongside the schemas: reports fields marked `x-deprecated` and durations Istio rejects. */
function reportAnnotatedFields(kind: ValidatedKind, root: ParsedNode | null, out: DocumentProblems): void {
  // One mutable path for the whole walk; it is copied only when a problem is reported.
  const path: Path = [];
  const visit = (node: ParsedNode | null | undefined, cursor: SchemaCursor, depth: number): void => {
    if (!node || depth > 64 || cursor.nodes.length === 0) return;
    if (isMap(node)) {
      const properties = cursor.properties();
      for (const item of node.items) {
        const key = keyText(item);
        if (key === undefined) continue;
        const property = properties.get(key);
        path.push(key);
        if (property?.schema['x-deprecated'] && !deprecationsWithOwnRule.has(key)) {
          const replacement = String(property.schema['x-deprecated']).split(' or ').map((name) => `\`${name}\``).join(' or ');
          out.atKey('IM1010', item, `\`${key}\` is deprecated; use ${replacement} instead.`, { path: [...path] });
        }
        const valueCursor = cursor.child(key);
        if (isScalar(item.value) && valueCursor.definitions().has('Duration')) {
          checkDuration(key, item.value, [...path], out, path[path.length - 2] === 'corsPolicy' && key === 'maxAge' ? 1e9 : 1e6);
        }
        visit(item.value as ParsedNode | null, valueCursor, depth + 1);
        path.pop();
      }
    } else if (isSeq(node)) {
      const itemCursor = cursor.child(0);
      node.items.forEach((item, index) => {
        path.push(index);
        visit(item as ParsedNode | null, itemCursor, depth + 1);
        path.pop();
      });
    }
  };
  visit(root, rootCursor(kind), 0);
}

/**
 * Istio's ValidateDuration: at least 1ms, whole milliseconds (`precision` in nanoseconds; CORS
 * `maxAge` needs whole seconds). The syntax itself is the schema's job.
 */
function checkDuration(key: string, node: Scalar, path: Path, out: DocumentProblems, precision: number): void {
  if (typeof node.value !== 'string') return;
  const nanos = parseGoDuration(node.value);
  if (nanos === undefined) return;
  if (nanos < 1e6) {
    const hint = key === 'timeout' ? ' To have no timeout, remove the field.' : '';
    out.atNode('IM2106', node, `\`${key}: ${node.value}\` is below 1ms; Istio rejects durations shorter than 1ms.${hint}`, { path, replacementValue: '1ms' });
  } else if (nanos % precision !== 0) {
    const unit = precision === 1e9 ? 's' : 'ms';
    const words = precision === 1e9 ? 'whole seconds' : 'whole milliseconds';
    out.atNode('IM2106', node, `\`${key}: ${node.value}\` is more precise than Istio supports here: use ${words}.`, { path, replacementValue: `${Math.max(1, Math.round(nanos / precision))}${unit}` });
  }
}
