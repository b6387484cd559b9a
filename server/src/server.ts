// The LSP adapter: wires a connection to the language service. It owns the open documents,
// builds the workspace index from disk, keeps it current from file-change notifications,
// reads settings, and publishes diagnostics. Every handler has the same shape: look up the
// document, ask the service, convert nothing (the service speaks LSP data types already),
// all inside runSafe so a bad document never takes the server down.

import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentContentChangeEvent,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { subsetNameProblem } from './service/features/navigation';
import { IstioLanguageService } from './service/languageService';
import type { TextEdit } from './service/workspace/workspaceIndex';
import { configurationSection, parseSettings, type ServerSettings } from './settings';
import { excludeMatcher, findYamlFiles, readTextFile, yamlExtensions } from './workspaceFiles';
import { runSafe, runSafeAsync } from './runSafe';
import { findRuleDocs } from './ruleDocs';
import { registerGatewayApiRequests } from './gatewayApiRequests';
import { ClosedFileDiagnostics } from './workspaceDiagnostics';
import { addMirrorRequest, createDestinationRuleRequest, mirrorTargetsRequest, resourceInfoRequest, scaffoldCanaryRequest, trafficSplitRequest, type TrafficSplitResult } from './protocol';

export interface ServerOptions {
  /** Settings used when the client cannot answer workspace/configuration. */
  initialSettings?: unknown;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  // Each incremental change is recorded in offsets of the text before it, so the service can
  // re-analyse only the YAML documents it touches (see WorkspaceIndex.editFile).
  const pendingEdits = new Map<string, TextEdit | undefined>();
  const documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (document, changes, version) => {
      const change = changes.length === 1 ? changes[0] : undefined;
      pendingEdits.set(document.uri, change && TextDocumentContentChangeEvent.isIncremental(change)
        ? { start: document.offsetAt(change.range.start), end: document.offsetAt(change.range.end), insertedLength: change.text.length }
        : undefined);
      return TextDocument.update(document, changes, version);
    },
  });
  const service = new IstioLanguageService();
  service.setRuleDocumentation(findRuleDocs());
  let settings: ServerSettings = parseSettings(options.initialSettings);
  let workspaceFolders: WorkspaceFolder[] = [];
  let supportsConfiguration = false;
  let supportsDynamicWatchers = false;
  let supportsProgress = false;
  const pending = new Set<string>();
  let flushScheduled = false;
  /** Files of the workspace index that were read from disk (as opposed to open in the editor). */
  const indexedFromDisk = new Set<string>();

  const log = (message: string): void => connection.console.log(`[istio-mirror] ${message}`);
  const closedFiles = new ClosedFileDiagnostics(connection, service, (uri) => documents.get(uri) !== undefined, () => settings.diagnosticsScope, log);
  closedFiles.register(() => [...service.index.allFiles()].map((file) => file.uri));

  /** Queues diagnostics for `uris`; a burst of edits is coalesced into one publish per file. */
  const schedule = (uris: Iterable<string>): void => {
    for (const uri of uris) pending.add(uri);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      const batch = [...pending];
      pending.clear();
      for (const uri of batch) publish(uri);
    });
  };

  const publish = (uri: string): void => {
    const document = documents.get(uri);
    if (!document) {
      closedFiles.schedule([uri]); // a file of the index that is not open (workspaceDiagnostics.ts)
      return;
    }
    runSafe(log, `diagnostics for ${uri}`, () => {
      const diagnostics = service.hasFile(uri) ? service.getDiagnostics(uri) : [];
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    }, undefined);
  };

  const updateFile = (uri: string, text: string): void => {
    const dependents = runSafe(log, `analysis of ${uri}`, () => service.setFile(uri, text), new Set<string>());
    schedule([uri, ...dependents]);
  };

  const removeFile = (uri: string): void => {
    const dependents = runSafe(log, `removal of ${uri}`, () => service.removeFile(uri), new Set<string>());
    closedFiles.removed(uri);
    schedule(dependents);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    supportsConfiguration = capabilities.workspace?.configuration === true;
    supportsDynamicWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    supportsProgress = capabilities.window?.workDoneProgress === true;
    workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      const initial = (params.initializationOptions as Record<string, unknown>).settings;
      if (initial !== undefined) settings = parseSettings(initial);
    }
    service.configure(settings.service);
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
      if (supportsConfiguration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: configurationSection });
        // The index is built once, below, with these settings.
        await loadSettings(false);
      }
      if (supportsDynamicWatchers) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yaml,yml}' }],
        });
      }
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        workspaceFolders = workspaceFolders.filter((folder) => !event.removed.some((removed) => removed.uri === folder.uri));
        workspaceFolders.push(...event.added);
        void indexWorkspace();
      });
      await indexWorkspace();
    }, undefined);
  });

  const loadSettings = async (reindex = true): Promise<void> => {
    if (!supportsConfiguration) return;
    const raw: unknown = await connection.workspace.getConfiguration(configurationSection);
    const next = parseSettings(raw);
    const previous = settings;
    settings = next;
    service.configure(next.service);
    if (previous.diagnosticsScope !== next.diagnosticsScope) {
      if (next.diagnosticsScope === 'openFiles') closedFiles.clearAll();
      else closedFiles.schedule(indexedFromDisk);
    }
    if (reindex && (previous.indexWorkspace !== next.indexWorkspace || previous.exclude.join('\n') !== next.exclude.join('\n'))) {
      await indexWorkspace();
    }
  };

  connection.onDidChangeConfiguration((change) => {
    void runSafeAsync(log, 'configuration change', async () => {
      if (supportsConfiguration) {
        await loadSettings();
      } else {
        const raw = (change.settings as Record<string, unknown> | undefined)?.[configurationSection];
        settings = parseSettings(raw);
        service.configure(settings.service);
      }
      schedule(documents.keys());
    }, undefined);
  });

  /** (Re)builds the index of YAML files on disk; open documents keep their editor text. */
  let indexGeneration = 0;
  const indexWorkspace = async (): Promise<void> => {
    const generation = ++indexGeneration;
    const previouslyIndexed = [...indexedFromDisk];
    for (const uri of indexedFromDisk) if (!documents.get(uri)) service.removeFile(uri);
    indexedFromDisk.clear();
    // Files no longer indexed (excluded now, or indexing turned off) lose their published findings.
    const forgetDropped = (): void => {
      for (const uri of previouslyIndexed) if (!indexedFromDisk.has(uri) && !documents.get(uri)) closedFiles.removed(uri);
    };
    if (!settings.indexWorkspace) {
      forgetDropped();
      schedule(documents.keys());
      return;
    }
    const started = Date.now();
    const progress = supportsProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Istio: indexing YAML files', 0, 'listing files…', false);
    const files: string[] = [];
    const excluded = excludeMatcher(settings.exclude);
    for (const folder of workspaceFolders) {
      if (!folder.uri.startsWith('file:')) continue;
      files.push(...await findYamlFiles(fileURLToPath(folder.uri), excluded));
    }
    let done = 0;
    for (const path of files) {
      if (generation !== indexGeneration) break; // a newer indexing run replaced this one
      const uri = pathToFileURL(path).toString();
      if (!documents.get(uri)) {
        const text = await readTextFile(path);
        // The editor may have opened the file while it was read: its text wins over the disk's.
        if (text !== undefined && !documents.get(uri)) {
          runSafe(log, `indexing ${path}`, () => service.setFile(uri, text), undefined);
          indexedFromDisk.add(uri);
        }
      }
      done += 1;
      if (progress && done % 200 === 0) progress.report(Math.round((done / files.length) * 100), `${done} of ${files.length} files`);
    }
    progress?.done();
    log(`indexed ${done} YAML files in ${Date.now() - started} ms`);
    if (generation === indexGeneration) forgetDropped();
    schedule(documents.keys());
    closedFiles.schedule(indexedFromDisk);
  };

  documents.onDidOpen((event) => {
    closedFiles.opened(event.document.uri);
    updateFile(event.document.uri, event.document.getText());
  });
  documents.onDidChangeContent((event) => {
    const { uri } = event.document;
    const edit = pendingEdits.get(uri);
    pendingEdits.delete(uri);
    if (!edit) {
      updateFile(uri, event.document.getText());
      return;
    }
    const dependents = runSafe(log, `analysis of ${uri}`, () => service.editFile(uri, event.document.getText(), edit), new Set<string>());
    schedule([uri, ...dependents]);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    void runSafeAsync(log, `closing ${uri}`, async () => {
      // A closed file that belongs to the index goes back to its content on disk.
      const onDisk = indexedFromDiskAllowed(uri) ? await readTextFile(fileURLToPath(uri)) : undefined;
      if (documents.get(uri)) return; // reopened meanwhile
      if (onDisk !== undefined) {
        updateFile(uri, onDisk);
        indexedFromDisk.add(uri);
      } else {
        removeFile(uri);
      }
    }, undefined);
  });

  /** True for a YAML file on disk, inside a workspace folder and not excluded: the files the index holds. */
  const indexedFromDiskAllowed = (uri: string): boolean => {
    if (!settings.indexWorkspace || !uri.startsWith('file:') || !yamlExtensions.test(uri)) return false;
    const folder = workspaceFolders.find((candidate) => uri.startsWith(candidate.uri.endsWith('/') ? candidate.uri : `${candidate.uri}/`));
    if (!folder) return false;
    const relativePath = fileURLToPath(uri).slice(fileURLToPath(folder.uri).replace(/\/$/, '').length + 1);
    return !excludeMatcher(settings.exclude)(relativePath);
  };

  connection.onDidChangeWatchedFiles((params) => {
    void runSafeAsync(log, 'watched file changes', async () => {
      for (const change of params.changes) {
        const uri = change.uri;
        if (documents.get(uri) || !indexedFromDiskAllowed(uri)) continue;
        if (change.type === FileChangeType.Deleted) {
          indexedFromDisk.delete(uri);
          removeFile(uri);
        } else {
          const text = await readTextFile(fileURLToPath(uri));
          if (documents.get(uri)) continue; // opened while it was read: the editor's text wins
          if (text === undefined) {
            removeFile(uri);
          } else {
            indexedFromDisk.add(uri);
            updateFile(uri, text);
          }
        }
      }
    }, undefined);
  });

  // Editing features: every handler answers from the service's current view of the document,
  // which the document events above keep in step with the editor.
  const known = (uri: string): boolean => service.hasFile(uri);
  connection.onCompletion((params, token) => runSafe(log, 'completion', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.doComplete(params.textDocument.uri, params.position)), null));
  connection.onHover((params, token) => runSafe(log, 'hover', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.doHover(params.textDocument.uri, params.position)), null));
  connection.onCodeAction((params, token) => runSafe(log, 'code actions', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.getCodeActions(params.textDocument.uri, params.range, params.context.diagnostics)), null));
  connection.onDefinition((params, token) => runSafe(log, 'definition', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.findDefinition(params.textDocument.uri, params.position)), null));
  connection.onReferences((params, token) => runSafe(log, 'references', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.findReferences(params.textDocument.uri, params.position, params.context.includeDeclaration)), null));
  connection.onPrepareRename((params) => runSafe(log, 'prepare rename', () =>
    (known(params.textDocument.uri) ? service.prepareRename(params.textDocument.uri, params.position) : null), null));
  connection.onRenameRequest((params) => {
    // A name Istio would reject is refused with the reason, so the editor can show it.
    const problem = subsetNameProblem(params.newName);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
    return runSafe(log, 'rename', () => (known(params.textDocument.uri) ? service.doRename(params.textDocument.uri, params.position, params.newName) : null), null);
  });
  connection.onDocumentSymbol((params, token) => runSafe(log, 'document symbols', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.findDocumentSymbols(params.textDocument.uri)), null));
  connection.onFoldingRanges((params, token) => runSafe(log, 'folding ranges', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.getFoldingRanges(params.textDocument.uri)), null));
  connection.onSelectionRanges((params, token) => runSafe(log, 'selection ranges', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.getSelectionRanges(params.textDocument.uri, params.positions)), null));
  connection.onCodeLens((params, token) => runSafe(log, 'code lenses', () =>
    (token.isCancellationRequested || !known(params.textDocument.uri) ? null : service.getCodeLenses(params.textDocument.uri)), null));

  // istio/… requests (server/src/protocol.ts), used by the VS Code client's status item and commands.
  connection.onRequest(resourceInfoRequest, (params) => runSafe(log, 'resource info', () => service.resourceInfo(params.uri, params.position), { validated: false, documents: 0, validatedDocuments: 0 }));
  connection.onRequest(scaffoldCanaryRequest, (params) => service.scaffoldCanary(params));
  connection.onRequest(trafficSplitRequest, (params) => runSafe(log, 'traffic split', () => {
    const model: TrafficSplitResult = service.trafficSplitWindow(params.uri, params.position, params.limit ?? Number.POSITIVE_INFINITY);
    const templates = service.resourceInfo(params.uri, params.position ?? { line: 0, character: 0 }).templateDocuments;
    if (templates) model.templateDocuments = templates;
    return model;
  }, { virtualServices: [] }));
  connection.onRequest(addMirrorRequest, (params) => runSafe(log, 'add mirror', () => service.addMirror(params.uri, params.position, params.target, params.percentage), null));
  connection.onRequest(createDestinationRuleRequest, (params) => runSafe(log, 'create DestinationRule', () => service.createDestinationRule(params.uri, params.position), null));
  connection.onRequest(mirrorTargetsRequest, (params) => runSafe(log, 'mirror targets', () => service.mirrorTargets(params.uri, params.position), { targets: [], defaultPercentage: settings.service.defaultMirrorPercentage }));

  registerGatewayApiRequests(connection, service, log);

  documents.listen(connection);
}
