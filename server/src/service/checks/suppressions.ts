// Suppression comments: a finding the user has judged and accepted is silenced where it is,
// in the YAML, so the editor, the CLI and CI agree.
//
//   # istio-mirror-disable-next-line IM2007            the finding(s) starting on the next line
//   # istio-mirror-disable-next-line IM2007, IST0101 -- shadow on purpose
//   # istio-mirror-disable-file IM2105                 every finding of that code in the file
//
// Codes are separated by commas or spaces; text after `--` is a reason and ignored. A
// directive without codes silences every code (on that line, or in the file).

import type { Problem } from '../types';
import type { IndexedFile } from '../workspace/workspaceIndex';

export const disableNextLine = 'istio-mirror-disable-next-line';
export const disableFile = 'istio-mirror-disable-file';

const directive = /^[ \t]*#[ \t]*(istio-mirror-disable-next-line|istio-mirror-disable-file)(?=[ \t]|$)([^\n]*)$/gm;
const code = /^(?:IM|IST)\d{4}$/;

/** Every code, for a directive that names none. */
const all = '*';

export interface Suppressions {
  /** File line (0-based) → codes silenced on it. */
  lines: Map<number, Set<string>>;
  /** Codes silenced in the whole file. */
  file: Set<string>;
}

/** The codes a directive's rest of line names (`IM2007, IST0101 -- reason`); `*` when none. */
export function directiveCodes(rest: string): string[] {
  const [list = ''] = rest.split('--', 1);
  const codes = list.split(/[\s,]+/).filter((token) => code.test(token));
  return codes.length > 0 ? codes : [all];
}

/** The suppression comments of a file; undefined when it has none (the usual case, found by one `includes`). */
export function suppressionsOf(file: IndexedFile): Suppressions | undefined {
  let found: Suppressions | undefined;
  for (const document of file.documents) {
    if (!hasDirective(document.analysis, document.text)) continue;
    found ??= { lines: new Map(), file: new Set() };
    const text = document.text;
    // Lines are counted on from the previous match, so many directives stay linear.
    let counted = 0;
    let linesBefore = 0;
    for (const match of text.matchAll(directive)) {
      linesBefore += countLines(text, counted, match.index ?? 0);
      counted = match.index ?? 0;
      const codes = directiveCodes(match[2] ?? '');
      if (match[1] === disableFile) {
        for (const one of codes) found.file.add(one);
        continue;
      }
      const line = document.slice.startLine + linesBefore + 1;
      const set = found.lines.get(line) ?? new Set<string>();
      for (const one of codes) set.add(one);
      found.lines.set(line, set);
    }
  }
  return found;
}

/** Whether a document holds a directive, per analysis (one analysis per text): gathering a large file's problems asks it of every document. */
const directiveCache = new WeakMap<object, boolean>();

export function hasDirective(analysis: object, text: string): boolean {
  let found = directiveCache.get(analysis);
  if (found === undefined) directiveCache.set(analysis, (found = text.includes('istio-mirror-disable')));
  return found;
}

/** Line breaks in `text[from, end)`. */
function countLines(text: string, from: number, end: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

export function isSuppressed(suppressions: Suppressions, problem: Problem): boolean {
  if (suppressions.file.has(all) || suppressions.file.has(problem.code)) return true;
  const line = suppressions.lines.get(problem.range.start.line);
  return line !== undefined && (line.has(all) || line.has(problem.code));
}
