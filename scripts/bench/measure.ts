// Drives one language server process through the project's LSP client (test/helpers/lspClient)
// and measures what a user waits for: open → first diagnostics, edit → diagnostics of that
// edit, completion latency, the process's peak RSS, and which injected errors it reported.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CompletionItem, CompletionList, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient } from '../../test/helpers/lspClient';
import type { ErrorKind, InjectedError } from './generate';

export interface ServerSpec {
  /** Display name. */
  name: string;
  command: string[];
  /** Answered to workspace/configuration, by section. */
  settings: Record<string, unknown>;
  /** The configuration section whose request means the server has pulled its settings. */
  configurationSection: string;
  /** Whether publishDiagnostics carries the document version (istio-mirror: yes; yaml-language-server 1.25: no). */
  versionedDiagnostics: boolean;
}

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; text: string }

/** An edit the benchmark times, and the one that undoes it (also timed). */
export interface EditPair { line: number; apply: TextEdit; undo: TextEdit }

export interface CompletionSetup {
  /** Untimed edits that put the cursor positions in place (blank line in a `mirror:` block, an emptied `subset:` value). */
  edits: TextEdit[];
  mirror: Position;
  subset: Position;
}

export interface MeasureOptions {
  uri: string;
  /** The same text opened again under this URI after closing `uri`: open time with a warm server and no cache hit. */
  reopenUri: string;
  text: string;
  errors: InjectedError[];
  edits: EditPair[];
  /** Timed edits: at least `minEdits`, at most `maxEdits`, stop once `editBudgetMs` is spent (checked after each pair). */
  minEdits: number;
  maxEdits: number;
  editBudgetMs: number;
  completion: CompletionSetup;
  minCompletions: number;
  maxCompletions: number;
  completionBudgetMs: number;
  warmup: { uri: string; text: string; expectedLines: number[] };
  timeoutMs: number;
  log: (message: string) => void;
}

export interface Stats { n: number; median: number; p95: number; min: number; max: number; mean: number }

export interface ServerResult {
  server: string;
  pid: number;
  sanity: { ok: boolean; expectedLines: number[]; diagnostics: { line: number; message: string }[] };
  /** didOpen → first diagnostics, the first time a large file is opened in this server process. */
  openMs: number;
  /** The same, for the same text under another URI after closing the first (a warm server). */
  reopenMs: number;
  openDiagnostics: number;
  found: { total: number; byKind: Record<ErrorKind, { found: number; of: number }>; missed: InjectedError[] };
  /** Diagnostics on lines where nothing was injected, by severity (1 error … 4 hint). */
  otherDiagnostics: Record<string, number>;
  otherSamples: { line: number; message: string }[];
  edit: Stats;
  editSamples: number[];
  completionMirror: Stats;
  completionSubset: Stats;
  completionLabels: { mirror: string[]; subset: string[] };
  peakRssKb: number;
  rssKb: number;
  error?: string;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN, mean: NaN };
  const rank = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, p95: rank(0.95), min: sorted[0], max: sorted[n - 1], mean: sorted.reduce((a, b) => a + b, 0) / n };
}

/** VmHWM / VmRSS of a live process, in kB (Linux). */
export function memoryOf(pid: number): { peakRssKb: number; rssKb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRssKb: field('VmHWM'), rssKb: field('VmRSS') };
  } catch {
    return { peakRssKb: NaN, rssKb: NaN };
  }
}

/**
 * Sends a document notification (`send`) and resolves with the diagnostics that answer it: those of
 * the new version when the server sends versions, else the next ones published for `uri`.
 */
function sendAndWait(client: LspClient, spec: ServerSpec, uri: string, send: () => Promise<void>, timeoutMs: number): Promise<PublishDiagnosticsParams> {
  const seen = client.published.length;
  void send(); // sets the client's version of `uri` synchronously; nothing is received before we wait below
  if (spec.versionedDiagnostics) return client.waitForVersion(uri, timeoutMs);
  return client.waitForDiagnostics(uri, () => client.published.slice(seen).some((p) => p.uri === uri), timeoutMs);
}

function labelsOf(result: CompletionList | CompletionItem[] | null): string[] {
  if (!result) return [];
  const items = Array.isArray(result) ? result : result.items;
  return items.map((item) => item.label);
}

