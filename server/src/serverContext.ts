// What every part of the LSP adapter shares: the connection, the language service, the open
// documents, the current settings and workspace folders, the client's capabilities, and the
// two ways to change the index (which queue the diagnostics that change). Created once by
// startServer (server.ts) and handed to each register… function.

import type { Connection, WorkspaceFolder } from 'vscode-languageserver/node';
import type { IstioLanguageService } from './service/languageService';
import type { OpenDocuments } from './openDocuments';
import type { ServerSettings } from './settings';
import type { ClosedFileDiagnostics } from './workspaceDiagnostics';

export interface ClientSupport {
  configuration: boolean;
  dynamicWatchers: boolean;
  progress: boolean;
  /** The client sends workspace/didChangeWorkspaceFolders. */
  workspaceFolders: boolean;
}

export interface ServerContext {
  readonly connection: Connection;
  readonly service: IstioLanguageService;
  readonly documents: OpenDocuments;
  /** Diagnostics of indexed files that are not open (istioMirror.diagnostics.scope). */
  readonly closedFiles: ClosedFileDiagnostics;
  settings: ServerSettings;
  /** Workspace folders with normalised URIs (documentUris.ts). */
  workspaceFolders: WorkspaceFolder[];
  readonly client: ClientSupport;
  log(message: string): void;
  /** Queues diagnostics for `uris`; a burst of changes is coalesced into one publish per file. */
  schedule(uris: Iterable<string>): void;
  /** Sets a file's text in the index and queues the diagnostics that change. */
  updateFile(uri: string, text: string): void;
  /** Removes a file from the index and queues the diagnostics that change. */
  removeFile(uri: string): void;
  /** (Re)builds the index of the YAML files on disk (workspaceIndexing.ts). */
  indexWorkspace(): Promise<void>;
}
