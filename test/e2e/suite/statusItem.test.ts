/// <reference types="mocha" />
// The language status item says what the document under the cursor was recognised as.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openFixture, waitFor } from '../helpers';
import { needsUi, run } from '../ui';

suite('language status item', () => {
  teardown(closeAllEditors);

  test('"Istio VirtualService · networking.istio.io/v1", "Istio DestinationRule …", "not Istio"', async () => {
    const api = await activateExtension();
    await openFixture('completion.yaml');
    await waitFor('the VirtualService status', () => api.statusText() === 'Istio VirtualService · networking.istio.io/v1' || undefined, 20000);
    await openFixture('not-istio.yaml');
    await waitFor('the "not Istio" status', () => api.statusText() === 'not Istio' || undefined, 20000);
    await openFixture('destinationrules.yaml');
    await waitFor('the DestinationRule status', () => api.statusText() === 'Istio DestinationRule · networking.istio.io/v1' || undefined, 20000);
    // In a multi-document file the document under the cursor decides.
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: a\nspec:\n  host: a\n' });
    const editor = await vscode.window.showTextDocument(document);
    await waitFor('"not Istio" on the Service', () => api.statusText() === 'not Istio' || undefined, 20000);
    editor.selection = new vscode.Selection(7, 0, 7, 0);
    await waitFor('the DestinationRule status after moving the cursor', () => api.statusText() === 'Istio DestinationRule · networking.istio.io/v1' || undefined, 20000);
  });

  test('a Helm template: the status item and the preview both say "Helm template: not checked"', async () => {
    const api = await activateExtension();
    await openFixture('chart/templates/virtualservice.yaml');
    await waitFor('the template status', () => api.statusText() === 'Helm template: not checked' || undefined, 20000);
    await vscode.commands.executeCommand('istioMirror.previewTrafficSplit');
    const rendered = await waitFor('the preview to draw', () => api.previewState()?.rendered);
    assert.equal(rendered.empty, 'Helm template: not checked');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the server stopped: the status item says so and offers the restart; Restart Language Server brings it back', async () => {
    const api = await activateExtension();
    await openFixture('completion.yaml');
    await waitFor('the VirtualService status', () => api.statusText() === 'Istio VirtualService · networking.istio.io/v1' || undefined, 20000);
    // The client restarts a crashed server 4 times within 3 minutes; the 5th crash is final. Crashes
    // of earlier tests within those 3 minutes count too, so the server is killed until the client
    // gives up (at most 5 times), not exactly 5 times.
    const stopped = (): boolean => api.statusText().includes('language server not running');
    let previous: number | undefined;
    for (let crash = 1; crash <= 5 && !stopped(); crash++) {
      const pid = await waitFor(`a running server or the "not running" status (before crash ${crash})`, () => {
        const current = api.serverPid();
        if (current !== undefined && current !== previous) return current;
        return stopped() ? -1 : undefined;
      }, 30000);
      if (pid === -1) break;
      previous = pid;
      process.kill(pid, 'SIGKILL');
      await waitFor(`crash ${crash} noticed`, () => api.serverPid() !== pid || undefined, 30000);
    }
    await waitFor('the "not running" status', () => stopped() || undefined, 30000);
    assert.equal(api.serverPid(), undefined);
    assert.equal(await vscode.commands.executeCommand('istioMirror.restartServer'), true);
    await waitFor('a running server after the restart', () => api.serverPid(), 30000);
    await waitFor('the VirtualService status again', () => api.statusText() === 'Istio VirtualService · networking.istio.io/v1' || undefined, 20000);
  });

  test('Show Output opens the server\'s output channel', async function () {
    needsUi(this);
    await activateExtension();
    await vscode.commands.executeCommand('istioMirror.showOutput');
    await waitFor('the Istio Mirror output in the panel', async () => {
      const [lines] = (await run([{ texts: '.part.panel .view-lines' }])) as [string[]];
      return lines.some((text) => text.includes('[istio-mirror]')) || undefined;
    });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
