// Parses one YAML document (a slice of a file) with the `yaml` package and offers the
// node helpers every later stage uses: ranges, typed lookups, paths. Parsing never throws:
// failures become `syntaxErrors`, and half-typed documents produce whatever nodes `yaml`
// could recover.

import * as yamlLibrary from 'yaml';
import {
  Document,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Node,
  type Pair,
  type ParsedNode,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Range } from '../types';
import { maxNestingDepth, tooDeep } from './nestingDepth';
import { composeBlockDocument, composedData } from './blockComposer';

// Bound once: the bundle reaches a CommonJS package's named exports through a getter on every
// call, and these run for every node the analysis looks at.
const { isMap, isPair, isScalar, isSeq } = yamlLibrary;

/** A parse failure or warning reported by `yaml`, with a range relative to the document. */
export interface SyntaxProblem {
  code: string;
  message: string;
  range: Range;
}

/** One parsed YAML document. Ranges produced from it are relative to the document's first line. */
export interface YamlDocument {
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  syntaxErrors: SyntaxProblem[];
  /** Set once `addDuplicateKeyErrors` has run. */
  duplicateKeysChecked?: boolean;
  /** Set when the block composer built the tree (its nodes carry no comments); `documentData` then walks it itself. */
  composed?: true;
}

/** The document as plain data (`toJS`); throws for an alias bomb, as `toJS` does with `maxAliasCount`. */
export function documentData(yamlDocument: YamlDocument): unknown {
  return yamlDocument.composed ? composedData(yamlDocument.doc.contents) : yamlDocument.doc.toJS({ maxAliasCount });
}

/** Aliases expanded beyond this count are treated as an alias bomb. */
export const maxAliasCount = 100;

/**
 * A LineCounter filled from the text itself rather than by the parser: the parser registers
 * line starts as it lexes, and in some broken documents it skips some, which would put ranges
 * on the wrong line. (Lone `\r` line breaks are turned into `\n` before texts get here; see
 * `normaliseLineBreaks`.)
 */
function countLines(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
  return lineCounter;
}

/**
 * LSP counts a lone `\r` as a line break, as YAML does; `yaml`'s positions and every line scan
 * here count `\n` only. Replacing each lone `\r` by `\n` keeps every offset and makes both agree.
 */
export function normaliseLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The syntax-problem code of a document nested too deeply to be parsed (see nestingDepth.ts). */
export const nestingLimitCode = 'NESTING_LIMIT';

/**
 * Parses one document. `duplicateKeys: false` leaves out the duplicate-key check (see
 * `addDuplicateKeyErrors`): the analysis runs it only on the documents it reports on.
 * `blockComposer: true` builds the tree of a plain block-style document without `yaml`'s
 * parser (parse/blockComposer.ts: the same nodes, ranges and values, but no comments on the
 * nodes); every other document is parsed by `yaml`. The analysis reads no comments from nodes,
 * so it uses it; features, which may edit around comments, parse with `yaml`.
 */
