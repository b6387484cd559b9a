// RoutingTest files (istio-mirror's test format, schemas/routingTest.schema.json) through the
// real language server process: schema and IM2601 diagnostics are published for an open test
// file, completion offers the format's keys, the workspace's hosts, subsets and VirtualServices
// (known only from indexing the folder), and hover shows the schema's description.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Hover } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';

const resources = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: catalog, namespace: demo}
spec:
  hosts: [catalog]
  http:
  - name: default
    route:
    - destination: {host: catalog, subset: stable}
    mirror: {host: catalog, subset: canary}
    mirrorPercentage: {value: 5}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: catalog, namespace: demo}
spec:
  host: catalog
  subsets:
  - {name: stable, labels: {version: stable}}
  - {name: canary, labels: {version: canary}}
`;

const routingTest = `apiVersion: istio-mirror.dev/v1alpha1
kind: RoutingTest
metadata:
  name: catalog
spec:
  defaults:
    namespace: demo
  tests:
  - name: mirrored
    request:
      host: catalog
      methd: GET
    expect:
      virtualService: demo/catalog
      mirrors:
      - host: catalog
        subset: canary
        percent: 500
  - name: no host
    request: {path: /}
    expect: {httpIndex: 0}
`;

describe('RoutingTest files over LSP', () => {
  let workspace: string;
  let client: LspClient;
  let uri: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-routing-test-'));
    writeFileSync(join(workspace, 'catalog.yaml'), resources);
    writeFileSync(join(workspace, 'routing-test.yaml'), routingTest);
    uri = pathToFileURL(join(workspace, 'routing-test.yaml')).toString();
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    await client.initialize();
    await client.open(uri, routingTest);
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('schema findings and IM2601 are published, each on its one-line range', async () => {
    const published = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`), [
      'IM1001 11:6-11 Unknown field `methd`: did you mean `method`? (in `request`)',
      'IM1009 17:17-20 `percent` must be between 0 and 100; it is 500.',
      'IM2601 19:4-11 This request has no `host`, and `spec.defaults` gives none: the test cannot run. Add `host:` (the host the client calls, e.g. `reviews`).',
    ]);
  });

  const labels = async (line: number, character: number, wanted?: string): Promise<string[]> => {
    let items: CompletionList = { isIncomplete: false, items: [] };
    // catalog.yaml is known only once the server has indexed the folder (in the background).
    for (let attempt = 0; attempt < 100; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      items = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      if (!wanted || items.items.some((item) => item.label === wanted)) break;
    }
    return items.items.map((item) => item.label);
  };

  test('completion: the request keys from the schema, hosts, subsets and VirtualServices from the workspace', async () => {
    assert.deepEqual(await labels(11, 8), ['path', 'method', 'headers', 'query', 'port', 'scheme', 'gateway', 'namespace', 'sourceLabels', 'sourceNamespace']);
    const hosts = await labels(10, 12, 'catalog');
    assert.ok(hosts.includes('catalog') && hosts.includes('catalog.demo.svc.cluster.local'), JSON.stringify(hosts));
    assert.deepEqual(await labels(16, 16, 'canary'), ['stable', 'canary']);
    assert.deepEqual(await labels(13, 22, 'demo/catalog'), ['demo/catalog']);
  });

  test('hover on an expectation key shows the schema description', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 14, character: 8 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /^\*\*mirrors\*\* · `list of Target`\n\nEvery mirrored copy of the request, with the share copied\./);
  });
});
