// Splits a multi-document YAML text into one slice per document, by scanning lines for
// document markers. YAML forbids `---` and `...` at column 0 inside any content
// (c-forbidden), so a line scan finds exactly the documents a full parse would, and each
// slice can then be parsed, cached and checked on its own. This is what keeps an edit in a
// 5,000-resource file from re-parsing the other 4,999 documents.

/** One YAML document of a file: its text and where it starts in the file. */
export interface DocumentSlice {
  /** The document's text, including its leading `---` line when it has one. */
  text: string;
  /** Offset of `text` in the file. */
  startOffset: number;
  /** 0-based line of `text`'s first character in the file. */
  startLine: number;
  /** Number of lines the slice spans (a final line without newline counts). */
  lineCount: number;
}

const documentStart = /^---(?:[ \t\r\n]|$)/;
const documentEnd = /^\.\.\.(?:[ \t\r\n]|$)/;

/** Returns the document slices of `text`; always at least one (possibly empty) slice. */
export function splitDocuments(text: string): DocumentSlice[] {
  const slices: DocumentSlice[] = [];
  let sliceStart = 0;
  let sliceStartLine = 0;
  let sliceHasContent = false;
  let afterEndMarker = false;
  let line = 0;
  let offset = 0;
  const length = text.length;

  const cut = (endOffset: number, endLine: number): void => {
    slices.push({
      text: text.slice(sliceStart, endOffset),
      startOffset: sliceStart,
      startLine: sliceStartLine,
      lineCount: endLine - sliceStartLine,
    });
    sliceStart = endOffset;
    sliceStartLine = endLine;
    sliceHasContent = false;
  };

  while (offset < length) {
    let next = text.indexOf('\n', offset);
    if (next === -1) next = length;
    else next += 1;
    const first = text.charCodeAt(offset);
    // Only lines starting with '-' or '.' can be markers; everything else is content or blank.
    if (first === 45 /* - */ && documentStart.test(text.slice(offset, Math.min(next, offset + 4)))) {
      if (sliceHasContent || afterEndMarker) cut(offset, line);
      sliceHasContent = true;
      afterEndMarker = false;
    } else if (first === 46 /* . */ && documentEnd.test(text.slice(offset, Math.min(next, offset + 4)))) {
      sliceHasContent = true;
      afterEndMarker = true;
    } else if (!isBlankOrComment(text, offset, next)) {
      if (afterEndMarker) {
        cut(offset, line);
        afterEndMarker = false;
      }
      if (first !== 37 /* % directive */) sliceHasContent = true;
    }
    offset = next;
    line += 1;
  }
  const endsWithNewline = length > 0 && text.charCodeAt(length - 1) === 10;
  cut(length, endsWithNewline ? line : Math.max(line, sliceStartLine + 1));
  return slices;
}

function isBlankOrComment(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) continue;
    return c === 35; /* # */
  }
  return true;
}
