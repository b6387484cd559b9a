/// <reference types="mocha" />
// Run against the built .vsix installed into a fresh extensions dir (no development copy):
// the extension activates on a YAML file by itself, and its bundled server answers.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, extensionId, openFixture, waitFor, waitForDiagnostic } from '../helpers';
import { frameImages, needsUi, run } from '../ui';

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

  test('the extension page shows the icon and every picture of the README, from the .vsix alone', async function () {
    needsUi(this);
    await extensionPageShown();
  });
});

/** Opens the installed extension's page and checks what it draws. */
async function extensionPageShown(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId)!;
  // The README vsce shipped (docs/extension-page.md with its pictures inlined, scripts/extensionPage.mjs).
  const files = (await vscode.workspace.fs.readDirectory(extension.extensionUri)).map(([name]) => name);
  const readmeName = files.find((name) => /^readme\.md$/i.test(name));
  assert.ok(readmeName, `the installed extension has a README: ${files.join(', ')}`);
  const readme = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, readmeName)));
  const pictures = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)/g)].map((match) => ({ alt: match[1]!, src: match[2]! }));
  assert.ok(pictures.length >= 5, `the README has its pictures (${pictures.length})`);
  assert.doesNotMatch(readme, /npm (test|ci|run)/, 'the page is for users, not for developers');

  // As a user does: the Extensions view, the installed extension, a click on it. (`extension.open`
  // asks the Marketplace first, which the e2e host cannot reach.)
  await vscode.commands.executeCommand('workbench.extensions.search', '@installed Istio Mirror');
  const row = '.extensions-viewlet .monaco-list-row:has-text("Istio Mirror")';
  await run([{ waitFor: row }, { click: row }]);
  // Each picture is drawn in the page's webview (naturalWidth > 0): a relative link would be blocked
  // there (img-src https: data:), and nothing may come from the network.
  const shown = await waitFor('the README\'s pictures to load in the extension page', async () => {
    const images = await frameImages('img');
    const loaded = pictures.map((picture) => images.find((image) => image.alt === picture.alt && image.complete && image.width > 0));
    return loaded.every(Boolean) ? { images, loaded } : undefined;
  }, 30000).catch(async (error: Error) => assert.fail(`${error.message}; the page shows ${JSON.stringify(await frameImages('img'))}`));
  for (const image of shown.loaded) assert.ok(image!.width >= 200 && image!.height >= 100, `${image!.alt}: ${image!.width}×${image!.height}`);
  // The icon in the page's header: images/icon.png, 256×256.
  assert.ok(shown.images.some((image) => /\bicon\b/.test(image.className) && image.width === 256 && image.height === 256), `the icon is shown: ${JSON.stringify(shown.images.map(({ src, className, width }) => ({ src: src.slice(0, 60), className, width })))}`);
}
