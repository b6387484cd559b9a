// The fixture format of the navigation and document-structure tests
// (test/service/navigation.test.ts, test/service/documentStructure.test.ts). One fixture is one
// case:
//
//   # Free text saying what the case shows.
//   # op: definition                        the operation (see `Operation` below)
//   # settings: {"defaultNamespace": "demo"} optional language-service settings, JSON
//   # --- file: vs.yaml                      starts a file (uri file:///fixture/vs.yaml)
//   ...YAML...   `$0` marks the cursor (at most one per fixture);
//                `[|v1|]` marks an expected range; `[2|v1|]` an expected range with its rank
//                when the order of the answer matters (ranked ranges first, by rank, then
//                unranked ones in file order)
//   # --- file: dr.yaml
//   ...
//   # --- expect                             optional: expected output, one `# ` line each
//   # VirtualService reviews | ...
//
// Markers are removed before the files reach the language service, so the positions they
// mark are those of the clean text. The `op` and `settings` lines must come before the first
// file; other comment lines there are description. Lines of the expect section are compared
// with the rendered answer of the operation (each test file says how it renders).
//
// This module sits with its fixtures because only the navigation and structure tests use it;
// `applyEdits` (LSP text edits → text) is shared with test/server/navigationOverLsp.test.ts.

import type { TextEdit } from 'vscode-languageserver-types';
import type { IstioSettings, Position, Range } from '../../server/src/service/types';

export type Operation =
  | 'definition'
  | 'references'
  | 'references+declaration'
  | 'prepare-rename'
  | 'rename'
  | 'symbols'
  | 'folding'
  | 'selection'
  | 'code-lens';

export interface FixtureFile {
  name: string;
  uri: string;
  /** The text without markers. */
  text: string;
}

export interface MarkedRange {
  file: string;
  uri: string;
  range: Range;
  /** The marked text. */
  text: string;
  rank?: number;
}

export interface NavigationFixture {
  description: string;
  op: Operation;
  /** Words after the operation (`rename v9` → ['v9']). */
  args: string[];
  settings: Partial<IstioSettings>;
  files: FixtureFile[];
  cursor?: { file: string; uri: string; position: Position };
  /** Expected ranges in the order the answer must have. */
  ranges: MarkedRange[];
  expect: string[];
}

const operations = new Set<string>(['definition', 'references', 'references+declaration', 'prepare-rename', 'rename', 'symbols', 'folding', 'selection', 'code-lens']);
const fileHeader = /^# --- file: (\S+)\s*$/;
const expectHeader = /^# --- expect\s*$/;
const directive = /^# (op|settings): (.*)$/;
const marker = /\$0|\[(\d*)\||\|\]/g;

export function uriOf(name: string): string {
  return `file:///fixture/${name}`;
}

export function parseNavigationFixture(source: string, fixtureName: string): NavigationFixture {
  const fixture: NavigationFixture = { description: '', op: 'definition', args: [], settings: {}, files: [], ranges: [], expect: [] };
  let op: string | undefined;
  let section: 'preamble' | 'file' | 'expect' = 'preamble';
  let lines: string[] = [];
  let name = '';
  const ranked: MarkedRange[] = [];
  const unranked: MarkedRange[] = [];
  const description: string[] = [];

  const finishFile = (): void => {
    if (section !== 'file') return;
    fixture.files.push({ name, uri: uriOf(name), text: lines.join('\n') + '\n' });
  };

  for (const raw of source.replace(/\n$/, '').split('\n')) {
    const header = fileHeader.exec(raw);
    if (header || expectHeader.test(raw)) {
      finishFile();
      section = header ? 'file' : 'expect';
      name = header?.[1] ?? '';
      lines = [];
      continue;
    }
    if (section === 'preamble') {
      const match = directive.exec(raw);
      if (match?.[1] === 'op') op = match[2].trim();
      else if (match?.[1] === 'settings') fixture.settings = JSON.parse(match[2]) as Partial<IstioSettings>;
      else description.push(raw.replace(/^#\s?/, ''));
    } else if (section === 'expect') {
      if (raw.trim() !== '') fixture.expect.push(raw.replace(/^# ?/, ''));
    } else {
      lines.push(stripMarkers(raw, name, lines.length, fixture, ranked, unranked, fixtureName));
    }
  }
  finishFile();

  const [operation, ...args] = (op ?? '').split(/\s+/);
  if (!operations.has(operation)) throw new Error(`${fixtureName}: unknown or missing "# op:" line (${op ?? 'none'})`);
  fixture.op = operation as Operation;
  fixture.args = args;
  fixture.description = description.join(' ').trim();
  fixture.ranges = [...ranked.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)), ...unranked];
  return fixture;
}

/** Removes the markers of one line, recording the cursor and the marked ranges. */
function stripMarkers(
  raw: string,
  file: string,
  line: number,
  fixture: NavigationFixture,
  ranked: MarkedRange[],
  unranked: MarkedRange[],
  fixtureName: string,
): string {
  let clean = '';
  let last = 0;
  let open: { start: number; rank?: number } | undefined;
  for (const match of raw.matchAll(marker)) {
    clean += raw.slice(last, match.index);
    last = match.index + match[0].length;
    const at = clean.length;
    if (match[0] === '$0') {
      if (fixture.cursor) throw new Error(`${fixtureName}: more than one $0`);
      fixture.cursor = { file, uri: uriOf(file), position: { line, character: at } };
    } else if (match[0] === '|]') {
      if (!open) throw new Error(`${fixtureName}: "|]" without "[|" on line ${line + 1} of ${file}`);
      const range: MarkedRange = { file, uri: uriOf(file), range: { start: { line, character: open.start }, end: { line, character: at } }, text: clean.slice(open.start) };
      if (open.rank !== undefined) {
        range.rank = open.rank;
        ranked.push(range);
      } else {
        unranked.push(range);
      }
      open = undefined;
    } else {
      open = { start: at };
      if (match[1]) open.rank = Number(match[1]);
    }
  }
  if (open) throw new Error(`${fixtureName}: "[|" not closed on line ${line + 1} of ${file} (ranges stay on one line)`);
  return clean + raw.slice(last);
}

/** `dr.yaml:12:11-13`: a range as people read it (1-based line and columns). */
export function renderLocation(file: string, range: Range): string {
  const end = range.end.line === range.start.line ? `${range.end.character + 1}` : `${range.end.line + 1}:${range.end.character + 1}`;
  return `${file}:${range.start.line + 1}:${range.start.character + 1}-${end}`;
}

/** The file name of a fixture uri. */
export function fileNameOf(uri: string): string {
  return uri.replace(/^file:\/\/\/fixture\//, '');
}

/** Applies LSP text edits to a text (edits must not overlap; applied from the end). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (position: Position): number => lineStarts[position.line] + position.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
