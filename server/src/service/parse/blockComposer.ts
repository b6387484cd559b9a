// Builds the `yaml` syntax tree of a plain block-style document without `yaml`'s lexer, CST
// parser and composer: one pass over the lines that creates the same YAMLMap, YAMLSeq, Pair
// and Scalar nodes, with the same ranges, values, scalar types and sources. Most Kubernetes
// manifests are written in this subset, and composing them this way costs a fraction of a full
// parse (docs/performance.md), which is most of what opening a large file costs.
//
// It never guesses. It handles mappings and sequences by indentation, compact `- key: value`
// items, single-line plain, single-quoted and escape-free double-quoted scalars, flow
// sequences and mappings of such scalars that close on their line, trailing comments, blank
// lines, and comment lines where they change no node's range (see `moveTo`). For anything
// else (nested or multi-line flow collections, block scalars, multi-line scalars, escapes,
// anchors, aliases, tags, merge and complex keys, directives, tabs, a byte order mark, other
// comment lines, anything `yaml` would report as an error) it returns undefined and the
// caller parses the document with `yaml`. A test composes every document of the corpus, the examples and generated variants both ways
// and requires the same tree wherever this one answers.

import * as yamlLibrary from 'yaml';
import type { ParsedNode } from 'yaml';
import { resolvePlain } from './blockYamlReader';
import { setOwn } from '../util/ownProperty';

// Bound once (the bundle reaches a CommonJS package's exports through a getter on every use).
const { Pair, Scalar, YAMLMap, YAMLSeq } = yamlLibrary;
type Scalar = yamlLibrary.Scalar;

/** The root node of `text` (null for a document without content), or undefined when `text` is outside the subset. */
export function composeBlockDocument(text: string): { contents: ParsedNode | null; end: number } | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  const composer = new BlockComposer(text);
  return composer.document();
}

/**
 * Deeper documents go to the parser, whose nesting limit then applies (nestingDepth.ts); real
 * manifests nest some 20 levels.
 */
const maxDepth = 64;

class Unsupported extends Error {}
const unsupported = new Unsupported();

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const RETURN = 13;

class BlockComposer {
  /** The current content line: where it starts, where its content starts, where it ends (before `\r\n`), where the next line starts. */
  private lineStart = 0;
  private contentStart = 0;
  private lineEnd = 0;
  private nextLine = 0;
  /** Column of the current line's content, or -1 at the end of the text. */
  private indent = -1;
  private sawMarker = false;
  /** The deepest column of the comment lines the last `moveTo` skipped, -1 for none. */
  private commentColumn = -1;
  /** How deep the collections being composed nest (see `maxDepth`). */
  private depth = 0;

  constructor(private readonly text: string) {}

  document(): { contents: ParsedNode | null; end: number } | undefined {
    try {
      this.moveTo(0, true);
      // A document with no content is null; after a `---` marker `yaml` gives it a null scalar, left to it.
      if (this.indent < 0) return this.sawMarker ? undefined : { contents: null, end: this.text.length };
      const contents = this.node(this.indent, this.contentStart);
      if (this.indent >= 0) return undefined;
      return { contents, end: (contents as { range: [number, number, number] }).range[2] };
    } catch (error) {
      if (error === unsupported) return undefined;
      throw error;
    }
  }

  /**
   * Moves to the first content line at or after `offset`, skipping blank and comment lines
   * (`commentColumn`: the deepest column of the comment lines skipped, -1 for none). A comment
   * line belongs to the next node when the next line continues the same collection and the
   * comment is indented no further: it changes no range. Where the next line ends a collection
   * `yaml` may give the comment to the node that ends, reaching into its range, so the callers
   * leave those documents to it; comments at column 0 after all content belong to the document.
   */
  private moveTo(offset: number, header = false): void {
    const text = this.text;
    let commentColumn = -1;
    while (offset < text.length) {
      let end = text.indexOf('\n', offset);
      const next = end < 0 ? text.length : end + 1;
      if (end < 0) end = text.length;
      if (end > offset && text.charCodeAt(end - 1) === RETURN) end -= 1;
      let at = offset;
      while (at < end && text.charCodeAt(at) === SPACE) at++;
      if (at === end) {
        offset = next;
        continue;
      }
      const first = text.charCodeAt(at);
      if (first === HASH) {
        if (!header) commentColumn = Math.max(commentColumn, at - offset);
        offset = next;
        continue;
      }
      if (header && at === offset && first === DASH && text.startsWith('---', at)) {
        // The document start marker, alone on its line or followed by a comment.
        const rest = text.slice(at + 3, end).trimStart();
        if (at + 3 < end && text.charCodeAt(at + 3) !== SPACE) throw unsupported;
        if (rest !== '' && !rest.startsWith('#')) throw unsupported;
        this.sawMarker = true;
        offset = next;
        continue;
      }
      if (at === offset && (first === 37 /* % */ || (first === 46 /* . */ && text.startsWith('...', at)))) throw unsupported;
      this.commentColumn = commentColumn;
      this.lineStart = offset;
      this.contentStart = at;
      this.lineEnd = end;
      this.nextLine = next;
      this.indent = at - offset;
      return;
    }
    if (commentColumn > 0) throw unsupported;
    this.commentColumn = commentColumn;
    this.lineStart = this.contentStart = this.lineEnd = this.nextLine = text.length;
    this.indent = -1;
  }

