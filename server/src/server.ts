// The LSP adapter: wires a connection to the language service. startServer creates the shared
// state (serverContext.ts) and registers each concern from its own file: the open documents
// (openDocuments.ts, where every incoming URI is normalised, documentUris.ts), the index of the
// files on disk and watched files (workspaceIndexing.ts), settings (settingsSync.ts),
// diagnostics publishing (diagnosticsPublisher.ts), the LSP features (featureHandlers.ts) and
// the istio/… requests (istioRequests.ts, gatewayApiRequests.ts, mirrorMonitorRequests.ts).
// New handlers go in a file of their own, registered below with one line.

import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { diagnosticsScheduler } from './diagnosticsPublisher';
import { normalizeUri } from './documentUris';
import { registerFeatureHandlers } from './featureHandlers';
import { registerIstioRequests } from './istioRequests';
import { OpenDocuments } from './openDocuments';
import { runSafe, runSafeAsync } from './runSafe';
import type { ServerContext } from './serverContext';
import { IstioLanguageService } from './service/languageService';
import { parseSettings } from './settings';
import { handleSettingsChanges, loadSettings, registerForSettingsChanges } from './settingsSync';
import { workspaceIndexing } from './workspaceIndexing';
import { findRuleDocs } from './ruleDocs';
import { registerGatewayApiRequests } from './gatewayApiRequests';
import { registerMirrorMonitorRequests } from './mirrorMonitorRequests';
import { ClosedFileDiagnostics } from './workspaceDiagnostics';

export interface ServerOptions {
  /** Settings used when the client cannot answer workspace/configuration. */
  initialSettings?: unknown;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const service = new IstioLanguageService();
  service.setRuleDocumentation(findRuleDocs());
  const documents = new OpenDocuments();
  const log = (message: string): void => connection.console.log(`[istio-mirror] ${message}`);
  const closedFiles = new ClosedFileDiagnostics(connection, service, (uri) => documents.get(uri) !== undefined, () => ctx.settings.diagnosticsScope, log);
  closedFiles.register(() => [...service.index.allFiles()].map((file) => file.uri));
  const schedule = diagnosticsScheduler(connection, service, documents, closedFiles, log);
  const ctx: ServerContext = {
    connection,
    service,
    documents,
    closedFiles,
    settings: parseSettings(options.initialSettings),
    workspaceFolders: [],
    client: { configuration: false, dynamicWatchers: false, progress: false, workspaceFolders: false },
    log,
    schedule,
    updateFile: (uri, text) => {
      const dependents = runSafe(log, `analysis of ${uri}`, () => service.setFile(uri, text), new Set<string>());
      schedule([uri, ...dependents]);
    },
    removeFile: (uri) => {
      const dependents = runSafe(log, `removal of ${uri}`, () => service.removeFile(uri), new Set<string>());
      closedFiles.removed(uri);
      schedule(dependents);
    },
    indexWorkspace: () => indexing.indexWorkspace(),
  };
  const indexing = workspaceIndexing(ctx);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    ctx.client.configuration = capabilities.workspace?.configuration === true;
    ctx.client.dynamicWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    ctx.client.progress = capabilities.window?.workDoneProgress === true;
    ctx.client.workspaceFolders = capabilities.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    ctx.workspaceFolders = folders.map((folder) => ({ ...folder, uri: normalizeUri(folder.uri) }));
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      const initial = (params.initializationOptions as Record<string, unknown>).settings;
      if (initial !== undefined) ctx.settings = parseSettings(initial);
    }
    service.configure(ctx.settings.service);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        // No '-' trigger: it would start a session of our items only in the middle of a word such as
        // the snippet prefix `istio-vs-mirror`, hiding the snippets; after '- ' the space triggers.
        completionProvider: { triggerCharacters: [':', ' ', '{', ','], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'istio-mirror-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    void runSafeAsync(log, 'initialisation', async () => {
      registerForSettingsChanges(ctx);
      // The index is built once, below, with these settings.
      await loadSettings(ctx, false);
      if (ctx.client.dynamicWatchers) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yaml,yml}' }],
        });
      }
      // (vscode-languageserver throws when asked for folder events a client does not send)
      if (ctx.client.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(event.removed.map((folder) => normalizeUri(folder.uri)));
          ctx.workspaceFolders = ctx.workspaceFolders.filter((folder) => !removed.has(folder.uri));
          ctx.workspaceFolders.push(...event.added.map((folder) => ({ ...folder, uri: normalizeUri(folder.uri) })));
          void indexing.indexWorkspace();
        });
      }
      await indexing.indexWorkspace();
    }, undefined);
  });

  handleSettingsChanges(ctx);

  documents.listen(connection, {
    onOpen: (uri, document) => {
      closedFiles.opened(uri);
      ctx.updateFile(uri, document.getText());
    },
    onChange: (uri, document, edit) => {
      if (!edit) {
        ctx.updateFile(uri, document.getText());
        return;
      }
      const dependents = runSafe(log, `analysis of ${uri}`, () => service.editFile(uri, document.getText(), edit), new Set<string>());
      schedule([uri, ...dependents]);
    },
    onClose: (uri) => {
      void connection.sendDiagnostics({ uri: documents.clientUri(uri), diagnostics: [] });
      void runSafeAsync(log, `closing ${uri}`, () => indexing.documentClosed(uri), undefined);
    },
  });

  registerFeatureHandlers(ctx);
  registerIstioRequests(ctx);
  registerGatewayApiRequests(ctx);
  registerMirrorMonitorRequests(ctx);
}
