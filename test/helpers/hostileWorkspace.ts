// The harness of the hostile-input tests (test/server/hostileFiles.test.ts, issue 6, and
// test/server/hostileInputs.test.ts, issue 12): a workspace on disk with a real
// `istio-mirror-language-server --stdio` process on it, every request an editor sends, the
// server's memory (VmRSS / VmHWM from /proc) sampled and bounded, handler exceptions collected.
// No speed is asserted: the generous bounds only turn a hang into a failure; the time and peak
// memory of each case are printed.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './lspClient';
import { reviewsVirtualService } from './reviewsYaml';

export const timeout = 300_000;
/** Bound on one answer or one publish: turns a hang into a failure. */
export const bound = 180_000;
/** Bound on the server's resident memory (current and peak). */
const memoryBoundKb = 1.5 * 1024 * 1024;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms / 1000} s (hang)`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}

/** VmRSS and VmHWM (peak) of a process, in kB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

export const normalVirtualService = reviewsVirtualService('v2', 150);

export const normalDestinationRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;

/** A workspace on disk with a server on it; one per case, so a hang or a blow-up stays there. */
export class HostileWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'istio-mirror-hostile-'));
  readonly client: LspClient;
  readonly logs: string[] = [];
  private versions = new Map<string, number>();
  readonly memory: { when: string; rss: number; peak: number; at: number }[] = [];
  private readonly started = Date.now();
  /** Rejects when the server process exits (a crash fails the case at once, not after the bound). */
  private readonly died: Promise<never>;
  /** Names the case in the printed figures. */
  label: string;

  constructor(files: Record<string, string | Buffer>, settings: Record<string, unknown> = {}) {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.root, name), content);
    this.label = Object.keys(files).join(', ');
    this.client = new LspClient({ rootPath: this.root, settings: { istioMirror: settings } });
    this.died = new Promise<never>((_, reject) => {
      this.client.process.once('exit', (code, signal) => reject(new Error(`the server exited (${String(code ?? signal)}); stderr: ${this.client.stderr.split('\n').filter((line) => !/^\s*\d+: 0x/.test(line)).join('\n').slice(-1500)}`)));
    });
    this.died.catch(() => undefined);
    this.client.connection.onNotification('window/logMessage', (params: { message: string }) => { this.logs.push(params.message); });
  }

  uri(name: string): string {
    return pathToFileURL(join(this.root, name)).toString();
  }

  async start(): Promise<void> {
    await within(this.client.initialize(), bound, 'initialize');
    this.sample('started');
    await within((async () => {
      while (!this.logs.some((line) => /indexed \d+ YAML files/.test(line))) await sleep(20);
    })(), bound, 'indexing the workspace');
    this.sample('indexed');
  }

  sample(when: string): void {
    assert.equal(this.client.exited, undefined, `the server exited (${String(this.client.exited)}) ${when}; stderr: ${this.client.stderr.slice(-2000)}`);
    const memory = memoryOf(this.client.process.pid!);
    this.memory.push({ when, ...memory, at: Date.now() - this.started });
    assert.ok(memory.rss < memoryBoundKb && memory.peak < memoryBoundKb, `server memory ${when}: VmRSS ${(memory.rss / 1024).toFixed(0)} MB, VmHWM ${(memory.peak / 1024).toFixed(0)} MB (bound ${memoryBoundKb / 1024} MB)`);
  }

  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    return this.published(uri, version, 'open');
  }

  async change(uri: string, range: Diagnostic['range'], text: string): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return this.published(uri, version, 'change');
  }

  published(uri: string, version: number, what: string): Promise<PublishDiagnosticsParams> {
    return within(Promise.race([this.died, this.client.waitForDiagnostics(uri, (d) => d.version === version, bound + 5000)]), bound, `diagnostics after ${what} of ${uri.slice(uri.lastIndexOf('/') + 1)}`);
  }

  /** Requests that took longer than a second, for the log (no speed is asserted). */
  readonly slow: string[] = [];

  async request<R>(method: string, params: unknown): Promise<R> {
    const started = Date.now();
    const result = await within(Promise.race([this.died, this.client.request<R>(method, params)]), bound, method);
    const ms = Date.now() - started;
    if (ms > 1000) {
      const position = (params as { position?: { line: number } }).position;
      this.slow.push(`${method}${position ? ` @${position.line}` : ''} ${(ms / 1000).toFixed(1)} s`);
    }
    return result;
  }

  /** Every request an editor sends for a document, at a few positions; all must be answered. */
  async askEverything(uri: string, text: string, diagnostics: Diagnostic[], where: 'start, middle, end' | 'middle' = 'start, middle, end'): Promise<void> {
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    const lines = where === 'middle' ? [Math.floor(doc.lineCount / 2)] : [0, Math.floor(doc.lineCount / 2), Math.max(0, doc.lineCount - 2)];
    const textDocument = { uri };
    for (const line of lines) {
      const lineText = doc.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, '');
      const position = { line, character: Math.min(lineText.length, 200) };
      await this.request('textDocument/hover', { textDocument, position });
      await this.request('textDocument/completion', { textDocument, position });
      await this.request('textDocument/definition', { textDocument, position });
      await this.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
      await this.request('textDocument/prepareRename', { textDocument, position });
      await this.request('textDocument/selectionRange', { textDocument, positions: [position] });
      await this.request('istio/resourceInfo', { uri, position });
      await this.request('istio/mirrorTargets', { uri, position });
      const near = diagnostics.filter((d) => Math.abs(d.range.start.line - line) < 50).slice(0, 20);
      await this.request('textDocument/codeAction', { textDocument, range: { start: { line, character: 0 }, end: position }, context: { diagnostics: near } });
    }
    for (const diagnostic of diagnostics.slice(0, 5)) {
      await this.request('textDocument/codeAction', { textDocument, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    }
    await this.request('textDocument/documentSymbol', { textDocument });
    await this.request('textDocument/foldingRange', { textDocument });
    await this.request('textDocument/codeLens', { textDocument });
    await this.request('istio/trafficSplit', { uri });
    this.sample(`after every request on ${uri.slice(uri.lastIndexOf('/') + 1)}`);
  }

  /** A normal document is still served: its diagnostics arrive and a hover is answered. */
  async stillServes(): Promise<void> {
    const uri = this.uri('normal-after.yaml');
    const published = await this.open(uri, normalVirtualService);
    assert.ok(published.diagnostics.some((d) => d.code === 'IM2002'), `a normal document after the hostile one: ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
    const hover = await this.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 8 } });
    assert.ok(hover, 'hover on the normal document');
    this.sample('after the normal document');
  }

  handlerErrors(): string[] {
    return this.logs.filter((line) => line.includes('error during')).map((line) => line.split('\n').slice(0, 3).join(' | '));
  }

  async dispose(): Promise<void> {
    if (this.slow.length > 0) console.log(`  slow answers: ${this.slow.join('; ')}`);
    const peak = Math.max(...this.memory.map((m) => m.peak));
    console.log(`  ${this.label}: ${((Date.now() - this.started) / 1000).toFixed(1)} s, peak memory ${(peak / 1024).toFixed(0)} MB`);
    console.log(`  memory in MB (and seconds since start): ${this.memory.map((m) => `${m.when}: ${(m.rss / 1024).toFixed(0)}, peak ${(m.peak / 1024).toFixed(0)} (${(m.at / 1000).toFixed(1)} s)`).join('; ')}`);
    await this.client.shutdown();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Diagnostics are silence or clear: each has a code, a message and a range inside the text. */
export function assertClear(text: string, diagnostics: Diagnostic[], what: string): void {
  const doc = TextDocument.create('mem:x', 'yaml', 1, text);
  for (const d of diagnostics) {
    assert.ok(d.code !== undefined && typeof d.message === 'string' && d.message.length > 10, `${what}: unclear diagnostic ${JSON.stringify(d).slice(0, 300)}`);
    assert.ok(d.range.end.line < doc.lineCount, `${what}: ${String(d.code)} at ${JSON.stringify(d.range)} is outside the document`);
  }
}

export async function hostileCase(files: Record<string, string | Buffer>, run: (workspace: HostileWorkspace) => Promise<void>, settings: Record<string, unknown> = {}): Promise<void> {
  const workspace = new HostileWorkspace(files, settings);
  try {
    await workspace.start();
    await run(workspace);
    await workspace.stillServes();
    assert.deepEqual(workspace.handlerErrors(), [], 'handler exceptions logged by the server');
  } finally {
    await workspace.dispose();
  }
}
