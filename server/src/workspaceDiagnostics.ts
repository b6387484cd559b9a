// Diagnostics of the workspace's files that are not open: the findings of every indexed YAML
// file reach the client's problem list (VS Code's Problems panel), not only those of the open
// editors. `istioMirror.diagnostics.scope` = `openFiles` keeps them to open files. Published
// in small batches between other messages, so a large workspace never blocks the server, and
// only for files that have findings (or had some: they get an empty list once).
// `istio/checkWorkspace` publishes every file's findings regardless of the scope and returns
// the totals.

import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { IstioLanguageService } from './service/languageService';
import { checkWorkspaceRequest, type CheckWorkspaceResult } from './protocol';
import { runSafe } from './runSafe';

/** Files published per turn of the event loop. */
const batchSize = 25;

import type { DiagnosticsScope } from './settings';

export class ClosedFileDiagnostics {
  /** Closed files whose last published list was not empty. */
  private readonly published = new Set<string>();
  private readonly queue = new Set<string>();
  private draining = false;

  constructor(
    private readonly connection: Connection,
    private readonly service: IstioLanguageService,
    private readonly isOpen: (uri: string) => boolean,
    private readonly scope: () => DiagnosticsScope,
    private readonly log: (message: string) => void,
  ) {}

  /** Publishes the findings of closed files, soon (in batches). */
  schedule(uris: Iterable<string>): void {
    if (this.scope() !== 'workspace') return;
    for (const uri of uris) if (!this.isOpen(uri)) this.queue.add(uri);
    if (this.draining || this.queue.size === 0) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    let count = 0;
    for (const uri of this.queue) {
      this.queue.delete(uri);
      if (!this.isOpen(uri)) this.publish(uri);
      if (++count >= batchSize) break;
    }
    if (this.queue.size > 0) setImmediate(() => this.drain());
    else this.draining = false;
  }

  private publish(uri: string, force = false): Diagnostic[] {
    if (!force && this.scope() !== 'workspace') return [];
    const diagnostics = runSafe(this.log, `diagnostics for ${uri}`, () => (this.service.hasFile(uri) ? this.service.getDiagnostics(uri) : []), []);
    if (diagnostics.length === 0 && !this.published.has(uri)) return diagnostics;
    void this.connection.sendDiagnostics({ uri, diagnostics });
    if (diagnostics.length > 0) this.published.add(uri);
    else this.published.delete(uri);
    return diagnostics;
  }

  /** The file left the index (deleted, excluded): its findings go too. */
  removed(uri: string): void {
    this.queue.delete(uri);
    if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The file was opened: the open document's diagnostics replace these. */
  opened(uri: string): void {
    this.queue.delete(uri);
    this.published.delete(uri);
  }

  /** The scope became `openFiles`: clears every closed file's findings. */
  clearAll(): void {
    this.queue.clear();
    for (const uri of this.published) if (!this.isOpen(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.clear();
  }

  /** Every file's findings, published now (whatever the scope), with the totals. */
  checkAll(uris: Iterable<string>): CheckWorkspaceResult {
    const result: CheckWorkspaceResult = { files: 0, filesWithProblems: 0, errors: 0, warnings: 0, others: 0 };
    for (const uri of uris) {
      result.files++;
      const diagnostics = this.isOpen(uri)
        ? runSafe(this.log, `diagnostics for ${uri}`, () => this.service.getDiagnostics(uri), [])
        : this.publish(uri, true);
      if (diagnostics.length > 0) result.filesWithProblems++;
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === DiagnosticSeverity.Error) result.errors++;
        else if (diagnostic.severity === DiagnosticSeverity.Warning) result.warnings++;
        else result.others++;
      }
    }
    return result;
  }

  /** Registers `istio/checkWorkspace`; `files` lists every file the index holds. */
  register(files: () => Iterable<string>): void {
    this.connection.onRequest(checkWorkspaceRequest, () => this.checkAll(files()));
  }
}
