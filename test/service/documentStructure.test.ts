// Outline (document symbols), code lenses, folding and selection ranges, as data: every fixture
// in test/fixtures/navigation/ whose `# op:` is a structure operation is one case. The answer
// for the file holding the `$0` cursor (else the first file) is rendered as lines and compared
// with the fixture's `# --- expect` section (format: test/helpers/navigationFixture.ts).
// Lines and columns are 1-based, as editors show them.
//
//   # op: symbols     one line per symbol, children indented by two spaces:
//                     `<SymbolKind> <name> | <detail> | <first line>-<last line> | <selected text>`
//   # op: code-lens   `<line>: <title>`
//   # op: folding     `<first line>-<last line> <text of the first line, trimmed>`
//   # op: selection   the chain at the cursor, innermost first: the text of a one-line range,
//                     `lines <a>-<b> from "<text at the start>"` for a longer one
//
// Besides the rendered lines, every answer is checked for what editors require: symbol
// selection ranges inside their ranges and children inside parents, each selection range
// inside its parent and containing the cursor, lenses with a command.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SymbolKind, type DocumentSymbol, type Range, type SelectionRange } from 'vscode-languageserver-types';
import { detailedStructureLimit } from '../../server/src/service/features/documentStructure';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { parseNavigationFixture, type FixtureFile, type NavigationFixture } from '../helpers/navigationFixture';

const folder = join(__dirname, '..', 'fixtures', 'navigation');
const structureOps = new Set(['symbols', 'code-lens', 'folding', 'selection']);
const kindNames = new Map<number, string>(Object.entries(SymbolKind).map(([name, value]) => [value as number, name]));

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);
  return !before(inner.start, outer.start) && !before(outer.end, inner.end);
}

function textOf(file: FixtureFile, range: Range): string {
  const lines = file.text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return `lines ${range.start.line + 1}-${range.end.line + 1} from "${lines[range.start.line].slice(range.start.character).trim()}"`;
}

function renderSymbols(file: FixtureFile, symbols: DocumentSymbol[], depth = 0, parent?: DocumentSymbol): string[] {
  return symbols.flatMap((symbol) => {
    const where = `line ${symbol.range.start.line + 1}: ${symbol.name}`;
    assert.ok(contains(symbol.range, symbol.selectionRange), `${where}: selectionRange must be inside range`);
    if (parent) assert.ok(contains(parent.range, symbol.range), `${where}: must be inside ${parent.name}`);
    const line = `${'  '.repeat(depth)}${kindNames.get(symbol.kind)} ${symbol.name} | ${symbol.detail ?? ''} | ${symbol.range.start.line + 1}-${symbol.range.end.line + 1} | ${textOf(file, symbol.selectionRange)}`;
    return [line, ...renderSymbols(file, symbol.children ?? [], depth + 1, symbol)];
  });
}

function renderSelection(file: FixtureFile, selection: SelectionRange, cursor: Range['start']): string[] {
  const lines: string[] = [];
  for (let current: SelectionRange | undefined = selection; current; current = current.parent) {
    assert.ok(contains(current.range, { start: cursor, end: cursor }), `${JSON.stringify(current.range)} must contain the cursor`);
    if (current.parent) assert.ok(contains(current.parent.range, current.range), `${JSON.stringify(current.range)} must be inside its parent`);
    lines.push(textOf(file, current.range));
  }
  return lines;
}

function render(fixture: NavigationFixture, service: IstioLanguageService): string[] {
  const file = fixture.files.find((candidate) => candidate.name === fixture.cursor?.file) ?? fixture.files[0];
  const lines = file.text.split('\n');
  switch (fixture.op) {
    case 'symbols':
      return renderSymbols(file, service.findDocumentSymbols(file.uri));
    case 'code-lens':
      return service.getCodeLenses(file.uri).map((lens) => {
        assert.equal(lens.command?.arguments?.[0], file.uri);
        assert.equal(lens.range.start.line, lens.range.end.line, 'a lens spans one line');
        if (lens.command?.command === 'istioMirror.showMirrorMonitor') {
          // The Monitor lens of a mirror: on its host, naming that position.
          assert.deepEqual(lens.command.arguments?.slice(1), [lens.range.start.line, lens.range.start.character]);
          return `${lens.range.start.line + 1}:${lens.range.start.character + 1}: ${lens.command.title} (${lines[lens.range.start.line]!.trim()})`;
        }
        assert.equal(lens.command?.command, 'istioMirror.showTrafficSplit');
        return `${lens.range.start.line + 1}: ${lens.command?.title}`;
      });
    case 'folding':
      return service.getFoldingRanges(file.uri).map((range) => `${range.startLine + 1}-${range.endLine + 1} ${lines[range.startLine].trim()}`);
    case 'selection': {
      const cursor = fixture.cursor?.position;
      assert.ok(cursor, 'a selection fixture needs a $0 cursor');
      const [selection] = service.getSelectionRanges(file.uri, [cursor]);
      return renderSelection(file, selection, cursor);
    }
    default:
      throw new Error(`not a structure operation: ${fixture.op}`);
  }
}

