// Issue 12: one file, one URI. VS Code percent-encodes `+()@!',;=&$` and the Windows drive colon
// (`file:///c%3A/…`), Node's pathToFileURL does not; before the adapter normalised URIs at its
// boundary, every open file whose path held one of these was indexed twice (its disk copy and
// its editor copy): an edited DestinationRule was masked by its stale disk copy, references
// came back twice. And `..` in a watched-file URI passed the workspace-folder check, so a file
// outside the workspace was read. Through the real server process.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { isUnderFolder, normalizeUri, uriFromPath } from '../../server/src/documentUris';
import { LspClient } from '../helpers/lspClient';

const timeout = 120_000;

/** A file URI as VS Code's URI.toString() spells it: every byte outside `A-Za-z0-9-._~` and `/` percent-encoded. */
function vscodeUri(path: string): string {
  const encoded = path.split('/').map((segment) => [...Buffer.from(segment, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('')).join('/');
  return `file://${encoded}`;
}

const destinationRule = (subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews
  subsets:
${subsets.map((name) => `  - name: ${name}\n    labels: {version: ${name}}\n`).join('')}`;

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
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 5}
`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withServer(root: string, folderUri: string, run: (client: LspClient) => Promise<void>, folderEvents = true): Promise<void> {
  const client = new LspClient({ settings: { istioMirror: {} } });
  const logs: string[] = [];
  client.connection.onNotification('window/logMessage', (params: { message: string }) => { logs.push(params.message); });
  try {
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: 'ws' }],
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: folderEvents } },
    });
    await client.connection.sendNotification('initialized', {});
    while (!logs.some((line) => /indexed \d+ YAML files/.test(line))) await sleep(20);
    await run(client);
    assert.deepEqual(logs.filter((line) => line.includes('error during')), [], 'handler exceptions');
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
}

