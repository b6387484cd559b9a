/// <reference types="mocha" />
// A contributed snippet, inserted by name the way the user picks it, yields valid YAML.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, expectCleanDiagnostics, extensionId, waitFor } from '../helpers';

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
});
