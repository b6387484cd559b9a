/// <reference types="mocha" />
// "Istio: Add Mirror to Route" and "Istio: Create DestinationRule for Host" apply the server's
// edits, and the code lens command reveals its route.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AddMirrorArguments } from '../../../client/src/commands/addMirror';
import { activateExtension, closeAllEditors, codeOf, expectCleanDiagnostics, openFixture, ourDiagnostics, positionAfter, waitFor, waitForDiagnostic, workspaceFile } from '../helpers';

suite('editing commands', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('Add Mirror to Route adds a mirror to a subset of the host\'s DestinationRule', async () => {
    const editor = await openFixture('add-mirror.yaml');
    const original = editor.document.getText();
    const position = positionAfter(editor.document, 'subset: st');
    const args: AddMirrorArguments = { uri: editor.document.uri.toString(), position: { line: position.line, character: position.character }, host: 'reviews', subset: 'canary', percentage: 5 };
    assert.equal(await vscode.commands.executeCommand<boolean>('istioMirror.addMirror', args), true);
    const text = editor.document.getText();
    assert.match(text, /mirror:\n\s+host: reviews\n\s+subset: canary/);
    assert.match(text, /mirrorPercentage:\n\s+value: 5\b/);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to remove the mirror', () => editor.document.getText() === original);
    await vscode.commands.executeCommand('redo');
    await waitFor('redo to bring it back', () => editor.document.getText() === text);
    await expectCleanDiagnostics(editor.document);
  });

  test('Add Mirror to Route with its prompts: the first subset offered is an unused one of the host\'s DestinationRule', async () => {
    const editor = await openFixture('add-mirror.yaml');
    editor.selection = new vscode.Selection(positionAfter(editor.document, 'subset: st'), positionAfter(editor.document, 'subset: st'));
    let applied: boolean | null = null;
    const running = vscode.commands.executeCommand<boolean>('istioMirror.addMirror').then((result) => { applied = result; });
    // Enter on each prompt: the target list (subsets of reviews), then the percentage ladder.
    await waitFor('the command to finish with every prompt accepted', async () => {
      if (applied !== null) return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return false;
    });
    await running;
    assert.equal(applied, true);
    assert.match(editor.document.getText(), /mirror:\n\s+host: reviews\n\s+subset: canary\n\s+mirrorPercentage:\n\s+value: 10\b/);
    await expectCleanDiagnostics(editor.document);
  });

  test('Create DestinationRule for Host defines the subsets the routes use', async () => {
    const editor = await openFixture('create-destinationrule.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'IST0101');
    const position = positionAfter(editor.document, 'host: cat');
    const result = await vscode.commands.executeCommand<{ host: string; subsets: string[] } | undefined>('istioMirror.createDestinationRule', { uri: uri.toString(), position: { line: position.line, character: position.character } });
    assert.ok(result);
    assert.equal(result.host, 'catalog');
    assert.deepEqual([...result.subsets].sort(), ['canary', 'stable']);
    assert.equal((result as { outcome?: string }).outcome, 'created');
    await waitFor('IST0101 to clear', () => !ourDiagnostics(uri).some((d) => codeOf(d) === 'IST0101'));
  });

  test('Create DestinationRule for Host adds the missing subset to the existing DestinationRule in another file', async () => {
    const editor = await openFixture('dr-elsewhere.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'IST0101');
    const original = editor.document.getText();
    const position = positionAfter(editor.document, 'subset: prev');
    const result = await vscode.commands.executeCommand<{ host: string; subsets: string[]; outcome: string } | undefined>('istioMirror.createDestinationRule', { uri: uri.toString(), position: { line: position.line, character: position.character } });
    assert.deepEqual(result, { host: 'reviews', subsets: ['preview'], outcome: 'added' });
    assert.equal(editor.document.getText(), original, 'no second DestinationRule in the VirtualService\'s file');
    const rules = await vscode.workspace.openTextDocument(workspaceFile('destinationrules.yaml'));
    // No pod of reviews is labelled "preview": the label is a placeholder to fill in, never invented.
    assert.match(rules.getText(), /  - name: preview\n    labels:\n      version: "\$\{POD_LABEL\}"\n/);
    assert.equal(vscode.window.activeTextEditor?.document, rules, 'the existing rule is shown');
    await waitFor('IST0101 to clear', () => !ourDiagnostics(uri).some((d) => codeOf(d) === 'IST0101'));
    // Nothing is missing any more: the command goes to the rule and changes nothing.
    const again = await vscode.commands.executeCommand<{ outcome: string } | undefined>('istioMirror.createDestinationRule', { uri: uri.toString(), position: { line: position.line, character: position.character } });
    assert.equal(again?.outcome, 'existing');
  });

  test('the code lens command reveals its route', async () => {
    const editor = await openFixture('add-mirror.yaml');
    const lenses = await waitFor('a code lens above the route', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    const command = lenses[0]!.command;
    assert.ok(command);
    assert.equal(command.command, 'istioMirror.showTrafficSplit');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const routeLine = editor.document.getText().split('\n').findIndex((line) => line.startsWith('  - name: main'));
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, routeLine);
  });
});