export function parseYamlDocument(text: string, options: { duplicateKeys?: boolean; blockComposer?: boolean } = {}): YamlDocument {
  const lineCounter = countLines(text);
  const composed = options.blockComposer ? composeBlockDocument(text) : undefined;
  if (composed) {
    const composedDoc = new Document() as unknown as Document.Parsed;
    composedDoc.contents = composed.contents;
    composedDoc.range = [0, composed.end, text.length];
    const yamlDocument: YamlDocument = { text, doc: composedDoc, lineCounter, syntaxErrors: [], composed: true };
    if (options.duplicateKeys !== false) addDuplicateKeyErrors(yamlDocument);
    return yamlDocument;
  }
  let doc: Document.Parsed;
  const deep = tooDeep(text);
  if (deep) {
    const empty = new Document() as unknown as Document.Parsed;
    const yamlDocument: YamlDocument = { text, doc: empty, lineCounter, syntaxErrors: [] };
    const message = `Collections are nested more than ${maxNestingDepth} levels deep here; the document is not read further.`;
    yamlDocument.syntaxErrors.push({ code: nestingLimitCode, message, range: syntaxErrorRange(yamlDocument, deep.offset, deep.offset + 1) });
    return yamlDocument;
  }
  try {
    // `yaml`'s own duplicate-key check compares each key with every earlier one of its mapping
    // (50,000 keys: 13 s); ours below uses a Map.
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, merge: true });
  } catch (error) {
    // `yaml` does not throw on bad input, but a bug there must not take the server down.
    const empty = new Document() as unknown as Document.Parsed;
    return {
      text,
      doc: empty,
      lineCounter,
      syntaxErrors: [{ code: 'PARSE_FAILURE', message: String(error), range: zeroRange() }],
    };
  }
  const yamlDocument: YamlDocument = { text, doc, lineCounter, syntaxErrors: [] };
  for (const error of doc.errors) {
    yamlDocument.syntaxErrors.push({ code: error.code, message: error.message, range: syntaxErrorRange(yamlDocument, error.pos[0], error.pos[1]) });
  }
  if (options.duplicateKeys !== false) addDuplicateKeyErrors(yamlDocument);
  const early = doc.errors.length === 0 && text.includes('*') ? aliasBeforeAnchor(doc) : undefined;
  if (early?.range) {
    // `yaml` parses it, but turning it into data throws (and Kubernetes' YAML reader rejects it).
    const message = `Alias *${early.source} is used before its anchor &${early.source} is set; an anchor must come before its aliases`;
    yamlDocument.syntaxErrors.push({ code: 'BAD_ALIAS', message, range: syntaxErrorRange(yamlDocument, early.range[0], early.range[1]) });
  }
  return yamlDocument;
}

