// Go to definition, find references and rename, as data: every fixture in
// test/fixtures/navigation/ whose `# op:` is a navigation operation is one case.
//
// Format (full description in test/helpers/navigationFixture.ts): a multi-file
// fixture (`# --- file: name.yaml` sections), `$0` marks the cursor, `[|text|]` marks each
// expected range, `[n|text|]` one whose rank in the answer matters. Operations:
//   # op: definition                the answer's locations, in order: the marked ranges
//   # op: references                the marked ranges, in any order (without declarations)
//   # op: references+declaration    the same, declarations included
//   # op: prepare-rename            the one marked range (placeholder = its text); none: null
//   # op: rename <new-name>         the edits replace exactly the marked ranges with the new
//                                   name, and the renamed workspace has no IST0101; no marked
//                                   range: the rename is refused (null)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Location, WorkspaceEdit } from 'vscode-languageserver-types';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { subsetNameProblem } from '../../server/src/service/features/navigation';
import {
  applyEdits,
  fileNameOf,
  parseNavigationFixture,
  renderLocation,
  type FixtureFile,
  type NavigationFixture,
} from '../helpers/navigationFixture';

const folder = join(__dirname, '..', 'fixtures', 'navigation');
const navigationOps = new Set(['definition', 'references', 'references+declaration', 'prepare-rename', 'rename']);

function serviceFor(files: FixtureFile[], settings: NavigationFixture['settings']): IstioLanguageService {
  const service = new IstioLanguageService(settings);
  for (const file of files) service.setFile(file.uri, file.text);
  return service;
}

const render = (location: Location): string => renderLocation(fileNameOf(location.uri), location.range);
const expectedLocations = (fixture: NavigationFixture): string[] => fixture.ranges.map((marked) => renderLocation(marked.file, marked.range));

function checkRename(fixture: NavigationFixture, service: IstioLanguageService): void {
  const cursor = fixture.cursor!;
  const newName = fixture.args[0] ?? '';
  const edit: WorkspaceEdit | null = service.doRename(cursor.uri, cursor.position, newName);
  if (fixture.ranges.length === 0) {
    assert.equal(edit, null, 'the rename must be refused');
    return;
  }
  assert.ok(edit?.changes, 'a rename must return changes keyed by uri');
  const actual = Object.entries(edit.changes).flatMap(([uri, edits]) => edits.map((e) => `${renderLocation(fileNameOf(uri), e.range)} → ${e.newText}`));
  const expected = fixture.ranges.map((marked) => `${renderLocation(marked.file, marked.range)} → ${newName}`);
  assert.deepEqual(actual.sort(), expected.sort());

  // The renamed workspace must be consistent: no subset reference left dangling.
  const renamed = fixture.files.map((file) => ({ ...file, text: applyEdits(file.text, edit.changes?.[file.uri] ?? []) }));
  const after = serviceFor(renamed, fixture.settings);
  const dangling = renamed.flatMap((file) => after.getProblems(file.uri).filter((p) => p.code === 'IST0101').map((p) => `${file.name}: ${p.message}`));
  assert.deepEqual(dangling, []);
}

function runFixture(fixture: NavigationFixture): void {
  const service = serviceFor(fixture.files, fixture.settings);
  const cursor = fixture.cursor;
  assert.ok(cursor, 'a navigation fixture needs a $0 cursor');
  switch (fixture.op) {
    case 'definition':
      assert.deepEqual(service.findDefinition(cursor.uri, cursor.position).map(render), expectedLocations(fixture));
      break;
    case 'references':
    case 'references+declaration': {
      const actual = service.findReferences(cursor.uri, cursor.position, fixture.op === 'references+declaration').map(render);
      assert.deepEqual(actual.sort(), expectedLocations(fixture).sort());
      assert.equal(new Set(actual).size, actual.length, 'no location twice');
      break;
    }
    case 'prepare-rename': {
      const prepared = service.prepareRename(cursor.uri, cursor.position);
      const marked = fixture.ranges[0];
      if (!marked) {
        assert.equal(prepared, null);
        break;
      }
      assert.deepEqual(prepared && { range: renderLocation(cursor.file, prepared.range), placeholder: prepared.placeholder }, { range: renderLocation(marked.file, marked.range), placeholder: marked.text });
      break;
    }
    case 'rename':
      checkRename(fixture, service);
      break;
    default:
      throw new Error(`not a navigation operation: ${fixture.op}`);
  }
}

describe('navigation fixtures', () => {
  const names = readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort();
  for (const name of names) {
    const fixture = parseNavigationFixture(readFileSync(join(folder, name), 'utf8'), name);
    if (!navigationOps.has(fixture.op)) continue;
    test(`${name}: ${fixture.description}`, () => runFixture(fixture));
  }
});

describe('navigation details', () => {
  const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: demo}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
`;
  const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: demo}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: 'v1'}
    mirror: {host: reviews, subset: v1}
`;
  const service = new IstioLanguageService();
  service.setFile('file:///dr.yaml', dr);
  service.setFile('file:///vs.yaml', vs);

  test('a name YAML would not read as a string is quoted where it was plain, kept bare inside existing quotes', () => {
    const edit = service.doRename('file:///dr.yaml', { line: 6, character: 10 }, 'on');
    assert.deepEqual(edit?.changes?.['file:///dr.yaml']?.map((e) => e.newText), ['"on"']);
    assert.deepEqual(edit?.changes?.['file:///vs.yaml']?.map((e) => e.newText).sort(), ['"on"', 'on']);
    const renamed = applyEdits(vs, edit?.changes?.['file:///vs.yaml'] ?? []);
    assert.match(renamed, /subset: 'on'\}/);
    assert.match(renamed, /subset: "on"\}/);
  });

  test('names that are not DNS-1123 labels are refused, with a reason for the adapter', () => {
    for (const bad of ['', 'v_1', '-v1', 'v1-', 'a'.repeat(64), 'v1.2']) {
      assert.equal(service.doRename('file:///dr.yaml', { line: 6, character: 10 }, bad), null, bad);
      assert.match(subsetNameProblem(bad) ?? '', /DNS-1123/);
    }
    assert.equal(subsetNameProblem('Canary-2'), undefined);
  });

  test('definition on a declaration answers the declaration itself', () => {
    assert.deepEqual(service.findDefinition('file:///dr.yaml', { line: 6, character: 11 }), [
      { uri: 'file:///dr.yaml', range: { start: { line: 6, character: 10 }, end: { line: 6, character: 12 } } },
    ]);
  });

  test('positions outside any name, and unknown files, give nothing', () => {
    assert.deepEqual(service.findDefinition('file:///vs.yaml', { line: 0, character: 3 }), []);
    assert.deepEqual(service.findReferences('file:///vs.yaml', { line: 4, character: 12 }, true), []);
    assert.equal(service.prepareRename('file:///vs.yaml', { line: 1, character: 8 }), null);
    assert.deepEqual(service.findDefinition('file:///missing.yaml', { line: 0, character: 0 }), []);
    assert.equal(service.doRename('file:///missing.yaml', { line: 0, character: 0 }, 'v2'), null);
  });
});