const codes = (published: PublishDiagnosticsParams): string[] => published.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`);

describe('URI normalisation', () => {
  test('normalizeUri: one spelling per file', () => {
    const canonical = pathToFileURL('/w/@scope/a+b/x y#1/ü/(c)!,;=&$\'[d].yaml').href;
    assert.equal(normalizeUri(canonical), canonical, 'Node\'s spelling is the canonical one');
    assert.equal(normalizeUri(vscodeUri('/w/@scope/a+b/x y#1/ü/(c)!,;=&$\'[d].yaml')), canonical);
    assert.equal(normalizeUri('file:///w/sub/../@scope/./a+b/x%20y%231/%C3%BC/(c)!,;=&$\'[d].yaml'), canonical);
    assert.equal(normalizeUri('file:///c%3A/Users/dev/x.yaml'), 'file:///c:/Users/dev/x.yaml');
    assert.equal(normalizeUri('file:///C:/Users/dev/x.yaml'), 'file:///c:/Users/dev/x.yaml');
    assert.equal(normalizeUri('file:///C%3a/Users/dev/../x.yaml'), 'file:///c:/Users/x.yaml');
    assert.equal(normalizeUri('file://LOCALHOST/w/x.yaml'), 'file:///w/x.yaml');
    assert.equal(normalizeUri('file:///w/%2e%2e/%2E%2E/etc/x.yaml'), 'file:///etc/x.yaml', 'encoded dots are dots');
    assert.equal(normalizeUri('file:///w/100%25.yaml'), 'file:///w/100%25.yaml');
    assert.equal(normalizeUri('file:///w/bad%zz.yaml'), 'file:///w/bad%25zz.yaml', 'a malformed escape is kept as text');
    assert.equal(normalizeUri('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(uriFromPath('/w/a b.yaml'), 'file:///w/a%20b.yaml');
    assert.ok(isUnderFolder('file:///w/a.yaml', 'file:///w'));
    assert.ok(isUnderFolder('file:///w/a.yaml', 'file:///w/'));
    assert.ok(!isUnderFolder('file:///w2/a.yaml', 'file:///w'));
    assert.ok(!isUnderFolder(normalizeUri('file:///w/../outside/a.yaml'), 'file:///w'));
  });

  for (const folder of ['@scope', 'a+b', 'with space', 'hash#dir', 'ünïcödé', "odd(1)!,;=&$'[x]"]) {
    test(`files under a folder named ${JSON.stringify(folder)} opened with VS Code's URIs are indexed once`, { timeout }, async () => {
      const root = mkdtempSync(join(tmpdir(), 'istio-mirror-uris-'));
      const dir = join(root, folder);
      mkdirSync(dir);
      const onDisk = destinationRule(['v1', 'v2']);
      writeFileSync(join(dir, 'dr.yaml'), onDisk);
      writeFileSync(join(dir, 'vs.yaml'), virtualService);
      await withServer(root, vscodeUri(root), async (client) => {
        const vsUri = vscodeUri(join(dir, 'vs.yaml'));
        const drUri = vscodeUri(join(dir, 'dr.yaml'));
        await client.open(vsUri, virtualService);
        await client.open(drUri, onDisk);
        assert.deepEqual(codes(await client.waitForVersion(vsUri)), [], 'both subsets are defined');

        // References of subset v2 (DestinationRule line 11): its definition and the mirror, once each, in the client's spelling.
        const references = await client.request<Location[]>('textDocument/references', { textDocument: { uri: drUri }, position: { line: 10, character: 10 }, context: { includeDeclaration: true } });
        assert.deepEqual(references.map((location) => `${location.uri === drUri ? 'dr' : location.uri === vsUri ? 'vs' : location.uri}:${location.range.start.line}`).sort(), ['dr:10', 'vs:10']);

        // The editor renames v2 to v3 without saving: the VirtualService's mirror subset is now missing
        // (the stale disk copy of the rule must not mask it).
        await client.change(drUri, { start: { line: 10, character: 10 }, end: { line: 10, character: 12 } }, 'v3');
        const after = await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length > 0);
        assert.deepEqual(codes(after), ['IST0101@10']);
        assert.equal(after.uri, vsUri, 'diagnostics are published under the URI the client opened');

        // The quick fixes for it are offered once each.
        const actions = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: vsUri }, range: after.diagnostics[0].range, context: { diagnostics: after.diagnostics } });
        const titles = actions.map((action) => action.title);
        assert.deepEqual(titles, [...new Set(titles)], `quick fixes offered twice: ${titles.join(' | ')}`);
      });
    });
  }

  test('a Windows-style URI (file:///c%3A/…) is answered in the client\'s own spelling', { timeout }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'istio-mirror-uris-'));
    await withServer(root, 'file:///c%3A/Users/dev/istio', async (client) => {
      const vsUri = 'file:///c%3A/Users/dev/istio/vs.yaml';
      const drUri = 'file:///c%3A/Users/dev/istio/dr.yaml';
      await client.open(drUri, destinationRule(['v1']));
      await client.open(vsUri, virtualService);
      const published = await client.waitForVersion(vsUri);
      assert.deepEqual(codes(published), ['IST0101@10']);
      assert.equal(published.uri, vsUri);
      assert.equal(published.diagnostics[0].relatedInformation?.[0]?.location.uri, drUri, 'the related location names the rule as the client does');
      const definition = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: vsUri }, position: { line: 9, character: 44 } });
      assert.deepEqual(definition.map((location) => location.uri), [drUri]);
    });
  });

  test('`..` in watched-file URIs: nothing outside the workspace folders is read, a file inside is indexed once', { timeout }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'istio-mirror-uris-'));
    const workspace = join(root, 'ws');
    mkdirSync(join(workspace, 'sub'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(workspace, 'vs.yaml'), virtualService);
    await withServer(root, pathToFileURL(workspace).href, async (client) => {
      const vsUri = pathToFileURL(join(workspace, 'vs.yaml')).href;
      await client.open(vsUri, virtualService);
      assert.deepEqual(codes(await client.waitForVersion(vsUri)), ['IST0101@9', 'IST0101@10'], 'no DestinationRule yet');

      // A rule outside the workspace, announced through `<ws>/../outside/dr.yaml`: never read.
      writeFileSync(join(root, 'outside', 'dr.yaml'), destinationRule(['v1', 'v2']));
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `${pathToFileURL(workspace).href}/../outside/dr.yaml`, type: 1 }] });
      await sleep(500);
      assert.deepEqual(codes({ diagnostics: client.latest(vsUri) ?? [], uri: vsUri }), ['IST0101@9', 'IST0101@10'], 'the file outside the workspace was read');

      // A rule inside, announced as `<ws>/sub/../dr.yaml` and as `<ws>/dr.yaml`: one file.
      writeFileSync(join(workspace, 'dr.yaml'), destinationRule(['v1', 'v2']));
      const drUri = pathToFileURL(join(workspace, 'dr.yaml')).href;
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `${pathToFileURL(workspace).href}/sub/../dr.yaml`, type: 1 }, { uri: drUri, type: 2 }] });
      await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
      const references = await client.request<Location[]>('textDocument/references', { textDocument: { uri: vsUri }, position: { line: 10, character: 37 }, context: { includeDeclaration: true } });
      assert.deepEqual(references.map((location) => `${location.uri.slice(location.uri.lastIndexOf('/') + 1)}:${location.range.start.line}`).sort(), ['dr.yaml:10', 'vs.yaml:10']);
    });
  });

  test('watched-file events and a closed document for symbolic links out of the workspace: the target is never read', { timeout }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'istio-mirror-uris-'));
    const workspace = join(root, 'ws');
    mkdirSync(join(workspace, 'inner'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(workspace, 'vs.yaml'), virtualService);
    await withServer(root, pathToFileURL(workspace).href, async (client) => {
      const vsUri = pathToFileURL(join(workspace, 'vs.yaml')).href;
      await client.open(vsUri, virtualService);
      assert.deepEqual(codes(await client.waitForVersion(vsUri)), ['IST0101@9', 'IST0101@10'], 'no DestinationRule yet');

      // A link to a file outside, and a link to a folder outside: created, then announced.
      writeFileSync(join(root, 'outside', 'dr.yaml'), destinationRule(['v1', 'v2']));
      symlinkSync(join(root, 'outside', 'dr.yaml'), join(workspace, 'link.yaml'));
      symlinkSync(join(root, 'outside'), join(workspace, 'linked-folder'));
      const linkUri = pathToFileURL(join(workspace, 'link.yaml')).href;
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: linkUri, type: 1 }, { uri: pathToFileURL(join(workspace, 'linked-folder', 'dr.yaml')).href, type: 1 }] });
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: linkUri, type: 2 }] });
      await sleep(500);
      assert.deepEqual(codes({ diagnostics: client.latest(vsUri) ?? [], uri: vsUri }), ['IST0101@9', 'IST0101@10'], 'the file outside the workspace was read through a link');

      // The link opened in the editor (its text is the editor's), then closed: the disk is not read through it.
      await client.open(linkUri, 'kind: ConfigMap\n');
      await client.waitForVersion(linkUri);
      await client.notify('textDocument/didClose', { textDocument: { uri: linkUri } });
      await sleep(500);
      assert.deepEqual(codes({ diagnostics: client.latest(vsUri) ?? [], uri: vsUri }), ['IST0101@9', 'IST0101@10'], 'the file outside was read when the link was closed');

      // A link to a file inside the folder is followed (as indexing follows it).
      writeFileSync(join(workspace, 'inner', 'dr.txt'), destinationRule(['v1', 'v2']));
      symlinkSync(join(workspace, 'inner', 'dr.txt'), join(workspace, 'inner-link.yaml'));
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(workspace, 'inner-link.yaml')).href, type: 1 }] });
      await client.waitForDiagnostics(vsUri, (d) => d.diagnostics.length === 0);
    });
  });

  test('a client that sends no workspace-folder events still gets its workspace indexed', { timeout }, async () => {
    // vscode-languageserver throws when a server asks for folder events the client does not
    // announce; the server used to ask unconditionally, so it never indexed the workspace.
    const root = mkdtempSync(join(tmpdir(), 'istio-mirror-uris-'));
    writeFileSync(join(root, 'dr.yaml'), destinationRule(['v1', 'v2']));
    await withServer(root, pathToFileURL(root).href, async (client) => {
      const vsUri = pathToFileURL(join(root, 'vs.yaml')).href;
      await client.open(vsUri, virtualService);
      assert.deepEqual(codes(await client.waitForVersion(vsUri)), [], 'the DestinationRule on disk is indexed');
    }, false);
  });
});