/** The first alias whose anchor is set only after it (in document order), if any. */
function aliasBeforeAnchor(doc: Document.Parsed): Alias | undefined {
  const anchors = new Set<string>();
  let found: Alias | undefined;
  visit(doc, {
    Alias: (_, node) => {
      if (anchors.has(node.source)) return undefined;
      found = node;
      return visit.BREAK;
    },
    Node: (_, node) => {
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return found;
}

/**
 * The duplicate keys of every mapping, as `yaml`'s `uniqueKeys` reports them (DUPLICATE_KEY
 * at each later key; scalar keys are equal when their values are, other keys never), found
 * with one Map per mapping: linear in the document. Added to `syntaxErrors` in text order.
 */
export function addDuplicateKeyErrors(yamlDocument: YamlDocument): void {
  if (yamlDocument.duplicateKeysChecked) return;
  yamlDocument.duplicateKeysChecked = true;
  const found: SyntaxProblem[] = [];
  // A plain walk: `visit`'s generality costs more than the check (the nesting is bounded, see nestingDepth.ts).
  const walk = (node: unknown): void => {
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isMap(node)) {
      const items = node.items;
      for (const pair of items) walk(pair);
      if (items.length < 2) return;
      const seen = new Set<unknown>();
      for (const pair of items) {
        const key = pair.key;
        if (!isScalar(key) || (typeof key.value === 'number' && Number.isNaN(key.value))) continue;
        if (!seen.has(key.value)) {
          seen.add(key.value);
          continue;
        }
        const start = key.range?.[0] ?? 0;
        found.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', range: syntaxErrorRange(yamlDocument, start, start + 1) });
      }
    }
  };
  walk(yamlDocument.doc.contents);
  if (found.length === 0) return;
  const before = (a: Range, b: Range): number => a.start.line - b.start.line || a.start.character - b.start.character;
  yamlDocument.syntaxErrors = [...yamlDocument.syntaxErrors, ...found].sort((a, b) => before(a.range, b.range));
}

/**
 * A syntax error's range, made visible and kept on one line: an error at the very end of the
 * document (an unclosed bracket or quote) moves back to the last character written, and a span
 * over several lines is cut at the first line's end.
 */
function syntaxErrorRange(yamlDocument: YamlDocument, start: number, end: number): Range {
  const text = yamlDocument.text;
  let from = Math.min(start, text.length);
  if (text.slice(from).trim() === '') from = Math.max(0, text.trimEnd().length - 1);
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  let lineEnd = text.indexOf('\n', from);
  if (lineEnd < 0) lineEnd = text.length;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd -= 1;
  // An error reported at the line break itself is shown on the line's last character.
  if (from >= lineEnd && lineEnd > lineStart) from = lineEnd - 1;
  const to = Math.min(Math.max(end, from + 1), Math.max(lineEnd, from));
  return offsetsToRange(yamlDocument, Math.min(from, lineEnd), to);
}

export function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function offsetToPosition(yamlDocument: YamlDocument, offset: number): { line: number; character: number } {
  const clamped = Math.max(0, Math.min(offset, yamlDocument.text.length));
  const { line, col } = yamlDocument.lineCounter.linePos(clamped);
  return { line: line - 1, character: col - 1 };
}

export function offsetsToRange(yamlDocument: YamlDocument, start: number, end: number): Range {
  return { start: offsetToPosition(yamlDocument, start), end: offsetToPosition(yamlDocument, end) };
}

/** Range of a node's value (without trailing comments or whitespace). */
export function nodeRange(yamlDocument: YamlDocument, node: Node | null | undefined): Range {
  if (!node?.range) return zeroRange();
  return offsetsToRange(yamlDocument, node.range[0], node.range[1]);
}

/** Range of a node cut at the end of its first line (for blocks that span many lines). */
export function firstLineRange(yamlDocument: YamlDocument, node: Node | null | undefined): Range {
  if (!node?.range) return zeroRange();
  const start = node.range[0];
  let end = node.range[1];
  const newline = yamlDocument.text.indexOf('\n', start);
  if (newline >= 0 && newline < end) end = newline;
  if (end > start && yamlDocument.text[end - 1] === '\r') end -= 1;
  while (end > start && /\s/.test(yamlDocument.text[end - 1])) end -= 1;
  return offsetsToRange(yamlDocument, start, end);
}

/** Range of a pair's key, or of its value when the key has no position. */
export function keyRange(yamlDocument: YamlDocument, pair: Pair): Range {
  const key = pair.key as Node | null;
  if (key?.range) return nodeRange(yamlDocument, key);
  return nodeRange(yamlDocument, pair.value as Node | null);
}

/** Range covering a whole pair: from the start of its key to the end of its value. */
export function pairRange(yamlDocument: YamlDocument, pair: Pair): Range {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
  return offsetsToRange(yamlDocument, start, end);
}

/** The key of a pair as a string, or undefined when it is not a plain scalar key. */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null || key.value === undefined ? undefined : String(key.value);
  return undefined;
}

export function findPair(map: YAMLMap, key: string): Pair<ParsedNode, ParsedNode | null> | undefined {
  for (const item of map.items) {
    if (isPair(item) && keyText(item) === key) return item as Pair<ParsedNode, ParsedNode | null>;
  }
  return undefined;
}

/** The value node under `key` in `node` when `node` is a map; undefined otherwise. */
export function child(node: unknown, key: string): ParsedNode | undefined {
  if (!isMap(node)) return undefined;
  const value = findPair(node, key)?.value;
  return value ?? undefined;
}

export function asMap(node: unknown): YAMLMap<ParsedNode, ParsedNode | null> | undefined {
  return isMap(node) ? (node as YAMLMap<ParsedNode, ParsedNode | null>) : undefined;
}

export function asSeq(node: unknown): YAMLSeq<ParsedNode | null> | undefined {
  return isSeq(node) ? (node as YAMLSeq<ParsedNode | null>) : undefined;
}

/** A scalar's value when it is a string; undefined for other scalars or nodes. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A scalar's value when it is a finite number. */
export function numberValue(node: unknown): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
}

/** A scalar's value rendered as text, whatever its type (for host names written as numbers, etc.). */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** Walks `path` (map keys and sequence indices) from `node`; undefined when any step is missing. */
export function nodeAt(node: unknown, path: readonly (string | number)[]): ParsedNode | undefined {
  let current: unknown = node;
  for (const step of path) {
    if (typeof step === 'number') {
      const seq = asSeq(current);
      if (!seq) return undefined;
      current = seq.items[step];
    } else {
      current = child(current, step);
    }
    if (current === undefined || current === null) return undefined;
  }
  return current as ParsedNode;
}

/** The pair holding `path`'s last key, for reporting on the key itself. */
export function pairAt(node: unknown, path: readonly (string | number)[]): Pair<ParsedNode, ParsedNode | null> | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = path.length === 1 ? node : nodeAt(node, path.slice(0, -1));
  const map = asMap(parent);
  return map ? findPair(map, last) : undefined;
}