  /** A collection ends here: comment lines just before what follows may be its own (see `moveTo`). */
  private endCollection(): void {
    if (this.commentColumn >= 0 && this.indent >= 0) throw unsupported;
  }

  /** The node that starts at `start` on the current line, a collection at column `column`. */
  private node(column: number, start: number): ParsedNode {
    return this.isSequenceItem(start) ? this.sequence(column, start) : this.mapping(column, start);
  }

  private isSequenceItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE;
  }

  private sequence(column: number, start: number): ParsedNode {
    if (++this.depth > maxDepth) throw unsupported;
    const seq = new YAMLSeq<ParsedNode>();
    let at = start;
    for (;;) {
      seq.items.push(this.value(column, this.skipSpaces(at + 1), false));
      // Anything but the next item ends the sequence (a mapping key in the parent at the same column, or an error).
      if (this.indent !== column || !this.isSequenceItem(this.contentStart)) {
        this.endCollection();
        break;
      }
      if (this.commentColumn > column) throw unsupported;
      at = this.contentStart;
    }
    seq.range = [start, endOf(seq.items[seq.items.length - 1]), endOf(seq.items[seq.items.length - 1])];
    this.depth -= 1;
    return seq as unknown as ParsedNode;
  }

  private mapping(column: number, start: number): ParsedNode {
    if (++this.depth > maxDepth) throw unsupported;
    const map = new YAMLMap<ParsedNode, ParsedNode>();
    let at = start;
    for (;;) {
      const key = this.key(at);
      if (key.node.value === '<<') throw unsupported;
      map.items.push(new Pair(key.node as ParsedNode, this.value(column, key.valueStart, true)));
      if (this.indent > column) throw unsupported;
      // A sequence item at a mapping's column continues nothing: the parent sequence's item (or an error).
      if (this.indent < column || this.isSequenceItem(this.contentStart)) {
        this.endCollection();
        break;
      }
      if (this.commentColumn > column) throw unsupported;
      at = this.contentStart;
    }
    const end = endOf(map.items[map.items.length - 1].value as ParsedNode);
    map.range = [start, end, end];
    this.depth -= 1;
    return map as unknown as ParsedNode;
  }

  /**
   * The value of a key or sequence item whose text starts at `at` (after the indicator and its
   * blanks). Leaves the composer on the next line that is not part of the value.
   */
  private value(column: number, at: number, inMapping: boolean): ParsedNode {
    const text = this.text;
    const lineEnd = this.lineEnd;
    if (at === lineEnd || text.charCodeAt(at) === HASH) {
      // The range of a null value on a line after comment lines reaches over the line break.
      const afterComment = this.commentColumn >= 0;
      if (at < lineEnd && text.charCodeAt(at - 1) !== SPACE) throw unsupported;
      const comment = at < lineEnd;
      this.moveTo(this.nextLine);
      if (this.indent > column) return this.node(this.indent, this.contentStart);
      if (inMapping && this.indent === column && this.isSequenceItem(this.contentStart)) {
        if (this.commentColumn >= 0) throw unsupported;
        return this.sequence(column, this.contentStart);
      }
      // An empty value: null. With a comment after it, on its line or below, its range would reach past the comment.
      if (comment || afterComment || this.commentColumn >= 0) throw unsupported;
      return nullScalar(lineEnd);
    }
    const first = text.charCodeAt(at);
    if (first === DASH && (at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE)) {
      // `- - item`: a sequence nested in a sequence item, at the inner dash's column.
      if (inMapping) throw unsupported;
      return this.sequence(at - this.lineStart, at);
    }
    if (!inMapping && this.keyEnd(at) >= 0) return this.mapping(at - this.lineStart, at);
    const node = first === 91 /* [ */ || first === 123 /* { */ ? this.flowCollection(at) : this.scalar(at);
    const end = this.nextLine;
    this.moveTo(this.nextLine);
    // A deeper line after it (a multi-line scalar, or an error) ends the parent collection, which refuses it.
    node.range = [at, node.range![1], end];
    return node as ParsedNode;
  }

  /**
   * A flow sequence or mapping of scalars that closes on its line (`[a, "b"]`, `{app: x}`):
   * each item's range reaches over the blanks before its `,` or the closing bracket.
   */
  private flowCollection(at: number): yamlLibrary.YAMLMap | yamlLibrary.YAMLSeq {
    const text = this.text;
    const isMap = text.charCodeAt(at) === 123;
    const close = isMap ? 125 : 93;
    const collection = isMap ? new YAMLMap() : new YAMLSeq();
    collection.flow = true;
    let i = this.skipSpaces(at + 1);
    while (text.charCodeAt(i) !== close) {
      const item = this.flowScalar(i, isMap);
      i = this.skipSpaces(item.range![1]);
      if (isMap) {
        if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) throw unsupported;
        const value = this.flowScalar(this.skipSpaces(i + 1), false);
        i = this.skipSpaces(value.range![1]);
        value.range = [value.range![0], value.range![1], i];
        (collection as yamlLibrary.YAMLMap).items.push(new Pair(item, value));
      } else {
        item.range = [item.range![0], item.range![1], i];
        (collection as yamlLibrary.YAMLSeq).items.push(item);
      }
      const after = text.charCodeAt(i);
      if (after === 44 /* , */) i = this.skipSpaces(i + 1);
      else if (after !== close) throw unsupported;
    }
    if (!this.onlyCommentAfter(i + 1)) throw unsupported;
    collection.range = [at, i + 1, i + 1];
    return collection;
  }

  /** A scalar inside a one-line flow collection: quoted, or plain up to the next indicator. */
  private flowScalar(at: number, isKey: boolean): Scalar {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === 34 || first === 39) return this.quoted(at);
    if (at >= this.lineEnd || !plainStart(text, at, this.lineEnd)) throw unsupported;
    let end = at;
    for (; end < this.lineEnd; end++) {
      const c = text.charCodeAt(end);
      if (c === 44 || c === 93 || c === 125) break;
      if (c === COLON) {
        // A key's `: `; anywhere else a `:` (an implicit pair, a JSON-style key) is left to the parser.
        if (isKey && text.charCodeAt(end + 1) === SPACE) break;
        throw unsupported;
      }
      if (c === 91 || c === 123 || c === 34 || c === 39 || (c === HASH && text.charCodeAt(end - 1) === SPACE)) throw unsupported;
    }
    if (end >= this.lineEnd) throw unsupported;
    end = trimEndOffset(text, at, end);
    const source = text.slice(at, end);
    const scalar = plainScalar(resolvePlain(source), source);
    scalar.range = [at, end, end];
    return scalar;
  }

  /** True when `at` holds a `:` that separates a key from its value: a blank or the line's end follows it. */
  private isValueIndicator(at: number): boolean {
    return at < this.lineEnd && this.text.charCodeAt(at) === COLON && (at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** True when nothing but blanks, or blanks and a comment, follows `at` on the current line. */
  private onlyCommentAfter(at: number): boolean {
    const rest = this.skipSpaces(at);
    return rest === this.lineEnd || (rest > at && this.text.charCodeAt(rest) === HASH);
  }

  private skipSpaces(at: number): number {
    while (at < this.lineEnd && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** The key at `at` and where its value starts. */
  private key(at: number): { node: Scalar; valueStart: number } {
    const colon = this.keyEnd(at);
    if (colon < 0) throw unsupported;
    const text = this.text;
    let node: Scalar;
    const first = text.charCodeAt(at);
    if (first === 34 /* " */ || first === 39 /* ' */) {
      node = this.quoted(at);
      if (node.range![1] !== trimEndOffset(text, at, colon)) throw unsupported;
    } else {
      const end = trimEndOffset(text, at, colon);
      const source = text.slice(at, end);
      const value = resolvePlain(source);
      if (value === null || (typeof value === 'number' && Number.isNaN(value))) throw unsupported;
      node = plainScalar(value, source);
      node.range = [at, end, end];
    }
    return { node, valueStart: this.skipSpaces(colon + 1) };
  }

  /**
   * Where the implicit key starting at `at` ends (its `:`), or -1 when the line holds no key
   * this composer reads: the `:` must be followed by a blank or the line's end, and come
   * before any comment.
   */
  private keyEnd(at: number): number {
    const text = this.text;
    const lineEnd = this.lineEnd;
    const first = text.charCodeAt(at);
    if (first === 34 /* " */ || first === 39 /* ' */) {
      const close = this.quoteEnd(at);
      if (close < 0) return -1;
      const colon = this.skipSpaces(close);
      return this.isValueIndicator(colon) ? colon : -1;
    }
    if (!plainStart(text, at, lineEnd)) return -1;
    for (let i = at; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (this.isValueIndicator(i)) return i;
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) return -1;
      // Flow indicators in keys and quotes inside keys: left to the parser.
      if (c === 91 || c === 93 || c === 123 || c === 125 || c === 34 || c === 39) return -1;
    }
    return -1;
  }

  /** Offset just after the closing quote of the quoted scalar at `at` on the current line, or -1. */
  private quoteEnd(at: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < this.lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34 && c === 92 /* \ */) return -1;
      if (c !== quote) continue;
      if (quote === 39 && text.charCodeAt(i + 1) === 39) {
        i++;
        continue;
      }
      return i + 1;
    }
    return -1;
  }

  private quoted(at: number): Scalar {
    const close = this.quoteEnd(at);
    if (close < 0) throw unsupported;
    const inner = this.text.slice(at + 1, close - 1);
    const single = this.text.charCodeAt(at) === 39;
    const value = single && inner.includes("''") ? inner.replace(/''/g, "'") : inner;
    const scalar = new Scalar(value);
    scalar.type = single ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    scalar.source = value;
    scalar.range = [at, close, close];
    return scalar;
  }

  /** A scalar value written on the current line from `at` (range[2] is set by the caller). */
  private scalar(at: number): Scalar {
    const text = this.text;
    const lineEnd = this.lineEnd;
    const first = text.charCodeAt(at);
    if (first === 34 || first === 39) {
      const scalar = this.quoted(at);
      if (!this.onlyCommentAfter(scalar.range![1])) throw unsupported;
      return scalar;
    }
    if (!plainStart(text, at, lineEnd)) throw unsupported;
    let end = lineEnd;
    for (let i = at; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      // `: ` inside a value would start a nested mapping on the key's line (an error in YAML).
      if (this.isValueIndicator(i)) throw unsupported;
    }
    end = trimEndOffset(text, at, end);
    const source = text.slice(at, end);
    const scalar = plainScalar(resolvePlain(source), source);
    scalar.range = [at, end, end];
    return scalar;
  }
}

