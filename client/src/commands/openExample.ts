// "Istio: Open Example with a Mistake" (the walkthrough's second step): opens the example
// shipped with the extension (walkthrough/example-with-a-mistake.yaml) as an untitled YAML
// document beside the active editor, with the cursor on the mistake, so its finding, hover and
// quick fix can be tried without touching the workspace.

import * as vscode from 'vscode';

export const openExampleCommand = 'istioMirror.openExampleWithMistake';
export const examplePath = ['walkthrough', 'example-with-a-mistake.yaml'];

export function registerOpenExample(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(openExampleCommand, async (): Promise<vscode.Uri> => {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...examplePath));
    const content = new TextDecoder().decode(bytes);
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    // Beside the walkthrough when it is open; the mistake is the mirror's subset.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column });
    const offset = content.search(/subset: canary\n\s*mirrorPercentage/);
    if (offset >= 0) {
      const start = document.positionAt(offset + 'subset: '.length);
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenter);
    }
    return document.uri;
  });
}
