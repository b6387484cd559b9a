// The text of one YAML document as quick fixes see it: offsets ↔ file positions, lines and
// columns, where a node's content really ends, and the document's layout (indent unit, how
// far a block sequence sits under its key). Fixes edit text, never re-serialise the tree, so
// everything they need to keep the user's formatting is measured here.

import { isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type ParsedNode } from 'yaml';
import type { YamlDocument } from '../../parse/yamlDocument';
import type { Position } from '../../types';
import type { IndexedFile } from '../../workspace/workspaceIndex';
import { documentContext, type DocumentContext } from '../documentAt';

/** How many other documents of a file are measured at most when a document shows no layout. */
const maxNeighbours = 10;

/** How the document indents: used for every line a fix writes. */
export interface Layout {
  /** Spaces per nesting level of block maps (detected; 2 by default). */
  unit: number;
  /** Column of a block sequence's `-` relative to its key: 0 (`http:\n- name`) or e.g. 2 (`http:\n  - name`). */
  seqIndent: number;
}

export class YamlSource {
  readonly text: string;
  /** The line break the document uses, so inserted lines match it. */
  readonly eol: string;
  private detected?: Layout;
  /** Other documents of the file, nearest first, for a layout this document alone does not show. */
  private neighbours: () => YamlSource[] = () => [];

  constructor(readonly uri: string, readonly yaml: YamlDocument, readonly startLine: number) {
    this.text = yaml.text;
    this.eol = this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The source of a document; with its file, the layout falls back to the file's other documents. */
  static of(document: DocumentContext, file?: IndexedFile): YamlSource {
    const source = new YamlSource(document.uri, document.yaml, document.startLine);
    if (file) {
      source.neighbours = () => file.documents
        .map((_, index) => index)
        .filter((index) => index !== document.documentIndex)
        .sort((a, b) => Math.abs(a - document.documentIndex) - Math.abs(b - document.documentIndex))
        .slice(0, maxNeighbours)
        .map((index) => {
          const other = documentContext(file, index);
          return new YamlSource(other.uri, other.yaml, other.startLine);
        });
    }
    return source;
  }

  get root(): ParsedNode | null {
    return this.yaml.doc.contents;
  }

  /** Document offset → file position (what TextEdits need). */
  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.yaml.lineCounter.linePos(clamped);
    return { line: line - 1 + this.startLine, character: col - 1 };
  }

