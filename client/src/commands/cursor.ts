// Where an editing command acts: the position given in its argument (automation, tests), or
// the cursor of the active YAML editor.

import * as vscode from 'vscode';

/** The location part of an editing command's argument; a position is 0-based, like LSP's. */
export interface CursorArguments {
  /** Document URI (`file:`, `untitled:`); the active editor's document when omitted. */
  uri?: string;
  position?: { line: number; character: number };
}

export interface Cursor {
  document: vscode.TextDocument;
  position: vscode.Position;
}

export async function resolveCursor(args: CursorArguments, commandTitle: string): Promise<Cursor | undefined> {
  if (args.uri !== undefined) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    const position = args.position ? new vscode.Position(args.position.line, args.position.character) : editor?.selection.active ?? new vscode.Position(0, 0);
    return { document, position };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') {
    void vscode.window.showInformationMessage(`${commandTitle}: open a YAML file with a VirtualService and put the cursor in it.`);
    return undefined;
  }
  const position = args.position ? new vscode.Position(args.position.line, args.position.character) : editor.selection.active;
  return { document: editor.document, position };
}
