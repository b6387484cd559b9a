// Suppression comments (server/src/service/checks/suppressions.ts): `# istio-mirror-disable-next-line`
// silences the codes it names on the next line, `# istio-mirror-disable-file` in the whole file;
// the quick fixes write them, and the CLI honours them (dist/cli.js in a child process).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IstioLanguageService } from '../../server/src/service/languageService';

// Two findings: IM2007 (mirror to the route's own destination, line 13) and IST0101 (subset v9
// that the DestinationRule lacks, line 16).
const text = (comment13 = '', header = ''): string => `${header}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 90}
    - {destination: {host: reviews, subset: v9}, weight: 10}
    mirror:
${comment13}      host: reviews
      subset: v1
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
`;

const codes = (source: string): string[] => {
  const service = new IstioLanguageService();
  service.setFile('file:///vs.yaml', source);
  return service.getDiagnostics('file:///vs.yaml').map((diagnostic) => `${diagnostic.range.start.line} ${String(diagnostic.code)}`);
};

test('without comments: both findings', () => {
  assert.deepEqual(codes(text()), ['10 IST0101', '12 IM2007']);
});

test('disable-next-line silences the named code on the next line only', () => {
  assert.deepEqual(codes(text('      # istio-mirror-disable-next-line IM2007\n')), ['10 IST0101']);
  // Another code named: the finding stays.
  assert.deepEqual(codes(text('      # istio-mirror-disable-next-line IM2105 -- not this one\n')), ['10 IST0101', '13 IM2007']);
  // Several codes, a reason after `--`, and no codes at all (every code).
  assert.deepEqual(codes(text('      # istio-mirror-disable-next-line IM2105, IM2007 -- shadow on purpose\n')), ['10 IST0101']);
  assert.deepEqual(codes(text('      #istio-mirror-disable-next-line\n')), ['10 IST0101']);
  // Not a directive: a longer word, or the text inside a value.
  assert.deepEqual(codes(text('      # istio-mirror-disable-next-lines IM2007\n')), ['10 IST0101', '13 IM2007']);
});

test('disable-file silences the code in every document of the file', () => {
  assert.deepEqual(codes(text('', '# istio-mirror-disable-file IST0101\n')), ['13 IM2007']);
  assert.deepEqual(codes(text('', '# istio-mirror-disable-file IST0101 IM2007\n')), []);
});

test('the quick fixes write the comments, indented like the line, and adding a code to an existing directive', () => {
  const service = new IstioLanguageService();
  let source = text();
  service.setFile('file:///vs.yaml', source);
  const apply = (title: string, line: number): void => {
    const diagnostic = service.getDiagnostics('file:///vs.yaml').find((candidate) => candidate.range.start.line === line)!;
    const action = service.getCodeActions('file:///vs.yaml', diagnostic.range, [diagnostic]).find((candidate) => candidate.title === title);
    assert.ok(action?.edit?.changes, `"${title}" offered`);
    source = TextDocument.applyEdits(TextDocument.create('file:///vs.yaml', 'yaml', 1, source), action.edit.changes['file:///vs.yaml']!);
    service.setFile('file:///vs.yaml', source);
  };
  apply('Suppress IM2007 on this line', 12);
  assert.match(source, /    mirror:\n {6}# istio-mirror-disable-next-line IM2007\n {6}host: reviews\n/);
  assert.deepEqual(service.getDiagnostics('file:///vs.yaml').map((d) => String(d.code)), ['IST0101']);
  apply('Suppress IST0101 in this file', 10);
  assert.ok(source.startsWith('# istio-mirror-disable-file IST0101\n'), source);
  assert.deepEqual(service.getDiagnostics('file:///vs.yaml'), []);
});

test('no suppression is offered for a YAML syntax error', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///vs.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: a\nspec:\n  hosts: [a\n');
  const [diagnostic] = service.getDiagnostics('file:///vs.yaml');
  assert.equal(diagnostic?.code, 'IM0001');
  assert.deepEqual(service.getCodeActions('file:///vs.yaml', diagnostic.range, [diagnostic]).map((action) => action.title), []);
});

test('the CLI honours the comments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'im-suppress-'));
  try {
    writeFileSync(join(dir, 'vs.yaml'), text('      # istio-mirror-disable-next-line IM2007\n', '# istio-mirror-disable-file IST0101\n'));
    const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), 'check', dir], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(result.stdout.trim(), '');
    writeFileSync(join(dir, 'vs.yaml'), text());
    const unsuppressed = spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), 'check', dir], { encoding: 'utf8' });
    assert.equal(unsuppressed.status, 1);
    assert.match(unsuppressed.stdout, /IST0101/);
    assert.match(unsuppressed.stdout, /IM2007/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
