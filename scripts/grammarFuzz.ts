// The grammar-aware long run (issue 12, "Long runs"): test/helpers/grammarMutations.ts's
// session — structural mutations of real Istio YAML (examples/, test/fixtures/, and
// ../shared/corpus when present) sent as small edits to the real server process, every kind of
// request in between (also between keystrokes), quick fixes applied and re-checked, files
// changed and deleted on disk, the diagnostics compared with a fresh server's every
// --check-every steps. Prints progress and every finding with the seed and step; writes each
// finding (the initial workspace, the recorded steps, the texts at that moment) as JSON for
// replay. Exit 1 when anything was found.
//
//   node scripts/build.mjs --quiet
//   node --import tsx scripts/grammarFuzz.ts [--seeds 1,2,3 | --seed-count 3 --first-seed 1]
//        [--steps 2000] [--check-every 100] [--out /tmp/istio-mirror-grammar-fuzz]
//        [--stop-at-first] [--no-corpus] [--no-related]
//   node --import tsx scripts/grammarFuzz.ts --replay <finding.json> [--check-every N]
//   node --import tsx scripts/grammarFuzz.ts --reduce <finding.json>
//
// --reduce keeps the recorded steps without which the finding (same kind, same document)
// disappears, replayed against real server processes, and saves them as .min.json.
// FUZZ_TRACE=1 prints every step.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describeStep, formatFinding, type FuzzFinding, type FuzzStep } from '../test/helpers/fuzzDriver';
import { reduceSteps } from '../test/helpers/fuzzReduce';
import { GrammarFuzzSession, loadSeeds, type SavedGrammarFinding } from '../test/helpers/grammarMutations';

interface Args {
  seeds: number[];
  steps: number;
  checkEvery: number;
  out: string;
  stopAtFirst: boolean;
  related: boolean;
  corpus: boolean;
  replay?: string;
  reduce?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: [], steps: 2000, checkEvery: 100, out: join(tmpdir(), 'istio-mirror-grammar-fuzz'), stopAtFirst: false, related: true, corpus: true };
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
      case '--out': args.out = value(); break;
      case '--stop-at-first': args.stopAtFirst = true; break;
      case '--no-related': args.related = false; break;
      case '--no-corpus': args.corpus = false; break;
      case '--replay': args.replay = value(); break;
      case '--reduce': args.reduce = value(); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (args.seeds.length === 0) args.seeds = Array.from({ length: seedCount }, (_, i) => firstSeed + i);
  return args;
}

function save(out: string, saved: SavedGrammarFinding): string {
  mkdirSync(out, { recursive: true });
  const file = join(out, `grammar-seed${saved.finding.seed}-step${saved.finding.step}-${saved.finding.kind}.json`);
  writeFileSync(file, JSON.stringify(saved, null, 1));
  return file;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => console.log(line);

  if (args.replay || args.reduce) {
    const file = (args.replay ?? args.reduce)!;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedGrammarFinding;
    const session = (steps: number): GrammarFuzzSession => new GrammarFuzzSession({ seed: saved.finding.seed, steps, seeds: [{ name: 'replay', text: '' }], workspace: saved.workspace, initiallyOpen: saved.initiallyOpen, compareRelated: args.related, log: args.replay ? log : undefined });
    if (args.replay) {
      console.log(`replaying ${saved.steps.length} steps of seed ${saved.finding.seed} (expected: ${saved.finding.kind} at step ${saved.finding.step})`);
      const found = await session(saved.steps.length).replay(saved.steps, args.checkEvery);
      console.log(found.length === 0 ? 'replay: nothing found' : `replay: ${found.length} finding(s)`);
      return found.length === 0 ? 0 : 1;
    }
    const reproduces = async (candidate: FuzzStep[]): Promise<boolean> => {
      const found = await session(candidate.length).replay(candidate, Number.MAX_SAFE_INTEGER);
      return found.some((f) => f.kind === saved.finding.kind && f.path === saved.finding.path);
    };
    if (!await reproduces(saved.steps)) {
      console.log('the recorded steps do not reproduce it (timing?)');
      return 1;
    }
    const kept = await reduceSteps(saved.steps, reproduces, log);
    console.log(`\n${kept.length} step(s) reproduce it:`);
    kept.forEach((step, i) => console.log(`  ${i + 1}. ${describeStep(step)}`));
    const out = file.replace(/\.json$/, '.min.json');
    writeFileSync(out, JSON.stringify({ ...saved, finding: { ...saved.finding, step: kept.length }, steps: kept }, null, 1));
    console.log(`→ ${out}`);
    return 0;
  }

  const seedFiles = loadSeeds(args.corpus);
  console.log(`${seedFiles.length} seed files (${args.corpus ? 'with' : 'without'} ../shared/corpus)`);
  const started = Date.now();
  const all: FuzzFinding[] = [];
  const totals = { mutations: 0, typedEdits: 0, probesBetweenKeystrokes: 0, fixesOffered: 0, fixesApplied: 0, fixesChecked: 0, fixTargetsChecked: 0, fixesSkippedOtherFiles: 0, diskMutations: 0 };
  for (const seed of args.seeds) {
    const seedStarted = Date.now();
    let lastReport = Date.now();
    console.log(`seed ${seed}: ${args.steps} steps, fresh-server comparison every ${args.checkEvery}`);
    const session = new GrammarFuzzSession({
      seed,
      steps: args.steps,
      checkEvery: args.checkEvery,
      stopAtFirst: args.stopAtFirst,
      compareRelated: args.related,
      seeds: seedFiles,
      log,
      onStep: (step) => {
        if (Date.now() - lastReport > 10_000 || step === args.steps) {
          lastReport = Date.now();
          console.log(`  seed ${seed}: step ${step}/${args.steps} (${((Date.now() - seedStarted) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const workspace = { ...session.initialWorkspace };
    const initiallyOpen = Object.keys(workspace).slice(0, 3).map((p) => `ws/${p}`);
    const findings = await session.run();
    for (const finding of findings) {
      const file = save(args.out, { finding, workspace, initiallyOpen, steps: session.recorded.slice(0, finding.step) });
      console.log(`  ${formatFinding(finding).split('\n')[0]}\n    → ${file}`);
    }
    const s = session.stats;
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += s[key];
    console.log(`seed ${seed}: ${findings.length === 0 ? 'clean' : `${findings.length} finding(s)`} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s; ${s.mutations} mutations (${s.typedEdits} typed, ${s.probesBetweenKeystrokes} requests between keystrokes), ${s.fixesApplied} quick fixes applied (${s.fixesChecked} checked, ${s.fixTargetsChecked} of them for the diagnostic they fix, ${s.fixesSkippedOtherFiles} skipped: other files), ${s.diskMutations} disk changes`);
    console.log(`  mutations: ${JSON.stringify(s.byMutation)}`);
    console.log(`  requests: ${JSON.stringify(s.byMethod)}`);
    all.push(...findings);
  }
  console.log(`\n${args.seeds.length} seed(s) × ${args.steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s: ${all.length} finding(s)`);
  console.log(`totals: ${JSON.stringify(totals)}`);
  const byKind = new Map<string, number>();
  for (const finding of all) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  for (const [kind, count] of byKind) console.log(`  ${kind}: ${count}`);
  return all.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
