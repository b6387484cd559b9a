// The long robustness run (issue 6): the driver of test/server/randomEdits.test.ts with
// thousands of steps and several seeds. Prints progress and every finding with the seed and
// step that reproduce it, and writes each finding (workspace texts at that moment, the
// recorded steps) as JSON for replay. Exit 1 when anything was found.
//
//   node scripts/build.mjs --quiet
//   node --import tsx scripts/fuzz.ts [--seeds 1,2,3 | --seed-count 3 --first-seed 1]
//        [--steps 2000] [--check-every 100] [--heavy] [--out /tmp/istio-mirror-fuzz]
//        [--stop-at-first] [--no-related] [--no-races]
//   node --import tsx scripts/fuzz.ts --replay <finding.json> [--check-every N]
//   node --import tsx scripts/fuzz.ts --reduce <finding.json>
//
// --reduce shrinks a finding to a minimal reproduction: for an answer, a hang, an exception
// or an invalid diagnostic, the document text (in-process, by delta debugging); for drift, the
// recorded steps (replayed against real server processes). The result is printed and saved
// next to the finding as .min.json.
//
// A seed runs to the end after a finding (restarting the server after drift, reporting each
// distinct problem once with a count); --stop-at-first ends the seed at its first finding.
// --no-races leaves out the two racy actions (opening while the server reads the same file
// from disk), so that drift they cause does not hide other drift.
// FUZZ_TRACE=1 prints every step.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FuzzSession, describeStep, formatFinding, type FuzzFinding, type FuzzStep } from '../test/helpers/fuzzDriver';
import { diagnosticProblems, probeCaseOf, reduceSteps, resolveMarks, runProbeInProcess, runProbeInWorker, shrinkCase, type ProbeCase } from '../test/helpers/fuzzReduce';

interface Args {
  seeds: number[];
  steps: number;
  checkEvery: number;
  heavy: boolean;
  out: string;
  stopAtFirst: boolean;
  related: boolean;
  replay?: string;
  reduce?: string;
  races: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: [], steps: 2000, checkEvery: 100, heavy: false, out: join(tmpdir(), 'istio-mirror-fuzz'), stopAtFirst: false, related: true, races: true };
  let seedCount = 3;
  let firstSeed = 1;
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--seeds': args.seeds = value().split(',').map(Number); break;
      case '--seed-count': seedCount = Number(value()); break;
      case '--first-seed': firstSeed = Number(value()); break;
      case '--steps': args.steps = Number(value()); break;
      case '--check-every': args.checkEvery = Number(value()); break;
      case '--heavy': args.heavy = true; break;
      case '--out': args.out = value(); break;
      case '--stop-at-first': args.stopAtFirst = true; break;
      case '--no-related': args.related = false; break;
      case '--no-races': args.races = false; break;
      case '--replay': args.replay = value(); break;
      case '--reduce': args.reduce = value(); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (args.seeds.length === 0) args.seeds = Array.from({ length: seedCount }, (_, i) => firstSeed + i);
  return args;
}

