// Navigation and structure through the real `istio-mirror-language-server --stdio` process: a
// workspace folder on disk with a VirtualService file and a DestinationRule file (the latter
// known to the server only from indexing the folder). Go to definition from a mirror subset
// lands in the DestinationRule file; a subset rename edits both files and the renamed texts
// validate clean; document symbols and code lenses have the shapes editors expect.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, DocumentSymbol, Location, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';
import { applyEdits } from '../helpers/navigationFixture';

const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
    mirror:
      host: reviews
      subset: v3
    mirrorPercentage: {value: 25}
`;

const destinationRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews.demo.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
  - name: v3
    labels: {version: v3}
`;

const range = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });
/** The mirror's `subset: v3` value (line 15). */
const mirrorSubset = { line: 15, character: 15 };

describe('navigation over LSP', () => {
  let workspace: string;
  let client: LspClient;
  let vsUri: string;
  let drUri: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-nav-'));
    writeFileSync(join(workspace, 'vs.yaml'), virtualService);
    writeFileSync(join(workspace, 'dr.yaml'), destinationRule);
    vsUri = pathToFileURL(join(workspace, 'vs.yaml')).toString();
    drUri = pathToFileURL(join(workspace, 'dr.yaml')).toString();
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    const result = await client.initialize();
    assert.equal(result.capabilities.definitionProvider, true);
    assert.deepEqual(result.capabilities.renameProvider, { prepareProvider: true });
    await client.open(vsUri, virtualService);
    // Clean diagnostics mean dr.yaml was indexed from disk: before that, v1 and v2 are unknown.
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('definition from a mirror subset goes to the subset name in the DestinationRule file on disk', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: vsUri }, position: mirrorSubset });
    assert.deepEqual(locations, [{ uri: drUri, range: range(12, 10, 12) }]);
  });

  test('references of the subset span both files', async () => {
    const locations = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: vsUri }, position: mirrorSubset, context: { includeDeclaration: true },
    });
    const rendered = locations.map((location) => `${location.uri === drUri ? 'dr' : 'vs'}:${location.range.start.line}`).sort();
    assert.deepEqual(rendered, ['dr:12', 'vs:15']);
  });

  test('rename of a subset edits both files, and the renamed texts validate clean', async () => {
    const prepared = await client.request<{ range: Range; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: vsUri }, position: mirrorSubset });
    assert.deepEqual(prepared, { range: range(15, 14, 16), placeholder: 'v3' });

    // A name Istio would reject is refused with the reason (shown by the editor).
    await assert.rejects(
      client.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri: vsUri }, position: mirrorSubset, newName: 'not_a_label' }),
      /"not_a_label" is not a valid subset name/,
    );

    const edit = await client.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: { uri: vsUri }, position: mirrorSubset, newName: 'canary' });
    assert.deepEqual(Object.keys(edit?.changes ?? {}).sort(), [drUri, vsUri].sort());
    const renamedVs = applyEdits(virtualService, edit?.changes?.[vsUri] ?? []);
    const renamedDr = applyEdits(destinationRule, edit?.changes?.[drUri] ?? []);
    assert.match(renamedVs, /mirror:\n {6}host: reviews\n {6}subset: canary\n/);
    assert.match(renamedDr, /- name: canary\n/);

    // Open the renamed DR first: until the VS is renamed too, its old subset is missing.
    await client.open(drUri, renamedDr);
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.some((diagnostic) => diagnostic.code === 'IST0101'));
    await client.change(vsUri, undefined, renamedVs);
    const vsDiagnostics = await client.waitForVersion(vsUri);
    assert.deepEqual(vsDiagnostics.diagnostics, []);
    const drDiagnostics = await client.waitForVersion(drUri);
    assert.deepEqual(drDiagnostics.diagnostics, []);
  });

  test('document symbols: the VirtualService, its route with the shares, destinations and mirror', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: vsUri } });
    assert.equal(symbols.length, 1);
    const [resource] = symbols;
    assert.equal(resource.name, 'VirtualService reviews');
    assert.deepEqual(resource.range.start, { line: 0, character: 0 });
    const [route] = resource.children ?? [];
    assert.equal(route.name, '#1 all requests');
    assert.equal(route.detail, 'v1 90 % · v2 10 %');
    assert.deepEqual(route.children?.map((child) => [child.name, child.detail]), [
      ['v1', '90 % · reviews'],
      ['v2', '10 % · reviews'],
      ['canary', 'mirror 25 % · reviews'],
    ]);
  });

  test('code lenses: one per HTTP route with the traffic split, and Monitor on the mirror, bound to the client commands', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: vsUri } });
    assert.deepEqual(lenses, [{
      range: range(8, 4, 4),
      command: { title: '#1 → v1 90 % · v2 10 % · mirror → canary 25 %', command: 'istioMirror.showTrafficSplit', arguments: [vsUri, 0, 8] },
    }, {
      range: range(14, 12, 12),
      command: { title: 'Monitor', command: 'istioMirror.showMirrorMonitor', arguments: [vsUri, 14, 12] },
    }]);
  });

  test('folding and selection ranges answer over the wire', async () => {
    const folds = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: drUri } });
    assert.deepEqual(folds[0], { startLine: 0, endLine: 13 });
    const selections = await client.request<{ range: Range }[]>('textDocument/selectionRange', { textDocument: { uri: drUri }, positions: [{ line: 12, character: 11 }] });
    assert.deepEqual(selections[0].range, range(12, 10, 16));
  });
});
