// The VS Code extension: starts the istio-mirror language server for YAML files and puts the
// UI around it (language status item, commands). It holds no Istio knowledge: diagnostics,
// completion, quick fixes, scaffolds and edits all come from the server.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAddMirror } from './commands/addMirror';
import { registerCreateDestinationRule } from './commands/createDestinationRule';
import { registerScaffoldCanary } from './commands/scaffoldCanary';
import { registerShowTrafficSplit } from './commands/showTrafficSplit';
import { createLanguageClient } from './languageClient';
import { ResourceStatusItem } from './statusItem';

/** What `activate` returns: a small surface for the end-to-end tests (and other extensions). */
export interface IstioMirrorApi {
  /** The language status item's text, e.g. "Istio VirtualService · networking.istio.io/v1" or "not Istio". */
  statusText(): string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<IstioMirrorApi> {
  client = createLanguageClient(context);
  const status = new ResourceStatusItem(client);
  context.subscriptions.push(
    client,
    status,
    registerScaffoldCanary(client),
    registerAddMirror(client),
    registerCreateDestinationRule(client),
    registerShowTrafficSplit(),
  );
  // Started last: commands already registered wait for the start inside sendRequest.
  await client.start();
  return { statusText: () => status.text };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
