// "Istio: Create DestinationRule for Host": asks the server (`istio/createDestinationRule`) what
// the destination host under the cursor needs: the subsets its routes and mirrors use, added to
// the host's existing DestinationRule (which is then shown), or a new DestinationRule, or for a
// host outside the cluster a ServiceEntry; or nothing, and then it goes to the existing rule.

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
async function createDestinationRule(client: LanguageClient, args: CreateDestinationRuleArguments): Promise<{ host: string; subsets: string[]; outcome: string } | undefined> {
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
  const target = result.target ? client.protocol2CodeConverter.asUri(result.target.uri) : undefined;
  const showTarget = async (): Promise<void> => {
    if (!target || !result.target) return;
    const range = client.protocol2CodeConverter.asRange(result.target.range);
    await vscode.window.showTextDocument(target, { preview: false, selection: range, viewColumn: target.toString() === cursor.document.uri.toString() ? undefined : vscode.ViewColumn.Beside });
  };
  if (result.outcome === 'existing') {
    // Nothing to create: the rule exists (perhaps in another file) and defines what the routes use.
    await showTarget();
    void vscode.window.showInformationMessage(`${title}: ${result.host} already has DestinationRule ${result.target?.name ?? ''}, which defines every subset the routes use.`);
    return { host: result.host, subsets: [], outcome: result.outcome };
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`${title}: the edit could not be applied (is the file read-only?).`);
    return undefined;
  }
  const subsets = result.subsets.length ? ` ${result.subsets.map((name) => `"${name}"`).join(', ')}` : '';
  if (result.outcome === 'added') {
    await showTarget();
    void vscode.window.setStatusBarMessage(`Added subset${result.subsets.length > 1 ? 's' : ''}${subsets} to the existing DestinationRule ${result.target?.name ?? ''} of ${result.host}.`, 5000);
  } else if (result.outcome === 'serviceEntry') {
    void vscode.window.setStatusBarMessage(`${result.host} is outside the cluster: created a ServiceEntry for it.`, 5000);
  } else {
    // The rule may land in another file (a new file): show it.
    const other = edit.entries().map(([uri]) => uri).find((uri) => uri.toString() !== cursor.document.uri.toString());
    if (other) await vscode.window.showTextDocument(other, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    void vscode.window.setStatusBarMessage(`Created a DestinationRule for ${result.host}${subsets ? ` with subsets${subsets}` : ''}.`, 5000);
  }
  return { host: result.host, subsets: result.subsets, outcome: result.outcome };
}
