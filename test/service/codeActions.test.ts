// Quick fixes, tested as data. Each fixture in test/fixtures/codeActions/ is one case:
//
//   # What the case is about (text before the first section is a comment).
//   # --- file: vs.yaml                 an input file (several allowed; uri file:///fixture/<name>)
//   ...YAML; `$0` marks the diagnostic to fix when the file has several of that code...
//   # --- fix: IST0101 Add subset "v3" to DestinationRule demo/reviews
//                                       the diagnostic's code and the exact title of the action to apply
//   # --- no-fix: IST0130 Merge the mirrors
//                                       instead of `fix`: no action whose title starts like this is offered
//   # --- expected: dr.yaml             the full text of a file after the fix; files without an
//   ...YAML...                          `expected` section must not be touched by the edit
//   # --- assert: vs.yaml 0 spec.http.0.mirrors [{"destination": {"host": "a"}}]
//                                       after the fix, YAML document 0 of the file, re-parsed, has this
//                                       JSON at this dotted path (numbers index lists)
//   # --- mirrors: vs.yaml 0 0 httpbin/v2@20 httpbin/v3@5
//                                       after the fix, the service's model of document 0, http rule 0,
//                                       mirrors exactly these targets with these effective percentages
//   # --- settings: {"defaultMirrorPercentage": 25}
//                                       language service settings for the case
//
// Trailing blank lines of a section are ignored (a file ends with one newline). For every
// `fix` case the test runs the real service, takes the diagnostic it publishes, asks for code
// actions on it, applies the chosen action with TextDocument.applyEdits, compares the files,
// re-validates the edited workspace and checks that the diagnostic is gone and that no other
// problem appeared (same code and message as before), and that every other action offered for
// the diagnostic at least leaves valid YAML.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type Position } from 'vscode-languageserver-types';
import { parseAllDocuments } from 'yaml';
import { IstioLanguageService } from '../../server/src/service/languageService';
import type { IstioSettings } from '../../server/src/service/types';
import { reviewsVirtualService } from '../helpers/reviewsYaml';

const folder = join(__dirname, '..', 'fixtures', 'codeActions');

interface FixtureFile {
  name: string;
  uri: string;
  text: string;
}

interface Fixture {
  files: FixtureFile[];
  expected: Map<string, string>;
  code: string;
  title: string;
  /** True for `no-fix`: the action must not be offered. */
  absent: boolean;
  marker?: { file: string; position: Position };
  asserts: { file: string; document: number; path: string; json: unknown }[];
  mirrors: { file: string; document: number; rule: number; targets: string[] }[];
  settings: Partial<IstioSettings>;
}

const uriOf = (name: string): string => `file:///fixture/${name}`;

function sectionText(lines: string[]): string {
  const kept = [...lines];
  while (kept.length > 0 && kept[kept.length - 1].trim() === '') kept.pop();
  return kept.join('\n') + '\n';
}

function parseCase(text: string): Fixture {
  const fixture: Fixture = { files: [], expected: new Map(), code: '', title: '', absent: false, asserts: [], mirrors: [], settings: {} };
  let section: { kind: 'comment' | 'file' | 'expected'; name: string; lines: string[] } = { kind: 'comment', name: '', lines: [] };
  const close = (): void => {
    if (section.kind === 'file') {
      let body = sectionText(section.lines);
      const at = body.indexOf('$0');
      if (at >= 0) {
        const before = body.slice(0, at).split('\n');
        fixture.marker = { file: section.name, position: { line: before.length - 1, character: before[before.length - 1].length } };
        body = body.slice(0, at) + body.slice(at + 2);
      }
      fixture.files.push({ name: section.name, uri: uriOf(section.name), text: body });
    } else if (section.kind === 'expected') {
      fixture.expected.set(section.name, sectionText(section.lines));
    }
  };
  for (const line of text.split('\n')) {
    const header = /^# --- (file|expected|fix|no-fix|assert|mirrors|settings): (.*)$/.exec(line);
    if (!header) {
      section.lines.push(line);
      continue;
    }
    const [, kind, rest] = header;
    if (kind === 'file' || kind === 'expected') {
      close();
      section = { kind, name: rest.trim(), lines: [] };
      continue;
    }
    close();
    section = { kind: 'comment', name: '', lines: [] };
    if (kind === 'fix' || kind === 'no-fix') {
      const [, code, title] = /^(\S+) (.+)$/.exec(rest) ?? [];
      fixture.code = code;
      fixture.title = title;
      fixture.absent = kind === 'no-fix';
    } else if (kind === 'assert') {
      const [, file, document, path, json] = /^(\S+) (\d+) (\S+) (.+)$/.exec(rest) ?? [];
      fixture.asserts.push({ file, document: Number(document), path, json: JSON.parse(json) });
    } else if (kind === 'mirrors') {
      const [file, document, rule, ...targets] = rest.trim().split(/\s+/);
      fixture.mirrors.push({ file, document: Number(document), rule: Number(rule), targets });
    } else {
      fixture.settings = JSON.parse(rest) as Partial<IstioSettings>;
    }
  }
  close();
  assert.ok(fixture.files.length > 0 && fixture.code && fixture.title, 'a fixture needs a file and a fix or no-fix line');
  return fixture;
}

