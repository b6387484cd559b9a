/// <reference types="mocha" />
// Completion offers the subsets that a DestinationRule in another (unopened) file defines.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openFixture, waitFor } from '../helpers';

suite('completion', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('`subset: ` of a mirror offers the subsets of the host\'s DestinationRule in another file', async () => {
    const editor = await openFixture('completion.yaml');
    const text = editor.document.getText();
    // The last `subset: ` is the mirror's, left empty in the fixture.
    const position = editor.document.positionAt(text.lastIndexOf('subset: ') + 'subset: '.length);
    // The workspace index is built in the background after start-up: ask until it is there.
    const items = await waitFor('the subsets of reviews in the completion list', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      return list.items.some((item) => label(item) === 'canary') ? list.items : undefined;
    });
    const labels = items.map(label);
    for (const subset of ['stable', 'canary', 'next']) assert.ok(labels.includes(subset), `"${subset}" offered (got ${labels.join(', ')})`);
    const canary = items.find((item) => label(item) === 'canary')!;
    assert.match(`${canary.detail ?? ''} ${typeof canary.label === 'string' ? '' : canary.label.description ?? ''}`, /version[=:] ?v2/, 'the detail shows the subset\'s labels');
  });
});

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
