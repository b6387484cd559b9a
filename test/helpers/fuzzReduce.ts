// Turning a fuzz finding into a minimal reproduction (used by scripts/fuzz.ts --reduce).
//
// - A finding about one answer or one document (invalid answer, handler exception, hang,
//   invalid diagnostic) is reproduced in-process with the language service on the texts of
//   that moment, then the texts are shrunk by delta debugging (other files, lines,
//   characters) while the same problem remains. Cursor positions ride along as marker
//   characters inside the text. Hangs run in a worker thread that is stopped after a bound.
// - A drift finding is reduced over the recorded steps (replayed against real server
//   processes), keeping the steps without which the drift disappears.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { answerProblem, rangeProblem, type FuzzFinding, type FuzzProbe, type FuzzStep, type Pos } from './fuzzDriver';

const cursorMarks = ['\uE000', '\uE001'];
const uriOf = (path: string): string => (path.startsWith('untitled:') ? path : `file:///fuzz/${path}`);

/** Delta debugging (ddmin): a smallest-found subset of `items` for which `test` holds. */
export async function ddmin<T>(items: readonly T[], test: (candidate: T[]) => boolean | Promise<boolean>, keep: (item: T) => boolean = () => false): Promise<T[]> {
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const chunk = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length; start += chunk) {
      const removed = current.slice(start, start + chunk);
      if (removed.every(keep)) continue;
      const candidate = [...current.slice(0, start), ...removed.filter(keep), ...current.slice(start + chunk)];
      if (candidate.length < current.length && await test(candidate)) {
        current = candidate;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}

// ─── in-process reproduction of one answer or one document's diagnostics ────────────────────

export interface ProbeCase {
  /** Other files of the workspace (path → text), as the server indexed them. */
  files: Record<string, string>;
  path: string;
  /** The document's text with cursor marks at the probe's positions (when they are inside it). */
  text: string;
  probe: FuzzProbe;
}

export interface ProbeOutcome {
  problem?: string;
  /** First line of the error and its innermost frame's function. */
  exception?: string;
  result?: unknown;
}

function withMarks(text: string, probe: FuzzProbe): string {
  const doc = TextDocument.create('mem:x', 'yaml', 0, text);
  const inside = (p: Pos): boolean => p.line < doc.lineCount && p.character <= doc.offsetAt({ line: p.line, character: Number.MAX_SAFE_INTEGER }) - doc.offsetAt({ line: p.line, character: 0 });
  const marks: [number, string][] = [];
  if (inside(probe.position)) marks.push([doc.offsetAt(probe.position), cursorMarks[0]]);
  if (probe.position2 && inside(probe.position2)) marks.push([doc.offsetAt(probe.position2), cursorMarks[1]]);
  marks.sort((a, b) => b[0] - a[0]);
  let marked = text;
  for (const [offset, mark] of marks) marked = marked.slice(0, offset) + mark + marked.slice(offset);
  return marked;
}

/** The text without marks, and the probe with its positions where the marks are. */
export function resolveMarks(text: string, probe: FuzzProbe): { text: string; probe: FuzzProbe } {
  const resolved: FuzzProbe = { ...probe };
  const offsets = cursorMarks.map((mark) => text.indexOf(mark));
  const plain = text.replace(/[\uE000\uE001]/g, '');
  const doc = TextDocument.create('mem:x', 'yaml', 0, plain);
  offsets.forEach((offset, index) => {
    if (offset < 0) return;
    const marksBefore = offsets.filter((other, j) => j !== index && other >= 0 && other < offset).length;
    const position = doc.positionAt(offset - marksBefore);
    if (index === 0) resolved.position = position;
    else resolved.position2 = position;
  });
  return { text: plain, probe: resolved };
}

export function probeCaseOf(finding: FuzzFinding): ProbeCase | undefined {
  if (!finding.probe || finding.probeText === undefined || !finding.snapshot) return undefined;
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(finding.snapshot.disk)) if (path.startsWith('ws/') && !path.includes('node_modules/')) files[path] = text;
  for (const [path, text] of Object.entries(finding.snapshot.open)) files[path] = text;
  delete files[finding.probe.path];
  return { files, path: finding.probe.path, text: withMarks(finding.probeText, finding.probe), probe: finding.probe };
}

function serviceFor(files: Record<string, string>, path: string, text: string): IstioLanguageService {
  const service = new IstioLanguageService();
  for (const [other, otherText] of Object.entries(files)) service.setFile(uriOf(other), otherText);
  service.setFile(uriOf(path), text);
  return service;
}

/** Asks the language service what the server was asked; never throws. */
export function runProbeInProcess(testCase: ProbeCase): ProbeOutcome {
  const { text, probe } = resolveMarks(testCase.text, testCase.probe);
  const uri = uriOf(testCase.path);
  try {
    const service = serviceFor(testCase.files, testCase.path, text);
    const p = probe.position;
    let result: unknown;
    switch (probe.method) {
      case 'textDocument/hover': result = service.doHover(uri, p); break;
      case 'textDocument/completion': result = service.doComplete(uri, p); break;
      case 'textDocument/documentSymbol': result = service.findDocumentSymbols(uri); break;
      case 'textDocument/foldingRange': result = service.getFoldingRanges(uri); break;
      case 'textDocument/selectionRange': result = service.getSelectionRanges(uri, [p, probe.position2 ?? p]); break;
      case 'textDocument/codeLens': result = service.getCodeLenses(uri); break;
      case 'textDocument/definition': result = service.findDefinition(uri, p); break;
      case 'textDocument/references': result = service.findReferences(uri, p, true); break;
      case 'textDocument/prepareRename': result = service.prepareRename(uri, p); break;
      case 'textDocument/rename': result = service.doRename(uri, p, probe.newName ?? 'v9'); break;
      case 'textDocument/codeAction': {
        const range = { start: p, end: probe.position2 ?? p };
        const diagnostics = service.getDiagnostics(uri).filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line);
        result = service.getCodeActions(uri, range, diagnostics);
        break;
      }
      case 'istio/resourceInfo': result = service.resourceInfo(uri, p); break;
      case 'istio/mirrorTargets': result = service.mirrorTargets(uri, p); break;
      case 'istio/trafficSplit': result = service.trafficSplit([uri]); break;
      default: return {};
    }
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    const docs = new Map([[uri, doc]]);
    const problem = answerProblem(probe.method, probe, result, doc, docs);
    return problem ? { problem, result } : { result };
  } catch (error) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const lines = stack.split('\n');
    const frame = /at (\S+)/.exec(lines.find((line) => /^\s+at /.test(line)) ?? '')?.[1] ?? '';
    return { exception: `${lines[0]} at ${frame}` };
  }
}

