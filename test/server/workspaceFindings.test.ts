// Findings across resources through the real `istio-mirror-language-server --stdio` process: a
// workspace folder with a Service, two Deployments, a DestinationRule and a VirtualService in
// four files. Editing the canary Deployment's pod labels in its own file makes the canary subset
// select no pod, which the server reports in the DestinationRule file (IST0173) and in the
// VirtualService file (IM3001, on the mirror) without either file being edited; editing it back
// clears both.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient';

const files: Record<string, string> = {
  'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  selector:\n    app: checkout\n  ports:\n  - name: http\n    port: 8080\n',
  'deployments.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout-stable\n  namespace: shop\nspec:\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app: checkout\n        version: stable\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout-canary\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: checkout\n        version: canary\n',
  'destinationrule.yaml': 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  host: checkout\n  subsets:\n  - name: stable\n    labels: {version: stable}\n  - name: canary\n    labels: {version: canary}\n',
  'virtualservice.yaml': 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: checkout\n  namespace: shop\nspec:\n  hosts: [checkout]\n  http:\n  - route:\n    - destination: {host: checkout, subset: stable}\n    mirror: {host: checkout, subset: canary}\n    mirrorPercentage: {value: 25}\n',
};

describe('a Deployment edit changes subset findings in other files', () => {
  let workspace: string;
  let client: LspClient;
  const uri = (name: string): string => pathToFileURL(join(workspace, name)).toString();
  /** `version: canary` of the canary Deployment's pod labels (line 23). */
  const canaryLabel = { start: { line: 23, character: 17 }, end: { line: 23, character: 23 } };

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-workspace-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(workspace, name), text);
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    await client.initialize();
    await client.open(uri('virtualservice.yaml'), files['virtualservice.yaml']);
    await client.open(uri('destinationrule.yaml'), files['destinationrule.yaml']);
    await client.open(uri('deployments.yaml'), files['deployments.yaml']);
    // Clean once the folder is indexed (the subsets are defined, and the pods exist).
    await client.waitForDiagnostics(uri('virtualservice.yaml'), (d) => d.diagnostics.length === 0);
    await client.waitForDiagnostics(uri('destinationrule.yaml'), (d) => d.diagnostics.length === 0);
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('the canary pods lose their label: IST0173 in the DestinationRule, IM3001 on the mirror', async () => {
    const drReport = client.waitForDiagnostics(uri('destinationrule.yaml'), (d) => d.diagnostics.some((diagnostic) => diagnostic.code === 'IST0173'));
    const vsReport = client.waitForDiagnostics(uri('virtualservice.yaml'), (d) => d.diagnostics.some((diagnostic) => diagnostic.code === 'IM3001'));
    await client.change(uri('deployments.yaml'), canaryLabel, 'canary-2');
    const dr = (await drReport).diagnostics;
    const vs = (await vsReport).diagnostics;
    assert.deepEqual(dr.map((d) => [d.code, d.range.start.line, d.range.start.character, d.severity]), [['IST0173', 10, 10, 2]]);
    assert.match(String(dr[0].message), /Subset "canary" selects no pod: it needs version=canary/);
    assert.match(String(dr[0].message), /checkout-canary \(app=checkout, version=canary-2\)/);
    assert.deepEqual(vs.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['IM3001', 10, 37]]);
    assert.match(String(vs[0].message), /its mirrored copies go nowhere/);
    assert.ok(vs[0].relatedInformation?.some((related) => related.location.uri === uri('deployments.yaml') && related.location.range.start.line === 16));
  });

  test('editing the label back clears both', async () => {
    const drReport = client.waitForDiagnostics(uri('destinationrule.yaml'), (d) => d.diagnostics.length === 0);
    const vsReport = client.waitForDiagnostics(uri('virtualservice.yaml'), (d) => d.diagnostics.length === 0);
    await client.change(uri('deployments.yaml'), { start: canaryLabel.start, end: { line: 23, character: 25 } }, 'canary');
    await drReport;
    await vsReport;
  });
});
