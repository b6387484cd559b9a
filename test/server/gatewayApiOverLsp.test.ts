// Gateway API routes through the real language server process: a RequestMirror diagnostic is
// published, a Service on disk (known only from indexing the folder) is completed as a
// backendRef name and clears a port finding, the preview panel's `istio/trafficSplit` lists the
// HTTPRoute (marked by `kind`), and `istio/convertToHttpRoute` converts a VirtualService.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { LspClient } from '../helpers/lspClient';
import type { HttpRouteConversion, TrafficSplitResult } from '../../server/src/protocol';

const services = `apiVersion: v1
kind: Service
metadata: {name: reviews-v1, namespace: demo}
spec:
  selector: {app: reviews, version: v1}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: demo}
spec:
  selector: {app: reviews, version: v2}
  ports: [{name: http, port: 9080}]
`;

const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: demo
spec:
  parentRefs:
  - {group: "", kind: Service, name: reviews, port: 9080}
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
      filters:
      - type: RequestMirror
        requestMirror:
          backendRef: {name: reviews-v2, port: 9080}
          percent: 10
`;

const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: demo}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews-v1, port: {number: 9080}}
    mirror: {host: reviews-v2, port: {number: 9080}}
    mirrorPercentage: {value: 10}
`;

describe('Gateway API over LSP', () => {
  let workspace: string;
  let client: LspClient;
  let routeUri: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-gateway-api-'));
    writeFileSync(join(workspace, 'services.yaml'), services);
    writeFileSync(join(workspace, 'route.yaml'), route);
    routeUri = pathToFileURL(join(workspace, 'route.yaml')).toString();
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    await client.initialize();
    await client.open(routeUri, route);
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('a RequestMirror inside a backendRef is published as IM2508 on its type', async () => {
    const published = await client.waitForDiagnostics(routeUri, (d) => d.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.severity}`), ['IM2508 13:14-27 1']);
  });

  test('backendRef names are completed from the Services on disk, ports from the Service named', async () => {
    // services.yaml is known only once the server has indexed the folder (in the background).
    let names: CompletionList = { isIncomplete: false, items: [] };
    for (let attempt = 0; attempt < 100 && !names.items.some((item) => item.label === 'reviews-v1'); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      names = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: routeUri }, position: { line: 10, character: 14 } });
    }
    assert.ok(names.items.some((item) => item.label === 'reviews-v1') && names.items.some((item) => item.label === 'reviews-v2'), JSON.stringify(names.items.map((item) => item.label)));
    const ports = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: routeUri }, position: { line: 11, character: 14 } });
    assert.deepEqual(ports.items.map((item) => item.label), ['9080']);
  });

  test('istio/trafficSplit lists the HTTPRoute for the panel, with its mirror share', async () => {
    const model = await client.request<TrafficSplitResult>('istio/trafficSplit', { uri: routeUri, position: { line: 9, character: 4 } });
    assert.equal(model.virtualServices.length, 1);
    const [entry] = model.virtualServices;
    assert.equal(entry.kind, 'HTTPRoute');
    assert.deepEqual(entry.gateways, ['Service reviews:9080']);
    assert.deepEqual(entry.routes[0].destinations.map((d) => [d.host, d.percent]), [['reviews-v1', 100]]);
    assert.equal(model.activeIndex, 0);
    assert.equal(model.activeRoute, 0);
  });

  test('istio/convertToHttpRoute converts a VirtualService; the result checks clean', async () => {
    const vsUri = pathToFileURL(join(workspace, 'vs.yaml')).toString();
    await client.open(vsUri, virtualService);
    const result = await client.request<HttpRouteConversion | null>('istio/convertToHttpRoute', { uri: vsUri, position: { line: 1, character: 0 } });
    assert.ok(result);
    assert.deepEqual(result.notConverted, []);
    assert.match(result.text, /- type: RequestMirror\n {6}requestMirror:\n {8}backendRef:\n {10}name: reviews-v2\n {10}port: 9080\n {8}percent: 10\n/);
    const convertedUri = pathToFileURL(join(workspace, 'converted.yaml')).toString();
    await client.open(convertedUri, result.text);
    const published = await client.waitForVersion(convertedUri);
    assert.deepEqual(published.diagnostics, []);
    assert.equal(await client.request('istio/convertToHttpRoute', { uri: routeUri, position: { line: 1, character: 0 } }), null);
  });
});