export async function measureServer(spec: ServerSpec, options: MeasureOptions): Promise<ServerResult> {
  const { log } = options;
  const client = new LspClient({ command: spec.command, settings: spec.settings });
  const pid = client.process.pid ?? -1;
  const result: ServerResult = {
    server: spec.name,
    pid,
    sanity: { ok: false, expectedLines: options.warmup.expectedLines, diagnostics: [] },
    openMs: NaN,
    reopenMs: NaN,
    openDiagnostics: 0,
    found: { total: 0, byKind: {} as ServerResult['found']['byKind'], missed: [] },
    otherDiagnostics: {},
    otherSamples: [],
    edit: stats([]),
    editSamples: [],
    completionMirror: stats([]),
    completionSubset: stats([]),
    completionLabels: { mirror: [], subset: [] },
    peakRssKb: NaN,
    rssKb: NaN,
  };
  try {
    // Settings: answer workspace/configuration from spec.settings and notice when the server pulled them.
    let markConfigured: () => void = () => undefined;
    const configured = new Promise<void>((resolve) => { markConfigured = resolve; });
    client.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      if (params.items.some((item) => item.section === spec.configurationSection)) setTimeout(markConfigured, 50);
      return params.items.map((item) => (item.section ? (spec.settings[item.section] ?? null) : spec.settings));
    });
    await client.initialize();
    await client.notify('workspace/didChangeConfiguration', { settings: spec.settings });
    await Promise.race([configured, new Promise((resolve) => setTimeout(resolve, 5000))]);

    // Warm-up and sanity check: a small multi-document file with errors in two documents after the first.
    const warm = options.warmup;
    const warmDiagnostics = await sendAndWait(client, spec, warm.uri, () => client.open(warm.uri, warm.text), options.timeoutMs);
    result.sanity.diagnostics = warmDiagnostics.diagnostics.map((d) => ({ line: d.range.start.line, message: messageOf(d) }));
    result.sanity.ok = warm.expectedLines.every((line) => warmDiagnostics.diagnostics.some((d) => d.range.start.line === line));
    await client.close(warm.uri);
    log(`${spec.name}: sanity check ${result.sanity.ok ? 'ok' : 'FAILED'} (${warmDiagnostics.diagnostics.length} diagnostics on the warm-up file)`);

    // Open → first diagnostics.
    let started = performance.now();
    const first = await sendAndWait(client, spec, options.uri, () => client.open(options.uri, options.text), options.timeoutMs);
    result.openMs = performance.now() - started;
    result.openDiagnostics = first.diagnostics.length;
    scoreDiagnostics(result, first.diagnostics, options.errors);
    log(`${spec.name}: open → first diagnostics ${result.openMs.toFixed(0)} ms, ${first.diagnostics.length} diagnostics, ${result.found.total}/${options.errors.length} injected errors found`);

    // Re-open: close, then open the same text under another URI (no cache can answer it).
    await client.close(options.uri);
    const uri = options.reopenUri;
    started = performance.now();
    await sendAndWait(client, spec, uri, () => client.open(uri, options.text), options.timeoutMs);
    result.reopenMs = performance.now() - started;
    log(`${spec.name}: re-open → first diagnostics ${result.reopenMs.toFixed(0)} ms`);

    // Edit → diagnostics of that edit, one edit at a time.
    const editStart = performance.now();
    for (const pair of options.edits) {
      for (const edit of [pair.apply, pair.undo]) {
        started = performance.now();
        await sendAndWait(client, spec, uri, () => client.change(uri, edit.range, edit.text), options.timeoutMs);
        result.editSamples.push(performance.now() - started);
      }
      const count = result.editSamples.length;
      if (count >= options.maxEdits) break;
      if (count >= options.minEdits && performance.now() - editStart > options.editBudgetMs) break;
    }
    result.edit = stats(result.editSamples);
    log(`${spec.name}: edit → diagnostics median ${result.edit.median.toFixed(1)} ms, p95 ${result.edit.p95.toFixed(1)} ms (n=${result.edit.n})`);

    // Completion: put the cursor positions in place, then alternate the two requests.
    for (const edit of options.completion.edits) {
      await sendAndWait(client, spec, uri, () => client.change(uri, edit.range, edit.text), options.timeoutMs);
    }
    const mirrorSamples: number[] = [];
    const subsetSamples: number[] = [];
    const completionStart = performance.now();
    for (let i = 0; i < options.maxCompletions; i++) {
      for (const [position, samples, key] of [[options.completion.mirror, mirrorSamples, 'mirror'], [options.completion.subset, subsetSamples, 'subset']] as const) {
        started = performance.now();
        const answer = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position });
        samples.push(performance.now() - started);
        if (i === 0) result.completionLabels[key] = labelsOf(answer).slice(0, 12);
      }
      if (i + 1 >= options.minCompletions && performance.now() - completionStart > options.completionBudgetMs) break;
    }
    result.completionMirror = stats(mirrorSamples);
    result.completionSubset = stats(subsetSamples);
    log(`${spec.name}: completion in mirror: p95 ${result.completionMirror.p95.toFixed(1)} ms [${result.completionLabels.mirror.join(', ')}], at subset: p95 ${result.completionSubset.p95.toFixed(1)} ms [${result.completionLabels.subset.join(', ')}]`);

    Object.assign(result, memoryOf(pid));
    log(`${spec.name}: peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MB`);
  } catch (error) {
    result.error = error instanceof Error ? error.message.slice(0, 2000) : String(error);
    log(`${spec.name}: FAILED: ${result.error}`);
    if (Number.isNaN(result.peakRssKb)) Object.assign(result, memoryOf(pid));
  } finally {
    await client.shutdown();
  }
  return result;
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function scoreDiagnostics(result: ServerResult, diagnostics: Diagnostic[], errors: InjectedError[]): void {
  const byLine = new Map<number, Diagnostic[]>();
  for (const diagnostic of diagnostics) {
    const line = diagnostic.range.start.line;
    const list = byLine.get(line);
    if (list) list.push(diagnostic);
    else byLine.set(line, [diagnostic]);
  }
  const injectedLines = new Set(errors.map((error) => error.line));
  for (const error of errors) {
    const entry = (result.found.byKind[error.kind] ??= { found: 0, of: 0 });
    entry.of += 1;
    if (byLine.has(error.line)) {
      entry.found += 1;
      result.found.total += 1;
    } else {
      result.found.missed.push(error);
    }
  }
  for (const diagnostic of diagnostics) {
    if (injectedLines.has(diagnostic.range.start.line)) continue;
    const severity = String(diagnostic.severity ?? 1);
    result.otherDiagnostics[severity] = (result.otherDiagnostics[severity] ?? 0) + 1;
    if (result.otherSamples.length < 5) result.otherSamples.push({ line: diagnostic.range.start.line, message: messageOf(diagnostic) });
  }
}
