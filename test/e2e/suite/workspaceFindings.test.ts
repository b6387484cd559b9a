/// <reference types="mocha" />
// Findings of files that are not open (issue 11, item 7): the Problems panel lists them, the
// scope setting keeps them to open files, "Istio: Check Workspace" reports every file, and the
// `istio-mirror` task runs the CLI whose problem matcher fills the Problems panel.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, ourDiagnostics, waitFor, workspaceFile } from '../helpers';
import { needsUi, run } from '../ui';

const closedFile = (): vscode.Uri => workspaceFile('closed/never-opened.yaml');
const closedCodes = (): string => ourDiagnostics(closedFile()).map(codeOf).sort().join();

/** The Problems panel's rows (aria labels: severity, message, code, position). */
async function problemRows(): Promise<string[]> {
  const [rows] = (await run([{ attributes: '.markers-panel .monaco-list-row', name: 'aria-label' }])) as [(string | null)[]];
  return rows.map((row) => row ?? '');
}

async function setScope(scope: 'workspace' | 'openFiles' | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('istioMirror').update('diagnostics.scope', scope, vscode.ConfigurationTarget.Workspace);
}

suite('findings of files that are not open', () => {
  suiteSetup(activateExtension);
  teardown(async () => {
    await setScope(undefined);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await closeAllEditors();
  });

  test('the Problems panel lists the errors of a file nobody opened', async function () {
    needsUi(this);
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === closedFile().toString()), 'the file is not open');
    await waitFor('the closed file\'s findings', () => closedCodes() === 'IM2002,IST0101');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const rows = await waitFor('the rows of never-opened.yaml', async () => {
      const found = await problemRows();
      return found.some((row) => row.includes('nightly')) && found.some((row) => row.includes('150')) ? found : undefined;
    });
    assert.ok(rows.some((row) => row.includes('never-opened.yaml')), `the file is listed: ${JSON.stringify(rows.slice(0, 20))}`);
  });

  test('scope "openFiles" clears them; Istio: Check Workspace reports every file anyway', async () => {
    await waitFor('the closed file\'s findings', () => closedCodes() === 'IM2002,IST0101');
    await setScope('openFiles');
    await waitFor('the findings to be cleared', () => closedCodes() === '');
    const result = await vscode.commands.executeCommand<{ files: number; errors: number; filesWithProblems: number }>('istioMirror.checkWorkspace');
    assert.ok(result && result.files >= 10 && result.errors >= 2 && result.filesWithProblems >= 2, JSON.stringify(result));
    await waitFor('the findings after Check Workspace', () => closedCodes() === 'IM2002,IST0101');
  });

  test('the istio-mirror task runs the CLI and its problem matcher fills the Problems panel', async function () {
    needsUi(this);
    await setScope('openFiles');
    await waitFor('the server\'s findings to be cleared', () => closedCodes() === '');
    const tasks = await vscode.tasks.fetchTasks({ type: 'istio-mirror' });
    assert.equal(tasks.length, 1, tasks.map((task) => task.name).join());
    assert.deepEqual(tasks[0]!.problemMatchers, ['$istio-mirror']);
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => { listener.dispose(); resolve(event.exitCode); });
    });
    await vscode.tasks.executeTask(tasks[0]!);
    assert.equal(await ended, 1, 'the CLI exits 1: the workspace has errors');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // Only the task reports closed files now: its rows carry the CLI's messages.
    await waitFor('the task\'s problems for never-opened.yaml', async () => {
      const rows = await problemRows();
      return rows.some((row) => row.includes('nightly')) || undefined;
    });
  });
});