function contains(range: Diagnostic['range'], position: Position): boolean {
  const after = (a: Position, b: Position): boolean => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

function service(files: FixtureFile[], settings: Partial<IstioSettings>): IstioLanguageService {
  const languageService = new IstioLanguageService(settings);
  for (const file of files) languageService.setFile(file.uri, file.text);
  return languageService;
}

/** The diagnostic the case is about: of the fixture's code, under `$0` when there is a marker. */
function pickDiagnostic(languageService: IstioLanguageService, fixture: Fixture): { file: FixtureFile; diagnostic: Diagnostic } {
  const file = fixture.files.find((candidate) => candidate.name === (fixture.marker?.file ?? fixture.files[0].name)) as FixtureFile;
  const all = languageService.getDiagnostics(file.uri).filter((diagnostic) => diagnostic.code === fixture.code);
  const chosen = fixture.marker ? all.filter((diagnostic) => contains(diagnostic.range, fixture.marker!.position)) : all;
  assert.equal(chosen.length, 1, `expected exactly one ${fixture.code} diagnostic${fixture.marker ? ' at $0' : ' (mark it with $0)'} in ${file.name}, found ${chosen.length}`);
  return { file, diagnostic: chosen[0] };
}

/** Applies a code action's edit; returns every file's new text. */
function applyAction(files: FixtureFile[], action: CodeAction): FixtureFile[] {
  const changes = action.edit?.changes ?? {};
  for (const uri of Object.keys(changes)) assert.ok(files.some((file) => file.uri === uri), `the edit touches an unknown file ${uri}`);
  return files.map((file) => {
    const edits = changes[file.uri];
    if (!edits) return file;
    return { ...file, text: TextDocument.applyEdits(TextDocument.create(file.uri, 'yaml', 1, file.text), edits) };
  });
}

/** Asserts that the files an edit changed are still valid YAML (the others are not the fix's business). */
function assertValidYaml(files: FixtureFile[], what: string, original: FixtureFile[]): void {
  for (const file of files) {
    if (original.some((unchanged) => unchanged.uri === file.uri && unchanged.text === file.text)) continue;
    const errors = parseAllDocuments(file.text).flatMap((document) => ('errors' in document ? document.errors.map((error) => error.message) : []));
    assert.deepEqual(errors, [], `${what}: ${file.name} is not valid YAML:\n${file.text}`);
  }
}

/** Every diagnostic of the workspace as `file code message`, for before/after comparisons. */
function problemList(languageService: IstioLanguageService, files: FixtureFile[]): string[] {
  return files.flatMap((file) => languageService.getDiagnostics(file.uri).map((diagnostic) => `${file.name} ${String(diagnostic.code)} ${diagnostic.message}`));
}

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function runCase(name: string, fixture: Fixture): void {
  const before = service(fixture.files, fixture.settings);
  const { file, diagnostic } = pickDiagnostic(before, fixture);
  const actions = before.getCodeActions(file.uri, diagnostic.range, [diagnostic]);
  const titles = actions.map((action) => action.title);
  if (fixture.absent) {
    assert.ok(!titles.some((title) => title.startsWith(fixture.title)), `"${fixture.title}" must not be offered; offered: ${JSON.stringify(titles)}`);
    return;
  }
  const action = actions.find((candidate) => candidate.title === fixture.title);
  assert.ok(action, `no action "${fixture.title}"; offered: ${JSON.stringify(titles)}`);
  assert.equal(action.kind, CodeActionKind.QuickFix);
  assert.deepEqual(action.diagnostics, [diagnostic]);

  const after = applyAction(fixture.files, action);
  for (const edited of after) {
    const expected = fixture.expected.get(edited.name);
    if (expected === undefined) assert.equal(edited.text, fixture.files.find((original) => original.name === edited.name)?.text, `${edited.name} must not change`);
    else assert.equal(edited.text, expected, `${name}: ${edited.name} after "${fixture.title}"`);
  }
  for (const expectedName of fixture.expected.keys()) assert.ok(after.some((edited) => edited.name === expectedName), `expected section for unknown file ${expectedName}`);
  assertValidYaml(after, fixture.title, fixture.files);

  // Re-validate: the fixed diagnostic is gone and nothing new appeared.
  const revalidated = service(after, fixture.settings);
  const remaining = problemList(before, fixture.files);
  const fixed = `${file.name} ${String(diagnostic.code)} ${diagnostic.message}`;
  remaining.splice(remaining.indexOf(fixed), 1);
  // Rules are numbered by position (#N), so a fix that removes rules renumbers the later ones.
  const unnumbered = (problem: string): string => problem.replace(/#\d+/g, '#N');
  const now = problemList(revalidated, after);
  for (const problem of now) {
    const at = remaining.map(unnumbered).indexOf(unnumbered(problem));
    assert.ok(at >= 0, `the fix introduced (or left) a problem: ${problem}\n${after.map((edited) => edited.text).join('---\n')}`);
    remaining.splice(at, 1);
  }

  for (const check of fixture.asserts) {
    const edited = after.find((candidate) => candidate.name === check.file);
    assert.ok(edited, `assert names an unknown file ${check.file}`);
    const value: unknown = parseAllDocuments(edited.text)[check.document]?.toJS();
    assert.deepEqual(valueAt(value, check.path), check.json, `${check.file} #${check.document} ${check.path}`);
  }
  for (const check of fixture.mirrors) {
    const model = revalidated.index.getFile(uriOf(check.file))?.documents[check.document]?.analysis.model;
    assert.ok(model?.kind === 'VirtualService', `${check.file} #${check.document} is not a VirtualService`);
    const mirrors = model.http[check.rule]?.mirrors ?? [];
    const targets = mirrors.map((mirror) => `${mirror.host?.value ?? '?'}${mirror.subset ? `/${mirror.subset.value}` : ''}@${mirror.percent}`);
    assert.deepEqual(targets, check.targets, `mirrors of http rule ${check.rule}`);
  }

  // The alternatives are not checked against expected text, but must leave valid YAML.
  for (const other of actions.filter((candidate) => candidate !== action)) assertValidYaml(applyAction(fixture.files, other), other.title, fixture.files);
}

for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.yaml')).sort()) {
  test(`code action ${name}`, () => runCase(name, parseCase(readFileSync(join(folder, name), 'utf8'))));
}

// Behaviour around the fixtures: which diagnostics get actions at all, and how several are combined.

const twoMissingSubsets = reviewsVirtualService('v3');

test('code actions: one action for several diagnostics it fixes, listing them all', () => {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///vs.yaml', twoMissingSubsets);
  const diagnostics = languageService.getDiagnostics('file:///vs.yaml').filter((diagnostic) => diagnostic.code === 'IST0101');
  assert.equal(diagnostics.length, 2);
  const whole = { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } };
  const actions = languageService.getCodeActions('file:///vs.yaml', whole, diagnostics);
  // The suppressions come last, once each (for the first diagnostic's line).
  assert.deepEqual(actions.map((action) => action.title), ['Create DestinationRule for reviews with subsets v1, v3', 'Suppress IST0101 on this line', 'Suppress IST0101 in this file']);
  assert.deepEqual(actions[0].diagnostics, diagnostics);
});