describe('document structure fixtures', () => {
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.yaml')).sort()) {
    const fixture = parseNavigationFixture(readFileSync(join(folder, name), 'utf8'), name);
    if (!structureOps.has(fixture.op)) continue;
    test(`${name}: ${fixture.description}`, () => {
      const service = new IstioLanguageService(fixture.settings);
      for (const file of fixture.files) service.setFile(file.uri, file.text);
      assert.deepEqual(render(fixture, service), fixture.expect);
    });
  }
});

describe('document structure details', () => {
  test('a code lens names its VirtualService by rule index and line, for multi-document files', () => {
    const service = new IstioLanguageService();
    const vs = (name: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: demo}
spec:
  hosts: [${name}]
  http:
  - route:
    - destination: {host: ${name}}
`;
    service.setFile('file:///two.yaml', `${vs('a')}---\n${vs('b')}`);
    assert.deepEqual(service.getCodeLenses('file:///two.yaml').map((lens) => lens.command?.arguments), [
      ['file:///two.yaml', 0, 6],
      ['file:///two.yaml', 0, 15],
    ]);
  });

  test('templates, empty files and unknown files have no structure, and nothing throws', () => {
    const service = new IstioLanguageService();
    service.setFile('file:///helm.yaml', 'apiVersion: {{ .Values.api }}\nkind: VirtualService\nspec:\n  http:\n  - route: []\n');
    service.setFile('file:///empty.yaml', '');
    for (const uri of ['file:///helm.yaml', 'file:///empty.yaml', 'file:///missing.yaml']) {
      assert.deepEqual(service.findDocumentSymbols(uri), [], uri);
      assert.deepEqual(service.getCodeLenses(uri), [], uri);
      assert.deepEqual(service.getFoldingRanges(uri), [], uri);
      const [selection] = service.getSelectionRanges(uri, [{ line: 0, character: 0 }]);
      assert.ok(selection, uri);
    }
  });
  test('a file beyond the detailed limit lists its resources and folds whole documents, without parsing them again', () => {
    const count = detailedStructureLimit + 1;
    const documents = Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: demo\ndata:\n  key: value\n`);
    const service = new IstioLanguageService();
    service.setFile('file:///large.yaml', documents.join('---\n'));
    const symbols = service.findDocumentSymbols('file:///large.yaml');
    assert.equal(symbols.length, count);
    assert.deepEqual({ name: symbols[1].name, detail: symbols[1].detail, range: symbols[1].range, selection: symbols[1].selectionRange }, {
      name: 'ConfigMap settings-1',
      detail: 'namespace demo',
      range: { start: { line: 7, character: 0 }, end: { line: 14, character: 0 } },
      selection: { start: { line: 11, character: 8 }, end: { line: 11, character: 18 } },
    });
    const folds = service.getFoldingRanges('file:///large.yaml');
    assert.equal(folds.length, count);
    assert.deepEqual(folds[1], { startLine: 7, endLine: 14 });
  });
  test('selection ranges stop before a CRLF line break', () => {
    const service = new IstioLanguageService();
    service.setFile('file:///crlf.yaml', 'kind: VirtualService\r\nspec: {}\r\n');
    for (const line of [0, 1]) {
      const [selection] = service.getSelectionRanges('file:///crlf.yaml', [{ line, character: 0 }]);
      for (let range: SelectionRange | undefined = selection; range; range = range.parent) {
        const lineLength = ['kind: VirtualService', 'spec: {}'][range.range.end.line]?.length ?? 0;
        assert.ok(range.range.end.character <= lineLength, JSON.stringify(range.range));
      }
    }
  });
});