function save(out: string, finding: FuzzFinding, steps: readonly FuzzStep[]): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, `seed${finding.seed}-step${finding.step}-${finding.kind}.json`);
  writeFileSync(file, JSON.stringify({ finding, steps: steps.slice(0, finding.step) }, null, 1));
  return file;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => console.log(line);

  if (args.reduce) return reduce(args.reduce);

  if (args.replay) {
    const { finding, steps } = JSON.parse(readFileSync(args.replay, 'utf8')) as { finding: FuzzFinding; steps: FuzzStep[] };
    console.log(`replaying ${steps.length} steps of seed ${finding.seed} (expected: ${finding.kind} at step ${finding.step})`);
    const session = new FuzzSession({ seed: finding.seed, steps: steps.length, checkEvery: args.checkEvery, log, compareRelated: args.related });
    const found = await session.replay(steps, args.checkEvery);
    console.log(found.length === 0 ? 'replay: nothing found' : `replay: ${found.length} finding(s)`);
    return found.length === 0 ? 0 : 1;
  }

  const started = Date.now();
  const all: FuzzFinding[] = [];
  for (const seed of args.seeds) {
    const seedStarted = Date.now();
    let lastReport = Date.now();
    console.log(`seed ${seed}: ${args.steps} steps, fresh-server comparison every ${args.checkEvery}${args.heavy ? ', heavy' : ''}`);
    const session = new FuzzSession({
      seed,
      steps: args.steps,
      checkEvery: args.checkEvery,
      heavy: args.heavy,
      stopAtFirst: args.stopAtFirst,
      compareRelated: args.related,
      races: args.races,
      log,
      onStep: (step) => {
        if (Date.now() - lastReport > 10_000 || step === args.steps) {
          lastReport = Date.now();
          console.log(`  seed ${seed}: step ${step}/${args.steps} (${((Date.now() - seedStarted) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const findings = await session.run();
    for (const finding of findings) {
      const file = save(args.out, finding, session.recorded);
      console.log(`  ${formatFinding(finding).split('\n')[0]}\n    → ${file}`);
    }
    console.log(`seed ${seed}: ${findings.length === 0 ? 'clean' : `${findings.length} finding(s)`} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
    all.push(...findings);
  }
  console.log(`\n${args.seeds.length} seed(s) × ${args.steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s: ${all.length} finding(s)`);
  const byKind = new Map<string, number>();
  for (const finding of all) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  for (const [kind, count] of byKind) console.log(`  ${kind}: ${count}`);
  return all.length === 0 ? 0 : 1;
}

const normalise = (text: string): string => text.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, '#');

async function reduce(file: string): Promise<number> {
  const { finding, steps } = JSON.parse(readFileSync(file, 'utf8')) as { finding: FuzzFinding; steps: FuzzStep[] };
  const log = (line: string): void => console.log(line);
  console.log(`reducing ${formatFinding(finding).split('\n')[0]}`);
  const out = file.replace(/\.json$/, '.min.json');

  if (finding.kind === 'drift' || finding.kind === 'drift-related' || finding.kind === 'stale-diagnostics') {
    // The same drift: the same differing diagnostics (ranges aside) on the same document.
    const driftKey = (message: string): string => message.split('\n').slice(1).map((line) => line.replace(/\d+:\d+-\d+:\d+ /, '').replace(/@\d+:\d+-\d+:\d+/g, '')).sort().join('\n');
    const wanted = driftKey(finding.message);
    const reproduces = async (candidate: FuzzStep[]): Promise<boolean> => {
      const session = new FuzzSession({ seed: finding.seed, steps: candidate.length, compareRelated: finding.kind === 'drift-related' });
      const found = await session.replay(candidate, Number.MAX_SAFE_INTEGER);
      return found.some((f) => f.kind === finding.kind && f.path === finding.path && driftKey(f.message) === wanted);
    };
    if (!await reproduces(steps)) {
      console.log('the recorded steps do not reproduce it (timing?)');
      return 1;
    }
    const kept = await reduceSteps(steps, reproduces, log);
    console.log(`\n${kept.length} step(s) reproduce it (seed ${finding.seed}, for the initial open):`);
    kept.forEach((step, i) => console.log(`  ${i + 1}. ${describeStep(step)}`));
    writeFileSync(out, JSON.stringify({ finding: { ...finding, step: kept.length }, steps: kept }, null, 1));
    console.log(`→ ${out}`);
    return 0;
  }

  if (finding.kind === 'invalid-diagnostic' && finding.path && finding.snapshot) {
    const original = finding.snapshot.open[finding.path];
    const files: Record<string, string> = {};
    for (const [path, text] of Object.entries(finding.snapshot.disk)) if (path.startsWith('ws/') && !path.includes('node_modules/')) files[path] = text;
    for (const [path, text] of Object.entries(finding.snapshot.open)) files[path] = text;
    delete files[finding.path];
    const code = /diagnostic (\S+)/.exec(finding.message)?.[1];
    const kind = finding.message.includes('spans several lines') ? 'spans lines' : 'outside';
    const holds = (c: { files: Record<string, string>; text: string }): boolean => diagnosticProblems(c.files, finding.path!, c.text).some((p) => String(p.diagnostic.code) === code && p.problem.startsWith(kind));
    if (!holds({ files, text: original })) {
      console.log('not reproduced in-process');
      return 1;
    }
    const small = await shrinkCase({ files, text: original }, holds, log);
    const problems = diagnosticProblems(small.files, finding.path, small.text);
    console.log(`\nminimal text (${small.text.length} chars, other files: ${Object.keys(small.files).join(', ') || 'none'}):\n${JSON.stringify(small.text)}\n---\n${small.text}\n---`);
    for (const p of problems) console.log(`${p.problem}: ${JSON.stringify(p.diagnostic.range)} ${String(p.diagnostic.code)} ${p.diagnostic.message}`);
    writeFileSync(out, JSON.stringify({ finding, minimal: small, problems }, null, 1));
    console.log(`→ ${out}`);
    return 0;
  }

  const testCase = probeCaseOf(finding);
  if (!testCase) {
    console.log('nothing to reduce in-process for this finding');
    return 1;
  }
  let holds: (c: ProbeCase) => boolean | Promise<boolean>;
  if (finding.kind === 'timeout') {
    const bound = 3000;
    holds = async (c) => (await runProbeInWorker(c, bound)).timedOut;
  } else if (finding.kind === 'handler-exception') {
    const logged = finding.message.replace(/^.*?error during [^:]*: /s, '');
    const first = logged.split('\n')[0];
    const frame = /at (\S+)/.exec(logged)?.[1] ?? '';
    holds = (c) => runProbeInProcess(c).exception === `${first} at ${frame}`;
  } else {
    const wanted = normalise(finding.message);
    holds = (c) => {
      const problem = runProbeInProcess(c).problem;
      return problem !== undefined && wanted.endsWith(normalise(problem));
    };
  }
  if (!await holds(testCase)) {
    console.log(`not reproduced in-process: ${JSON.stringify(runProbeInProcess(testCase)).slice(0, 500)}`);
    return 1;
  }
  // a hang needs its long input: shrink by lines only (each try runs in a worker, for seconds)
  const small = await shrinkCase(testCase, holds, log, finding.kind !== 'timeout');
  const resolved = resolveMarks(small.text, small.probe);
  const outcome = finding.kind === 'timeout' ? await runProbeInWorker(small, 120_000) : { outcome: runProbeInProcess(small) };
  console.log(`\nminimal text (${resolved.text.length} chars, other files: ${Object.keys(small.files).join(', ') || 'none'}), ${resolved.probe.method} at ${JSON.stringify(resolved.probe.position)}${resolved.probe.position2 ? ` / ${JSON.stringify(resolved.probe.position2)}` : ''}:`);
  console.log(`${JSON.stringify(resolved.text)}\n---\n${resolved.text}\n---`);
  console.log(`outcome: ${JSON.stringify(outcome).slice(0, 1500)}`);
  writeFileSync(out, JSON.stringify({ finding, minimal: { files: small.files, text: resolved.text, probe: resolved.probe }, outcome }, null, 1));
  console.log(`→ ${out}`);
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
