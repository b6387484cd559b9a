/// <reference types="mocha" />
// A quick fix from the server is applied and its diagnostic goes away: the missing subset is
// added to the DestinationRule in another file, selecting the pods of ratings-workloads.yaml.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, ourDiagnostics, waitFor, waitForDiagnostic, workspaceFile } from '../helpers';

suite('quick fixes', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('"Add subset" edits the DestinationRule in its own file and the IST0101 clears', async () => {
    const editor = await openFixture('missing-subset.yaml');
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'IST0101');
    assert.equal(editor.document.getText(diagnostic.range), 'v2');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => /Add subset "v2" to DestinationRule default\/ratings/.test(action.title));
    assert.ok(fix?.edit, `an "Add subset" fix with an edit (got ${actions.map((action) => action.title).join(' | ')})`);
    assert.ok(fix.edit.entries().some(([target]) => target.toString() === workspaceFile('ratings-destinationrule.yaml').toString()), 'the fix edits the DestinationRule file');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));

    await waitFor('IST0101 to clear', () => !ourDiagnostics(uri).some((d) => codeOf(d) === 'IST0101'));
    const rule = await vscode.workspace.openTextDocument(workspaceFile('ratings-destinationrule.yaml'));
    // The labels of the Deployment ratings-v2 (ratings-workloads.yaml), not a guess.
    assert.match(rule.getText(), /- name: v2\n {4}labels:\n {6}version: v2/);
  });
});
