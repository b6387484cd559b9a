// Builds the `yaml` syntax tree of a plain block-style document without `yaml`'s lexer, CST
// parser and composer: one pass over the lines that creates the same YAMLMap, YAMLSeq, Pair
// and Scalar nodes, with the same ranges, values, scalar types and sources. Most Kubernetes
// manifests are written in this subset, and composing them this way costs a fraction of a full
// parse (docs/performance.md), which is most of what opening a large file costs.
//
// It never guesses. It handles mappings and sequences by indentation, compact `- key: value`
// items, single-line plain, single-quoted and escape-free double-quoted scalars, trailing
// comments, blank lines and comment lines before the content. For anything else (flow
// collections, block scalars, multi-line scalars, escapes, anchors, aliases, tags, merge and
// complex keys, directives, tabs, a byte order mark, comment lines inside the content, anything `yaml` would
// report as an error) it returns undefined and the caller parses the document with `yaml`.
// A test composes every document of the corpus, the examples and generated variants both ways
// and requires the same tree wherever this one answers.

import * as yamlLibrary from 'yaml';
import type { ParsedNode } from 'yaml';
import { resolvePlain } from './blockYamlReader';

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
   * Moves to the first content line at or after `offset`, skipping blank lines; comment lines
   * are skipped only before the content (`header`), anywhere else they are not handled here.
   */
  private moveTo(offset: number, header = false): void {
    const text = this.text;
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
        if (!header) throw unsupported;
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
      this.lineStart = offset;
      this.contentStart = at;
      this.lineEnd = end;
      this.nextLine = next;
      this.indent = at - offset;
      return;
    }
    this.lineStart = this.contentStart = this.lineEnd = this.nextLine = text.length;
    this.indent = -1;
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
      let value = at + 1;
      while (value < this.lineEnd && this.text.charCodeAt(value) === SPACE) value++;
      seq.items.push(this.value(column, value, false));
      if (this.indent !== column) break;
      if (!this.isSequenceItem(this.contentStart)) {
        // Ends the sequence: a mapping key in the parent at the same column, or an error.
        break;
      }
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
      if (this.indent !== column) {
        if (this.indent > column) throw unsupported;
        break;
      }
      if (this.isSequenceItem(this.contentStart)) {
        // A sequence item at a mapping's column continues nothing: the parent sequence's item (or an error).
        break;
      }
      at = this.contentStart;
    }
    const end = endOf(map.items[map.items.length - 1].value as ParsedNode);
    map.range = [start, end, end];
    this.depth -= 1;
    return map as unknown as ParsedNode;
  }

  /**
   * The value of a key or sequence item whose text starts at `at` (after the indicator and its
   * blanks). Leaves the composer on the next line that
   * is not part of the value.
   */
  private value(column: number, at: number, inMapping: boolean): ParsedNode {
    const text = this.text;
    const lineEnd = this.lineEnd;
    if (at === lineEnd || text.charCodeAt(at) === HASH) {
      if (at < lineEnd && text.charCodeAt(at - 1) !== SPACE) throw unsupported;
      const comment = at < lineEnd;
      this.moveTo(this.nextLine);
      if (this.indent > column) return this.node(this.indent, this.contentStart);
      if (inMapping && this.indent === column && this.isSequenceItem(this.contentStart)) return this.sequence(column, this.contentStart);
      // An empty value: null. With a comment its range would reach past the comment.
      if (comment) throw unsupported;
      return nullScalar(lineEnd);
    }
    const first = text.charCodeAt(at);
    if (first === DASH && (at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE)) {
      // `- - item`: a sequence nested in a sequence item, at the inner dash's column.
      if (inMapping) throw unsupported;
      return this.sequence(at - this.lineStart, at);
    }
    if (!inMapping && this.keyEnd(at) >= 0) return this.mapping(at - this.lineStart, at);
    const scalar = this.scalar(at);
    const end = this.nextLine;
    this.moveTo(this.nextLine);
    // A deeper line after it (a multi-line scalar, or an error) ends the parent collection, which refuses it.
    scalar.range = [at, scalar.range![1], end];
    return scalar as ParsedNode;
  }

  /** The key at `at` and where its value starts. */
  private key(at: number): { node: Scalar; colon: number; valueStart: number } {
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
    node.range = [node.range![0], node.range![1], node.range![1]];
    let valueStart = colon + 1;
    while (valueStart < this.lineEnd && text.charCodeAt(valueStart) === SPACE) valueStart++;
    return { node, colon, valueStart };
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
    let from = at;
    if (first === 34 /* " */ || first === 39 /* ' */) {
      const close = this.quoteEnd(at);
      if (close < 0) return -1;
      from = close;
      while (from < lineEnd && text.charCodeAt(from) === SPACE) from++;
      return from < lineEnd && text.charCodeAt(from) === COLON && (from + 1 === lineEnd || text.charCodeAt(from + 1) === SPACE) ? from : -1;
    }
    if (!plainStart(text, at, lineEnd)) return -1;
    for (let i = from; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) return i;
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
      const close = scalar.range![1];
      let rest = close;
      while (rest < lineEnd && text.charCodeAt(rest) === SPACE) rest++;
      if (rest < lineEnd && (text.charCodeAt(rest) !== HASH || rest === close)) throw unsupported;
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
      if (c === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) throw unsupported;
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

function endOf(node: ParsedNode): number {
  return node.range[2];
}

