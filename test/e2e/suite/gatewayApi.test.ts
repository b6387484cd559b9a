/// <reference types="mocha" />
// Gateway API routes in a real VS Code: a RequestMirror inside a backendRef is reported (IM2508)
// with its quick fix, a mirror's backendRef name is completed from a Service in an unopened
// file, the traffic-split preview draws an HTTPRoute with its weights and mirror fraction, and
// Istio: Convert to HTTPRoute opens the converted resources beside the editor.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IstioMirrorApi } from '../../../client/src/extension';
import { activateExtension, closeAllEditors, expectCleanDiagnostics, openFixture, ourDiagnostics, positionAfter, waitFor } from '../helpers';

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

suite('Gateway API routes', () => {
  let api: IstioMirrorApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  teardown(async () => {
    await closeAllEditors();
    await waitFor('the preview to close', () => api.previewState() === undefined);
  });

  test('a RequestMirror inside a backendRef is an error on its type, with the move quick fix', async () => {
    const editor = await openFixture('gateway-api/mirror-in-backend.yaml');
    const diagnostic = await waitFor('IM2508 to be published', () => ourDiagnostics(editor.document.uri).find((candidate) => candidate.code === 'IM2508' || (typeof candidate.code === 'object' && candidate.code.value === 'IM2508')));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostic.range), 'RequestMirror');
    assert.equal(diagnostic.range.start.line, 13);
    assert.match(diagnostic.message, /Istio rejects a RequestMirror filter inside a backendRef/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range);
    const move = actions.find((action) => action.title === "Move the RequestMirror filter to the rule's `filters`");
    assert.ok(move?.edit, actions.map((action) => action.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(move.edit));
    await waitFor('IM2508 to go away after the fix', () => !ourDiagnostics(editor.document.uri).some((candidate) => String(typeof candidate.code === 'object' ? candidate.code.value : candidate.code) === 'IM2508'));
    assert.match(editor.document.getText(), /rules:\n {2}- filters:\n {4}- type: RequestMirror\n/);
  });

  test("a mirror's backendRef name is completed from a Service in an unopened file", async () => {
    const editor = await openFixture('gateway-api/completion.yaml');
    // The last `name: ` is the mirror backendRef's, left empty in the fixture.
    const position = editor.document.positionAt(editor.document.getText().lastIndexOf('name: ') + 'name: '.length);
    const items = await waitFor('the Services of bookinfo in the completion list', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      return list.items.some((item) => label(item) === 'reviews-v2') ? list.items : undefined;
    });
    const offered = items.map(label);
    assert.ok(offered.includes('reviews-v1') && offered.includes('reviews-v2'), offered.join(', '));
    assert.match(items.find((item) => label(item) === 'reviews-v2')?.detail ?? '', /Service bookinfo\/reviews-v2/);
  });

  test('the traffic-split preview draws an HTTPRoute: relative weights and the mirror fraction', async () => {
    await openFixture('gateway-api/preview.yaml');
    assert.equal(await vscode.commands.executeCommand<boolean>('istioMirror.previewTrafficSplit'), true);
    const state = await waitFor('the preview model', () => api.previewState());
    const route = state.model.virtualServices[0];
    assert.ok(route);
    assert.equal(route.kind, 'HTTPRoute');
    assert.equal(`${route.namespace}/${route.name}`, 'bookinfo/reviews-preview');
    assert.deepEqual(route.gateways, ['Service reviews:9080']);
    assert.deepEqual(route.routes[0]!.destinations.map((d) => [d.host, d.percent]), [['reviews-v1', 75], ['reviews-v2', 25]]);
    assert.deepEqual(route.routes[0]!.mirrors.map((m) => [m.host, m.percent]), [['reviews-v2', 0.5]]);
    const rendered = await waitFor('the page to draw the HTTPRoute', () => api.previewState()?.rendered);
    assert.deepEqual({ ...rendered, count: undefined, words: undefined }, { virtualServices: 1, routes: 1, targets: 3, count: undefined, words: undefined });
  });

  test('Istio: Convert to HTTPRoute opens the HTTPRoute and per-version Services beside the editor', async () => {
    const editor = await openFixture('gateway-api/convert.yaml');
    editor.selection = new vscode.Selection(positionAfter(editor.document, 'kind: VirtualService'), positionAfter(editor.document, 'kind: VirtualService'));
    const result = await vscode.commands.executeCommand<{ text: string; notConverted: string[] } | undefined>('istioMirror.convertToHttpRoute');
    assert.ok(result, 'the command converted the VirtualService');
    const opened = await waitFor('the converted document to be shown', () => vscode.window.visibleTextEditors.find((candidate) => candidate.document.isUntitled && candidate.document.getText() === result.text));
    assert.equal(opened.document.languageId, 'yaml');
    assert.deepEqual(result.notConverted, []);
    assert.match(result.text, /^kind: HTTPRoute$/m);
    assert.match(result.text, /- type: RequestMirror\n {6}requestMirror:\n {8}backendRef:\n {10}name: ratings-v2\n {10}port: 9080\n {8}percent: 25\n/);
    assert.deepEqual([...result.text.matchAll(/^ {2}name: (ratings-v\d)$/gm)].map((match) => match[1]), ['ratings-v1', 'ratings-v2']);
    // The server checks the new document like any other, and finds nothing wrong with it.
    await expectCleanDiagnostics(opened.document);
  });
});
