// Runs the built CLI (dist/cli.js) as a user does, in a child process.

import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..');
/** ISTIO_MIRROR_DIST=<folder> runs the CLI of another build (e.g. one from before a fix). */
export const cliPath = join(process.env.ISTIO_MIRROR_DIST ?? join(repositoryRoot, 'dist'), 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = repositoryRoot, options: Pick<SpawnSyncOptions, 'uid' | 'gid' | 'env' | 'timeout'> = {}): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI with `--format json` and parses its output; fails with the output when the exit status is not `status`. */
export function runCliJson<T>(args: string[], status = 0): T {
  const result = runCli([...args, '--format', 'json']);
  if (result.status !== status) throw new Error(`exit ${result.status} (wanted ${status}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
