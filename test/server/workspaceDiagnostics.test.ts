// Findings of files that are not open (server/src/workspaceDiagnostics.ts): the real server
// publishes them for every indexed file, clears them when the scope is set to open files or the
// file goes away, and `istio/checkWorkspace` publishes them all and returns the totals.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient';
import { reviewsVirtualService } from '../helpers/reviewsYaml';

const codes = (diagnostics: { code?: string | number }[] | undefined): string => (diagnostics ?? []).map((d) => String(d.code)).sort().join();

describe('workspace diagnostics for closed files', () => {
  let workspace: string;
  let client: LspClient;
  let brokenUri: string;
  let cleanUri: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-ws-'));
    // Never opened: a mirror to a subset no DestinationRule defines, and a typo.
    writeFileSync(join(workspace, 'broken.yaml'), reviewsVirtualService('v3').replace('  hosts:', '  hostz: [x]\n  hosts:'));
    writeFileSync(join(workspace, 'clean.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    writeFileSync(join(workspace, 'dr.yaml'), 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: demo}\nspec:\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n');
    brokenUri = pathToFileURL(join(workspace, 'broken.yaml')).toString();
    cleanUri = pathToFileURL(join(workspace, 'clean.yaml')).toString();
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    await client.initialize();
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('a closed file of the workspace gets its findings published; a file without findings gets nothing', async () => {
    const published = await client.waitForDiagnostics(brokenUri, (d) => d.diagnostics.length > 0);
    assert.equal(codes(published.diagnostics), 'IM1001,IST0101');
    assert.equal(published.version, undefined, 'no version: the file is not open');
    assert.equal(client.published.some((d) => d.uri === cleanUri), false);
  });

  test('scope "openFiles" clears them; "workspace" brings them back', async () => {
    client.settings = { istioMirror: { diagnostics: { scope: 'openFiles' } } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(brokenUri, (d) => d.diagnostics.length === 0);
    client.settings = { istioMirror: {} };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(brokenUri, (d) => codes(d.diagnostics) === 'IM1001,IST0101');
  });

  test('istio/checkWorkspace returns the totals', async () => {
    const result = await client.connection.sendRequest('istio/checkWorkspace');
    assert.deepEqual(result, { files: 3, filesWithProblems: 1, errors: 2, warnings: 0, others: 0 });
  });

  test('a deleted file loses its findings', async () => {
    unlinkSync(join(workspace, 'broken.yaml'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: brokenUri, type: 3 }] });
    await client.waitForDiagnostics(brokenUri, (d) => d.diagnostics.length === 0);
  });
});
