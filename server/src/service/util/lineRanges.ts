// Every diagnostic has a one-line range. A check may point at a node that spans several lines
// (a block scalar, a flow mapping written over several lines, a whole rule): the range is cut
// to the first line, ending where that line's text ends.

import type { Range } from '../types';

/** `range` moved down by `lines` lines: a document's range in its file, where the document starts at line `lines`. */
export function shiftRange(range: Range, lines: number): Range {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

/** The offset where each line of `text` starts (computed once per document, only when needed). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/**
 * `range` cut to its first line of `text`: unchanged when it already ends on that line, else it
 * ends at the last non-blank character of the line (never before where it starts).
 * `starts` is `lineStarts(text)`, passed in so a document with many findings counts lines once.
 */
export function firstLineOf(range: Range, text: string, starts: () => number[]): Range {
  if (range.end.line <= range.start.line) return range;
  const lines = starts();
  const lineStart = lines[range.start.line];
  if (lineStart === undefined) return { start: range.start, end: range.start };
  let lineEnd = range.start.line + 1 < lines.length ? lines[range.start.line + 1] - 1 : text.length;
  while (lineEnd > lineStart && /\s/.test(text[lineEnd - 1])) lineEnd--;
  const character = Math.max(range.start.character, lineEnd - lineStart);
  return { start: range.start, end: { line: range.start.line, character } };
}
