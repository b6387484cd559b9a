// The documents open in the editor, keyed by their normalised URI (documentUris.ts). It listens
// to didOpen/didChange/didClose itself (instead of vscode-languageserver's TextDocuments) so
// that every incoming URI is normalised once, here, and so each incremental change is recorded
// in offsets of the text before it: the service re-analyses only the YAML documents an edit
// touches (see WorkspaceIndex.editFile). The URI a client used is kept, and every message the
// server sends back about an open document uses it.

import { TextDocumentContentChangeEvent, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from './service/workspace/workspaceIndex';
import { normalizeUri } from './documentUris';

export interface OpenDocumentListeners {
  onOpen(uri: string, document: TextDocument): void;
  /** `edit` is the one incremental change in offsets of the previous text; undefined for a full or multi-part change. */
  onChange(uri: string, document: TextDocument, edit: TextEdit | undefined): void;
  onClose(uri: string): void;
}

/** Properties of handler results that hold a document URI (`file` in the traffic-split model). */
const uriKeys = new Set(['uri', 'targetUri', 'file']);

export class OpenDocuments {
  private readonly open = new Map<string, TextDocument>();
  /** Canonical URI → the URI the client opened it with (only where they differ). */
  private readonly clientUris = new Map<string, string>();

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  keys(): string[] {
    return [...this.open.keys()];
  }

  /** The URI the client uses for canonical `uri` (the canonical URI for files it has not opened). */
  clientUri(uri: string): string {
    return this.clientUris.get(uri) ?? uri;
  }

  /**
   * `value` (a handler's result) with the URIs of open documents in the client's spelling: every
   * `uri`/`targetUri`/`file` property and every key of a WorkspaceEdit's `changes`. Results are small
   * (locations, edits), so the walk is cheap; values without such URIs are returned unchanged.
   */
  toClient<T>(value: T): T {
    if (this.clientUris.size === 0) return value;
    const convert = (item: unknown, depth: number): unknown => {
      if (depth > 12 || item === null || typeof item !== 'object') return item;
      if (Array.isArray(item)) return item.map((element) => convert(element, depth + 1));
      const result: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
        if (uriKeys.has(key) && typeof field === 'string') {
          result[key] = this.clientUri(field);
        } else if (key === 'changes' && field && typeof field === 'object' && !Array.isArray(field)) {
          const changes: Record<string, unknown> = {};
          for (const [uri, edits] of Object.entries(field as Record<string, unknown>)) changes[this.clientUri(uri)] = edits;
          result[key] = changes;
        } else {
          result[key] = convert(field, depth + 1);
        }
      }
      return result;
    };
    return convert(value, 0) as T;
  }

  listen(connection: Connection, listeners: OpenDocumentListeners): void {
    connection.onDidOpenTextDocument(({ textDocument }) => {
      const uri = normalizeUri(textDocument.uri);
      const document = TextDocument.create(uri, textDocument.languageId, textDocument.version, textDocument.text);
      this.open.set(uri, document);
      if (uri !== textDocument.uri) this.clientUris.set(uri, textDocument.uri);
      else this.clientUris.delete(uri);
      listeners.onOpen(uri, document);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const uri = normalizeUri(textDocument.uri);
      const previous = this.open.get(uri);
      if (!previous || contentChanges.length === 0) return;
      const change = contentChanges.length === 1 ? contentChanges[0] : undefined;
      const edit = change && TextDocumentContentChangeEvent.isIncremental(change)
        ? { start: previous.offsetAt(change.range.start), end: previous.offsetAt(change.range.end), insertedLength: change.text.length }
        : undefined;
      const document = TextDocument.update(previous, contentChanges, textDocument.version ?? previous.version + 1);
      this.open.set(uri, document);
      listeners.onChange(uri, document, edit);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      const uri = normalizeUri(textDocument.uri);
      if (!this.open.delete(uri)) return;
      listeners.onClose(uri);
      this.clientUris.delete(uri);
    });
  }
}
