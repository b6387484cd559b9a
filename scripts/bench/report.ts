// Turns the measurements into the printed tables and the PASS/MISS list of the issue's targets.

import type { CliResult } from './cli';
import type { FloorResult } from './floor';
import { prng, type ErrorKind } from './generate';
import type { IndexingResult } from './indexing';
import type { ServerResult, Stats } from './measure';

export interface SizeResult {
  resources: number;
  lines: number;
  bytes: number;
  injected: number;
  floor: FloorResult;
  ours: ServerResult;
  peer?: ServerResult;
}

export interface BenchResult {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  commit: string;
  command: string;
  peer: { name: string; path: string; version: string; schema: string } | undefined;
  sizes: SizeResult[];
  /** 1-minute load average when the run started and ended. */
  load: { start: number; end: number; othersCpuShare?: number };
  cli?: CliResult & { kubeconformMs: number };
  /** The same tree with ISTIO_MIRROR_WORKERS set to each count compared. */
  cliByWorkers?: CliResult[];
  /** The workspace of many small files: the CLI's default first, then each worker count. */
  workspaceCli?: CliResult[];
  indexing?: IndexingResult;
  /** The preview figures recorded in docs/performance.md by `node scripts/e2e.mjs --measure` (real VS Code), not re-run here. */
  preview?: { closed: { median: number; p90: number }; open: { median: number; p90: number }; source: string };
}

export interface Target {
  name: string;
  measured: string;
  verdict: 'PASS' | 'MISS' | 'n/a';
}

const kinds: ErrorKind[] = ['wrong-type', 'unknown-field', 'out-of-range', 'missing-subset'];

