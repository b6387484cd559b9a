// The language server indexing a whole workspace (issue 16): a fresh server is started on a
// generated tree (the workspace folder), indexes every YAML file under it while reporting
// `$/progress`, and one file near the end of the tree — not indexed yet — is opened as soon as
// indexing has begun. Measured: initialized → progress end (the whole index), didOpen → the
// opened file's first diagnostics (and whether they came before indexing ended), what they
// found, and the server's peak RSS.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../../test/helpers/lspClient';
import type { CliTree } from './cli';
import { memoryOf } from './measure';

export interface IndexingResult {
  files: number;
  resources: number;
  /** initialized → `$/progress` end. */
  indexMs: number;
  /** The server's own log line ("indexed N YAML files in X ms"), when it wrote one. */
  serverLog?: string;
  progress: { created: boolean; begin: boolean; reports: number; end: boolean; lastMessage?: string };
  opened?: {
    file: string;
    /** When the file was opened, after initialized. */
    openedAtMs: number;
    /** didOpen → its first diagnostics. */
    firstDiagnosticsMs: number;
    beforeIndexingEnded: boolean;
    diagnostics: number;
    injected: number;
    found: number;
    /** Diagnostics of the file once indexing ended (republished then). */
    finalDiagnostics: number;
  };
  peakRssKb: number;
  error?: string;
}

interface ProgressParams { token: string | number; value: { kind: 'begin' | 'report' | 'end'; message?: string; title?: string } }

export async function measureIndexing(serverCommand: string[], tree: CliTree, log: (message: string) => void, timeoutMs = 10 * 60 * 1000): Promise<IndexingResult> {
  const result: IndexingResult = {
    files: tree.files,
    resources: tree.resources,
    indexMs: NaN,
    progress: { created: false, begin: false, reports: 0, end: false },
    peakRssKb: NaN,
  };
  // The last file of the tree (indexed last, depth-first in name order) that has injected errors.
  const withErrors = [...new Set(tree.errors.map((entry) => entry.file))].sort();
  const openedFile = withErrors[withErrors.length - 1];
  const client = new LspClient({ command: serverCommand, rootPath: tree.dir, settings: { istioMirror: {} } });
  let started = NaN;
  let markBegun: () => void = () => undefined;
  let markEnded: () => void = () => undefined;
  const begun = new Promise<void>((resolve) => { markBegun = resolve; });
  const ended = new Promise<void>((resolve) => { markEnded = resolve; });
  let endedAt = NaN;
  client.connection.onRequest('window/workDoneProgress/create', () => { result.progress.created = true; return null; });
  client.connection.onNotification('$/progress', (params: ProgressParams) => {
    const value = params.value;
    if (value.kind === 'begin') { result.progress.begin = true; markBegun(); }
    if (value.kind === 'report') result.progress.reports += 1;
    if (value.message) result.progress.lastMessage = value.message;
    if (value.kind === 'end') {
      result.progress.end = true;
      endedAt = performance.now();
      markEnded();
    }
  });
  client.connection.onNotification('window/logMessage', (params: { message: string }) => {
    if (/indexed \d+/.test(params.message)) result.serverLog = params.message.replace(/^\[istio-mirror\] /, '');
  });
  const timeout = <T>(promise: Promise<T>, what: string): Promise<T> => Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs)),
  ]);
  try {
    started = performance.now();
    await client.initialize();
    await timeout(begun, 'indexing progress to begin');
    if (openedFile) {
      const uri = pathToFileURL(join(tree.dir, openedFile)).toString();
      const text = readFileSync(join(tree.dir, openedFile), 'utf8');
      const seen = client.published.length;
      const openedAt = performance.now();
      void client.open(uri, text);
      const first = await timeout(client.waitForDiagnostics(uri, (params: PublishDiagnosticsParams) => client.published.indexOf(params, seen) >= 0, timeoutMs), `diagnostics of ${openedFile}`);
      const firstAt = performance.now();
      const lines = new Set(first.diagnostics.map((diagnostic) => diagnostic.range.start.line));
      const injected = tree.errors.filter((entry) => entry.file === openedFile);
      result.opened = {
        file: openedFile,
        openedAtMs: openedAt - started,
        firstDiagnosticsMs: firstAt - openedAt,
        beforeIndexingEnded: !result.progress.end,
        diagnostics: first.diagnostics.length,
        injected: injected.length,
        found: injected.filter((entry) => lines.has(entry.error.line)).length,
        finalDiagnostics: NaN,
      };
      log(`indexing: ${openedFile} opened ${(openedAt - started).toFixed(0)} ms after initialize, first diagnostics after ${(firstAt - openedAt).toFixed(0)} ms (${first.diagnostics.length}), ${result.opened.beforeIndexingEnded ? 'before' : 'after'} indexing ended`);
    }
    await timeout(ended, 'indexing progress to end');
    result.indexMs = endedAt - started;
    if (result.opened && openedFile) {
      // The server republishes open files once the index is complete.
      await new Promise((resolve) => setTimeout(resolve, 500));
      result.opened.finalDiagnostics = client.latest(pathToFileURL(join(tree.dir, openedFile)).toString())?.length ?? NaN;
    }
    Object.assign(result, { peakRssKb: memoryOf(client.process.pid ?? -1).peakRssKb });
    log(`indexing: ${tree.files} files indexed in ${result.indexMs.toFixed(0)} ms (${result.progress.reports} progress reports; server: ${result.serverLog ?? 'no log line'}), peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MB`);
  } catch (error) {
    result.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`indexing: FAILED: ${result.error}`);
  } finally {
    await client.shutdown();
  }
  return result;
}