test('code actions: nothing for stale diagnostics, other sources, or diagnostics outside the range', () => {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///vs.yaml', twoMissingSubsets);
  const [diagnostic] = languageService.getDiagnostics('file:///vs.yaml').filter((candidate) => candidate.code === 'IST0101');
  assert.equal(languageService.getCodeActions('file:///vs.yaml', diagnostic.range, [{ ...diagnostic, source: 'yaml' }]).length, 0);
  const elsewhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
  assert.equal(languageService.getCodeActions('file:///vs.yaml', elsewhere, [diagnostic]).length, 0);
  assert.equal(languageService.getCodeActions('file:///other.yaml', diagnostic.range, [diagnostic]).length, 0);
  // The user typed two lines above the route before the client re-validated: the old range no longer points at the subset.
  languageService.setFile('file:///vs.yaml', twoMissingSubsets.replace('  http:\n', '  http:\n  - route:\n    - destination: {host: ratings}\n'));
  assert.equal(languageService.getCodeActions('file:///vs.yaml', diagnostic.range, [diagnostic]).length, 0);
});

test('code actions: edits keep CRLF line breaks', () => {
  const text = `apiVersion: networking.istio.io/v1\r\nkind: VirtualService\r\nmetadata:\r\n  name: reviews\r\nspec:\r\n  hosts: [reviews]\r\n  http:\r\n  - route:\r\n    - destination:\r\n        host: reviews\r\n    mirror:\r\n      host: reviews-canary\r\n    mirrorPercent: 5\r\n`;
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///vs.yaml', text);
  const [diagnostic] = languageService.getDiagnostics('file:///vs.yaml').filter((candidate) => candidate.code === 'IM2003');
  const [action] = languageService.getCodeActions('file:///vs.yaml', diagnostic.range, [diagnostic]);
  const [edited] = applyAction([{ name: 'vs.yaml', uri: 'file:///vs.yaml', text }], action);
  assert.equal(edited.text, text.replace('    mirrorPercent: 5\r\n', '    mirrorPercentage:\r\n      value: 5\r\n'));
});

