// The randomised driver of the real language server process (issue 6, "Robustness"): a
// seeded session of random editor activity across a multi-file workspace on disk, checked as
// it goes. Used by test/server/randomEdits.test.ts (a short run in `npm test`) and by
// scripts/fuzz.ts (the long run, with reduction of what it finds).
//
// One step = one action (incremental edits — insertions, deletions, replacements, pasted
// fragments, typing character by character, merging and splitting documents —, closing and
// reopening, saving, changing or deleting files on disk with a watched-file notification, a
// settings change) followed by one probe (a random request at a random position). After every
// step: the process is alive, every open document got diagnostics for its current version,
// the probe was answered without an error response (other than deliberate ones) and its
// answer is well formed (ranges inside the document, completion edits on the cursor's line,
// symbol selection ranges inside their ranges, …), and the server logged no handler
// exception. Every `checkEvery` steps and at the end: the diagnostics of every open document
// equal those of a FRESH server process started on the same workspace and opened on the same
// texts — the incremental state never drifts —, and so does what was last published for each
// file that is not open (issue 11 publishes the findings of every indexed file).
//
// The texts the server holds are mirrored locally by applying the same changes with
// `TextDocument.update`, the function the server's `TextDocuments` uses. Every step is
// recorded as concrete data (ranges, texts, positions), so a session can be replayed — and
// reduced — without the random source.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './lspClient';
import { findTokens, FuzzRandom, fragments, initialWorkspace, tokenClasses } from './fuzzFragments';

// ─── Recorded steps ─────────────────────────────────────────────────────────────────────────

export interface Pos { line: number; character: number }
export interface Rng { start: Pos; end: Pos }
/** One content change of a didChange notification; no range = the whole text. */
export interface Change { range?: Rng; text: string }

/**
 * A file is named by a path relative to the session's temp folder: `ws/…` inside the workspace
 * folder, `out/…` outside it, or an `untitled:` URI (never on disk).
 */
export type FuzzAction =
  | { kind: 'edit'; what: string; path: string; notifications: Change[][]; completeAfter?: number[]; probesAfter?: [number, FuzzProbe][]; fix?: FixCheck }
  | { kind: 'open'; path: string; text: string }
  | { kind: 'close'; path: string }
  | { kind: 'closeReopen'; path: string; text: string }
  | { kind: 'save'; path: string }
  | { kind: 'disk'; path: string; text: string | null; notify: 'created' | 'changed' | 'deleted' | 'none' }
  | { kind: 'diskThenOpen'; path: string; diskText: string; openText: string }
  | { kind: 'config'; settings: Record<string, unknown> };

export interface FuzzProbe {
  method: string;
  path: string;
  position: Pos;
  /** Second position (selection ranges), range end (code actions). */
  position2?: Pos;
  newName?: string;
  cancel?: boolean;
}

export interface FuzzStep { action: FuzzAction; probe?: FuzzProbe }

/**
 * A quick fix applied as an edit (test/helpers/grammarMutations.ts): what the fix was offered
 * for, so that the result can be checked after it (by a subclass's `afterAction`).
 */
export interface FixCheck {
  title: string;
  /** The document whose diagnostics the fix targets. */
  path: string;
  /** The diagnostics the code action named (code and message), and how many of them the document had before. */
  diagnostics: { code: string; message: string; before?: number }[];
  /** Whether every YAML document of the edited file parsed without error before the fix. */
  parsedBefore: boolean;
}

export type FindingKind =
  | 'crash'
  | 'timeout'
  | 'error-response'
  | 'handler-exception'
  | 'invalid-answer'
  | 'invalid-diagnostic'
  | 'stale-diagnostics'
  | 'drift'
  | 'drift-related'
  | 'quick-fix';

export interface FuzzFinding {
  kind: FindingKind;
  seed: number;
  /** 1-based step after which it was seen (0 = while opening the workspace). */
  step: number;
  message: string;
  /** The path of the document concerned, when there is one. */
  path?: string;
  /** Findings with the same signature are reported once and counted. */
  signature?: string;
  occurrences?: number;
  /** The request concerned, and the text of its document when it was sent. */
  probe?: FuzzProbe;
  probeText?: string;
  /** The workspace texts when it was seen. */
  snapshot?: { disk: Record<string, string>; open: Record<string, string> };
}

export interface FuzzOptions {
  seed: number;
  steps: number;
  /** Compare with a fresh server every this many steps (and always at the end). */
  checkEvery?: number;
  /** Generous bound that turns a hang into a failure. */
  timeoutMs?: number;
  /** Stop at the first finding; by default keep going: each distinct problem reported once, the server restarted after drift or a hang. */
  stopAtFirst?: boolean;
  /** Also compare relatedInformation of diagnostics (not only code, severity, range, message). */
  compareRelated?: boolean;
  log?: (line: string) => void;
  /** Called after each step (progress). */
  onStep?: (step: number) => void;
  /** Bigger pastes and longer typing (the long run). */
  heavy?: boolean;
  /**
   * Include the racy actions (default true): documents opened while the server is indexing,
   * and a document opened right after a watched-file change of the same file. Off, every
   * open waits for the server's disk reads first, so drift found is not about those races.
   */
  races?: boolean;
  /** The initial workspace (paths relative to the workspace folder); default fuzzFragments' initialWorkspace. */
  workspace?: Readonly<Record<string, string>>;
  /** The documents open at the start (paths like `ws/…`); default three of the initial workspace. */
  initiallyOpen?: readonly string[];
}

const workspaceFolder = 'ws';
const defaultInitiallyOpen = ['ws/vs-reviews.yaml', 'ws/vs-ratings.yaml', 'ws/mixed.yaml'];
const deliberateErrorCodes = new Set([-32800 /* RequestCancelled */]);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How many indexing runs a server makes at start-up before it is settled: one, whatever the settings. */
function startupIndexRuns(settings: Record<string, unknown>): number {
  void settings;
  return 1;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}

class TimeoutError extends Error {}

export class FindingError extends Error {
  constructor(readonly finding: FuzzFinding) {
    super(formatFinding(finding));
  }
}

export function formatFinding(finding: FuzzFinding): string {
  const more = finding.occurrences && finding.occurrences > 1 ? ` (seen ${finding.occurrences} times)` : '';
  return `[${finding.kind}] seed ${finding.seed}, step ${finding.step}${finding.path ? `, ${finding.path}` : ''}${more}: ${finding.message}`;
}

/** An exception is the same one when its message and innermost frame are. */
function exceptionSignature(log: string): string {
  const lines = log.split('\n');
  const message = lines[0].replace(/^.*error during /, '');
  const frame = lines.find((line) => /^\s+at /.test(line))?.trim().replace(/\(.*\)$/, '') ?? '';
  return `handler-exception: ${message} ${frame}`;
}

function defaultSignature(kind: FindingKind, message: string): string {
  if (kind === 'drift' || kind === 'drift-related' || kind === 'stale-diagnostics') return `${kind}: ${Math.random()}`; // each one matters

  return `${kind}: ${message.split('\n')[0].replace(/"[^"]*"/g, '"…"').replace(/\d+/g, '#').slice(0, 160)}`;
}

// ─── One server process ────────────────────────────────────────────────────────────────────

/** An LspClient plus what the driver needs: captured log lines, quiet-period detection. */
class ServerProcess {
  readonly client: LspClient;
  readonly logs: string[] = [];
  lastMessageAt = Date.now();
  configurationRequests = 0;
  private indexed = 0;
  private indexWaiters: (() => void)[] = [];

