/// <reference types="mocha" />
// Not a test: the README's pictures, taken in the real workbench (scripts/screenshots.mjs runs
// this with the shim's screenshot protocol, e2e/host/screenshot.js). Each picture sets the scene
// through the API, opens the UI to show, and asks the shim for a screenshot. The scaffold comes
// first: VS Code keeps closed documents (and their diagnostics) alive for a while, and its
// picture should not count the broken fixture of a later one.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScaffoldCanaryArguments } from '../../../client/src/commands/scaffoldCanary';
import { activateExtension, closeAllEditors, openFixture, waitFor, waitForDiagnostic } from '../helpers';

const { requestScreenshot } = require('../../../e2e/host/screenshot.js') as { requestScreenshot(name: string): Promise<string | undefined> };

/**
 * The extension host cannot see the workbench's DOM, so it cannot wait for a widget to finish
 * rendering; the pictures wait this long after opening one. (Only here: tests wait on conditions.)
 */
const renderMs = 1200;
const rendered = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, renderMs));

/** Opens the Problems panel, lower than its default height so the editor keeps most of the picture. */
async function showProblems(): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  for (let i = 0; i < 3; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewSize');
}

async function shoot(name: string): Promise<void> {
  await rendered();
  const png = await requestScreenshot(name);
  assert.ok(png, 'ISTIO_MIRROR_SCREENSHOT_DIR is set (run scripts/screenshots.mjs)');
}

suite('README screenshots', () => {
  suiteSetup(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('hideSuggestWidget');
    await closeAllEditors();
  });

  test('the scaffold command: the mirror percentage ladder, then the result', async () => {
    const answers: ScaffoldCanaryArguments = { api: 'istio', app: 'checkout', namespace: 'shop', port: 8080, stableVersion: 'v1', stableImage: 'registry.example.com/checkout:1.4.2', canaryVersion: 'v2', canaryImage: 'registry.example.com/checkout:1.5.0-rc1', mirrorHeader: null, disableCanaryWrites: true, destination: 'untitled' };
    // Everything but the percentage is answered, so the one prompt shown is the ladder.
    const running = vscode.commands.executeCommand<vscode.Uri | undefined>('istioMirror.scaffoldCanary', answers);
    await shoot('scaffold-percentage');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const uri = await running;
    assert.ok(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const text = document.getText();
    const virtualService = document.positionAt(text.indexOf('kind: VirtualService') - 'apiVersion: networking.istio.io/v1\n'.length);
    const mirror = document.positionAt(text.indexOf('mirrorPercentage:', text.indexOf('kind: VirtualService')));
    editor.revealRange(new vscode.Range(virtualService, virtualService), vscode.TextEditorRevealType.AtTop);
    editor.selection = new vscode.Selection(mirror, mirror);
    await waitFor('the code lens above the route', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).length > 0);
    // The Problems panel shows that the generated setup has nothing to report.
    await showProblems();
    await vscode.window.showTextDocument(document);
    await shoot('scaffold-result');
  });

  test('subset completion from another file', async () => {
    const editor = await openFixture('completion.yaml');
    const text = editor.document.getText();
    const position = editor.document.positionAt(text.lastIndexOf('subset: ') + 'subset: '.length);
    await waitFor('subsets in the completion list', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      return list.items.some((item) => item.label === 'canary');
    });
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await rendered();
    await vscode.commands.executeCommand('toggleSuggestionDetails');
    await shoot('subset-completion');
  });

  test('the Getting Started walkthrough', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'istio-mirror.istio-mirror#gettingStarted', false);
    await shoot('walkthrough');
  });

  test('the traffic-split preview beside the editor', async () => {
    const api = await activateExtension();
    const editor = await openFixture('traffic-split.yaml');
    const text = editor.document.getText();
    const cursor = editor.document.positionAt(text.indexOf('value: 50'));
    editor.selection = new vscode.Selection(cursor, cursor);
    editor.revealRange(new vscode.Range(cursor, cursor), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('istioMirror.previewTrafficSplit');
    await waitFor('the preview page to draw', () => api.previewState()?.rendered);
    await shoot('traffic-split-vscode');
  });

  test('the Monitor code lens and the mirror-monitor panel beside the editor', async () => {
    const api = await activateExtension();
    const editor = await openFixture('monitor/virtualservice.yaml');
    const lens = await waitFor('the Monitor code lens', async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)).find((candidate) => candidate.command?.title === 'Monitor'));
    editor.selection = new vscode.Selection(lens.range.start, lens.range.start);
    await waitFor('the panel to show the mirror by its version label', async () => {
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      return api.monitorState()?.model.monitors[0]?.mirror.reportedAs === 'destination_version="v2"' && api.monitorState()?.rendered;
    });
    await shoot('mirror-monitor-vscode');
  });

  test('diagnostics with a quick fix', async () => {
    const editor = await openFixture('missing-subset.yaml');
    const diagnostic = await waitForDiagnostic(editor.document.uri, 'IST0101');
    await showProblems();
    await vscode.window.showTextDocument(editor.document);
    // The file is short: keep it scrolled to the top so apiVersion and kind show too.
    editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
    await waitFor('the quick fixes', async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range)).length > 0);
    await vscode.commands.executeCommand('editor.action.showHover');
    await shoot('diagnostics-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await shoot('diagnostics-quick-fix');
  });
});
