// `istioMirror.showTrafficSplit`: the command behind the server's code lenses above each HTTP
// route (arguments: document URI, index of the rule in `http`, line of the rule). It puts the
// cursor on the rule's line and opens the traffic-split preview beside the editor (or brings
// it forward), scrolled to that rule; the editor keeps the focus.

import * as vscode from 'vscode';
import type { TrafficSplitPreview } from '../trafficSplit/trafficSplitPreview';

export const showTrafficSplitCommand = 'istioMirror.showTrafficSplit';

export function registerShowTrafficSplit(preview: TrafficSplitPreview): vscode.Disposable {
  return vscode.commands.registerCommand(showTrafficSplitCommand, async (uri: string, routeIndex: number, line?: number) => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const row = document.lineAt(Math.min(Math.max(line ?? 0, 0), document.lineCount - 1));
    const start = new vscode.Position(row.lineNumber, row.firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return preview.open(document.uri, { httpIndex: routeIndex, line: row.lineNumber });
  });
}