export const ms = (value: number): string => {
  if (!Number.isFinite(value)) return '–';
  if (value >= 10000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
};
const mb = (kb: number): string => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : '–');
const ratio = (value: number): string => (Number.isFinite(value) ? (value >= 100 ? `${value.toFixed(0)}×` : value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`) : '–');
const thousands = (value: number): string => value.toLocaleString('en-US');
/** Interquartile range of samples (p75 − p25). */
const iqr = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return at(0.75) - at(0.25);
};
const dist = (s: Stats): string => (s.n === 0 ? '–' : `${ms(s.median)} / ${ms(s.p95)} (n=${s.n})`);

function found(result: ServerResult | undefined, injected: number): string {
  if (!result) return '–';
  const parts = kinds.map((kind) => {
    const entry = result.found.byKind[kind];
    return entry ? `${entry.found}/${entry.of}` : '0/0';
  });
  return `**${result.found.total}/${injected}** (${parts.join(', ')})`;
}

function others(result: ServerResult | undefined): string {
  if (!result) return '–';
  const names: Record<string, string> = { 1: 'E', 2: 'W', 3: 'I', 4: 'H' };
  const parts = Object.entries(result.otherDiagnostics).map(([severity, count]) => `${count} ${names[severity] ?? severity}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

export function sizeTable(size: SizeResult, peerName: string): string {
  const { ours, peer, floor } = size;
  const rows: [string, string, string, string][] = [
    ['open → first diagnostics (first large file in a fresh server)', ms(ours.openMs), ms(peer?.openMs ?? NaN), ratio((peer?.openMs ?? NaN) / ours.openMs)],
    ['re-open → first diagnostics (same text, new URI, warm server)', ms(ours.reopenMs), ms(peer?.reopenMs ?? NaN), ratio((peer?.reopenMs ?? NaN) / ours.reopenMs)],
    ['edit → diagnostics, median / p95', dist(ours.edit), peer ? dist(peer.edit) : '–', ratio((peer?.edit.median ?? NaN) / ours.edit.median)],
    ['completion in `mirror:` block, median / p95', dist(ours.completionMirror), peer ? dist(peer.completionMirror) : '–', ratio((peer?.completionMirror.median ?? NaN) / ours.completionMirror.median)],
    ['completion at `subset:` value, median / p95', dist(ours.completionSubset), peer ? dist(peer.completionSubset) : '–', ratio((peer?.completionSubset.median ?? NaN) / ours.completionSubset.median)],
    ['peak RSS (VmHWM)', mb(ours.peakRssKb), mb(peer?.peakRssKb ?? NaN), ratio((peer?.peakRssKb ?? NaN) / ours.peakRssKb)],
    ['injected errors found (wrong type, unknown field, range, subset)', found(ours, size.injected), found(peer, size.injected), ''],
    ['other diagnostics (not on an injected line)', others(ours), others(peer), ''],
  ];
  const lines = [
    `#### ${thousands(size.resources)} resources — ${thousands(size.lines)} lines, ${(size.bytes / 1e6).toFixed(2)} MB, ${size.injected} injected errors`,
    '',
    `| | istio-mirror | ${peerName} | ${peerName.split(' ')[0]} ÷ istio-mirror |`,
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    `| floor: one \`parseAllDocuments\` of the file, warm (median of ${floor.fullParse.n}); first run in the process | ${ms(floor.fullParse.median)}; ${ms(floor.firstParseMs)} | | |`,
    `| floor: one document re-parsed alone, \`parseDocument\` (${floor.documentLines} lines, median of ${floor.documentParse.n}) | ${ms(floor.documentParse.median)} | | |`,
  ];
  const failures = [ours, peer].filter((r): r is ServerResult => r !== undefined && (r.error !== undefined || !r.sanity.ok));
  for (const failure of failures) {
    if (failure.error) lines.push('', `⚠ ${failure.server} failed: ${failure.error.split('\n')[0]}`);
    if (!failure.sanity.ok) lines.push('', `⚠ ${failure.server}: the warm-up sanity check did not find the expected per-document errors.`);
  }
  return lines.join('\n');
}

const workersLabel = (cli: CliResult): string => (cli.workers === undefined ? 'default' : `ISTIO_MIRROR_WORKERS=${cli.workers}`);
const runsText = (cli: CliResult): string => `${ms(cli.time.median)} (${cli.runs.map((run) => (run / 1000).toFixed(2)).join(', ')} s)`;
const kindsText = (kinds: Record<string, number> | undefined): string => Object.entries(kinds ?? {}).map(([kind, n]) => `${thousands(n)} ${kind}`).join(', ');

export function cliTable(cli: BenchResult['cli'], byWorkers: CliResult[] = []): string {
  if (!cli) return '';
  return [
    `#### CLI: ${thousands(cli.tree.resources)} resources in ${thousands(cli.tree.files)} files (${thousands(cli.tree.lines)} lines, ${(cli.tree.bytes / 1e6).toFixed(1)} MB; ${kindsText(cli.tree.kinds)})`,
    '',
    '| `istio-mirror check --format json` | end to end, median (runs) | diagnostics / injected errors found | kubeconform (published, 4 cores) |',
    '|---|---:|---:|---:|',
    ...[cli, ...byWorkers].map((run, i) => `| ${workersLabel(run)} | ${runsText(run)} | ${thousands(run.diagnostics)} / ${run.injectedFound} of ${run.tree.injectedErrors} | ${i === 0 ? ms(cli.kubeconformMs) : ''} |`),
    ...[cli, ...byWorkers].flatMap((run) => (run.error ? ['', `⚠ ${workersLabel(run)}: ${run.error}`] : [])),
  ].join('\n');
}

export function workspaceTable(result: BenchResult): string {
  const runs = result.workspaceCli ?? [];
  const indexing = result.indexing;
  const tree = runs[0]?.tree ?? (indexing ? { files: indexing.files, resources: indexing.resources } : undefined);
  if (!tree) return '';
  const lines = [
    `#### Workspace: ${thousands(tree.resources)} resources in ${thousands(tree.files)} files${'lines' in tree ? ` (${thousands(tree.lines)} lines, ${(tree.bytes / 1e6).toFixed(1)} MB; ${kindsText(tree.kinds)})` : ''}`,
    '',
  ];
  if (runs.length > 0) {
    lines.push('| `istio-mirror check --format json` | end to end, median (runs) | diagnostics / injected errors found |', '|---|---:|---:|');
    for (const run of runs) lines.push(`| ${workersLabel(run)} | ${runsText(run)} | ${thousands(run.diagnostics)} / ${run.injectedFound} of ${run.tree.injectedErrors} |`);
    for (const run of runs) if (run.error) lines.push('', `⚠ ${workersLabel(run)}: ${run.error}`);
    lines.push('');
  }
  if (indexing) {
    const opened = indexing.opened;
    const p = indexing.progress;
    lines.push(
      '| language server indexing the workspace folder | |',
      '|---|---:|',
      `| initialized → indexing done (\`$/progress\` end) | ${ms(indexing.indexMs)}${indexing.serverLog ? ` (server log: "${indexing.serverLog}")` : ''} |`,
      `| progress (window/workDoneProgress) | ${p.created ? 'created' : 'not created'}, ${p.begin ? 'begin' : 'no begin'}, ${p.reports} reports, ${p.end ? 'end' : 'no end'}${p.lastMessage ? ` (last: "${p.lastMessage}")` : ''} |`,
      opened
        ? `| a file opened while indexing runs (\`${opened.file}\`, ${ms(opened.openedAtMs)} after initialize): didOpen → its first diagnostics | ${ms(opened.firstDiagnosticsMs)}, ${opened.beforeIndexingEnded ? 'before' : 'after'} indexing ended; ${opened.found}/${opened.injected} injected errors found (${opened.diagnostics} diagnostics; ${opened.finalDiagnostics} once indexing ended) |`
        : '| a file opened while indexing runs | – |',
      `| peak RSS (VmHWM) after indexing | ${mb(indexing.peakRssKb)} |`,
    );
    if (indexing.error) lines.push('', `⚠ indexing: ${indexing.error}`);
  }
  return lines.join('\n');
}

/**
 * Whether two sets of edit timings have the same median within noise. The noise is taken from
 * this run's own spread: a seeded bootstrap (2,000 resamples) of the difference of medians
 * (big − small) gives its 95 % interval, and the noise is half that interval's width. The
 * medians are the same when the difference is within the noise (|difference| ≤ noise) or the
 * interval includes 0.
 */
export function sameMedian(small: number[], big: number[]): { difference: number; low: number; high: number; noise: number; same: boolean } {
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  };
  if (small.length === 0 || big.length === 0) return { difference: NaN, low: NaN, high: NaN, noise: NaN, same: false };
  const difference = median(big) - median(small);
  const random = prng(16);
  const resample = (values: number[]): number[] => values.map(() => values[Math.floor(random() * values.length)]);
  const differences: number[] = [];
  for (let i = 0; i < 2000; i++) differences.push(median(resample(big)) - median(resample(small)));
  differences.sort((a, b) => a - b);
  const low = differences[Math.floor(0.025 * differences.length)];
  const high = differences[Math.ceil(0.975 * differences.length) - 1];
  const noise = (high - low) / 2;
  return { difference, low, high, noise, same: Math.abs(difference) <= noise || (low <= 0 && high >= 0) };
}

/** The targets of issue 16, in its order. */
export function evaluateTargets(result: BenchResult): Target[] {
  const targets: Target[] = [];
  const verdict = (ok: boolean | undefined): Target['verdict'] => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
  const bySize = (resources: number): SizeResult | undefined => result.sizes.find((size) => size.resources === resources);

  for (const resources of [1000, 5000]) {
    const size = bySize(resources);
    const r = size?.peer ? size.peer.openMs / size.ours.openMs : NaN;
    const warm = size?.peer ? size.peer.reopenMs / size.ours.reopenMs : NaN;
    targets.push({
      name: `open → first diagnostics ≥ 5× faster than yaml-language-server at ${thousands(resources)} (fresh servers)`,
      measured: !size ? `${thousands(resources)} not run` : size.peer ? `${ms(size.ours.openMs)} vs ${ms(size.peer.openMs)} = ${ratio(r)} (re-open: ${ms(size.ours.reopenMs)} vs ${ms(size.peer.reopenMs)} = ${ratio(warm)})` : 'peer not run',
      verdict: verdict(size?.peer ? r >= 5 : undefined),
    });
  }
  for (const resources of [1000, 5000]) {
    const size = bySize(resources);
    const r = size?.peer ? size.ours.peakRssKb / size.peer.peakRssKb : NaN;
    targets.push({
      name: `peak RSS ≤ 0.25× yaml-language-server's at ${thousands(resources)}`,
      measured: !size ? `${thousands(resources)} not run` : size.peer ? `${mb(size.ours.peakRssKb)} vs ${mb(size.peer.peakRssKb)} = ${(r).toFixed(2)}×` : 'peer not run',
      verdict: verdict(size?.peer ? r <= 0.25 : undefined),
    });
  }
  const small = bySize(100);
  const big = bySize(5000);
  if (small && big) {
    const same = sameMedian(small.ours.editSamples, big.ours.editSamples);
    targets.push({
      name: 'edit → diagnostics does not grow with the file: the same median (within noise) at 100 and at 5,000 resources',
      measured: `${ms(small.ours.edit.median)} at 100 (IQR ${ms(iqr(small.ours.editSamples))}), ${ms(big.ours.edit.median)} at 5,000 (IQR ${ms(iqr(big.ours.editSamples))}): difference ${ms(same.difference)}; noise ±${ms(same.noise)} (half the 95 % bootstrap interval of the difference, ${ms(same.low)} … ${ms(same.high)}, from this run's samples); the same when |difference| ≤ noise`,
      verdict: verdict(same.same),
    });
  } else {
    targets.push({ name: 'edit → diagnostics the same median (within noise) at 100 and at 5,000 resources', measured: 'sizes 100 and 5,000 not both run', verdict: 'n/a' });
  }
  if (!result.cli) targets.push({ name: 'CLI: 50,000 resources in 500 files in < 6.70 s wall (default settings)', measured: 'not run', verdict: 'n/a' });
  if (result.cli) {
    const full = result.cli.tree.resources === 50000 && result.cli.tree.files === 500;
    targets.push({
      name: `CLI: 50,000 resources in 500 files in < ${ms(result.cli.kubeconformMs)} wall (default settings)`,
      measured: `${ms(result.cli.time.median)} for ${thousands(result.cli.tree.resources)} resources in ${thousands(result.cli.tree.files)} files`,
      verdict: full ? verdict(result.cli.time.median < result.cli.kubeconformMs && !result.cli.error) : 'n/a',
    });
  }
  const workspace = result.workspaceCli?.[0];
  if (!workspace) targets.push({ name: 'CLI: a workspace of 2,000 files holding 10,000 resources (Deployments and Services mixed in) measured', measured: 'not run', verdict: 'n/a' });
  if (workspace) {
    targets.push({
      name: `CLI: a workspace of ${thousands(workspace.tree.files)} files holding ${thousands(workspace.tree.resources)} resources (Deployments and Services mixed in) measured, every injected error found`,
      measured: `${ms(workspace.time.median)}; ${workspace.injectedFound} of ${workspace.tree.injectedErrors} injected errors found`,
      verdict: verdict(!workspace.error && workspace.injectedFound === workspace.tree.injectedErrors),
    });
  }
  for (const [name, runs] of [['50,000-resource tree', result.cli ? [result.cli, ...(result.cliByWorkers ?? [])] : []], ['workspace', result.workspaceCli ?? []]] as const) {
    const explicit = runs.filter((run) => run.workers !== undefined && !run.error);
    const chosen = runs.find((run) => run.workers === undefined);
    if (!chosen || explicit.length < 2) {
      targets.push({ name: `CLI worker threads help, not hurt (${name}): 1 vs 2 workers`, measured: 'not run', verdict: 'n/a' });
      continue;
    }
    const best = explicit.reduce((a, b) => (a.time.median <= b.time.median ? a : b));
    targets.push({
      name: `CLI worker threads help, not hurt (${name}): the default is within 5 % of the fastest of ${explicit.map((run) => run.workers).join(' vs ')} workers`,
      measured: `${explicit.map((run) => `${run.workers}: ${ms(run.time.median)}`).join(', ')}; default ${ms(chosen.time.median)} (fastest: ${best.workers})`,
      verdict: verdict(chosen.time.median <= best.time.median * 1.05),
    });
  }
  const indexing = result.indexing;
  if (!indexing) targets.push({ name: 'server indexes the 2,000-file workspace with progress, and a file opened while indexing runs gets its own diagnostics at once', measured: 'not run', verdict: 'n/a' });
  if (indexing) {
    const opened = indexing.opened;
    const ok = indexing.progress.begin && indexing.progress.end && !indexing.error && opened !== undefined && opened.beforeIndexingEnded && opened.found === opened.injected;
    targets.push({
      name: `server indexes the ${thousands(indexing.files)}-file workspace with progress, and a file opened while indexing runs gets its own diagnostics at once (before indexing ends)`,
      measured: `indexed in ${ms(indexing.indexMs)} with ${indexing.progress.reports} progress reports; opened file: ${opened ? `${ms(opened.firstDiagnosticsMs)} to its diagnostics, ${opened.beforeIndexingEnded ? 'before' : 'after'} indexing ended, ${opened.found}/${opened.injected} injected errors` : 'not opened'}`,
      verdict: verdict(ok),
    });
  }
  const preview = result.preview;
  targets.push({
    name: 'keystroke → screen with the traffic-split preview open on a 2,000-document file as fast as with it closed (median open ≤ 1.1× closed)',
    measured: preview
      ? `recorded, not re-run: open median ${ms(preview.open.median)} (p90 ${ms(preview.open.p90)}) vs closed ${ms(preview.closed.median)} (p90 ${ms(preview.closed.p90)}) — ${preview.source}`
      : 'not found in docs/performance.md (measured in the real VS Code by `node scripts/e2e.mjs --measure`)',
    verdict: preview ? verdict(preview.open.median <= 1.1 * preview.closed.median) : 'n/a',
  });
  return targets;
}

/** The targets of issue 6, kept to show nothing regressed. */
export function earlierTargets(result: BenchResult): Target[] {
  const targets: Target[] = [];
  const verdict = (ok: boolean | undefined): Target['verdict'] => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
  const large = result.sizes.filter((size) => size.resources >= 1000);
  const bySize = (resources: number): SizeResult | undefined => result.sizes.find((size) => size.resources === resources);
  for (const size of large) {
    const r = size.peer ? size.peer.edit.median / size.ours.edit.median : NaN;
    targets.push({
      name: `edit → diagnostics ≥ 100× faster than yaml-language-server at ${thousands(size.resources)} (medians)`,
      measured: size.peer ? `${ms(size.ours.edit.median)} vs ${ms(size.peer.edit.median)} = ${ratio(r)}` : 'peer not run',
      verdict: verdict(size.peer ? r >= 100 : undefined),
    });
  }
  const sorted = [...result.sizes].sort((a, b) => a.resources - b.resources);
  if (sorted.length >= 2) {
    const small = sorted[0];
    const big = sorted[sorted.length - 1];
    const growth = big.ours.edit.median / small.ours.edit.median;
    targets.push({
      name: `edit → diagnostics median at ${thousands(big.resources)} ≤ 2× median at ${thousands(small.resources)} (${(big.resources / small.resources).toFixed(0)}× the text)`,
      measured: `${ms(small.ours.edit.median)} → ${ms(big.ours.edit.median)} = ${ratio(growth)}`,
      verdict: verdict(growth <= 2),
    });
  }
  for (const size of result.sizes) {
    const warm = size.ours.reopenMs / size.floor.fullParse.median;
    const cold = size.ours.openMs / size.floor.firstParseMs;
    targets.push({
      name: `open → first diagnostics within 1.3× of one full \`parseAllDocuments\` at ${thousands(size.resources)} (warm server vs warm parse)`,
      measured: `re-open ${ms(size.ours.reopenMs)} vs parse ${ms(size.floor.fullParse.median)} = ${ratio(warm)} (first open ${ms(size.ours.openMs)} vs first parse ${ms(size.floor.firstParseMs)} = ${ratio(cold)})`,
      verdict: verdict(warm <= 1.3),
    });
  }
  const hundred = bySize(100);
  if (hundred) {
    const r = hundred.peer ? hundred.peer.openMs / hundred.ours.openMs : NaN;
    targets.push({
      name: 'open → first diagnostics ≥ 5× faster than yaml-language-server at 100 (fresh servers)',
      measured: hundred.peer ? `${ms(hundred.ours.openMs)} vs ${ms(hundred.peer.openMs)} = ${ratio(r)} (re-open: ${ms(hundred.ours.reopenMs)} vs ${ms(hundred.peer.reopenMs)} = ${ratio(hundred.peer.reopenMs / hundred.ours.reopenMs)})` : 'peer not run',
      verdict: verdict(hundred.peer ? r >= 5 : undefined),
    });
  }
  const five = bySize(5000);
  targets.push({
    name: 'completion p95 < 10 ms at 5,000 (in `mirror:` and at `subset:`)',
    measured: five ? `${ms(five.ours.completionMirror.p95)} and ${ms(five.ours.completionSubset.p95)}` : '5,000 not run',
    verdict: verdict(five ? five.ours.completionMirror.p95 < 10 && five.ours.completionSubset.p95 < 10 : undefined),
  });
  const runs = [...(result.cli ? [result.cli] : []), ...(result.workspaceCli?.slice(0, 1) ?? [])];
  const injected = result.sizes.reduce((sum, size) => sum + size.injected, 0) + runs.reduce((sum, run) => sum + run.tree.injectedErrors, 0);
  const foundByUs = result.sizes.reduce((sum, size) => sum + size.ours.found.total, 0) + runs.reduce((sum, run) => sum + run.injectedFound, 0);
  targets.push({
    name: 'all injected errors found by istio-mirror (every size, the CLI trees)',
    measured: `${foundByUs}/${injected}`,
    verdict: verdict(foundByUs === injected),
  });
  return targets;
}

export function targetTable(targets: Target[]): string {
  return ['| target | measured | |', '|---|---|---|', ...targets.map((t) => `| ${t.name} | ${t.measured} | **${t.verdict}** |`)].join('\n');
}

export function fullReport(result: BenchResult): string {
  const peerName = result.peer ? `yaml-language-server ${result.peer.version}` : 'yaml-language-server (not run)';
  const m = result.machine;
  const parts = [
    `### istio-mirror benchmark — ${result.date}`,
    '',
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(0)} GB, Node ${m.node} (${m.platform}); commit ${result.commit}; load average ${result.load.start.toFixed(2)} at start, ${result.load.end.toFixed(2)} at end${result.load.othersCpuShare === undefined ? '' : `; other processes used ${(result.load.othersCpuShare * 100).toFixed(0)} % of the machine's CPU time during the run`}`,
    `Command: \`${result.command}\``,
    result.peer ? `Peer: ${peerName} (${result.peer.path}), schema ${result.peer.schema} for \`**/*.yaml\`, yaml.validate on; its validation debounce (validationDelayMs = 200 ms, not configurable) is included in its times.` : 'Peer: yaml-language-server not run (--no-peer, or not found: see scripts/bench/README.md).',
    'Times: median / p95 over n samples; "÷" is the peer\'s time divided by ours (how many times faster we are), or its RSS divided by ours.',
    '',
    ...result.sizes.flatMap((size) => [sizeTable(size, peerName), '']),
    cliTable(result.cli, result.cliByWorkers),
    '',
    workspaceTable(result),
    '',
    '#### Targets (issue 16)',
    '',
    targetTable(evaluateTargets(result)),
    '',
    '#### Earlier targets (issue 6)',
    '',
    targetTable(earlierTargets(result)),
  ];
  return parts.join('\n');
}
