// `istioMirror.showTrafficSplit`: the command behind the server's code lenses above each HTTP
// route (arguments: document URI, index of the rule in `http`, line of the rule). For now it
// reveals and selects the rule's line; the traffic-split preview replaces this later.

import * as vscode from 'vscode';

export const showTrafficSplitCommand = 'istioMirror.showTrafficSplit';

export function registerShowTrafficSplit(): vscode.Disposable {
  return vscode.commands.registerCommand(showTrafficSplitCommand, async (uri: string, _routeIndex: number, line?: number) => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const row = document.lineAt(Math.min(Math.max(line ?? 0, 0), document.lineCount - 1));
    const start = new vscode.Position(row.lineNumber, row.firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}
