// Check: the Gateway API CRDs' own validation rules (`x-kubernetes-validations`), evaluated with a
// CEL engine the way the Kubernetes API server evaluates them.
//
// The rules are data: each lives in schemas/ at the place the CRD has it (schemas/README.md says
// where each comes from), with the API server's message, and our diagnostic code, the field to
// point at and a hint on how to fix it. As the API server does, the object is defaulted from the
// schema before the rules run (`group: ""`, `kind: Service`, a path match of `PathPrefix /`, …),
// integers are CEL ints, and property names that are CEL keywords are escaped (`namespace` is
// `__namespace__`). A rule that cannot be evaluated (a value of the wrong type, a missing required
// field) reports nothing: the structure check reports those.

import { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { isMap, isScalar, isSeq, type Pair, type ParsedNode } from 'yaml';
import { findPair } from '../parse/yamlDocument';
import { rootCursor, type SchemaCursor, type ValidatedKind } from '../schema/schemaNavigator';
import type { DocumentProblems } from './documentProblems';
import { setOwn } from '../util/ownProperty';

/** One `x-kubernetes-validations` entry as schemas/ writes it. */
export interface CelRule {
  rule: string;
  /** The API server's message when the rule fails. */
  message: string;
  /** Our diagnostic code (IM2500 when absent). */
  code?: string;
  /** Fields of the validated object to point at, first one present wins; for a list rule, fields of the offending item. */
  at?: string[];
  /** What is wrong and how to fix it, in our words. */
  hint?: string;
}

type Path = (string | number)[];

const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
  // Kubernetes CEL's `matches` is RE2 (inline flags such as `(?i)`, no look-around); cel-js's
  // is a JavaScript RegExp, so rules call this one instead.
  .registerFunction('string.re2_matches(string): bool', (text: string, pattern: string) => RE2JS.compile(pattern).matcher(text).find());

type Program = (context: Record<string, unknown>) => unknown;

/**
 * Two mechanical rewrites that keep a rule's meaning on this engine: `matches` is bound to RE2,
 * and `has(x[i].f)` (cel-js accepts `has` only on a chain of fields from a variable) becomes
 * `'f' in x[i]`, which CEL defines to be the same test for the maps a JSON object is.
 */
export function adaptToEngine(rule: string): string {
  return rule
    .replace(/\.matches\(/g, '.re2_matches(')
    .replace(/has\(([A-Za-z_][\w.]*\[[^()\]]*\](?:\.\w+)*)\.(\w+)\)/g, "('$2' in $1)");
}
const programs = new Map<string, Program | null>();

function program(rule: string): Program | null {
  let compiled = programs.get(rule);
  if (compiled === undefined) {
    try {
      compiled = environment.parse(adaptToEngine(rule)) as unknown as Program;
    } catch {
      compiled = null;
    }
    programs.set(rule, compiled);
  }
  return compiled;
}

/** true / false, or undefined when the rule cannot be evaluated on this value. */
export function evaluateRule(rule: string, self: unknown): boolean | undefined {
  const compiled = program(rule);
  if (!compiled) return undefined;
  try {
    const result = compiled({ self });
    return typeof result === 'boolean' ? result : undefined;
  } catch {
    return undefined;
  }
}

const celKeywords = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** Kubernetes' escaping of property names in CEL (`namespace` → `__namespace__`, `a-b` → `a__dash__b`). */
export function escapeCelProperty(name: string): string {
  if (celKeywords.has(name)) return `__${name}__`;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** A JSON value as CEL sees it: whole numbers are ints, property names escaped. */
export function celValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(result, escapeCelProperty(key), celValue(item));
    return result;
  }
  return value;
}


function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeOf(cursor: SchemaCursor): string | undefined {
  for (const node of cursor.nodes) if (typeof node.schema.type === 'string') return node.schema.type;
  return undefined;
}

/** The value with the schema's defaults filled in, as the API server defaults before validating. */
export function withDefaults(value: unknown, cursor: SchemaCursor, depth = 0): unknown {
  if (depth > 64 || cursor.nodes.length === 0) return value;
  if (Array.isArray(value)) {
    const items = cursor.child(0);
    return value.map((item) => withDefaults(item, items, depth + 1));
  }
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setOwn(result, key, withDefaults(item, cursor.child(key), depth + 1));
  for (const [key, property] of cursor.properties()) {
    if (Object.hasOwn(result, key) || property.schema.default === undefined) continue;
    result[key] = withDefaults(structuredClone(property.schema.default), cursor.child(key), depth + 1);
  }
  return result;
}