  /** File position → document offset, or undefined when the position is outside this document. */
  offsetAt(position: Position): number | undefined {
    const line = position.line - this.startLine;
    const starts = this.yaml.lineCounter.lineStarts;
    if (line < 0 || line >= starts.length) return undefined;
    const lineEnd = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return Math.min(starts[line] + position.character, lineEnd);
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset of the end of `offset`'s line, before its line break. */
  lineEnd(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    if (newline < 0) return this.text.length;
    return newline > 0 && this.text[newline - 1] === '\r' ? newline - 1 : newline;
  }

  /** Offset of the line after `offset`'s line (the text length on the last line). */
  nextLineStart(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline < 0 ? this.text.length : newline + 1;
  }

  /**
   * Start of the comment lines directly above `offset`'s line (or of that line when there are
   * none): a comment there describes the entry below it, so something inserted "before the
   * entry" goes above its comment.
   */
  commentedLineStart(offset: number): number {
    let start = this.lineStart(offset);
    while (start > 0) {
      const previous = this.lineStart(start - 1);
      if (!this.text.slice(previous, start).trimStart().startsWith('#')) break;
      start = previous;
    }
    return start;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** True when only spaces precede `offset` on its line (no `- ` or `key: ` before it). */
  startsLine(offset: number): boolean {
    return this.text.slice(this.lineStart(offset), offset).trim() === '';
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  start(node: Node): number {
    return node.range?.[0] ?? 0;
  }

  /**
   * Where a node's content ends: after its last character of YAML, before trailing spaces,
   * line breaks and comments. `yaml`'s own ranges for block collections run to the start of
   * the next line and include a trailing comment, which edits must leave alone.
   */
  end(node: Node | null | undefined): number {
    if (!node?.range) return 0;
    if (isMap(node) && !node.flow && node.items.length > 0) return this.pairEnd(node.items[node.items.length - 1] as Pair);
    if (isSeq(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1] as Node | null;
      return last ? Math.max(this.end(last), this.start(last)) : node.range[1];
    }
    let end = node.range[1];
    while (end > node.range[0] && /\s/.test(this.text[end - 1])) end -= 1;
    return end;
  }

  keyStart(pair: Pair): number {
    const key = pair.key as Node | null;
    return key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
  }

  /** End of a pair's content: its value's end, or its key's end (and colon) when the value is empty. */
  pairEnd(pair: Pair): number {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    const keyEnd = key?.range?.[1] ?? 0;
    return Math.max(keyEnd, value ? this.end(value) : keyEnd);
  }

  /** The text of a node as written (from its start to its content end). */
  nodeText(node: Node): string {
    return this.text.slice(this.start(node), this.end(node));
  }

  /**
   * Offset of the `-` that introduces a block sequence item. The item's own range starts at
   * its content, which may sit on the dash's line or (after `-` alone or `- # comment`) below it.
   */
  dashOffset(item: Node): number | undefined {
    let end = this.start(item);
    for (let lines = 0; lines < 8; lines++) {
      const lineStart = this.lineStart(end);
      let segment = this.text.slice(lineStart, end);
      if (lines > 0) segment = segment.replace(/(^|\s)#.*$/, '');
      const trimmed = segment.trimEnd();
      if (trimmed.endsWith('-')) return lineStart + trimmed.length - 1;
      if (trimmed.trim() !== '' || lineStart === 0) return undefined;
      end = lineStart - 1;
    }
    return undefined;
  }

  get layout(): Layout {
    if (!this.detected) {
      // A document without nested maps or lists (a short DestinationRule) says nothing about
      // the indentation; the documents around it in the same file usually do.
      let { units, seqIndents } = tallyLayout(this);
      for (const other of units.size > 0 && seqIndents.size > 0 ? [] : this.neighbours()) {
        const tally = tallyLayout(other);
        if (units.size === 0) units = tally.units;
        if (seqIndents.size === 0) seqIndents = tally.seqIndents;
        if (units.size > 0 && seqIndents.size > 0) break;
      }
      this.detected = { unit: mostFrequent(units, 2), seqIndent: mostFrequent(seqIndents, 0) };
    }
    return this.detected;
  }
}

/** True for a flow collection (`{…}` or `[…]`). */
export function isFlow(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && node.flow === true;
}

/** The most frequent value of a tally, the smaller on a tie; `fallback` for an empty tally. */
function mostFrequent(tally: Map<number, number>, fallback: number): number {
  let best = fallback;
  let bestCount = 0;
  for (const [value, count] of tally) {
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** Counts how the document nests block maps and sequences under their keys. */
function tallyLayout(source: YamlSource): { units: Map<number, number>; seqIndents: Map<number, number> } {
  const units = new Map<number, number>();
  const seqIndents = new Map<number, number>();
  const count = (tally: Map<number, number>, value: number): void => {
    tally.set(value, (tally.get(value) ?? 0) + 1);
  };
  visit(source.yaml.doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!key?.range || !value) return;
      const keyColumn = source.column(key.range[0]);
      if (isMap(value) && !value.flow && value.items.length > 0) {
        const first = value.items[0];
        if (isPair(first) && (first.key as Node | null)?.range) {
          const offset = source.keyStart(first);
          const difference = source.column(offset) - keyColumn;
          if (difference > 0 && source.startsLine(offset)) count(units, difference);
        }
      } else if (isSeq(value) && !value.flow && value.items.length > 0 && value.items[0]) {
        const dash = source.dashOffset(value.items[0] as Node);
        if (dash !== undefined && source.startsLine(dash) && source.column(dash) >= keyColumn) count(seqIndents, source.column(dash) - keyColumn);
      }
    },
  });
  return { units, seqIndents };
}

/** True when the document mostly writes small maps (only scalar values) in flow style (`{host: a}`). */
export function prefersFlowMaps(source: YamlSource): boolean {
  let flow = 0;
  let block = 0;
  visit(source.yaml.doc, {
    Map(_, map) {
      if (map.items.length === 0 || map.items.length > 3 || !map.items.every((item) => isScalar(item.value))) return;
      if (map.flow) flow += 1;
      else block += 1;
    },
  });
  return flow >= block;
}
