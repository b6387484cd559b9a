/// <reference types="mocha" />
// The language status item says what the document under the cursor was recognised as.

import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openFixture, waitFor } from '../helpers';

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
});