  constructor(root: string, settings: Record<string, unknown>) {
    this.client = new LspClient({ rootPath: root, settings: { istioMirror: settings } });
    const connection = this.client.connection;
    // Replace the client's no-op log handler: the index-done line and runSafe's error lines matter.
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.lastMessageAt = Date.now();
      this.logs.push(params.message);
      if (/indexed \d+ YAML files/.test(params.message)) {
        this.indexed += 1;
        for (const resolve of this.indexWaiters.splice(0)) resolve();
      }
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      this.lastMessageAt = Date.now();
      this.configurationRequests += 1;
      const all = this.client.settings;
      return params.items.map((item) => (item.section ? (all[item.section] ?? null) : all));
    });
    // LspClient's own publishDiagnostics handler keeps its maps; note the time of each publish.
    const published = this.client.published;
    const push = published.push.bind(published);
    published.push = (...items: PublishDiagnosticsParams[]): number => {
      this.lastMessageAt = Date.now();
      return push(...items);
    };
  }

  get pid(): number | undefined {
    return this.client.process.pid;
  }

  get alive(): boolean {
    return this.client.exited === undefined;
  }

  /** Resolves when the server has logged the end of `count` indexing runs. */
  waitForIndex(count: number, timeoutMs: number): Promise<void> {
    if (this.indexed >= count) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => {
      const check = (): void => { if (this.indexed >= count) resolve(); else this.indexWaiters.push(check); };
      check();
    }), timeoutMs, 'workspace indexing');
  }

  get indexRuns(): number {
    return this.indexed;
  }

  /** Waits until the server has been silent for `ms` (bounded by `maxMs`). */
  async quiet(ms: number, maxMs = 5000): Promise<void> {
    const started = Date.now();
    while (Date.now() - started < maxMs) {
      const silentFor = Date.now() - this.lastMessageAt;
      if (silentFor >= ms) return;
      await sleep(ms - silentFor);
    }
  }

  /** The messages of runSafe's "error during …" log lines since `from`. */
  errorsSince(from: number): string[] {
    return this.logs.slice(from).filter((line) => line.includes('error during'));
  }

  async shutdown(): Promise<void> {
    await this.client.shutdown();
  }
}

// ─── Diagnostics comparison ────────────────────────────────────────────────────────────────

