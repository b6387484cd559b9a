/// <reference types="mocha" />
// Diagnostics reach VS Code from the language server, clear after an edit, and follow the
// `istioMirror.severity` setting live.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, ourDiagnostics, waitFor, waitForDiagnostic } from '../helpers';

suite('diagnostics', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('a broken VirtualService gets a diagnostic, which clears after the fix is typed', async () => {
    const editor = await openFixture('broken-virtualservice.yaml');
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'IM1001');
    assert.match(diagnostic.message, /mirrorPercantage.*did you mean `mirrorPercentage`/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostic.range), 'mirrorPercantage');

    await editor.edit((edit) => edit.replace(diagnostic.range, 'mirrorPercentage'));
    await waitFor('IM1001 to clear', () => !ourDiagnostics(uri).some((d) => codeOf(d) === 'IM1001'));
  });

  test('istioMirror.severity changes are applied live', async () => {
    const editor = await openFixture('broken-virtualservice.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'IM1001');
    const config = vscode.workspace.getConfiguration('istioMirror');
    try {
      await config.update('severity', { IM1001: 'warning' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('IM1001 to become a warning', () => ourDiagnostics(uri).find((d) => codeOf(d) === 'IM1001' && d.severity === vscode.DiagnosticSeverity.Warning));
      await config.update('severity', { IM1001: 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('IM1001 to be turned off', () => !ourDiagnostics(uri).some((d) => codeOf(d) === 'IM1001'));
    } finally {
      await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostic(uri, 'IM1001');
  });
});
