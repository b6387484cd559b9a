// The VS Code extension: starts the istio-mirror language server for YAML files and puts the
// UI around it (language status item, commands, the traffic-split preview, the mirror monitor). It holds no Istio
// knowledge: diagnostics, completion, quick fixes, scaffolds, edits, the traffic-split model
// and the mirrors' monitoring model all come from the server.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { registerAddMirror } from './commands/addMirror';
import { registerWorkspaceChecks } from './commands/checkWorkspace';
import { registerCreateDestinationRule } from './commands/createDestinationRule';
import { registerConvertToHttpRoute } from './commands/convertToHttpRoute';
import { registerOpenExample } from './commands/openExample';
import { registerScaffoldCanary } from './commands/scaffoldCanary';
import { registerServerCommands } from './commands/serverCommands';
import { registerShowTrafficSplit } from './commands/showTrafficSplit';
import { createLanguageClient } from './languageClient';
import { ResourceStatusItem } from './statusItem';
import { TrafficSplitPreview, type TrafficSplitPreviewState } from './trafficSplit/trafficSplitPreview';
import { MirrorMonitorView, type MirrorMonitorState } from './mirrorMonitor/mirrorMonitor';

/** What `activate` returns: a small surface for the end-to-end tests (and other extensions). */
export interface IstioMirrorApi {
  /** The language status item's text, e.g. "Istio VirtualService · networking.istio.io/v1" or "not Istio". */
  statusText(): string;
  /** The traffic-split preview: the file, the last model sent to its page, what the page drew; undefined when closed. */
  previewState(): TrafficSplitPreviewState | undefined;
  /** The language server's process id while it runs (tests stop it to see the status item react). */
  serverPid(): number | undefined;
  /** The mirror-monitor panel: the file, the model sent to its page, what the page drew; undefined when closed. */
  monitorState(): MirrorMonitorState | undefined;
  /** Hands `message` to the monitor panel as if its page had posted it (a button press: copy, export). */
  monitorPageMessage(message: unknown): Promise<void>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<IstioMirrorApi> {
  client = createLanguageClient(context);
  const status = new ResourceStatusItem(client);
  const preview = new TrafficSplitPreview(context.extensionUri, client);
  const monitor = new MirrorMonitorView(context.extensionUri, client);
  context.subscriptions.push(
    client,
    status,
    preview,
    monitor,
    registerScaffoldCanary(client),
    registerAddMirror(client),
    registerCreateDestinationRule(client),
    registerConvertToHttpRoute(client),
    registerShowTrafficSplit(preview),
    registerServerCommands(client),
    registerWorkspaceChecks(client, context),
    registerOpenExample(context.extensionUri),
  );
  // Started last: commands already registered wait for the start inside sendRequest.
  await client.start();
  return {
    statusText: () => status.text,
    previewState: () => preview.state(),
    serverPid: () => serverPid(client),
    monitorState: () => monitor.state(),
    monitorPageMessage: (message) => monitor.pageMessage(message),
  };
}

function serverPid(languageClient: LanguageClient | undefined): number | undefined {
  return languageClient?.state === State.Running ? languageClient.serverProcess?.pid : undefined;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
