/// <reference types="mocha" />
// What a user does with a finding, through the real UI: follows its code's link from the
// Problems panel to the explanation (item 13), and silences it with the quick fix that writes a
// suppression comment (item 14).

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, ourDiagnostics, waitFor, waitForDiagnostic } from '../helpers';
import { needsUi, press, run } from '../ui';

suite('findings in the UI', () => {
  suiteSetup(activateExtension);
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });

  test('the code of a finding in the Problems panel opens its explanation in docs/rules.md', async function () {
    needsUi(this);
    const editor = await openFixture('missing-subset.yaml');
    const diagnostic = await waitForDiagnostic(editor.document.uri, 'IST0101');
    const code = diagnostic.code;
    assert.ok(typeof code === 'object' && code.target, 'the diagnostic carries a link');
    assert.match(code.target.toString(), /\/docs\/rules\.md#L\d+$/);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const link = '.markers-panel a:has-text("IST0101")';
    await run([{ waitFor: link }, { click: link }]);
    const opened = await waitFor('docs/rules.md in an editor', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/docs/rules.md') && vscode.window.activeTextEditor);
    const line = opened.selection.active.line;
    assert.equal(opened.document.lineAt(line).text, '## IST0101', 'the editor is at the code\'s section');
    assert.match(opened.document.getText(new vscode.Range(line, 0, line + 6, 0)), /Subset/);
  });

  test('"Suppress … on this line" from the quick fix menu writes the comment and the finding goes away', async function () {
    needsUi(this);
    const editor = await openFixture('missing-subset.yaml');
    const diagnostic = await waitForDiagnostic(editor.document.uri, 'IST0101');
    editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
    await waitFor('the quick fixes', async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range)).length > 1);
    await vscode.commands.executeCommand('editor.action.quickFix');
    const rows = '.action-widget .monaco-list-row';
    const [, labels] = (await run([{ waitFor: rows }, { attributes: rows, name: 'aria-label' }])) as [unknown, (string | null)[]];
    const index = labels.findIndex((label) => label?.includes('Suppress IST0101 on this line'));
    assert.ok(index >= 0, `the menu offers the suppression: ${JSON.stringify(labels)}`);
    // The first action is focused; move down to the suppression and take it.
    const actionable = labels.slice(0, index).filter((label) => label !== null && label !== '').length;
    await press(...Array.from({ length: actionable }, () => 'ArrowDown'), 'Enter');
    await waitFor('the comment', () => editor.document.getText().includes('      # istio-mirror-disable-next-line IST0101\n      subset: v2'));
    await waitFor('IST0101 to go away', () => !ourDiagnostics(editor.document.uri).some((d) => codeOf(d) === 'IST0101'));
  });
});