/** Whether a plain scalar may start at `at`: not with an indicator YAML gives a meaning there. */
function plainStart(text: string, at: number, lineEnd: number): boolean {
  const c = text[at];
  if ('&*!|>\'"%@`{}[],#'.includes(c)) return false;
  if (c === '-' || c === '?' || c === ':') return at + 1 < lineEnd && text.charCodeAt(at + 1) !== SPACE && text[at + 1] !== ':' && text[at + 1] !== '#' && c !== '?';
  return true;
}

function trimEndOffset(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  return end;
}

function plainScalar(value: unknown, source: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.PLAIN;
  scalar.source = source;
  return scalar;
}

function nullScalar(at: number): ParsedNode {
  const scalar = plainScalar(null, '');
  scalar.range = [at, at, at];
  return scalar as ParsedNode;
}

/**
 * A composed tree as plain data, what `toJS` gives for it: the composer's trees hold no
 * aliases, merge keys or tags, so this is a plain walk. Map keys become strings as in `toJS`
 * (`80` → "80"); a later duplicate key wins.
 */
export function composedData(node: ParsedNode | null): unknown {
  if (node === null) return null;
  if (yamlLibrary.isScalar(node)) return node.value;
  if (yamlLibrary.isSeq(node)) return node.items.map((item) => composedData(item as ParsedNode));
  const data: Record<string, unknown> = {};
  for (const pair of (node as yamlLibrary.YAMLMap<ParsedNode, ParsedNode>).items) setOwn(data, String((pair.key as yamlLibrary.Scalar).value), composedData(pair.value));
  return data;
}

function endOf(node: ParsedNode): number {
  return node.range[2];
}