/** Diagnostics of one document that break the range invariants (inside the text, one line). */
export function diagnosticProblems(files: Record<string, string>, path: string, text: string): { diagnostic: Diagnostic; problem: string }[] {
  const service = serviceFor(files, path, text);
  const doc = TextDocument.create(uriOf(path), 'yaml', 1, text);
  const out: { diagnostic: Diagnostic; problem: string }[] = [];
  for (const diagnostic of service.getDiagnostics(uriOf(path))) {
    const problem = rangeProblem(doc, diagnostic.range, `diagnostic ${String(diagnostic.code)}`);
    if (problem) out.push({ diagnostic, problem: `outside: ${problem}` });
    else if (diagnostic.range.start.line !== diagnostic.range.end.line) out.push({ diagnostic, problem: 'spans lines' });
  }
  return out;
}

/** Shrinks the files, then the lines, then the characters of a case while `holds` stays true. */
export async function shrinkCase<C extends { files: Record<string, string>; text: string }>(testCase: C, holds: (candidate: C) => boolean | Promise<boolean>, log: (line: string) => void = () => undefined, characters = true): Promise<C> {
  let current = testCase;
  const otherPaths = Object.keys(current.files);
  if (otherPaths.length > 0) {
    const kept = await ddmin(otherPaths, (paths) => holds({ ...current, files: Object.fromEntries(paths.map((path) => [path, current.files[path]])) }));
    const noneNeeded = await holds({ ...current, files: {} });
    current = { ...current, files: noneNeeded ? {} : Object.fromEntries(kept.map((path) => [path, current.files[path]])) };
    log(`  files kept: ${Object.keys(current.files).length}`);
  }
  const isMark = (piece: string): boolean => cursorMarks.some((mark) => piece.includes(mark));
  const lines = current.text.split(/(?<=\n)/);
  const keptLines = await ddmin(lines, (candidate) => holds({ ...current, text: candidate.join('') }), isMark);
  current = { ...current, text: keptLines.join('') };
  log(`  lines kept: ${keptLines.length}`);
  if (characters && current.text.length <= 3000) {
    const chars = Array.from(current.text);
    const keptChars = await ddmin(chars, (candidate) => holds({ ...current, text: candidate.join('') }), isMark);
    current = { ...current, text: keptChars.join('') };
  }
  log(`  characters kept: ${current.text.length}`);
  return current;
}

/** Runs one probe case in a worker thread, giving up after `timeoutMs` (for hangs). */
export function runProbeInWorker(testCase: ProbeCase, timeoutMs: number): Promise<{ outcome?: ProbeOutcome; timedOut: boolean; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    // The worker loads this TypeScript file through tsx's CommonJS API (loader flags do not reach workers).
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).require(${JSON.stringify(__filename)}, ${JSON.stringify(__filename)});`;
    const worker = new Worker(code, { eval: true, workerData: { fuzzReduceWorker: true, testCase } });
    const timer = setTimeout(() => { void worker.terminate(); resolve({ timedOut: true, ms: Date.now() - started }); }, timeoutMs);
    worker.once('message', (outcome: ProbeOutcome) => { clearTimeout(timer); void worker.terminate(); resolve({ outcome, timedOut: false, ms: Date.now() - started }); });
    worker.once('error', (error) => { clearTimeout(timer); resolve({ outcome: { exception: String(error) }, timedOut: false, ms: Date.now() - started }); });
  });
}

// In a worker started by runProbeInWorker: run the case and report.
const job = workerData as { fuzzReduceWorker?: boolean; testCase?: ProbeCase } | null;
if (!isMainThread && job?.fuzzReduceWorker && job.testCase) {
  const outcome = runProbeInProcess(job.testCase);
  parentPort?.postMessage({ problem: outcome.problem, exception: outcome.exception });
}

// ─── drift: reduce the recorded steps ───────────────────────────────────────────────────────

/** The steps needed for `reproduces` (a replay against real servers) to stay true. */
export async function reduceSteps(steps: readonly FuzzStep[], reproduces: (candidate: FuzzStep[]) => Promise<boolean>, log: (line: string) => void = () => undefined): Promise<FuzzStep[]> {
  let tries = 0;
  const kept = await ddmin(steps.map((step) => ({ ...step, probe: undefined }) as FuzzStep), async (candidate) => {
    tries += 1;
    const ok = await reproduces(candidate);
    log(`  try ${tries}: ${candidate.length} steps → ${ok ? 'still drifts' : 'no drift'}`);
    return ok;
  });
  return kept.map((step) => {
    const copy = { ...step };
    delete copy.probe;
    return copy;
  });
}
