// Ranges for the structure features (outline, folding, selection). The `yaml` parser ends a
// block collection after the newline that closes it, and may count comment lines that follow
// its last entry; model ranges inherit that. Shown as an outline entry or a selection, such a
// range would spill onto the next line, so these helpers cut ranges back to the last
// character of real content.

import type { Node } from 'yaml';
import { offsetsToRange, offsetToPosition, type YamlDocument } from '../parse/yamlDocument';
import type { Position, Range } from '../types';

/** Offset just after the last non-blank, non-comment-line character in `text[start, end)`. */
export function contentEnd(text: string, start: number, end: number): number {
  let cut = Math.min(end, text.length);
  for (;;) {
    while (cut > start && /\s/.test(text[cut - 1])) cut -= 1;
    const lineStart = Math.max(start, text.lastIndexOf('\n', cut - 1) + 1);
    // A line holding only a comment is not content; a comment after a value stays (it is on
    // the value's line, so cutting it would not change the line the range ends on).
    if (lineStart > start && text.slice(lineStart, cut).trimStart().startsWith('#')) {
      cut = lineStart;
      continue;
    }
    return cut;
  }
}

/** Offsets of a node without trailing blank and comment lines; undefined for nodes without a position. */
export function nodeSpan(yaml: YamlDocument, node: Node | null | undefined): [number, number] | undefined {
  if (!node?.range) return undefined;
  const start = node.range[0];
  return [start, Math.max(start, contentEnd(yaml.text, start, node.range[1]))];
}

export function positionToOffset(yaml: YamlDocument, position: Position): number {
  const starts = yaml.lineCounter.lineStarts;
  if (position.line < 0) return 0;
  if (position.line >= starts.length) return yaml.text.length;
  return Math.min(starts[position.line] + position.character, yaml.text.length);
}

/** A document-relative range with trailing blank and comment lines cut off. */
export function trimRange(yaml: YamlDocument, range: Range): Range {
  const start = positionToOffset(yaml, range.start);
  const end = positionToOffset(yaml, range.end);
  return offsetsToRange(yaml, start, Math.max(start, contentEnd(yaml.text, start, end)));
}

/** The whole document without its trailing blank and comment lines (leading comments stay: they usually describe it). */
export function documentSpan(yaml: YamlDocument): Range {
  return offsetsToRange(yaml, 0, contentEnd(yaml.text, 0, yaml.text.length));
}

/** The document's full extent: every line of its slice, trailing comments included, up to its last line break. */
export function wholeDocumentRange(yaml: YamlDocument): Range {
  let end = yaml.text.endsWith('\n') ? yaml.text.length - 1 : yaml.text.length;
  if (end > 0 && yaml.text[end - 1] === '\r') end -= 1;
  return { start: { line: 0, character: 0 }, end: offsetToPosition(yaml, end) };
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return !isBefore(inner.start, outer.start) && !isBefore(outer.end, inner.end);
}

export function positionInRange(position: Position, range: Range): boolean {
  return !isBefore(position, range.start) && !isBefore(range.end, position);
}

function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
