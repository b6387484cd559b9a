// "Istio: Convert to HTTPRoute": asks the server (`istio/convertToHttpRoute`) to convert the
// VirtualService under the cursor to an HTTPRoute plus one Service per subset, opens the result
// as a new YAML document beside the editor (nothing is written to disk until the user saves),
// and says what could not be converted.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { convertToHttpRouteRequest } from '../../../server/src/protocol';
import { resolveCursor, type CursorArguments } from './cursor';

export const convertToHttpRouteCommand = 'istioMirror.convertToHttpRoute';
const title = 'Convert to HTTPRoute';

export function registerConvertToHttpRoute(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(convertToHttpRouteCommand, (args?: CursorArguments) => convertToHttpRoute(client, args ?? {}));
}

/** Resolves to the generated text and what was not converted, or undefined when nothing was done. */
async function convertToHttpRoute(client: LanguageClient, args: CursorArguments): Promise<{ text: string; notConverted: string[] } | undefined> {
  const cursor = await resolveCursor(args, title);
  if (!cursor) return undefined;
  const result = await client.sendRequest(convertToHttpRouteRequest, {
    uri: client.code2ProtocolConverter.asUri(cursor.document.uri),
    position: client.code2ProtocolConverter.asPosition(cursor.position),
  });
  if (!result) {
    void vscode.window.showInformationMessage(`${title}: put the cursor on a VirtualService (networking.istio.io) without YAML errors.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  if (result.notConverted.length > 0) {
    const count = result.notConverted.length;
    void vscode.window.showWarningMessage(`${title}: ${count} thing${count === 1 ? '' : 's'} could not be converted; they are listed at the top of the new document. Save it as ${result.fileName}.`);
  } else {
    void vscode.window.setStatusBarMessage(`Converted to HTTPRoute; save it as ${result.fileName}.`, 5000);
  }
  return { text: result.text, notConverted: result.notConverted };
}
