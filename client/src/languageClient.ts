// Builds the LanguageClient that runs the istio-mirror language server (dist/server.js, bundled
// next to this file) over Node IPC for YAML documents, on disk and untitled.

import type * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The documents the server is started for; the status item uses the same selector. */
export const yamlSelector: { scheme: string; language: string }[] = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
];

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    // --enable-source-maps: stack traces in the server log point into server/src.
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--enable-source-maps', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: yamlSelector,
    // Nothing to synchronise here: the server registers its own file watcher for
    // `**/*.{yaml,yml}` (so every LSP client gets it) and its own `istioMirror` configuration
    // section; declaring them here too would send every change twice.
    // The server's own `runSafe` already logs failures; do not pop the output channel up.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id `istioMirror` makes the client honour the `istioMirror.trace.server` setting.
  return new LanguageClient('istioMirror', 'Istio Mirror', serverOptions, clientOptions);
}
