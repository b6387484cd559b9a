/// <reference types="mocha" />
// A contributed snippet, inserted by name the way the user picks it, yields valid YAML.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, expectCleanDiagnostics, extensionId, waitFor } from '../helpers';
import { needsUi, press, run, type } from '../ui';

const suggestRows = '.editor-widget.suggest-widget.visible .monaco-list-row';

/** The labels of the suggest widget's rows (aria labels start with the label). */
async function suggestions(): Promise<string[]> {
  const [labels] = (await run([{ attributes: suggestRows, name: 'aria-label' }])) as [(string | null)[]];
  return labels.map((label) => label ?? '');
}

suite('snippets', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('"Istio VirtualService with mirror" inserts a VirtualService with zero diagnostics', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const contributed = (extension.packageJSON as { contributes: { snippets: { language: string; path: string }[] } }).contributes.snippets;
    assert.deepEqual(contributed.map((entry) => entry.language), ['yaml']);

    const document = await vscode.workspace.openTextDocument({ language: 'yaml' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'yaml', name: 'Istio VirtualService with mirror' });
    await waitFor('the snippet text', () => document.getText().includes('kind: VirtualService'));
    assert.match(document.getText(), /mirror:\n {6}host: reviews\n {6}subset: canary\n {4}mirrorPercentage:\n {6}value: 10/);
    await expectCleanDiagnostics(document);
  });

  // Typing a documented prefix into a new YAML file and pressing Enter inserts that snippet,
  // typed key by key as a user does (the suggest widget is the real one).
  for (const [prefix, expected] of [
    ['istio-vs-mirror', /^apiVersion: networking\.istio\.io\/v1\nkind: VirtualService\n[\s\S]*mirror:\n {6}host: reviews\n {6}subset: canary\n/],
    ['istio-dr-subsets', /^apiVersion: networking\.istio\.io\/v1\nkind: DestinationRule\n[\s\S]*- name: stable\n[\s\S]*- name: canary\n/],
    ['istio-external-mirror', /^apiVersion: networking\.istio\.io\/v1\nkind: ServiceEntry\n[\s\S]*---\napiVersion: networking\.istio\.io\/v1\nkind: VirtualService\n[\s\S]*mirror:\n {6}host: shadow\.example\.com\n/],
  ] as const) {
    test(`typing "${prefix}" and Enter in a new file inserts that snippet`, async function () {
      needsUi(this);
      const document = await vscode.workspace.openTextDocument({ language: 'yaml' });
      await vscode.window.showTextDocument(document);
      await type(prefix, 80);
      let shown: string[] = [];
      const rows = await waitFor(`the suggest widget listing ${prefix}`, async () => {
        shown = await suggestions();
        return shown.some((row) => row.startsWith(prefix)) ? shown : undefined;
      }, 10000).catch((error: Error) => { throw new Error(`${error.message}; the suggest widget showed ${JSON.stringify(shown)}, the document holds ${JSON.stringify(document.getText())}`); });
      assert.ok(rows[0]!.startsWith(prefix), `the snippet is the first suggestion: ${JSON.stringify(rows)}`);
      await press('Enter');
      await waitFor('the snippet text', () => document.getText().length > prefix.length + 20);
      assert.match(document.getText(), expected);
      assert.doesNotMatch(document.getText(), new RegExp(prefix));
    });
  }
});
