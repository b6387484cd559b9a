/// <reference types="mocha" />
// "Istio: Preview Traffic Split" in a real VS Code: the webview panel opens beside the editor
// without taking the focus, its page runs (it reports what it drew), and the model follows
// unsaved edits of the file and of a DestinationRule in another file, and the cursor.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IstioMirrorApi } from '../../../client/src/extension';
import { activateExtension, closeAllEditors, openFixture, positionAfter, waitFor } from '../helpers';
import { virtualServiceLine, writeLargeFile } from '../largeFile';

const command = 'istioMirror.previewTrafficSplit';

/** The preview's tab, wherever it is. */
function previewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('istioMirror.trafficSplit'));
}

async function replace(document: vscode.TextDocument, text: string, by: string): Promise<void> {
  const end = positionAfter(document, text);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(end.translate(0, -text.length), end), by);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not replace "${text}"`);
}

suite('traffic-split preview', () => {
  let api: IstioMirrorApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  teardown(async () => {
    await closeAllEditors();
    await waitFor('the preview to close with its tab', () => api.previewState() === undefined && previewTab() === undefined);
  });

  test('opens beside the editor and updates as the VirtualService and a DestinationRule elsewhere are edited, unsaved', async () => {
    const editor = await openFixture('missing-subset.yaml');
    assert.equal(await vscode.commands.executeCommand<boolean>(command), true);

    const state = api.previewState();
    assert.ok(state, 'the preview is open');
    assert.ok(state.uri.endsWith('/missing-subset.yaml'), state.uri);
    const vs = state.model.virtualServices[0];
    assert.ok(vs);
    assert.equal(`${vs.namespace}/${vs.name}`, 'default/ratings');
    assert.deepEqual(vs.routes[0]!.destinations.map((d) => [d.host, d.subset, d.percent]), [['ratings', 'v1', 100]]);
    assert.deepEqual(vs.routes[0]!.mirrors.map((m) => [m.host, m.subset, m.percent]), [['ratings', 'v2', 5]]);
    assert.match(vs.routes[0]!.mirrors[0]!.problem ?? '', /subset "v2" is not in DestinationRule default\/ratings/);

    // The panel is beside the editor, which keeps the focus; the page's script ran under its CSP.
    const tab = await waitFor(`a webview tab for the preview among ${JSON.stringify(vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((candidate) => [candidate.label, candidate.input?.constructor.name, (candidate.input as { viewType?: string } | undefined)?.viewType])))}`, previewTab, 5000);
    await waitFor('the tab to be titled after the file', () => previewTab()?.label === 'Traffic Split: missing-subset.yaml');
    assert.notEqual(tab.group.viewColumn, editor.viewColumn);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    const rendered = await waitFor('the page to draw the model', () => api.previewState()?.rendered);
    assert.deepEqual({ ...rendered, count: undefined, words: undefined }, { virtualServices: 1, routes: 1, targets: 2, count: undefined, words: undefined });

    // Typing in the VirtualService: no save needed.
    await replace(editor.document, 'value: 5', 'value: 25');
    assert.ok(editor.document.isDirty);
    await waitFor('the mirror share to follow the edit', () => api.previewState()?.model.virtualServices[0]?.routes[0]?.mirrors[0]?.percent === 25);

    // Defining the subset in the DestinationRule of another file (open, unsaved) clears the problem.
    const destinationRule = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(editor.document.uri, '..', 'ratings-destinationrule.yaml'));
    const add = new vscode.WorkspaceEdit();
    add.insert(destinationRule.uri, destinationRule.positionAt(destinationRule.getText().length), '  - name: v2\n    labels:\n      version: v2\n');
    assert.ok(await vscode.workspace.applyEdit(add));
    await waitFor('the subset problem to clear', () => {
      const mirror = api.previewState()?.model.virtualServices[0]?.routes[0]?.mirrors[0];
      return mirror !== undefined && mirror.problem === undefined;
    });
    await waitFor('the page to draw the update', () => (api.previewState()?.rendered?.count ?? 0) >= 3);
  });

  test('the numbers say what they assume: shares of the requests a match takes, ranges per 1,000 requests, faults, failing routes; rules numbered as in the code lenses and outline', async () => {
    const editor = await openFixture('preview-numbers.yaml');
    assert.equal(await vscode.commands.executeCommand<boolean>(command), true);
    const words = (await waitFor('the page to draw the model', () => api.previewState()?.rendered?.words)).join('\n');
    // A header-gated rule's share is of the requests with that header, never of "all requests".
    assert.match(words, /^#1 testers header x-test-user = true$/m);
    assert.match(words, /numbers\/stable 100 % 100 % of requests with header x-test-user = true$/m);
    assert.doesNotMatch(words, /of 1,000 requests/);
    // A fault that aborts everything: nothing is routed and nothing is mirrored.
    assert.match(words, /^Fault: every request is aborted with 503 by the calling proxy, so nothing is routed and nothing is mirrored\.$/m);
    // (The Envoy mirror policy of issue 14 may follow on the same line.)
    assert.match(words, /^COPY numbers\/canary 100 % a copy of 0 % of requests with URI prefix \/outage, response discarded( Envoy .*)?$/m);
    // Partial aborts and delays are shown as such.
    assert.match(words, /^Fault: 20 % of requests with URI prefix \/flaky aborted with 500 \(neither routed nor mirrored\); 10 % delayed by 2s\.$/m);
    assert.match(words, /^numbers\/stable 100 % 80 % of requests with URI prefix \/flaky$/m);
    // A route to a subset that does not exist fails; it is not drawn as a copy.
    const broken = words.split('\n').find((line) => line.includes('numbers/v3') && line.includes('/broken'));
    assert.ok(broken, words);
    assert.match(broken, /^FAILS numbers\/v3 100 % 100 % of requests with URI prefix \/broken ✗ Requests sent here fail with 503 \(the proxy has no cluster for this subset\): subset "v3" is not in DestinationRule shop\/numbers/);
    assert.doesNotMatch(broken, /COPY/);
    // Totals per 1,000 requests to the VirtualService: ranges, because four matches take an unknown share.
    assert.match(words, /^Per 1,000 requests to this VirtualService$/m);
    assert.match(words, /^numbers\/stable \| 0–1,000 \| –$/m);
    assert.match(words, /^numbers\/canary \| – \| 0–1,000$/m);
    assert.match(words, /^numbers\/v3✗ subset not defined \| 0–1,000 fail \(503\) \| –$/m);
    assert.match(words, /^Answered by the proxy \(fault, redirect, direct response\) \| 0–1,000 \| –$/m);
    assert.match(words, /^How many requests match rules #1 "testers", #2 "outage", #3 "flaky", #4 "broken" is not in the configuration, so the figures are ranges/m);
    const route = api.previewState()!.model.virtualServices[0]!.routes[1]!;
    assert.deepEqual([route.label, route.forwardedPercent, route.mirrors[0]!.copiedPercent], ['#2 "outage"', 0, 0]);

    // The same numbers in the code lenses and the outline.
    const lenses = await waitFor('the code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      // The rules' lenses (the mirrors' Monitor lenses are not about numbering).
      const rules = found.filter((lens) => lens.command?.command === 'istioMirror.showTrafficSplit');
      return rules.length === 5 ? rules : undefined;
    });
    assert.deepEqual(lenses.map((lens) => lens.command!.title.split(' ')[0]), ['#1', '#2', '#3', '#4', '#5']);
    assert.equal(lenses[1]!.command!.title, '#2 every request aborted with 503 by the fault: nothing routed or mirrored');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
    assert.deepEqual(symbols[0]!.children.map((symbol) => symbol.name), ['#1 testers', '#2 outage', '#3 flaky', '#4 broken', '#5 default']);
  });

  test('follows the cursor to the VirtualService under it; the code lens opens the preview on its rule', async () => {
    const text = ['first', 'second'].map((name) => [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  hosts: [${name}]`,
      '  http:',
      `  - name: ${name}-main`,
      '    route:',
      '    - destination:',
      `        host: ${name}`,
      '',
    ].join('\n')).join('---\n');
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    assert.equal(await vscode.commands.executeCommand<boolean>(command), true);
    assert.deepEqual(api.previewState()?.model.virtualServices.map((vs) => vs.name), ['first', 'second']);
    assert.equal(api.previewState()?.model.activeIndex, 0);

    const second = positionAfter(document, 'name: second-main');
    editor.selection = new vscode.Selection(second, second);
    await waitFor('the preview to follow the cursor into the second VirtualService', () => api.previewState()?.model.activeIndex === 1);

    // The code lens above the first rule of the first VirtualService.
    const lenses = await waitFor('the code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return found.length === 2 ? found : undefined;
    });
    const lens = lenses.find((candidate) => candidate.range.start.line < second.line)!.command!;
    assert.equal(await vscode.commands.executeCommand<boolean>(lens.command, ...(lens.arguments ?? [])), true);
    assert.equal(api.previewState()?.model.activeIndex, 0);
    assert.equal(vscode.window.activeTextEditor?.document, document, 'the editor keeps the focus');
  });

  test('a 2,000-document file: the page draws only the VirtualService under the cursor, and follows the cursor', async () => {
    const { uri, virtualServices } = await writeLargeFile();
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await waitFor('the server to analyse the file', async () => (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri))?.length > 0, 60000);
    const line = virtualServiceLine(document, 200);
    editor.selection = new vscode.Selection(line, 2, line, 2);
    assert.equal(await vscode.commands.executeCommand<boolean>(command), true);
    const drawn = await waitFor('the page to draw', () => api.previewState()?.rendered);
    assert.equal(drawn.virtualServices, 1, 'one VirtualService drawn, not all of them');
    const model = api.previewState()!.model;
    assert.equal(model.totalVirtualServices, virtualServices);
    assert.equal(model.firstIndex, 200);
    assert.equal(model.activeIndex, 0);
    // Another VirtualService under the cursor: the page shows that one.
    const other = virtualServiceLine(document, 350);
    editor.selection = new vscode.Selection(other, 2, other, 2);
    await waitFor('the preview to follow the cursor', () => api.previewState()?.model.firstIndex === 350 && api.previewState()?.rendered?.virtualServices === 1);
    await vscode.workspace.fs.delete(uri);
  });
});

