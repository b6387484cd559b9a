// "Istio: Create DestinationRule for Host": asks the server (`istio/createDestinationRule`) for
// a DestinationRule for the destination host under the cursor, with the subsets its routes and
// mirrors use, and applies the edit it returns.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createDestinationRuleRequest } from '../../../server/src/protocol';
import { resolveCursor, type CursorArguments } from './cursor';

export const createDestinationRuleCommand = 'istioMirror.createDestinationRule';
const title = 'Create DestinationRule for Host';

/** The command's optional argument (automation, tests). */
export type CreateDestinationRuleArguments = CursorArguments;

export function registerCreateDestinationRule(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(createDestinationRuleCommand, (args?: CreateDestinationRuleArguments) => createDestinationRule(client, args ?? {}));
}

/** Resolves to the host and subsets of the rule created, or undefined when nothing was done. */
async function createDestinationRule(client: LanguageClient, args: CreateDestinationRuleArguments): Promise<{ host: string; subsets: string[] } | undefined> {
  const cursor = await resolveCursor(args, title);
  if (!cursor) return undefined;
  const result = await client.sendRequest(createDestinationRuleRequest, {
    uri: client.code2ProtocolConverter.asUri(cursor.document.uri),
    position: client.code2ProtocolConverter.asPosition(cursor.position),
  });
  if (!result) {
    void vscode.window.showInformationMessage(`${title}: put the cursor on a VirtualService (on a destination \`host:\` to choose which host).`);
    return undefined;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`${title}: the edit could not be applied (is the file read-only?).`);
    return undefined;
  }
  // The rule may land in another file (next to an existing one, or a new file): show it.
  const target = edit.entries().map(([uri]) => uri).find((uri) => uri.toString() !== cursor.document.uri.toString());
  if (target) await vscode.window.showTextDocument(target, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
  const subsets = result.subsets.length ? ` with subsets ${result.subsets.map((name) => `"${name}"`).join(', ')}` : '';
  void vscode.window.setStatusBarMessage(`Created a DestinationRule for ${result.host}${subsets}.`, 5000);
  return { host: result.host, subsets: result.subsets };
}
