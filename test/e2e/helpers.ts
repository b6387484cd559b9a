// Helpers for the end-to-end tests that run inside VS Code's extension host: activation,
// fixtures, and waiting on observable conditions (never on fixed sleeps).

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IstioMirrorApi } from '../../client/src/extension';

export const extensionId = 'istio-mirror.istio-mirror';

/** Our diagnostics' `source`: other extensions (Red Hat YAML) may add their own. */
const ourSource = 'istio-mirror';

export async function activateExtension(): Promise<IstioMirrorApi> {
  const extension = vscode.extensions.getExtension<IstioMirrorApi>(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  return extension.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace (test/e2e/workspace) open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Resolves with the first truthy value `probe` returns, checking every 50 ms; fails after
 * `timeoutMs` with `what` and the last value seen, so a failure says what never happened.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === ourSource);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function render(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`);
}

/** Waits until our diagnostics for `uri` include one with `code`, and returns it. */
export function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs?: number): Promise<vscode.Diagnostic> {
  return waitFor(`diagnostic ${code} in ${uri.toString()}`, () => ourDiagnostics(uri).find((d) => codeOf(d) === code), timeoutMs);
}

const sentinel = [
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata:',
  '  name: e2e-sentinel',
  'spec:',
  '  host: e2e-sentinel',
  '  e2eSentinelField: true',
  '',
].join('\n');

/**
 * Asserts that the server finds nothing wrong with `document` as it is now. An empty list looks
 * the same before and after the server has answered, so the server is first made to report a
 * problem in an appended sentinel document; once that is removed again, the list can only have
 * changed through a publish for the original text.
 */
export async function expectCleanDiagnostics(document: vscode.TextDocument): Promise<void> {
  const original = document.getText();
  const end = document.positionAt(original.length);
  const appended = `${original.endsWith('\n') || original === '' ? '' : '\n'}${sentinel}`;
  const add = new vscode.WorkspaceEdit();
  add.insert(document.uri, end, appended);
  assert.ok(await vscode.workspace.applyEdit(add), 'could not append the sentinel document');
  const isSentinel = (d: vscode.Diagnostic): boolean => d.message.includes('e2eSentinelField');
  await waitFor('the sentinel problem to be reported', () => ourDiagnostics(document.uri).some(isSentinel));
  const remove = new vscode.WorkspaceEdit();
  remove.delete(document.uri, new vscode.Range(end, document.positionAt(document.getText().length)));
  assert.ok(await vscode.workspace.applyEdit(remove), 'could not remove the sentinel document');
  assert.equal(document.getText(), original);
  await waitFor('the sentinel problem to go away', () => !ourDiagnostics(document.uri).some(isSentinel));
  assert.deepEqual(render(ourDiagnostics(document.uri)), [], `diagnostics for:\n${document.getText()}`);
}

/**
 * Reverts and closes every editor, so each test starts from the files on disk. Dirty editors are
 * reverted one by one first: closing them would open a "save changes?" dialog nobody answers.
 */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The position just after the first occurrence of `text` in the document. */
export function positionAfter(document: vscode.TextDocument, text: string): vscode.Position {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" not found in ${document.uri.toString()}`);
  return document.positionAt(offset + text.length);
}
