// How deep a YAML document's collections nest, found by one linear scan of its text, before the
// `yaml` parser sees it. The parser (and every walk over its tree) recurses once per level; a
// few hundred levels of `{{{{…` or of ever deeper indentation exhaust V8's stack, and when that
// happens while V8 compiles a regular expression the process aborts (SIGABRT, not an
// exception). Real manifests nest some 20 levels, so a document nested deeper than
// `maxNestingDepth` is not parsed at all.
//
// The scan over-counts rather than under-counts: block levels are the strictly increasing
// indentations above a line plus its `- ` markers; flow levels are the open `{`/`[` outside
// quotes and comments (a bracket in block context counts only where a flow collection can
// start: at the start of the content, after `- ` or after `: `). Block scalar bodies are
// skipped.

/** Collections nested deeper than this are not parsed. */
export const maxNestingDepth = 128;

export interface TooDeep {
  /** Offset of the character where the nesting first passes the limit. */
  offset: number;
  depth: number;
}

/** The end of a line that starts a block scalar (`key: |`, `- >-`, `|2+`), comment removed. */
const blockScalarHeader = /(?:^|[\s:-])[|>][-+1-9]{0,2}$/;

/** Where the nesting first passes `limit`, or undefined when it never does. */
export function tooDeep(text: string, limit = maxNestingDepth): TooDeep | undefined {
  // The columns of the block collections open above the current line (keys and `- ` items).
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let blockScalarIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let column = lineStart;
    while (column < lineEnd && text[column] === ' ') column++;
    const indent = column - lineStart;
    const blank = column >= lineEnd || text[column] === '\r' || (text[column] === '#' && flow === 0 && !quote);
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (!blank) {
      let depth = flow;
      if (flow === 0 && !quote) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        depth = indents.length;
        if (depth > limit) return { offset: column, depth };
      } else {
        depth = indents.length + flow;
      }
      // `valueStart`: a `{`/`[` here opens a flow collection (block context).
      let valueStart = true;
      let contentEnd = lineEnd;
      for (let at = column; at < lineEnd; at++) {
        const c = text[at];
        if (quote) {
          if (c === quote) {
            if (quote === "'" && text[at + 1] === "'") at++;
            else quote = undefined;
          } else if (c === '\\' && quote === '"') {
            at++;
          }
          continue;
        }
        if (c === '#' && (at === column || text[at - 1] === ' ' || text[at - 1] === '\t')) {
          contentEnd = at;
          break;
        }
        if ((c === '"' || c === "'") && (flow > 0 || valueStart)) {
          quote = c;
          valueStart = false;
          continue;
        }
        if ((c === '{' || c === '[') && (flow > 0 || valueStart)) {
          flow++;
          depth++;
          if (depth > limit) return { offset: at, depth };
          continue;
        }
        if ((c === '}' || c === ']') && flow > 0) {
          flow--;
          depth--;
          continue;
        }
        if (flow > 0) continue;
        if (c === '-' && valueStart && (at + 1 === lineEnd || text[at + 1] === ' ' || text[at + 1] === '\t')) {
          // A `- ` item: its content (and the lines below it) nest one level deeper.
          let content = at + 1;
          while (content < lineEnd && (text[content] === ' ' || text[content] === '\t')) content++;
          indents.push(content - lineStart);
          depth++;
          if (depth > limit) return { offset: at, depth };
          continue;
        }
        if (c === ' ' || c === '\t' || c === '\r') continue;
        if (c === ':' && (at + 1 === lineEnd || text[at + 1] === ' ' || text[at + 1] === '\t' || text[at + 1] === '\r')) {
          valueStart = true;
          continue;
        }
        valueStart = false;
      }
      if (flow === 0 && !quote) {
        let end = contentEnd;
        while (end > column && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\r')) end--;
        if (blockScalarHeader.test(text.slice(Math.max(column, end - 6), end))) blockScalarIndent = indent;
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