test('code actions: a created DestinationRule starts on its own line when the file has no final line break', () => {
  const text = twoMissingSubsets.trimEnd();
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///vs.yaml', text);
  const [diagnostic] = languageService.getDiagnostics('file:///vs.yaml').filter((candidate) => candidate.code === 'IST0101');
  const [action] = languageService.getCodeActions('file:///vs.yaml', diagnostic.range, [diagnostic]);
  const [edited] = applyAction([{ name: 'vs.yaml', uri: 'file:///vs.yaml', text }], action);
  assert.ok(edited.text.startsWith(`${text}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\n`), edited.text);
  const revalidated = new IstioLanguageService();
  revalidated.setFile('file:///vs.yaml', edited.text);
  assert.deepEqual(revalidated.getDiagnostics('file:///vs.yaml'), []);
});

// Every diagnostic of the examples and rule fixtures: each offered action leaves valid YAML,
// and applying it removes at least one diagnostic of that code.
test('code actions: every action on the examples and rule fixtures leaves valid YAML and fixes its code', () => {
  const root = join(__dirname, '..', '..');
  const workspaces: FixtureFile[][] = [];
  const broken = join(root, 'examples', 'broken');
  workspaces.push(readdirSync(broken).filter((entry) => entry.endsWith('.yaml')).map((entry) => ({ name: entry, uri: uriOf(entry), text: readFileSync(join(broken, entry), 'utf8') })));
  const rules = join(root, 'test', 'fixtures', 'rules');
  for (const entry of readdirSync(rules).filter((candidate) => candidate.endsWith('.yaml'))) {
    const text = readFileSync(join(rules, entry), 'utf8');
    // Rule fixtures may hold several files, each after a `# --- file: <name>` line.
    const parts = text.split(/^# --- file: (\S+)\s*$/m);
    const files: FixtureFile[] = [{ name: 'test.yaml', uri: uriOf(`${entry}/test.yaml`), text: parts[0] }];
    for (let index = 1; index < parts.length; index += 2) files.push({ name: parts[index], uri: uriOf(`${entry}/${parts[index]}`), text: parts[index + 1] });
    workspaces.push(files);
  }
  let checked = 0;
  for (const files of workspaces) {
    const languageService = service(files, {});
    for (const file of files) {
      for (const diagnostic of languageService.getDiagnostics(file.uri)) {
        for (const action of languageService.getCodeActions(file.uri, diagnostic.range, [diagnostic])) {
          const after = applyAction(files, action);
          assertValidYaml(after, `${file.name}: ${action.title}`, files);
          const count = (candidate: IstioLanguageService, texts: FixtureFile[]): number =>
            texts.reduce((sum, text) => sum + candidate.getDiagnostics(text.uri).filter((other) => other.code === diagnostic.code).length, 0);
          assert.ok(count(service(after, {}), after) < count(languageService, files), `${file.name}: "${action.title}" did not remove a ${String(diagnostic.code)}`);
          checked += 1;
        }
      }
    }
  }
  assert.ok(checked > 30, `only ${checked} actions checked`);
});
