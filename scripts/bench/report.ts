// Turns the measurements into the printed tables and the PASS/MISS list of the issue's targets.

import type { CliResult } from './cli';
import type { FloorResult } from './floor';
import type { ErrorKind } from './generate';
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

export function cliTable(cli: BenchResult['cli']): string {
  if (!cli) return '';
  return [
    `#### CLI: ${thousands(cli.tree.resources)} resources in ${thousands(cli.tree.files)} files (${thousands(cli.tree.lines)} lines, ${(cli.tree.bytes / 1e6).toFixed(1)} MB)`,
    '',
    '| | istio-mirror check --format json | kubeconform (published, 4 cores) |',
    '|---|---:|---:|',
    `| end to end, median (runs) | ${ms(cli.time.median)} (${cli.runs.map((run) => (run / 1000).toFixed(2)).join(', ')} s) | ${ms(cli.kubeconformMs)} |`,
    `| diagnostics / injected errors found | ${thousands(cli.diagnostics)} / ${cli.injectedFound} of ${cli.tree.injectedErrors} | |`,
    ...(cli.error ? ['', `⚠ ${cli.error}`] : []),
  ].join('\n');
}

export function evaluateTargets(result: BenchResult): Target[] {
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
      name: `edit → diagnostics independent of file size (median at ${thousands(big.resources)} ≤ 2× median at ${thousands(small.resources)}, ${(big.resources / small.resources).toFixed(0)}× the text)`,
      measured: `${ms(small.ours.edit.median)} → ${ms(big.ours.edit.median)} = ${ratio(growth)}`,
      verdict: verdict(growth <= 2),
    });
  }
  for (const size of result.sizes) {
    const warm = size.ours.reopenMs / size.floor.fullParse.median;
    const cold = size.ours.openMs / size.floor.firstParseMs;
    targets.push({
      name: `open → first diagnostics within 1.3× of one full parse at ${thousands(size.resources)} (warm server vs warm parse)`,
      measured: `re-open ${ms(size.ours.reopenMs)} vs parse ${ms(size.floor.fullParse.median)} = ${ratio(warm)} (first open ${ms(size.ours.openMs)} vs first parse ${ms(size.floor.firstParseMs)} = ${ratio(cold)})`,
      verdict: verdict(warm <= 1.3),
    });
  }
  for (const size of result.sizes) {
    const r = size.peer ? size.peer.openMs / size.ours.openMs : NaN;
    const warm = size.peer ? size.peer.reopenMs / size.ours.reopenMs : NaN;
    targets.push({
      name: `open → first diagnostics ≥ 5× faster than yaml-language-server at ${thousands(size.resources)} (fresh servers)`,
      measured: size.peer ? `${ms(size.ours.openMs)} vs ${ms(size.peer.openMs)} = ${ratio(r)} (re-open: ${ms(size.ours.reopenMs)} vs ${ms(size.peer.reopenMs)} = ${ratio(warm)})` : 'peer not run',
      verdict: verdict(size.peer ? r >= 5 : undefined),
    });
  }
  const five = bySize(5000);
  targets.push({
    name: 'completion p95 < 10 ms at 5,000 (in `mirror:` and at `subset:`)',
    measured: five ? `${ms(five.ours.completionMirror.p95)} and ${ms(five.ours.completionSubset.p95)}` : '5,000 not run',
    verdict: verdict(five ? five.ours.completionMirror.p95 < 10 && five.ours.completionSubset.p95 < 10 : undefined),
  });
  for (const size of large) {
    const r = size.peer ? size.ours.peakRssKb / size.peer.peakRssKb : NaN;
    targets.push({
      name: `peak RSS ≤ ¼ of yaml-language-server's at ${thousands(size.resources)}`,
      measured: size.peer ? `${mb(size.ours.peakRssKb)} vs ${mb(size.peer.peakRssKb)} = ${(r * 100).toFixed(0)} %` : 'peer not run',
      verdict: verdict(size.peer ? r <= 0.25 : undefined),
    });
  }
  if (result.cli) {
    const full = result.cli.tree.resources >= 50000;
    targets.push({
      name: `CLI checks 50,000 resources in < ${ms(result.cli.kubeconformMs)} (kubeconform's published time)`,
      measured: `${ms(result.cli.time.median)} for ${thousands(result.cli.tree.resources)} resources`,
      verdict: full ? verdict(result.cli.time.median < result.cli.kubeconformMs && !result.cli.error) : 'n/a',
    });
  }
  const injected = result.sizes.reduce((sum, size) => sum + size.injected, 0) + (result.cli?.tree.injectedErrors ?? 0);
  const foundByUs = result.sizes.reduce((sum, size) => sum + size.ours.found.total, 0) + (result.cli?.injectedFound ?? 0);
  targets.push({
    name: 'all injected errors found by istio-mirror (every size, and the CLI tree)',
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
    cliTable(result.cli),
    '',
    '#### Targets (issue 6)',
    '',
    targetTable(evaluateTargets(result)),
  ];
  return parts.join('\n');
}
