// The CLI on a tree of many files: `node dist/cli.js check <dir> --format json > /dev/null`,
// timed end to end (process start to exit).

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateFile, type InjectedError } from './generate';
import { stats, type Stats } from './measure';

export interface CliTree {
  dir: string;
  files: number;
  resources: number;
  lines: number;
  bytes: number;
  /** Resources per kind. */
  kinds: Record<string, number>;
  errors: { file: string; error: InjectedError }[];
}

export interface CliResult {
  tree: Omit<CliTree, 'errors' | 'dir'> & { injectedErrors: number };
  /** ISTIO_MIRROR_WORKERS for these runs (undefined: the CLI's default). */
  workers?: number;
  runs: number[];
  time: Stats;
  exitCode: number | null;
  diagnostics: number;
  injectedFound: number;
  error?: string;
}

/**
 * Writes `files` files of `perFile` resources each into team folders (25 files a team). Every
 * `errorEvery`-th file gets `errorsPerFile` injected errors, the others none.
 */
export function generateTree(dir: string, files: number, perFile: number, errorsPerFile: number, seed: number, errorEvery = 1): CliTree {
  rmSync(dir, { recursive: true, force: true });
  const tree: CliTree = { dir, files, resources: 0, lines: 0, bytes: 0, kinds: {}, errors: [] };
  for (let i = 0; i < files; i++) {
    // Teams keep their resources in folders of their own, in their own namespaces.
    const team = `team-${String(Math.floor(i / 25)).padStart(2, '0')}`;
    const name = `${team}/apps-${String(i).padStart(3, '0')}.yaml`;
    const suffix = String(i).padStart(3, '0');
    const file = generateFile({ resources: perFile, errors: i % errorEvery === 0 ? errorsPerFile : 0, seed: seed + i, namespaces: [`shop-${suffix}`, `payments-${suffix}`, `catalog-${suffix}`, `identity-${suffix}`] });
    mkdirSync(join(dir, team), { recursive: true });
    writeFileSync(join(dir, name), file.text);
    tree.resources += file.resources;
    tree.lines += file.lines;
    tree.bytes += Buffer.byteLength(file.text);
    for (const [kind, count] of Object.entries(file.kinds)) tree.kinds[kind] = (tree.kinds[kind] ?? 0) + count;
    for (const error of file.errors) tree.errors.push({ file: name, error });
  }
  return tree;
}

function runCli(cliPath: string, dir: string, stdoutPath: string, workers?: number): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = openSync(stdoutPath, 'w');
    let stderr = '';
    const started = performance.now();
    const env = { ...process.env };
    if (workers === undefined) delete env.ISTIO_MIRROR_WORKERS;
    else env.ISTIO_MIRROR_WORKERS = String(workers);
    const child = spawn(process.execPath, [cliPath, 'check', dir, '--format', 'json'], { stdio: ['ignore', out, 'pipe'], env });
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      closeSync(out);
      resolve({ ms, code, stderr });
    });
  });
}

export async function measureCli(cliPath: string, tree: CliTree, runs: number, scratch: string, log: (message: string) => void, workers?: number): Promise<CliResult> {
  const label = `cli (${tree.files} files${workers === undefined ? '' : `, ${workers} worker${workers === 1 ? '' : 's'}`})`;
  const result: CliResult = {
    workers,
    tree: { files: tree.files, resources: tree.resources, lines: tree.lines, bytes: tree.bytes, kinds: tree.kinds, injectedErrors: tree.errors.length },
    runs: [],
    time: stats([]),
    exitCode: null,
    diagnostics: 0,
    injectedFound: 0,
  };
  for (let i = 0; i < runs; i++) {
    const run = await runCli(cliPath, tree.dir, '/dev/null', workers);
    result.exitCode = run.code;
    if (run.code !== 0 && run.code !== 1) {
      result.error = `exit ${run.code}: ${run.stderr.slice(0, 500)}`;
      break;
    }
    result.runs.push(run.ms);
    log(`${label}: run ${i + 1}/${runs}: ${(run.ms / 1000).toFixed(2)} s (exit ${run.code})`);
  }
  result.time = stats(result.runs);
  // One more, untimed run to a file, to check what it found.
  const outPath = join(scratch, 'cli-output.json');
  const check = await runCli(cliPath, tree.dir, outPath, workers);
  try {
    const output = JSON.parse(readFileSync(outPath, 'utf8')) as { diagnostics: { file: string; range: { start: { line: number } } }[] };
    result.diagnostics = output.diagnostics.length;
    const seen = new Set(output.diagnostics.map((d) => `${d.file.replace(/\\/g, '/')}:${d.range.start.line}`));
    result.injectedFound = tree.errors.filter(({ file, error }) => [...seen].some((key) => key.endsWith(`${file}:${error.line}`))).length;
  } catch (error) {
    result.error ??= `could not read the CLI's JSON output (exit ${check.code}): ${error instanceof Error ? error.message : String(error)}`;
  }
  return result;
}
