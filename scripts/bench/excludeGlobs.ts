// Exclude globs against a long file name: minimatch (a backtracking regular expression, what
// the server used before issue 12) and excludeGlobs.ts (no regular expression). Prints the time
// of one match for patterns with ever more stars; each minimatch run is a child process stopped
// after --cap seconds.
//
//   node --import tsx scripts/bench/excludeGlobs.ts [--length 200] [--cap 10]

import { spawnSync } from 'node:child_process';
import { excludeMatcher } from '../../server/src/workspaceFiles';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const length = option('length', 200);
const cap = option('cap', 10);
const name = `dir/${'a'.repeat(length)}.yaml`;

console.log(`file name: dir/ + ${length} × "a" + .yaml; pattern **/*a*a…*b with k stars`);
console.log('k   minimatch        excludeGlobs.ts');
for (const stars of [2, 4, 6, 8, 10, 12, 16, 30]) {
  const pattern = `**/${'*a'.repeat(stars - 1)}*b`;
  const script = `const { Minimatch } = require('minimatch'); const m = new Minimatch(${JSON.stringify(pattern)}, { dot: true }); const t = process.hrtime.bigint(); m.match(${JSON.stringify(name)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const child = spawnSync(process.execPath, ['-e', script], { timeout: cap * 1000, encoding: 'utf8', cwd: process.cwd() });
  const reference = child.error || child.signal ? `> ${cap} s (stopped)` : `${Number(child.stdout).toFixed(2)} ms`;
  const matches = excludeMatcher([pattern]);
  const started = process.hrtime.bigint();
  matches(name);
  const ours = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${String(stars).padEnd(4)}${reference.padEnd(17)}${ours.toFixed(2)} ms`);
}
