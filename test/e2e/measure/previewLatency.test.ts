/// <reference types="mocha" />
// Not a test: the keystroke-to-screen measurement of issue 11 item 6 (docs/performance.md). In
// the real VS Code, on a 2,000-document file, it types into a comment line inside a
// VirtualService, key by key as a person does (one key per 150 ms), and measures from each key
// press until the editor shows it (polled every animation frame); first with the traffic-split
// preview closed, then open; and how long a hover takes while the preview is open. Run by
// `node scripts/e2e.mjs --measure` (prints the figures).

import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, waitFor } from '../helpers';
import { virtualServiceLine, writeLargeFile } from '../largeFile';
import { run, type } from '../ui';

const keys = 'abcdefghijklmnopqrstuvwxyzabcd';

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${sorted.at(-1)} ms (${values.length} keys)`;
}

suite('measure: keystroke to screen with the preview', () => {
  test('2,000-document file, preview closed and open', async function () {
    this.timeout(600000);
    const api = await activateExtension();
    const { uri } = await writeLargeFile('measure-2000.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await waitFor('the server to analyse the file', async () => (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri))?.length > 0, 60000);
    const measure = async (label: string, marker: string): Promise<number[]> => {
      // A comment line of its own above the VirtualService's hosts: typing there keeps the YAML valid.
      const line = virtualServiceLine(document, 200);
      const comment = `  # ${marker} `;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(line, 0), `${comment}\n`);
      await vscode.workspace.applyEdit(edit);
      const end = new vscode.Position(line, comment.length);
      await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
      editor.selection = new vscode.Selection(end, end);
      editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenter);
      const [times] = (await run([{ typeMeasured: keys, in: '.monaco-editor.focused .view-lines', prefix: comment.trim() + ' ', pauseMs: 150 }])) as [number[]];
      console.log(`[measure] ${label}: keystroke to screen ${stats(times)}`);
      return times;
    };
    await measure('preview closed', 'closed');
    await vscode.commands.executeCommand('istioMirror.previewTrafficSplit');
    await waitFor('the preview to draw', () => api.previewState()?.rendered, 60000);
    await measure('preview open', 'opened');
    // A hover right after a keystroke, with the preview open.
    const hovers: number[] = [];
    const hostLine = virtualServiceLine(document, 200) + 1;
    for (let i = 0; i < 10; i++) {
      await type('x');
      const started = Date.now();
      await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(hostLine, 5));
      hovers.push(Date.now() - started);
    }
    console.log(`[measure] preview open: hover after a keystroke ${stats(hovers).replace('keys', 'hovers')}`);
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri);
  });
});
