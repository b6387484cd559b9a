// Minimal text edits on YAML: replace a value, rename a key, delete pairs or sequence items,
// insert a pair into a map or an item into a sequence, in block or flow style. Each touches
// only the characters it must, so the rest of the file (comments, quoting, blank lines) stays
// as the user wrote it. Operations return false when the YAML has a shape they do not handle
// safely; the fix is then not offered rather than offered broken.

import { TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { flowText, itemLines, pairLines, type Snippet } from './snippets';
import { YamlSource } from './yamlSource';
import { documentContext } from '../documentAt';
import type { IndexedFile } from '../../workspace/workspaceIndex';

/** Collects TextEdits for one or several files (a fix may edit another file's DestinationRule). */
export class EditBuilder {
  private readonly changes = new Map<string, TextEdit[]>();

  replace(source: YamlSource, start: number, end: number, newText: string): void {
    const edits = this.changes.get(source.uri) ?? [];
    edits.push(TextEdit.replace({ start: source.position(start), end: source.position(end) }, newText));
    this.changes.set(source.uri, edits);
  }

  insert(source: YamlSource, offset: number, newText: string): void {
    this.replace(source, offset, offset, newText);
  }

  delete(source: YamlSource, start: number, end: number): void {
    this.replace(source, start, end, '');
  }

  build(): WorkspaceEdit {
    return { changes: Object.fromEntries(this.changes) };
  }
}

/** Replaces a scalar or flow node's text. */
export function replaceNode(source: YamlSource, edits: EditBuilder, node: Node, newText: string): boolean {
  if (!node.range) return false;
  let start = source.start(node);
  const end = source.end(node);
  // An explicit tag (`!!int 5`) goes with the value it types: the new text is typed by how it is written.
  if ((node as { tag?: string }).tag) {
    const before = source.slice(Math.max(0, start - 200), start);
    const tag = /(?:^|[\s,[{:-])(![^\s,[\]{}]*[ \t]+)$/.exec(before.slice(before.lastIndexOf('\n') + 1));
    if (tag) start -= tag[1].length;
  }
  // An empty value (`attempts:`) has an empty range right after the colon; `key:3` would not be a pair.
  const spacing = start === end && source.slice(start - 1, start) === ':' ? ' ' : '';
  edits.replace(source, start, end, spacing + newText);
  return true;
}

export function renameKey(source: YamlSource, edits: EditBuilder, pair: Pair, newKey: string): boolean {
  const key = pair.key as Node | null;
  if (!key?.range) return false;
  edits.replace(source, key.range[0], key.range[1], newKey);
  return true;
}

/** Replaces a whole `key: value` pair by another pair written at the same place. */
export function replacePair(source: YamlSource, edits: EditBuilder, map: YAMLMap, pair: Pair, key: string, value: Snippet, comment?: string): boolean {
  const start = source.keyStart(pair);
  const lines = map.flow ? [`${key}: ${flowText(value)}`] : pairLines(key, value, source.column(start), source.layout);
  // A comment to keep goes at the end of the pair's first line (block maps only: a flow map's pair has no line of its own).
  if (comment && !map.flow) lines[0] = `${lines[0]} ${comment}`;
  const written = lines.join(source.eol);
  edits.replace(source, start, source.pairEnd(pair), written);
  return true;
}

/** One entry of a collection as far as deleting goes: where it starts and where its content ends. */
interface Span {
  start: number;
  end: number;
}

function pairSpan(source: YamlSource, pair: Pair): Span {
  return { start: source.keyStart(pair), end: source.pairEnd(pair) };
}

/**
 * Deletes entries of a flow collection with their separating commas: a run of deleted entries
 * takes the comma after it when a kept entry follows, otherwise the comma before it.
 */
function deleteFlowEntries(source: YamlSource, edits: EditBuilder, spans: Span[], deleted: Set<number>, emptyStart: number, emptyEnd: number): void {
  if (deleted.size === spans.length) {
    edits.delete(source, emptyStart, emptyEnd);
    return;
  }
  for (let index = 0; index < spans.length; index++) {
    if (!deleted.has(index)) continue;
    let last = index;
    while (deleted.has(last + 1)) last += 1;
    const next = spans[last + 1];
    if (next) edits.delete(source, spans[index].start, next.start);
    else edits.delete(source, spans[index - 1].end, spans[last].end);
    index = last;
  }
}

/** The whole lines an entry occupies, from the start of its first line to the start of the line after it. */
function deleteLines(source: YamlSource, edits: EditBuilder, start: number, end: number): void {
  edits.delete(source, source.lineStart(start), source.nextLineStart(Math.max(start, end - 1)));
}

/** Deletes some pairs of a map (block or flow). */
export function deletePairs(source: YamlSource, edits: EditBuilder, map: YAMLMap, pairs: Pair[]): boolean {
  const items = map.items as Pair[];
  const deleted = new Set(pairs.map((pair) => items.indexOf(pair)));
  if (deleted.has(-1)) return false;
  if (deleted.size === 0) return true;
  const spans = items.map((pair) => pairSpan(source, pair));
  if (map.flow) {
    deleteFlowEntries(source, edits, spans, deleted, spans[0].start, spans[spans.length - 1].end);
    return true;
  }
  for (let index = 0; index < items.length; index++) {
    if (!deleted.has(index)) continue;
    if (index === 0 && !source.startsLine(spans[0].start)) {
      // The map starts after `- ` on a sequence item's line: pull the first kept pair up there.
      let kept = 0;
      while (deleted.has(kept)) kept += 1;
      if (kept === items.length) edits.replace(source, spans[0].start, spans[items.length - 1].end, '{}');
      else edits.delete(source, spans[0].start, spans[kept].start);
      index = kept;
      continue;
    }
    deleteLines(source, edits, spans[index].start, spans[index].end);
  }
  return true;
}

/** Deletes some items of a sequence (block or flow). Deleting every item of a block sequence is not supported. */
export function deleteItems(source: YamlSource, edits: EditBuilder, sequence: YAMLSeq, indices: number[]): boolean {
  const items = sequence.items as (Node | null)[];
  if (items.some((item) => !item?.range)) return false;
  const spans = (items as Node[]).map((item) => ({ start: source.start(item), end: source.end(item) }));
  const deleted = new Set(indices.filter((index) => index >= 0 && index < items.length));
  if (deleted.size !== indices.length) return false;
  if (deleted.size === 0) return true;
  if (sequence.flow) {
    deleteFlowEntries(source, edits, spans, deleted, spans[0].start, spans[spans.length - 1].end);
    return true;
  }
  if (deleted.size >= items.length) return false;
  for (const index of deleted) {
    const dash = source.dashOffset(items[index] as Node);
    if (dash === undefined || !source.startsLine(dash)) return false;
    deleteLines(source, edits, dash, spans[index].end);
  }
  return true;
}

/** Adds `key: value` to a map, as its first or last entry. */
export function insertPair(source: YamlSource, edits: EditBuilder, map: YAMLMap, key: string, value: Snippet, at: 'first' | 'last'): boolean {
  const items = map.items as Pair[];
  if (map.flow || items.length === 0) {
    if (!map.flow || !map.range) return false;
    const written = `${key}: ${flowText(value)}`;
    if (items.length === 0) edits.insert(source, map.range[0] + 1, written);
    else if (at === 'first') edits.insert(source, source.keyStart(items[0]), `${written}, `);
    else edits.insert(source, source.pairEnd(items[items.length - 1]), `, ${written}`);
    return true;
  }
  const firstKey = source.keyStart(items[0]);
  const column = source.column(firstKey);
  const lines = pairLines(key, value, column, source.layout);
  if (at === 'first') {
    if (source.startsLine(firstKey)) edits.insert(source, source.commentedLineStart(firstKey), ' '.repeat(column) + lines.join(source.eol) + source.eol);
    else edits.insert(source, firstKey, lines.join(source.eol) + source.eol + ' '.repeat(column));
  } else {
    const end = source.lineEnd(source.pairEnd(items[items.length - 1]));
    edits.insert(source, end, source.eol + ' '.repeat(column) + lines.join(source.eol));
  }
  return true;
}

/** Adds an item to a sequence, as its first or last item. */
export function insertItem(source: YamlSource, edits: EditBuilder, sequence: YAMLSeq, value: Snippet, at: 'first' | 'last'): boolean {
  const items = sequence.items as (Node | null)[];
  if (items.some((item) => !item?.range)) return false;
  if (sequence.flow || items.length === 0) {
    if (!sequence.flow || !sequence.range) return false;
    const written = flowText(value);
    if (items.length === 0) edits.insert(source, sequence.range[0] + 1, written);
    else if (at === 'first') edits.insert(source, source.start(items[0] as Node), `${written}, `);
    else edits.insert(source, source.end(items[items.length - 1] as Node), `, ${written}`);
    return true;
  }
  const anchor = (at === 'first' ? items[0] : items[items.length - 1]) as Node;
  const dash = source.dashOffset(anchor);
  if (dash === undefined || !source.startsLine(dash)) return false;
  const column = source.column(dash);
  const written = ' '.repeat(column) + itemLines(value, column, source.layout).join(source.eol);
  if (at === 'first') edits.insert(source, source.commentedLineStart(dash), written + source.eol);
  else edits.insert(source, source.lineEnd(source.end(anchor)), source.eol + written);
  return true;
}

/** Appends `lines` as a new YAML document (`---` first) at the end of `file`, in `source`'s line breaks. */
export function appendDocument(file: IndexedFile, source: YamlSource, lines: string[]): EditBuilder {
  const last = YamlSource.of(documentContext(file, file.documents.length - 1));
  const end = last.text.length;
  const separator = end === 0 || last.text.endsWith('\n') ? '' : source.eol;
  const edits = new EditBuilder();
  edits.insert(last, end, `${separator}---${source.eol}${lines.join(source.eol)}${source.eol}`);
  return edits;
}