function messageOf(d: Diagnostic): string {
  const message: unknown = d.message;
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function diagnosticKey(d: Diagnostic): string {
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} sev${d.severity ?? '?'} ${String(d.code)} ${messageOf(d)}`;
}

function relatedKey(d: Diagnostic): string {
  return `${diagnosticKey(d)} | ${(d.relatedInformation ?? []).map((info) => `${info.location.uri}@${info.location.range.start.line}:${info.location.range.start.character}-${info.location.range.end.line}:${info.location.range.end.character} ${info.message}`).join(' ; ')}`;
}

/** Lines only in `a` (-) or only in `b` (+), for a readable difference. */
function difference(actual: string[], expected: string[]): string {
  const a = [...actual].sort();
  const b = [...expected].sort();
  const onlyA = a.filter((line) => !b.includes(line));
  const onlyB = b.filter((line) => !a.includes(line));
  const extraCount = (xs: string[], ys: string[]): string[] => {
    // duplicates: same line more often on one side
    const out: string[] = [];
    for (const line of new Set(xs)) {
      const n = xs.filter((x) => x === line).length - ys.filter((y) => y === line).length;
      if (n > 0 && ys.includes(line)) out.push(`${line} (×${n} more)`);
    }
    return out;
  };
  return [
    ...onlyA.map((line) => `  incremental only: ${line}`),
    ...extraCount(a, b).map((line) => `  incremental only: ${line}`),
    ...onlyB.map((line) => `  fresh only:       ${line}`),
    ...extraCount(b, a).map((line) => `  fresh only:       ${line}`),
  ].join('\n');
}

// ─── Answer checks ─────────────────────────────────────────────────────────────────────────

function lineLength(doc: TextDocument, line: number): number {
  return doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line, character: 0 });
}

function positionProblem(doc: TextDocument, p: Pos | undefined): string | undefined {
  if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) return `not a position: ${JSON.stringify(p)}`;
  if (p.line < 0 || p.line >= doc.lineCount) return `line ${p.line} outside the document (${doc.lineCount} lines)`;
  const length = lineLength(doc, p.line);
  if (p.character < 0 || p.character > length) return `character ${p.character} outside line ${p.line} (length ${length})`;
  return undefined;
}

const before = (a: Pos, b: Pos): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (outer: Rng, inner: Rng): boolean => before(outer.start, inner.start) && before(inner.end, outer.end);
const rangeText = (r: Rng): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

export function rangeProblem(doc: TextDocument, r: Rng | undefined, what: string): string | undefined {
  if (!r || !r.start || !r.end) return `${what}: not a range: ${JSON.stringify(r)}`;
  const problem = positionProblem(doc, r.start) ?? positionProblem(doc, r.end);
  if (problem) return `${what} ${rangeText(r)}: ${problem}`;
  if (!before(r.start, r.end)) return `${what} ${rangeText(r)}: ends before it starts`;
  return undefined;
}

interface TextEditLike { range: Rng; newText: string }

function editsProblem(docs: Map<string, TextDocument>, edit: unknown, what: string): string | undefined {
  if (!edit || typeof edit !== 'object') return undefined;
  const perUri: [string, TextEditLike[]][] = [];
  const workspaceEdit = edit as { changes?: Record<string, TextEditLike[]>; documentChanges?: { textDocument?: { uri: string; version?: number | null }; edits?: TextEditLike[] }[] };
  for (const [uri, edits] of Object.entries(workspaceEdit.changes ?? {})) perUri.push([uri, edits]);
  for (const change of workspaceEdit.documentChanges ?? []) {
    if (change.textDocument && change.edits) {
      const doc = docs.get(change.textDocument.uri);
      const version = change.textDocument.version;
      if (doc && version !== null && version !== undefined && version !== doc.version) return `${what}: edit for version ${version} of ${change.textDocument.uri}, but the document is at version ${doc.version}`;
      perUri.push([change.textDocument.uri, change.edits]);
    }
  }
  for (const [uri, edits] of perUri) {
    const doc = docs.get(uri);
    if (!doc) continue;
    for (const e of edits) {
      const problem = rangeProblem(doc, e.range, `${what} edit`);
      if (problem) return problem;
    }
    try {
      TextDocument.applyEdits(doc, edits);
    } catch (error) {
      return `${what}: edits cannot be applied: ${String(error)}`;
    }
  }
  return undefined;
}

/** Checks the shape of an answer against the document it was asked about; undefined when fine. */
export function answerProblem(method: string, probe: FuzzProbe, result: unknown, doc: TextDocument | undefined, docs: Map<string, TextDocument>): string | undefined {
  if (result === null || result === undefined || !doc) return undefined;
  // Asked at a position outside the document (the driver does that on purpose): any answer
  // will do, as long as there is one; what is checked then is the answer to whole-document requests.
  const positional = !['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeLens', 'istio/trafficSplit'].includes(method);
  if (positional && [probe.position, probe.position2].some((p) => p && positionProblem(doc, p))) return undefined;
  switch (method) {
    case 'textDocument/hover': {
      const hover = result as { range?: Rng; contents?: unknown };
      if (hover.contents === undefined) return 'hover without contents';
      if (hover.range) {
        const problem = rangeProblem(doc, hover.range, 'hover range');
        if (problem) return problem;
      }
      return undefined;
    }
    case 'textDocument/completion': {
      const list = (Array.isArray(result) ? { items: result } : result) as { items: { label: string; textEdit?: { range?: Rng; insert?: Rng; replace?: Rng; newText: string }; additionalTextEdits?: TextEditLike[] }[]; itemDefaults?: { editRange?: Rng | { insert: Rng; replace: Rng } } };
      if (!Array.isArray(list.items)) return 'completion without items';
      const cursor = probe.position;
      for (const item of list.items) {
        if (typeof item.label !== 'string' || item.label === '') return `completion item with label ${JSON.stringify(item.label)}`;
        const ranges = item.textEdit ? (item.textEdit.range ? [item.textEdit.range] : [item.textEdit.insert, item.textEdit.replace]) : [];
        for (const range of ranges) {
          const problem = rangeProblem(doc, range, `completion "${item.label}" textEdit`);
          if (problem) return problem;
          if (range!.start.line !== range!.end.line) return `completion "${item.label}": textEdit range ${rangeText(range!)} spans lines (LSP requires one line)`;
          if (!contains(range!, { start: cursor, end: cursor })) return `completion "${item.label}": textEdit range ${rangeText(range!)} does not contain the cursor ${cursor.line}:${cursor.character} (LSP requires it)`;
        }
        for (const edit of item.additionalTextEdits ?? []) {
          const problem = rangeProblem(doc, edit.range, `completion "${item.label}" additionalTextEdit`);
          if (problem) return problem;
        }
      }
      return undefined;
    }
    case 'textDocument/documentSymbol': {
      const visit = (symbols: { name: string; range: Rng; selectionRange: Rng; children?: unknown[] }[], depth: number): string | undefined => {
        for (const symbol of symbols) {
          if (typeof symbol.name !== 'string' || symbol.name.trim() === '') return `document symbol with name ${JSON.stringify(symbol.name)} (VS Code rejects falsy names)`;
          const problem = rangeProblem(doc, symbol.range, `symbol "${symbol.name}" range`) ?? rangeProblem(doc, symbol.selectionRange, `symbol "${symbol.name}" selectionRange`);
          if (problem) return problem;
          if (!contains(symbol.range, symbol.selectionRange)) return `symbol "${symbol.name}": selectionRange ${rangeText(symbol.selectionRange)} not inside range ${rangeText(symbol.range)} (VS Code rejects it)`;
          if (depth < 20 && symbol.children) {
            const nested = visit(symbol.children as typeof symbols, depth + 1);
            if (nested) return nested;
          }
        }
        return undefined;
      };
      return Array.isArray(result) ? visit(result as never, 0) : 'document symbols not an array';
    }
    case 'textDocument/foldingRange': {
      if (!Array.isArray(result)) return 'folding ranges not an array';
      for (const range of result as { startLine: number; endLine: number }[]) {
        if (!(range.startLine >= 0 && range.startLine <= range.endLine && range.endLine < doc.lineCount)) return `folding range ${range.startLine}-${range.endLine} invalid (${doc.lineCount} lines)`;
      }
      return undefined;
    }
    case 'textDocument/selectionRange': {
      if (!Array.isArray(result)) return 'selection ranges not an array';
      const positions = [probe.position, probe.position2 ?? probe.position];
      if (result.length !== positions.length) return `${result.length} selection ranges for ${positions.length} positions`;
      for (let i = 0; i < result.length; i++) {
        let current = result[i] as { range: Rng; parent?: unknown } | undefined;
        const cursor = positions[i];
        if (current && !contains(current.range, { start: cursor, end: cursor })) return `selection range ${rangeText(current.range)} does not contain its position ${cursor.line}:${cursor.character}`;
        for (let depth = 0; current && depth < 100; depth++) {
          const problem = rangeProblem(doc, current.range, 'selection range');
          if (problem) return problem;
          const parent = current.parent as { range: Rng; parent?: unknown } | undefined;
          if (parent && !contains(parent.range, current.range)) return `selection range parent ${rangeText(parent.range)} does not contain child ${rangeText(current.range)}`;
          current = parent;
        }
      }
      return undefined;
    }
    case 'textDocument/codeLens': {
      if (!Array.isArray(result)) return 'code lenses not an array';
      for (const lens of result as { range: Rng; command?: { title: string } }[]) {
        const problem = rangeProblem(doc, lens.range, 'code lens');
        if (problem) return problem;
        if (lens.command && (typeof lens.command.title !== 'string' || lens.command.title === '')) return 'code lens with an empty title';
      }
      return undefined;
    }
    case 'textDocument/definition':
    case 'textDocument/references': {
      const locations = (Array.isArray(result) ? result : [result]) as { uri?: string; range?: Rng; targetUri?: string; targetRange?: Rng; targetSelectionRange?: Rng }[];
      for (const location of locations) {
        const uri = location.uri ?? location.targetUri;
        const target = uri ? docs.get(uri) : undefined;
        if (!target) continue;
        const problem = rangeProblem(target, location.range ?? location.targetSelectionRange, `${method} location in ${uri}`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'textDocument/codeAction': {
      if (!Array.isArray(result)) return 'code actions not an array';
      for (const action of result as { title: string; edit?: unknown }[]) {
        if (typeof action.title !== 'string' || action.title === '') return 'code action with an empty title';
        const problem = editsProblem(docs, action.edit, `code action "${action.title}"`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'textDocument/prepareRename': {
      const prepared = result as { range?: Rng; start?: Pos; placeholder?: string; defaultBehavior?: boolean };
      const range = prepared.range ?? (prepared.start ? (result as Rng) : undefined);
      return range ? rangeProblem(doc, range, 'prepareRename range') : undefined;
    }
    case 'textDocument/rename':
      return editsProblem(docs, result, 'rename');
    default:
      return undefined;
  }
}

// ─── The session ───────────────────────────────────────────────────────────────────────────

export class FuzzSession {
  readonly findings: FuzzFinding[] = [];
  readonly recorded: FuzzStep[] = [];
  private readonly root: string;
  protected readonly rng: FuzzRandom;
  protected readonly options: Required<Omit<FuzzOptions, 'log' | 'onStep' | 'workspace' | 'initiallyOpen'>> & Pick<FuzzOptions, 'log' | 'onStep' | 'workspace' | 'initiallyOpen'>;
  protected server!: ServerProcess;
  /** What is on disk (relative path → text), mirrored. */
  protected readonly disk = new Map<string, string>();
  /** Open documents (relative path → the text the server holds). */
  protected readonly open = new Map<string, TextDocument>();
  /** Last version sent per URI; never reused, so a diagnostics version identifies one text. */
  private readonly versions = new Map<string, number>();
  private readonly everOpened = new Set<string>();
  protected settings: Record<string, unknown> = {};
  protected step = 0;
  private logMark = 0;
  private newFiles = 0;
  private lastEdit: { path: string; offset: number } | undefined;
  private readonly signatures = new Map<string, FuzzFinding>();
  private restarting: Promise<void> | undefined;
  private readonly pendingReads = new Map<string, number>();

  constructor(options: FuzzOptions) {
    this.options = {
      checkEvery: 50,
      timeoutMs: 20_000,
      stopAtFirst: false,
      compareRelated: true,
      heavy: false,
      races: true,
      ...options,
    };
    this.rng = new FuzzRandom(options.seed);
    this.root = mkdtempSync(join(tmpdir(), 'istio-mirror-fuzz-'));
  }

  get workspaceRoot(): string {
    return join(this.root, workspaceFolder);
  }

  /** Generates and runs `steps` random steps. */
  async run(): Promise<FuzzFinding[]> {
    return this.execute(undefined);
  }

  /** Runs recorded steps instead of random ones (reproduction, reduction). */
  async replay(steps: readonly FuzzStep[], checkEvery = this.options.checkEvery): Promise<FuzzFinding[]> {
    this.options.checkEvery = checkEvery;
    return this.execute(steps);
  }

  private async execute(given: readonly FuzzStep[] | undefined): Promise<FuzzFinding[]> {
    const total = given ? given.length : this.options.steps;
    try {
      await this.start();
      for (this.step = 1; this.step <= total; this.step++) {
        await this.runStep(given?.[this.step - 1]);
        if (this.step % this.options.checkEvery === 0 && this.step !== total) await this.compareWithFresh();
        this.options.onStep?.(this.step);
      }
      this.step = total;
      await this.compareWithFresh();
    } catch (error) {
      if (!(error instanceof FindingError)) throw error;
    } finally {
      await this.server?.shutdown().catch(() => undefined);
      rmSync(this.root, { recursive: true, force: true });
    }
    return this.findings;
  }

  // ── workspace and server ──

  /** The session path of a URI (the inverse of uri()). */
  private pathOf(uri: string): string {
    if (uri.startsWith('untitled:')) return uri;
    const root = pathToFileURL(this.root).toString();
    return uri.startsWith(`${root}/`) ? decodeURIComponent(uri.slice(root.length + 1)) : uri;
  }

  protected uri(path: string): string {
    if (path.startsWith('untitled:')) return path;
    return pathToFileURL(join(this.root, path)).toString();
  }

  protected writeDisk(path: string, text: string | null): void {
    if (path.startsWith('untitled:')) return;
    const file = join(this.root, path);
    if (text === null) {
      rmSync(file, { force: true });
      this.disk.delete(path);
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      this.disk.set(path, text);
    }
  }

  private nextVersion(uri: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    return version;
  }

  private async start(): Promise<void> {
    mkdirSync(join(this.root, workspaceFolder), { recursive: true });
    mkdirSync(join(this.root, 'out'), { recursive: true });
    for (const [path, text] of Object.entries(this.options.workspace ?? initialWorkspace)) this.writeDisk(`${workspaceFolder}/${path}`, text);
    const initiallyOpen = this.options.initiallyOpen ?? defaultInitiallyOpen;
    this.server = await this.startServer();
    // Like an editor restoring its session (hot exit): documents open — one with unsaved
    // changes — while the server is still indexing the workspace.
    if (!this.options.races) await this.server.waitForIndex(1, this.options.timeoutMs);
    const dirty = this.rng.pick(initiallyOpen);
    for (const path of initiallyOpen) {
      let text = this.disk.get(path)!;
      if (path === dirty) text = `${text}${this.rng.pick(['---\n', ''])}${this.rng.pick(fragments)}`;
      await this.sendOpen(path, text);
    }
    await this.server.waitForIndex(1, this.options.timeoutMs).catch((error: unknown) => this.fail('timeout', String(error)));
    await this.settle(initiallyOpen);
    this.step = 0;
    await this.checkProcess();
  }

  private async startServer(): Promise<ServerProcess> {
    const server = new ServerProcess(join(this.root, workspaceFolder), this.settings);
    await withTimeout(server.client.initialize(), this.options.timeoutMs, 'initialize');
    return server;
  }

  /** After drift or a hang: a new server on the current state, so later steps test something. */
  private restartServer(): Promise<void> {
    this.restarting ??= (async () => {
      await this.server.shutdown().catch(() => undefined);
      this.server = await this.startServer();
      this.logMark = 0;
      await this.server.waitForIndex(startupIndexRuns(this.settings), this.options.timeoutMs);
      for (const [path, doc] of this.open) await this.server.client.notify('textDocument/didOpen', { textDocument: { uri: this.uri(path), languageId: 'yaml', version: doc.version, text: doc.getText() } });
      for (const doc of this.open.values()) await this.server.client.waitForDiagnostics(doc.uri, (d) => d.version === doc.version, this.options.timeoutMs).catch(() => undefined);
    })().finally(() => { this.restarting = undefined; });
    return this.restarting;
  }

  private async sendOpen(path: string, text: string): Promise<void> {
    const uri = this.uri(path);
    const version = this.nextVersion(uri);
    this.open.set(path, TextDocument.create(uri, 'yaml', version, text));
    this.everOpened.add(path);
    await this.server.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  private async sendClose(path: string): Promise<void> {
    this.open.delete(path);
    await this.server.client.notify('textDocument/didClose', { textDocument: { uri: this.uri(path) } });
  }

  private async sendChanges(path: string, changes: Change[]): Promise<void> {
    const doc = this.open.get(path)!;
    const version = this.nextVersion(doc.uri);
    // update() changes a document in place: keep the old object intact for answers still in flight
    const copy = TextDocument.create(doc.uri, 'yaml', doc.version, doc.getText());
    const updated = TextDocument.update(copy, changes.map((change) => (change.range ? { range: change.range, text: change.text } : { text: change.text })), version);
    this.open.set(path, updated);
    const contentChanges = changes.map((change) => (change.range ? { range: change.range, text: change.text } : { text: change.text }));
    await this.server.client.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version }, contentChanges });
  }

  protected async notifyWatched(path: string, type: 1 | 2 | 3): Promise<void> {
    await this.server.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: this.uri(path), type }] });
  }

  // ── failures ──

  /**
   * Records a finding. The same problem seen again (same signature: kind and message without
   * numbers and quoted text) is only counted, so a long run reports each problem once.
   */
  protected fail(kind: FindingKind, message: string, path?: string, signature = defaultSignature(kind, message), context?: { probe: FuzzProbe; probeText?: string }): void {
    const seen = this.signatures.get(signature);
    if (seen) {
      seen.occurrences = (seen.occurrences ?? 1) + 1;
      if (this.options.stopAtFirst) throw new FindingError(seen);
      return;
    }
    const finding: FuzzFinding = { kind, seed: this.options.seed, step: this.step, message, ...(path ? { path } : {}), signature, ...context, snapshot: this.snapshot() };
    this.signatures.set(signature, finding);
    this.findings.push(finding);
    this.options.log?.(formatFinding(finding));
    if (this.options.stopAtFirst) throw new FindingError(finding);
  }

  private async checkProcess(): Promise<void> {
    if (!this.server.alive) {
      this.fail('crash', `the server exited with ${String(this.server.client.exited)}; stderr:\n${this.server.client.stderr.slice(-4000)}`);
      await this.restartServer();
    }
    const errors = this.server.errorsSince(this.logMark);
    this.logMark = this.server.logs.length;
    for (const error of errors) this.fail('handler-exception', error.slice(0, 3000), undefined, exceptionSignature(error));
  }

  // ── running a step ──

  /** Runs a recorded step, or generates one (the probe after the action, on the new texts). */
  private async runStep(given: FuzzStep | undefined): Promise<void> {
    const action = given ? given.action : this.generateAction();
    const step: FuzzStep = { action };
    this.recorded.push(step);
    if (this.options.log && process.env.FUZZ_TRACE) this.options.log(`step ${this.step}: ${describeStep(step)}`);
    const touched = await this.applyAction(action);
    if (['close', 'closeReopen', 'disk', 'diskThenOpen', 'config', 'save'].includes(action.kind)) await this.server.quiet(30, 2000);
    await this.settle(touched);
    const probe = given ? given.probe : this.rng.chance(0.9) ? this.generateProbe(action) : undefined;
    if (probe) step.probe = probe;
    if (probe && this.options.log && process.env.FUZZ_TRACE) this.options.log(`  probe ${describeProbe(probe)}`);
    if (probe) await this.runProbe(probe);
    await this.afterAction(action);
    await this.checkProcess();
  }

  /** Called at the end of each step, after the probe (a subclass's own checks); nothing here. */
  protected async afterAction(action: FuzzAction): Promise<void> {
    void action;
  }

  /**
   * The server handles closes and watched-file events with an asynchronous disk read and no
   * answer; give such a read time to finish before the next open/close/disk action on the same
   * file, so that only the deliberately racy actions race.
   */
  private async afterPendingRead(action: FuzzAction): Promise<void> {
    if (!('path' in action) || action.kind === 'edit' || action.kind === 'diskThenOpen') return;
    const since = Date.now() - (this.pendingReads.get(action.path) ?? 0);
    if (since < 400) await sleep(400 - since);
  }

  /** Applies an action; returns the open documents whose diagnostics must arrive for the new version. */
  private async applyAction(action: FuzzAction): Promise<string[]> {
    await this.afterPendingRead(action);
    if (['close', 'closeReopen', 'save', 'disk', 'diskThenOpen'].includes(action.kind) && 'path' in action) this.pendingReads.set(action.path, Date.now());
    switch (action.kind) {
      case 'edit': {
        const pending: Promise<unknown>[] = [];
        for (let i = 0; i < action.notifications.length; i++) {
          if (!this.open.has(action.path)) break;
          await this.sendChanges(action.path, action.notifications[i]);
          if (action.completeAfter?.includes(i)) {
            const doc = this.open.get(action.path)!;
            const cursor = action.notifications[i].at(-1)?.range?.start ?? { line: 0, character: 0 };
            const position = doc.positionAt(doc.offsetAt(cursor) + (action.notifications[i].at(-1)?.text.length ?? 0));
            pending.push(this.request('textDocument/completion', { textDocument: { uri: doc.uri }, position }, { method: 'textDocument/completion', path: action.path, position }, doc));
          }
          // requests sent between keystrokes, answered on the text of that moment
          for (const [index, probe] of action.probesAfter ?? []) if (index === i) pending.push(this.runProbe(probe));
        }
        await Promise.all(pending);
        return [action.path];
      }
      case 'open':
        if (this.open.has(action.path)) return [];
        await this.sendOpen(action.path, action.text);
        return [action.path];
      case 'close':
        if (!this.open.has(action.path)) return [];
        await this.sendClose(action.path);
        return [];
      case 'closeReopen':
        if (!this.open.has(action.path)) return [];
        await this.sendClose(action.path);
        await this.sendOpen(action.path, action.text);
        return [action.path];
      case 'save': {
        const doc = this.open.get(action.path);
        if (!doc || action.path.startsWith('untitled:')) return [];
        const existed = this.disk.has(action.path);
        this.writeDisk(action.path, doc.getText());
        if (action.path.startsWith(`${workspaceFolder}/`)) await this.notifyWatched(action.path, existed ? 2 : 1);
        return [];
      }
      case 'disk':
        this.writeDisk(action.path, action.text);
        if (action.notify !== 'none') await this.notifyWatched(action.path, action.notify === 'created' ? 1 : action.notify === 'changed' ? 2 : 3);
        return [];
      case 'diskThenOpen':
        if (this.open.has(action.path)) return [];
        this.writeDisk(action.path, action.diskText);
        await this.notifyWatched(action.path, 2);
        await this.sendOpen(action.path, action.openText);
        return [action.path];
      case 'config': {
        const previousExclude = JSON.stringify(this.settings.exclude ?? []);
        const runs = this.server.indexRuns;
        this.settings = action.settings;
        this.server.client.settings = { istioMirror: this.settings };
        await this.server.client.notify('workspace/didChangeConfiguration', { settings: null });
        if (JSON.stringify(this.settings.exclude ?? []) !== previousExclude) {
          await this.server.waitForIndex(runs + 1, this.options.timeoutMs).catch((error: unknown) => this.fail('timeout', String(error)));
        }
        return [];
      }
    }
  }

  /** Waits for diagnostics of the current version of each given open document. */
  protected async settle(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const doc = this.open.get(path);
      if (!doc) continue;
      try {
        await this.server.client.waitForDiagnostics(doc.uri, (d) => d.version === doc.version, this.options.timeoutMs);
      } catch {
        if (!this.server.alive) return this.checkProcess();
        this.fail('timeout', `no diagnostics for version ${doc.version} within ${this.options.timeoutMs} ms (last published version: ${String(this.server.client.published.filter((p) => p.uri === doc.uri).at(-1)?.version)})`, path);
        await this.restartServer();
        return;
      }
      this.checkDiagnostics(path, doc);
    }
  }

  /** Diagnostics must lie inside the document, on one line (ARCHITECTURE.md's invariant). */
  private checkDiagnostics(path: string, doc: TextDocument): void {
    const latest = this.server.client.published.filter((p) => p.uri === doc.uri).at(-1);
    if (!latest || latest.version !== doc.version) return;
    const loneCR = /\r(?!\n)/.test(doc.getText()) ? ' (the document contains a lone CR, a line break for LSP)' : '';
    for (const diagnostic of latest.diagnostics) {
      const code = String(diagnostic.code);
      const problem = rangeProblem(doc, diagnostic.range, `diagnostic ${code}`);
      if (problem) {
        this.fail('invalid-diagnostic', `${problem}${loneCR}: ${messageOf(diagnostic).slice(0, 200)}`, path, `invalid-diagnostic: ${code} outside its line${loneCR ? ', lone CR' : ''}`);
        return;
      }
      if (diagnostic.range.start.line !== diagnostic.range.end.line) {
        this.fail('invalid-diagnostic', `diagnostic ${code} ${rangeText(diagnostic.range)} spans several lines: ${messageOf(diagnostic).slice(0, 200)}`, path, `invalid-diagnostic: ${code} spans lines`);
        return;
      }
      if (!diagnostic.message || diagnostic.code === undefined) {
        this.fail('invalid-diagnostic', `diagnostic without code or message: ${JSON.stringify(diagnostic)}`, path);
        return;
      }
    }
  }

  protected async runProbe(probe: FuzzProbe): Promise<void> {
    const doc = this.open.get(probe.path);
    const uri = this.uri(probe.path);
    const textDocument = { uri };
    let params: unknown;
    switch (probe.method) {
      case 'textDocument/documentSymbol':
      case 'textDocument/foldingRange':
      case 'textDocument/codeLens':
        params = { textDocument };
        break;
      case 'textDocument/selectionRange':
        params = { textDocument, positions: [probe.position, probe.position2 ?? probe.position] };
        break;
      case 'textDocument/references':
        params = { textDocument, position: probe.position, context: { includeDeclaration: true } };
        break;
      case 'textDocument/rename':
        params = { textDocument, position: probe.position, newName: probe.newName ?? 'v9' };
        break;
      case 'textDocument/codeAction': {
        const range = { start: probe.position, end: probe.position2 ?? probe.position };
        const latest = doc ? this.server.client.published.filter((p) => p.uri === uri).at(-1) : undefined;
        const diagnostics = (latest?.diagnostics ?? []).filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line);
        params = { textDocument, range, context: { diagnostics } };
        break;
      }
      case 'istio/resourceInfo':
      case 'istio/mirrorTargets':
      case 'istio/trafficSplit':
        params = { uri, position: probe.position };
        break;
      default:
        params = { textDocument, position: probe.position };
    }
    await this.request(probe.method, params, probe, doc);
  }

  /** Sends a request and checks its answer; returns the answer (undefined after an error or a hang). */
  protected async request(method: string, params: unknown, probe: FuzzProbe, doc: TextDocument | undefined): Promise<unknown> {
    const docs = new Map([...this.open.values()].map((d) => [d.uri, d] as const));
    const source = new CancellationTokenSource();
    const where = `${method} at ${probe.position.line}:${probe.position.character}${probe.position2 ? `–${probe.position2.line}:${probe.position2.character}` : ''}`;
    const context = { probe, ...(doc ? { probeText: doc.getText() } : {}) };
    const server = this.server;
    const logMark = server.logs.length;
    try {
      const pending = server.client.connection.sendRequest<unknown>(method, params, source.token);
      if (probe.cancel) source.cancel();
      const result = await withTimeout(pending, this.options.timeoutMs, `${method} at ${probe.path} ${probe.position.line}:${probe.position.character}`);
      // runSafe logs a handler's exception before the (neutral) answer is sent
      const errors = server.errorsSince(logMark);
      if (errors.length > 0) {
        if (server === this.server) this.logMark = server.logs.length;
        this.fail('handler-exception', `${where}: ${errors[0].slice(0, 3000)}`, probe.path, exceptionSignature(errors[0]), context);
      }
      const problem = answerProblem(method, probe, result, doc, docs);
      if (problem) this.fail('invalid-answer', `${where}: ${problem}`, probe.path, undefined, context);
      return result;
    } catch (error) {
      if (error instanceof FindingError) throw error;
      if (server !== this.server) return undefined; // sent to a server since replaced
      if (error instanceof TimeoutError) {
        this.fail('timeout', error.message, probe.path, undefined, context);
        await this.restartServer(); // a server stuck in one request would time out every later step
        return undefined;
      }
      const code = (error as { code?: number }).code;
      if (code !== undefined && deliberateErrorCodes.has(code)) return undefined;
      if (method === 'textDocument/rename' && code === -32602) return undefined; // invalid new name, refused with the reason
      if (!server.alive) return undefined;
      this.fail('error-response', `${where}: ${String((error as Error).message ?? error)} (code ${String(code)})`, probe.path, undefined, context);
    } finally {
      source.dispose();
    }
    return undefined;
  }

  // ── the fresh-server comparison ──

  private currentDiagnostics(server: ServerProcess): Map<string, Diagnostic[] | undefined> {
    const result = new Map<string, Diagnostic[] | undefined>();
    for (const [path, doc] of this.open) {
      const latest = server.client.published.filter((p) => p.uri === doc.uri).at(-1);
      result.set(path, latest && latest.version === doc.version ? latest.diagnostics : undefined);
    }
    return result;
  }

  /** The last diagnostics a server published for each file that is not open (URI → list). */
  private closedDiagnostics(server: ServerProcess): Map<string, Diagnostic[]> {
    const openUris = new Set([...this.open.values()].map((doc) => doc.uri));
    const result = new Map<string, Diagnostic[]>();
    for (const published of server.client.published) if (!openUris.has(published.uri)) result.set(published.uri, published.diagnostics);
    return result;
  }

  private freshClosed = new Map<string, Diagnostic[]>();

  private async freshDiagnostics(): Promise<Map<string, Diagnostic[] | undefined>> {
    const fresh = new ServerProcess(join(this.root, workspaceFolder), this.settings);
    try {
      await withTimeout(fresh.client.initialize(), this.options.timeoutMs, 'fresh initialize');
      await fresh.waitForIndex(startupIndexRuns(this.settings), this.options.timeoutMs);
      const paths = [...this.open.keys()].sort();
      for (const path of paths) {
        const doc = this.open.get(path)!;
        await fresh.client.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'yaml', version: doc.version, text: doc.getText() } });
      }
      for (const path of paths) {
        const doc = this.open.get(path)!;
        await fresh.client.waitForDiagnostics(doc.uri, (d) => d.version === doc.version, this.options.timeoutMs);
      }
      await fresh.quiet(100);
      // Republish everything from the complete index, so the reference does not depend on the
      // order of opening nor on the dependents logic under test.
      const mark = fresh.client.published.length;
      const configurationRequests = fresh.configurationRequests;
      await fresh.client.notify('workspace/didChangeConfiguration', { settings: null });
      const deadline = Date.now() + this.options.timeoutMs;
      while (fresh.configurationRequests === configurationRequests && Date.now() < deadline) await sleep(5);
      for (const path of paths) {
        const doc = this.open.get(path)!;
        while (!fresh.client.published.slice(mark).some((p) => p.uri === doc.uri) && Date.now() < deadline) await sleep(5);
      }
      await fresh.quiet(200); // the files that are not open are published in batches
      const errors = fresh.errorsSince(0);
      if (errors.length > 0) this.fail('handler-exception', `(fresh server) ${errors[0].slice(0, 3000)}`);
      this.freshClosed = this.closedDiagnostics(fresh);
      return this.currentDiagnostics(fresh);
    } finally {
      await fresh.shutdown();
    }
  }

  private async compareWithFresh(): Promise<void> {
    await this.server.quiet(100);
    let expected: Map<string, Diagnostic[] | undefined>;
    try {
      expected = await this.freshDiagnostics();
    } catch (error) {
      if (error instanceof FindingError) throw error;
      this.fail('timeout', `the fresh server for the comparison: ${String(error)}`);
      return;
    }
    let problems = this.compare(expected);
    if (problems.length > 0) {
      // Give late asynchronous work (disk reads after close or a watched-file event) a chance.
      await sleep(1500);
      await this.server.quiet(200);
      problems = this.compare(expected);
    }
    for (const [kind, message, path] of problems) {
      this.fail(kind, message, path);
    }
    if (problems.some(([kind]) => kind === 'drift' || kind === 'drift-related' || kind === 'stale-diagnostics')) await this.restartServer();
  }

  private compare(expected: Map<string, Diagnostic[] | undefined>): [FindingKind, string, string][] {
    const problems: [FindingKind, string, string][] = [];
    const actual = this.currentDiagnostics(this.server);
    for (const [path, doc] of this.open) {
      const mine = actual.get(path);
      const theirs = expected.get(path);
      if (!mine) {
        problems.push(['stale-diagnostics', `the last diagnostics published are not for the current version ${doc.version}`, path]);
        continue;
      }
      if (!theirs) continue; // the fresh server did not answer: reported as its own failure
      const diff = difference(mine.map(diagnosticKey), theirs.map(diagnosticKey));
      if (diff) {
        problems.push(['drift', `diagnostics differ from a fresh server's on the same texts:\n${diff}`, path]);
      } else if (this.options.compareRelated) {
        const relatedDiff = difference(mine.map(relatedKey), theirs.map(relatedKey));
        if (relatedDiff) problems.push(['drift-related', `diagnostics' relatedInformation differs from a fresh server's:\n${relatedDiff}`, path]);
      }
    }
    // Files that are not open: since issue 11 the findings of every indexed file are published
    // (istioMirror.diagnostics.scope = workspace); whatever the server last published for a closed,
    // changed or deleted file must be what a fresh server publishes for it (nothing for a file it
    // does not index: deleted, excluded, untitled, outside the folder).
    const mineClosed = this.closedDiagnostics(this.server);
    for (const uri of new Set([...mineClosed.keys(), ...this.freshClosed.keys()])) {
      const diff = difference((mineClosed.get(uri) ?? []).map(diagnosticKey), (this.freshClosed.get(uri) ?? []).map(diagnosticKey));
      if (diff) problems.push(['stale-diagnostics', `not open: its last published diagnostics differ from a fresh server's:\n${diff}`, this.pathOf(uri)]);
    }
    return problems;
  }

  /** The texts of the workspace right now: what is on disk, and what is open. */
  snapshot(): { disk: Record<string, string>; open: Record<string, string> } {
    return {
      disk: Object.fromEntries(this.disk),
      open: Object.fromEntries([...this.open].map(([path, doc]) => [path, doc.getText()])),
    };
  }

  // ── generating steps ──

  protected allPaths(): string[] {
    const paths = new Set<string>([...this.disk.keys(), ...this.open.keys()]);
    return [...paths].sort();
  }

  protected generateAction(): FuzzAction {
    const rng = this.rng;
    const openPaths = [...this.open.keys()].sort();
    const closedPaths = this.allPaths().filter((path) => !this.open.has(path) && this.disk.has(path));
    const kind = rng.weighted({
      edit: openPaths.length > 0 ? 70 : 0,
      open: closedPaths.length > 0 ? 6 : 0,
      close: openPaths.length > 1 ? 4 : 0,
      closeReopen: openPaths.length > 0 ? 2 : 0,
      save: openPaths.length > 0 ? 3 : 0,
      disk: closedPaths.length > 0 ? 8 : 0,
      newFile: 1,
      deleteOpenOnDisk: openPaths.length > 0 ? 0.5 : 0,
      diskThenOpen: closedPaths.length > 0 && this.options.races ? 1 : 0,
      config: 0.7,
    });
    switch (kind) {
      case 'edit': {
        const path = rng.pick(openPaths);
        return this.generateEdit(path, this.open.get(path)!);
      }
      case 'open': {
        const path = rng.pick(closedPaths);
        const text = this.disk.get(path)!;
        return { kind: 'open', path, text: rng.chance(0.85) ? text : this.mutateText(text, 1) };
      }
      case 'close':
        return { kind: 'close', path: rng.pick(openPaths) };
      case 'closeReopen': {
        const path = rng.pick(openPaths);
        const onDisk = this.disk.get(path);
        return { kind: 'closeReopen', path, text: onDisk !== undefined && rng.chance(0.7) ? onDisk : this.mutateText(this.open.get(path)!.getText(), 1) };
      }
      case 'save':
        return { kind: 'save', path: rng.pick(openPaths) };
      case 'disk': {
        const path = rng.pick(closedPaths);
        const roll = rng.next();
        // Editors report changes inside the workspace folders only (their watchers are relative to them).
        const outside = !path.startsWith(`${workspaceFolder}/`);
        if (roll < 0.12) return { kind: 'disk', path, text: null, notify: outside ? 'none' : 'deleted' };
        return { kind: 'disk', path, text: this.mutateText(this.disk.get(path)!, rng.between(1, 3)), notify: outside ? 'none' : 'changed' };
      }
      case 'newFile': {
        this.newFiles += 1;
        const where = rng.pick(['ws/new', 'ws/rules/new', 'out/outside', 'untitled:Untitled', 'ws/node_modules/pkg/new']);
        const path = where.startsWith('untitled:') ? `${where}-${this.newFiles}` : `${where}-${this.newFiles}.${rng.pick(['yaml', 'yml'])}`;
        const text = this.mutateText(rng.pick(Object.values(initialWorkspace)), rng.between(0, 2));
        if (path.startsWith('untitled:') || rng.chance(0.4)) return { kind: 'open', path, text };
        return { kind: 'disk', path, text, notify: path.startsWith(`${workspaceFolder}/`) ? 'created' : 'none' };
      }
      case 'deleteOpenOnDisk': {
        const candidates = openPaths.filter((path) => this.disk.has(path));
        if (candidates.length === 0) return this.generateEdit(openPaths[0], this.open.get(openPaths[0])!);
        return { kind: 'disk', path: rng.pick(candidates), text: null, notify: 'deleted' };
      }
      case 'diskThenOpen': {
        const path = rng.pick(closedPaths);
        const diskText = this.mutateText(this.disk.get(path)!, 1);
        return { kind: 'diskThenOpen', path, diskText, openText: rng.chance(0.5) ? diskText : this.mutateText(diskText, 1) };
      }
      case 'config': {
        const settings: Record<string, unknown> = {};
        if (rng.chance(0.4)) settings.defaultNamespace = rng.pick(['demo', 'other', 'default']);
        if (rng.chance(0.4)) settings.severity = { [rng.pick(['IST0101', 'IM2002', 'IM0001', 'IST0130'])]: rng.pick(['off', 'warning', 'hint', 'error']) };
        if (rng.chance(0.3)) settings.exclude = [rng.pick(['rules/**', '**/wildcard.yml', 'mixed.yaml'])];
        if (rng.chance(0.15)) settings.clusterDomain = 'corp.local';
        return { kind: 'config', settings };
      }
    }
    throw new Error(`unhandled action ${kind}`);
  }

  /** A few random edits applied directly to a text (for disk changes and dirty opens). */
  private mutateText(text: string, count: number): string {
    let doc = TextDocument.create('mem:x', 'yaml', 0, text);
    for (let i = 0; i < count; i++) {
      const action = this.generateEdit('', doc);
      if (action.kind !== 'edit') continue;
      for (const changes of action.notifications) doc = TextDocument.update(doc, changes, doc.version + 1);
    }
    return doc.getText();
  }

  private randomOffset(doc: TextDocument): number {
    const rng = this.rng;
    const roll = rng.next();
    if (this.lastEdit && roll < 0.15) return Math.min(this.lastEdit.offset, doc.getText().length);
    if (roll < 0.5) return doc.offsetAt({ line: rng.int(doc.lineCount), character: 0 });
    if (roll < 0.65) return doc.offsetAt({ line: rng.int(doc.lineCount), character: Number.MAX_SAFE_INTEGER });
    if (roll < 0.7) return doc.getText().length;
    return rng.int(doc.getText().length + 1);
  }

  private fragment(): string {
    const rng = this.rng;
    let text = rng.pick(fragments);
    if (rng.chance(0.1)) text = text.replace(/\n/g, '\r\n');
    if (rng.chance(0.05)) text = `${text}${rng.pick(fragments)}`;
    if (this.options.heavy && rng.chance(0.01)) text = `${'y'.repeat(rng.between(20_000, 200_000))}\n`;
    return text;
  }

  private rangeOf(doc: TextDocument, from: number, to: number): Rng {
    return { start: doc.positionAt(from), end: doc.positionAt(to) };
  }

  private generateEdit(path: string, doc: TextDocument): FuzzAction {
    const rng = this.rng;
    const text = doc.getText();
    const big = text.length > (this.options.heavy ? 60_000 : 25_000);
    const what = rng.weighted({
      insert: big ? 5 : 22,
      delete: big ? 40 : 16,
      replace: 12,
      type: 10,
      retoken: 14,
      merge: 4,
      split: 4,
      multi: 4,
      full: 2,
      outOfRange: 1,
    });
    const at = this.randomOffset(doc);
    this.lastEdit = path ? { path, offset: at } : this.lastEdit;
    const single = (changes: Change[]): FuzzAction => ({ kind: 'edit', what, path, notifications: [changes] });
    switch (what) {
      case 'insert':
        return single([{ range: this.rangeOf(doc, at, at), text: this.fragment() }]);
      case 'delete':
      case 'replace': {
        const roll = rng.next();
        const length = big && roll < 0.5 ? rng.int(text.length / 2) : roll < 0.4 ? rng.between(1, 3) : roll < 0.7 ? rng.between(1, 40) : roll < 0.9 ? rng.between(20, 400) : rng.int(text.length + 1);
        const end = Math.min(text.length, at + length);
        return single([{ range: this.rangeOf(doc, at, end), text: what === 'replace' ? this.fragment() : '' }]);
      }
      case 'type': {
        const source = rng.chance(0.7) ? rng.pick(fragments) : rng.pick(tokenClasses.flat());
        const maxChars = this.options.heavy ? 400 : 60;
        const chars = Array.from(source).slice(0, maxChars);
        const notifications: Change[][] = [];
        const completeAfter: number[] = [];
        let offset = at;
        let current = TextDocument.create(doc.uri, 'yaml', doc.version, text); // update() changes a document in place
        for (const char of chars) {
          let insert = char;
          if (char === '\n') {
            // an editor keeps the indentation of the line when Enter is pressed
            const line = current.positionAt(offset).line;
            const lineText = current.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
            insert = `\n${/^[ ]*/.exec(lineText)![0]}`;
          }
          const changes: Change[] = [{ range: this.rangeOf(current, offset, offset), text: insert }];
          notifications.push(changes);
          current = TextDocument.update(current, changes, current.version + 1);
          offset += insert.length;
          if (rng.chance(0.05)) {
            // a typo, erased with backspace
            const typo: Change[] = [{ range: this.rangeOf(current, offset, offset), text: 'q' }];
            notifications.push(typo);
            current = TextDocument.update(current, typo, current.version + 1);
            const erase: Change[] = [{ range: this.rangeOf(current, offset, offset + 1), text: '' }];
            notifications.push(erase);
            current = TextDocument.update(current, erase, current.version + 1);
          }
          if ((char === ':' || char === ' ' || char === '-') && rng.chance(0.3)) completeAfter.push(notifications.length - 1);
        }
        if (notifications.length === 0) return single([{ range: this.rangeOf(doc, at, at), text: '' }]);
        return { kind: 'edit', what, path, notifications, completeAfter };
      }
      case 'retoken': {
        const tokens = findTokens(text);
        if (tokens.length === 0) return single([{ range: this.rangeOf(doc, at, at), text: this.fragment() }]);
        const [offset, token, classIndex] = rng.pick(tokens);
        const alternatives = tokenClasses[classIndex].filter((candidate) => candidate !== token);
        return single([{ range: this.rangeOf(doc, offset, offset + token.length), text: rng.pick(alternatives) }]);
      }
      case 'merge': {
        const markers: number[] = [];
        const marker = /^(---|\.\.\.)[^\n]*(\n|$)/gm;
        for (let match = marker.exec(text); match; match = marker.exec(text)) {
          markers.push(match.index, match.index + match[0].length);
          if (match[0].length === 0) marker.lastIndex += 1;
        }
        if (markers.length === 0) return single([{ range: this.rangeOf(doc, at, at), text: '---\n' }]);
        const which = rng.int(markers.length / 2) * 2;
        return single([{ range: this.rangeOf(doc, markers[which], markers[which + 1]), text: '' }]);
      }
      case 'split': {
        const line = doc.positionAt(at).line;
        return single([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: rng.pick(['---\n', '---\r\n', '--- \n', '...\n---\n']) }]);
      }
      case 'multi': {
        const changes: Change[] = [];
        let current = TextDocument.create(doc.uri, 'yaml', doc.version, text); // update() changes a document in place
        for (let i = rng.between(2, 4); i > 0; i--) {
          const offset = this.randomOffset(current);
          const end = Math.min(current.getText().length, offset + (rng.chance(0.5) ? rng.between(0, 30) : 0));
          const change: Change = { range: this.rangeOf(current, offset, end), text: rng.chance(0.6) ? this.fragment() : '' };
          changes.push(change);
          current = TextDocument.update(current, [change], current.version + 1);
        }
        return single(changes);
      }
      case 'full': {
        const roll = rng.next();
        const replacement = roll < 0.4 ? rng.pick(Object.values(initialWorkspace)) : roll < 0.6 ? '' : `${text}${this.fragment()}`;
        return single([{ text: replacement }]);
      }
      case 'outOfRange': {
        // positions past the end of a line or of the document are clamped by the protocol library
        const line = doc.lineCount + rng.between(0, 3);
        return single([{ range: { start: { line: rng.int(doc.lineCount), character: 10_000 }, end: { line, character: rng.int(5) } }, text: rng.pick(['', 'x\n', this.fragment()]) }]);
      }
    }
    throw new Error(`unhandled edit ${what}`);
  }

  protected generateProbe(action: FuzzAction): FuzzProbe {
    const rng = this.rng;
    const openPaths = [...this.open.keys()].sort();
    // Mostly about the document just edited.
    const actionPath = 'path' in action ? action.path : undefined;
    const roll = rng.next();
    let path: string;
    if (roll < 0.05) path = rng.pick(this.allPaths().length > 0 ? this.allPaths() : ['ws/none.yaml']);
    else if (roll < 0.07) path = 'ws/never-seen.yaml';
    else if (actionPath && roll < 0.6 && this.open.has(actionPath)) path = actionPath;
    else path = openPaths.length > 0 ? rng.pick(openPaths) : 'ws/never-seen.yaml';
    const doc = this.open.get(path) ?? TextDocument.create('mem:x', 'yaml', 0, this.disk.get(path) ?? '');
    const position = this.randomPosition(doc);
    const method = rng.weighted({
      'textDocument/hover': 14,
      'textDocument/completion': 16,
      'textDocument/documentSymbol': 8,
      'textDocument/foldingRange': 5,
      'textDocument/selectionRange': 5,
      'textDocument/codeLens': 6,
      'textDocument/definition': 6,
      'textDocument/references': 4,
      'textDocument/codeAction': 12,
      'textDocument/prepareRename': 4,
      'textDocument/rename': 3,
      'istio/resourceInfo': 3,
      'istio/mirrorTargets': 3,
      'istio/trafficSplit': 3,
    });
    const probe: FuzzProbe = { method, path, position };
    if (method === 'textDocument/selectionRange' || method === 'textDocument/codeAction') probe.position2 = this.randomPosition(doc);
    if (method === 'textDocument/codeAction' && !before(probe.position, probe.position2!)) [probe.position, probe.position2] = [probe.position2!, probe.position];
    if (method === 'textDocument/rename') probe.newName = rng.pick(['v9', 'canary', 'Bad Name!', '', 'v1']);
    if (rng.chance(0.04)) probe.cancel = true;
    return probe;
  }

  protected randomPosition(doc: TextDocument): Pos {
    const rng = this.rng;
    const roll = rng.next();
    const line = rng.int(doc.lineCount);
    if (roll < 0.05) return { line: doc.lineCount + rng.int(3), character: rng.int(10) };
    if (roll < 0.1) return { line, character: lineLength(doc, line) + rng.between(1, 50) };
    if (roll < 0.4) {
      // just after a ':' or at the end of a line: where completion is asked for
      const lineText = doc.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
      const colon = lineText.indexOf(':');
      return { line, character: colon >= 0 && rng.chance(0.5) ? Math.min(lineText.length, colon + 2) : lineText.length };
    }
    return { line, character: rng.int(lineLength(doc, line) + 1) };
  }
}

