/// <reference types="mocha" />
// Run against the built .vsix installed into a fresh extensions dir (no development copy):
// the extension activates on a YAML file by itself, and its bundled server answers.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, extensionId, openFixture, waitFor, waitForDiagnostic } from '../helpers';

suite('installed from the .vsix', () => {
  teardown(closeAllEditors);

  test('is installed from the extensions dir, not loaded from the repository', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    const extensionsDir = process.env.ISTIO_MIRROR_E2E_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'the runner passes ISTIO_MIRROR_E2E_EXTENSIONS_DIR');
    const relative = path.relative(path.resolve(extensionsDir), extension.extensionUri.fsPath);
    assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative), `${extension.extensionUri.fsPath} is inside ${extensionsDir}`);
    assert.equal(extension.isActive, false, 'not activated before a YAML file is opened (activation is onLanguage:yaml, not *)');
  });

  test('activates when a YAML file opens, and its bundled server publishes diagnostics', async () => {
    const extension = vscode.extensions.getExtension<{ statusText(): string }>(extensionId)!;
    const editor = await openFixture('broken-virtualservice.yaml');
    await waitFor('the extension to activate on a YAML file', () => extension.isActive);
    await waitForDiagnostic(editor.document.uri, 'IM1001');
    await waitFor('the status item', () => extension.exports.statusText() === 'Istio VirtualService · networking.istio.io/v1');
  });

  test('contributes its commands and snippets', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['istioMirror.scaffoldCanary', 'istioMirror.addMirror', 'istioMirror.createDestinationRule', 'istioMirror.showTrafficSplit']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
    const extension = vscode.extensions.getExtension(extensionId)!;
    const snippets = (extension.packageJSON as { contributes: { snippets: { path: string }[] } }).contributes.snippets;
    const content = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, snippets[0]!.path));
    assert.ok(Object.keys(JSON.parse(new TextDecoder().decode(content)) as object).length >= 6);
  });
});
