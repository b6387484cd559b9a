// Drives the real `istio-mirror-language-server --stdio` process over LSP: diagnostics on
// open and after edits, cross-file updates when a DestinationRule changes in another file
// (open in the editor, on disk via file watching, and reverting on close), settings, and
// survival of hostile input.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient';
import { reviewsVirtualService } from '../helpers/reviewsYaml';

const virtualService = reviewsVirtualService('v3', 150);

const destinationRule = (subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews.demo.svc.cluster.local
  subsets:
${subsets.map((name) => `  - name: ${name}\n    labels: {version: ${name}}`).join('\n')}
`;

const codes = (diagnostics: { code?: string | number }[] | undefined): string[] => (diagnostics ?? []).map((d) => String(d.code)).sort();

describe('language server over stdio', () => {
  let workspace: string;
  let client: LspClient;
  let vsUri: string;
  let drUri: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-lsp-'));
    writeFileSync(join(workspace, 'vs.yaml'), virtualService);
    writeFileSync(join(workspace, 'dr.yaml'), destinationRule(['v1', 'v2']));
    vsUri = pathToFileURL(join(workspace, 'vs.yaml')).toString();
    drUri = pathToFileURL(join(workspace, 'dr.yaml')).toString();
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    const result = await client.initialize();
    assert.equal(result.serverInfo?.name, 'istio-mirror-language-server');
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('publishes diagnostics for an opened document, with the subset from the indexed DestinationRule file', async () => {
    await client.open(vsUri, virtualService);
    // The index of dr.yaml (read from disk) must be in place: v1 resolves, v3 does not.
    const published = await client.waitForDiagnostics(vsUri, (d) => codes(d.diagnostics).join() === 'IM2002,IST0101');
    const missing = published.diagnostics.find((d) => d.code === 'IST0101');
    assert.deepEqual(missing?.range, { start: { line: 10, character: 36 }, end: { line: 10, character: 38 } });
    assert.match(String(missing?.message), /Subset "v3".*reviews\.demo\.svc\.cluster\.local/);
    assert.equal(missing?.relatedInformation?.[0]?.location.uri, drUri);
    assert.equal(missing?.source, 'istio-mirror');
  });

  test('every code links to its explanation in docs/rules.md, at its section (codeDescription, readable offline)', async () => {
    await client.open(vsUri, virtualService);
    const published = await client.waitForDiagnostics(vsUri, (d) => codes(d.diagnostics).join() === 'IM2002,IST0101');
    const rulesDoc = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8').split('\n');
    for (const diagnostic of published.diagnostics) {
      const href = diagnostic.codeDescription?.href;
      assert.ok(href, `${String(diagnostic.code)} has a codeDescription`);
      const [file, fragment] = href.split('#');
      assert.equal(file, pathToFileURL(join(__dirname, '..', '..', 'docs', 'rules.md')).toString());
      const line = Number(/^L(\d+)$/.exec(fragment ?? '')?.[1]);
      assert.equal(rulesDoc[line - 1], `## ${String(diagnostic.code)}`);
    }
  });

  test('completion offers the subsets of the DestinationRule in the other file, and hover explains them', async () => {
    const completion = await client.request<{ items: { label: string; detail?: string }[] }>('textDocument/completion', {
      textDocument: { uri: vsUri },
      position: { line: 10, character: 36 },
    });
    const labels = completion.items.map((item) => item.label);
    assert.deepEqual(labels.filter((label) => label === 'v1' || label === 'v2').sort(), ['v1', 'v2']);
    assert.equal(completion.items.find((item) => item.label === 'v2')?.detail, 'labels: version=v2');
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: vsUri },
      position: { line: 9, character: 45 },
    });
    assert.match(hover?.contents.value ?? '', /Subset `v1` of `reviews\.demo\.svc\.cluster\.local`, defined by DestinationRule `demo\/reviews`/);
  });

  test('an incremental edit clears the fixed diagnostic', async () => {
    await client.change(vsUri, { start: { line: 11, character: 30 }, end: { line: 11, character: 33 } }, '25');
    const published = await client.waitForVersion(vsUri);
    assert.deepEqual(codes(published.diagnostics), ['IST0101']);
  });

  test('adding the subset in the open DestinationRule re-validates the VirtualService in the other file', async () => {
    await client.open(drUri, destinationRule(['v1', 'v2']));
    await client.change(drUri, undefined, destinationRule(['v1', 'v2', 'v3']));
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
  });

  test('closing the DestinationRule reverts it to the disk content, and the finding returns', async () => {
    await client.close(drUri);
    await client.waitForDiagnostics(vsUri, (d) => codes(d.diagnostics).join() === 'IST0101');
  });

  test('a DestinationRule written on disk is picked up from a file-watch notification', async () => {
    writeFileSync(join(workspace, 'dr.yaml'), destinationRule(['v1', 'v3']));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: drUri, type: 2 }] });
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
    rmSync(join(workspace, 'dr.yaml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: drUri, type: 3 }] });
    const published = await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 2);
    assert.deepEqual(codes(published.diagnostics), ['IST0101', 'IST0101']);
  });

  test('severity settings apply live after a configuration change', async () => {
    client.settings = { istioMirror: { severity: { IST0101: 'warning' } } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const published = await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length > 0 && d.diagnostics.every((x) => x.severity === 2));
    assert.equal(published.diagnostics.length, 2);
    client.settings = { istioMirror: { severity: { IST0101: 'off' } } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
    client.settings = { istioMirror: {} };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 2);
  });

  test('the hover on a mirror shows its Envoy policy for the istioMirror.istioVersion setting (-shadow on the copy\'s Host before 1.28)', async () => {
    const hoverText = async (): Promise<string> => {
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: vsUri }, position: { line: 10, character: 6 } });
      return hover?.contents.value ?? '';
    };
    const newest = await hoverText();
    assert.match(newest, /\*\*Envoy mirror policy\*\* of `mirror` \(Istio 1\.30/);
    assert.match(newest, /runtimeFraction `250000\/MILLION` = \*\*25 %\*\*/);
    assert.match(newest, /Host header of the copy: `reviews` \(the caller's Host, e\.g\. `reviews`, unchanged/);
    client.settings = { istioMirror: { istioVersion: '1.27' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    // The server asks for the settings asynchronously: hover until it has them.
    let text = newest;
    for (let attempt = 0; attempt < 100 && !text.includes('Istio 1.27'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await hoverText();
    }
    assert.match(text, /Host header of the copy: `reviews-shadow` \(the caller's Host, e\.g\. `reviews` with `-shadow`: Istio 1\.27 appends it/);
    client.settings = { istioMirror: {} };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
  });

  test('hostile documents get silence or a clear diagnostic, and the server stays up', async () => {
    const binaryUri = pathToFileURL(join(workspace, 'binary.yaml')).toString();
    await client.open(binaryUri, Buffer.from([0, 1, 2, 255, 254, 10, 0, 0x1b, 0x5b]).toString('latin1'));
    const binary = await client.waitForVersion(binaryUri);
    assert.deepEqual(binary.diagnostics, []);

    const brokenUri = pathToFileURL(join(workspace, 'broken.yaml')).toString();
    await client.open(brokenUri, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n  hosts: [a\n  http: {\n');
    const broken = await client.waitForVersion(brokenUri);
    assert.ok(broken.diagnostics.length > 0 && broken.diagnostics.every((d) => d.code === 'IM0001'), JSON.stringify(broken.diagnostics));

    const helmUri = pathToFileURL(join(workspace, 'helm.yaml')).toString();
    await client.open(helmUri, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  hosts: [{{ .Values.host }}]\n');
    assert.deepEqual((await client.waitForVersion(helmUri)).diagnostics, []);

    // Still answering: a fresh edit of the VirtualService gets its diagnostics.
    await client.change(vsUri, { start: { line: 11, character: 30 }, end: { line: 11, character: 32 } }, '101');
    const published = await client.waitForVersion(vsUri);
    assert.ok(codes(published.diagnostics).includes('IM2002'));
    assert.equal(client.exited, undefined);
  });
});