/** One line describing a step, for traces and reports. */
export function describeStep(step: FuzzStep): string {
  const a = step.action;
  const short = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);
  let text: string;
  switch (a.kind) {
    case 'edit':
      text = `edit/${a.what} ${a.path}: ${a.notifications.length} notification(s), first ${a.notifications[0].map((c) => `${c.range ? rangeText(c.range) : 'all'} ← ${short(c.text)}`).join(', ')}`;
      break;
    case 'open':
    case 'closeReopen':
      text = `${a.kind} ${a.path} (${a.text.length} chars)`;
      break;
    case 'disk':
      text = `disk ${a.path} ${a.text === null ? 'deleted' : `${a.text.length} chars`}, notify ${a.notify}`;
      break;
    case 'diskThenOpen':
      text = `diskThenOpen ${a.path}`;
      break;
    case 'config':
      text = `config ${JSON.stringify(a.settings)}`;
      break;
    default:
      text = `${a.kind} ${a.path}`;
  }
  return step.probe ? `${text}; probe ${describeProbe(step.probe)}` : text;
}

export function describeProbe(probe: FuzzProbe): string {
  return `${probe.method} ${probe.path} ${probe.position.line}:${probe.position.character}${probe.position2 ? `-${probe.position2.line}:${probe.position2.character}` : ''}${probe.newName !== undefined ? ` ${JSON.stringify(probe.newName)}` : ''}${probe.cancel ? ' (cancelled)' : ''}`;
}