function rulesAt(cursor: SchemaCursor): CelRule[] {
  const seen = new Set<string>();
  const rules: CelRule[] = [];
  for (const node of cursor.nodes) {
    for (const rule of (node.schema['x-kubernetes-validations'] as CelRule[] | undefined) ?? []) {
      if (seen.has(rule.rule)) continue;
      seen.add(rule.rule);
      rules.push(rule);
    }
  }
  return rules;
}

interface Place {
  /** The YAML node of the value, when it is written (defaults are not). */
  node: ParsedNode | null | undefined;
  pair?: Pair<ParsedNode, ParsedNode | null>;
  path: Path;
}

/** Evaluates every CEL rule of the route's schema on the (defaulted) document and reports the failures. */
export function checkCelRules(kind: ValidatedKind, value: unknown, root: ParsedNode | null, out: DocumentProblems): void {
  const cursor = rootCursor(kind);
  const defaulted = withDefaults(value, cursor);
  const kindName = kind;
  // `celHere` is `current` as CEL sees it, converted once for the whole document.
  const visit = (current: unknown, celHere: unknown, cursorHere: SchemaCursor, place: Place, depth: number): void => {
    if (depth > 64 || cursorHere.nodes.length === 0) return;
    if (Array.isArray(current)) {
      const items = cursorHere.child(0);
      const seq = isSeq(place.node) ? place.node : undefined;
      current.forEach((item, index) => visit(item, (celHere as unknown[])[index], items, { node: seq?.items[index] as ParsedNode | null | undefined, path: [...place.path, index] }, depth + 1));
    } else if (isObject(current)) {
      const map = isMap(place.node) ? place.node : undefined;
      for (const [key, item] of Object.entries(current)) {
        const pair = map ? findPair(map, key) : undefined;
        visit(item, (celHere as Record<string, unknown>)[escapeCelProperty(key)], cursorHere.child(key), { node: pair?.value, pair, path: [...place.path, key] }, depth + 1);
      }
    }
    const rules = rulesAt(cursorHere);
    const expected = typeOf(cursorHere);
    if (rules.length === 0 || (expected === 'object' && !isObject(current)) || (expected === 'array' && !Array.isArray(current))) return;
    // A list longer than the schema allows is reported by the structure check (maxItems); its
    // rules are not evaluated, so a huge list costs nothing here.
    const maxItems = cursorHere.nodes.map((node) => node.schema.maxItems).find((limit): limit is number => typeof limit === 'number');
    if (Array.isArray(current) && maxItems !== undefined && current.length > maxItems) return;
    for (const rule of rules) {
      if (evaluateRule(rule.rule, celHere) !== false) continue;
      report(kindName, rule, current, celHere, place, out);
    }
  };
  visit(defaulted, celValue(defaulted), cursor, { node: root, path: [] }, 0);
}

function report(kind: string, rule: CelRule, value: unknown, self: unknown, place: Place, out: DocumentProblems): void {
  let target = place;
  if (Array.isArray(self) && Array.isArray(value)) {
    // A list rule: the item that first makes it fail, i.e. the last item of the shortest failing
    // prefix. The list rules of these CRDs stay broken once broken (repeats, `*` with others,
    // duplicate parents, too many matches), so the prefix is found by bisection.
    let low = 1;
    let high = self.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (evaluateRule(rule.rule, self.slice(0, middle)) === false) high = middle;
      else low = middle + 1;
    }
    const seq = isSeq(place.node) ? place.node : undefined;
    const item = seq?.items[low - 1] as ParsedNode | null | undefined;
    if (item && evaluateRule(rule.rule, self.slice(0, low)) === false) target = { node: item, path: [...place.path, low - 1] };
  }
  let node = target.node;
  let pair = target.pair;
  let path = target.path;
  const map = isMap(node) ? node : undefined;
  for (const field of rule.at ?? []) {
    const fieldPair = map ? findPair(map, field) : undefined;
    if (!fieldPair) continue;
    pair = fieldPair;
    node = fieldPair.value;
    path = [...target.path, field];
    break;
  }
  const lead = rule.hint ?? `This ${kind} breaks a validation rule of its CRD.`;
  const message = `${lead} The API server rejects it: "${rule.message}".`;
  const code = rule.code ?? 'IM2500';
  if (isScalar(node)) out.atNode(code, node, message, { path });
  else if (pair) out.atKey(code, pair, message, { path });
  else if (node) out.atNode(code, node, message, { path });
}
