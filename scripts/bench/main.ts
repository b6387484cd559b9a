// The istio-mirror benchmark (issue 6): our language server next to yaml-language-server
// 1.25.0 on generated multi-document Istio files, the parse floor, and the CLI on a large tree.
//
//   node --import tsx scripts/bench/main.ts [--quick] [--sizes 100,1000,5000] [--runs N]
//        [--errors N] [--seed N] [--json out.json] [--no-peer] [--no-cli] [--no-build]
//        [--cli-files N] [--cli-per-file N] [--cli-runs N] [--parse-runs N] [--keep]
//        [--no-workspace] [--ws-files N] [--ws-per-file N] [--cli-workers 1,2]
//        [--only sizes,cli,workspace,indexing]   (open, edit, rss = sizes)
//
// Prints a Markdown report (tables + PASS/MISS per target) on stdout; progress goes to stderr.
// See scripts/bench/README.md.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureCli, generateTree } from './cli';
import { measureFloor } from './floor';
import { measureIndexing } from './indexing';
import { generateFile, prng, type GeneratedFile } from './generate';
import { measureServer, type CompletionSetup, type EditPair, type ServerSpec } from './measure';
import { fullReport, type BenchResult, type SizeResult } from './report';

const root = resolve(__dirname, '..', '..');
const kubeconformMs = 6700;

interface Options {
  quick: boolean;
  sizes: number[];
  runs: number;
  errors: number;
  seed: number;
  json?: string;
  peer: boolean;
  cli: boolean;
  build: boolean;
  cliFiles: number;
  cliPerFile: number;
  cliRuns: number;
  parseRuns: number;
  keep: boolean;
  /** The workspace of many small files (CLI and server indexing); 0 files: skipped. */
  wsFiles: number;
  wsPerFile: number;
  /** Worker thread counts the CLI is also run with (ISTIO_MIRROR_WORKERS), next to its default. */
  cliWorkers: number[];
  /** The parts to run (--only): the single-file sizes, the 50,000-resource CLI tree, the workspace CLI, server indexing. */
  parts: Set<Part>;
}

type Part = 'sizes' | 'cli' | 'workspace' | 'indexing';
const partNames: Record<string, Part> = { sizes: 'sizes', open: 'sizes', edit: 'sizes', rss: 'sizes', completion: 'sizes', cli: 'cli', workspace: 'workspace', ws: 'workspace', indexing: 'indexing', index: 'indexing' };

const usage = 'usage: node --import tsx scripts/bench/main.ts [--quick] [--sizes 100,1000,5000] [--runs N] [--errors N] [--seed N] [--json out.json] [--no-peer] [--no-cli] [--no-build] [--cli-files N] [--cli-per-file N] [--cli-runs N] [--parse-runs N] [--keep] [--no-workspace] [--ws-files N] [--ws-per-file N] [--cli-workers 1,2] [--only sizes,cli,workspace,indexing]';

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const options: Options = {
    quick,
    sizes: quick ? [100, 1000] : [100, 1000, 5000],
    runs: quick ? 20 : 100,
    errors: 20,
    seed: 20261126,
    peer: true,
    cli: true,
    build: true,
    cliFiles: quick ? 50 : 500,
    cliPerFile: 100,
    cliRuns: quick ? 1 : 3,
    parseRuns: quick ? 3 : 7,
    keep: false,
    wsFiles: quick ? 200 : 2000,
    wsPerFile: 5,
    cliWorkers: [1, 2],
    parts: new Set<Part>(['sizes', 'cli', 'workspace', 'indexing']),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return next;
    };
    const count = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a whole number\n${usage}`);
      return n;
    };
    switch (arg) {
      case '--quick': break;
      case '--sizes': options.sizes = value().split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : '')))).filter((n) => n > 0); break;
      case '--runs': options.runs = Math.max(2, count()); break;
      case '--errors': options.errors = count(); break;
      case '--seed': options.seed = count(); break;
      case '--json': options.json = value(); break;
      case '--no-peer': options.peer = false; break;
      case '--no-cli': options.cli = false; break;
      case '--no-build': options.build = false; break;
      case '--cli-files': options.cliFiles = count(); break;
      case '--cli-per-file': options.cliPerFile = count(); break;
      case '--cli-runs': options.cliRuns = Math.max(1, count()); break;
      case '--parse-runs': options.parseRuns = Math.max(1, count()); break;
      case '--keep': options.keep = true; break;
      case '--no-workspace': options.wsFiles = 0; break;
      case '--ws-files': options.wsFiles = count(); break;
      case '--ws-per-file': options.wsPerFile = Math.max(1, count()); break;
      case '--cli-workers': options.cliWorkers = value().split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0); break;
      case '--only': options.parts = new Set(value().split(',').filter(Boolean).map((name) => {
        const part = partNames[name.trim()];
        if (!part) throw new Error(`--only: unknown part ${name} (sizes or open/edit/rss, cli, workspace, indexing)\n${usage}`);
        return part;
      })); break;
      case '--help': case '-h': console.log(usage); process.exit(0); break;
      default: throw new Error(`unknown option ${arg}\n${usage}`);
    }
  }
  return options;
}

const log = (message: string): void => { process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`); };

/** yaml-language-server: resolved from the repository first, then from $YAML_LANGUAGE_SERVER. */
function findPeer(): { path: string; version: string } | undefined {
  const candidates: string[] = [];
  try {
    const pkg = createRequire(join(root, 'package.json')).resolve('yaml-language-server/package.json');
    candidates.push(join(dirname(pkg), 'bin', 'yaml-language-server'));
  } catch {
    // not a dependency of the repository (yet)
  }
  if (process.env.YAML_LANGUAGE_SERVER) candidates.push(resolve(process.env.YAML_LANGUAGE_SERVER));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    // Walk up to the package's package.json (from bin/yaml-language-server or out/server/src/server.js).
    let dir = dirname(path);
    let version = 'unknown';
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const pkgPath = join(dir, 'package.json');
      if (existsSync(pkgPath)) {
        const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'yaml-language-server') { version = pkg.version ?? version; break; }
      }
    }
    return { path, version };
  }
  return undefined;
}

function warmupFile(): { text: string; expectedLines: number[] } {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: warm-v1
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: warm
  namespace: demo
spec:
  hosts:
  - warm
  http:
  - route:
    - destination:
        host: warm
        subset: v1
    mirror:
      host: warm
      subset: v2
    mirrorPercantage:
      value: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: warm
  namespace: demo
spec:
  host: warm
  trafficPolicy:
    loadBalancer:
      simpel: ROUND_ROBIN
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`;
  const lines = text.split('\n');
  return { text, expectedLines: [lines.indexOf('    mirrorPercantage:'), lines.indexOf('      simpel: ROUND_ROBIN')] };
}

/** Single-character edits (type one character at the end of a value, then delete it) spread over the file, in a seeded order. */
function planEdits(file: GeneratedFile, count: number, seed: number): EditPair[] {
  const lines = file.text.split('\n');
  const injected = new Set(file.errors.map((error) => error.line));
  const editable = /^ +(?!kind:|apiVersion:)[A-Za-z][\w.-]*: [A-Za-z0-9][^\s:#"']*$/;
  const used = new Set<number>();
  const pairs: EditPair[] = [];
  for (let k = 0; k < count; k++) {
    let line = Math.floor(((k + 0.5) * lines.length) / count);
    while (line < lines.length && (used.has(line) || injected.has(line) || !editable.test(lines[line]))) line++;
    if (line >= lines.length) continue;
    used.add(line);
    const character = lines[line].length;
    pairs.push({
      line,
      apply: { range: { start: { line, character }, end: { line, character } }, text: 'x' },
      undo: { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
    });
  }
  const random = prng(seed);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  return pairs;
}

/** A VirtualService near the middle of the file with a `mirror:` block and a route `subset:` before it. */
function planCompletion(file: GeneratedFile): { setup: CompletionSetup; documentText: string } {
  const lines = file.text.split('\n');
  const injected = new Set(file.errors.map((error) => error.line));
  for (let i = Math.floor(lines.length / 2); i < lines.length - 1; i++) {
    if (lines[i] !== '    mirror:' || !lines[i + 1].startsWith('      host: ')) continue;
    let subsetLine = -1;
    let documentStart = i;
    while (documentStart > 0 && lines[documentStart - 1] !== '---') {
      documentStart--;
      if (subsetLine < 0 && /^ {8}subset: \S+$/.test(lines[documentStart]) && !injected.has(documentStart)) subsetLine = documentStart;
    }
    if (subsetLine < 0 || lines[documentStart + 1] !== 'kind: VirtualService') continue;
    let documentEnd = i;
    while (documentEnd < lines.length && lines[documentEnd] !== '---') documentEnd++;
    const prefix = '        subset: ';
    return {
      setup: {
        edits: [
          { range: { start: { line: i + 1, character: 0 }, end: { line: i + 1, character: 0 } }, text: '      \n' },
          { range: { start: { line: subsetLine, character: prefix.length }, end: { line: subsetLine, character: lines[subsetLine].length } }, text: '' },
        ],
        mirror: { line: i + 1, character: 6 },
        subset: { line: subsetLine, character: prefix.length },
      },
      documentText: `${lines.slice(documentStart, documentEnd).join('\n')}\n`,
    };
  }
  throw new Error('no VirtualService with a mirror block in the second half of the file');
}

function machine(): BenchResult['machine'] {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  let count = cpus().length;
  try {
    count = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || count;
  } catch {
    // no nproc
  }
  return { cpus: count, cpuModel, memoryGb: totalmem() / 2 ** 30, node: process.version, platform: `${process.platform} ${process.arch}` };
}

/** Busy CPU time of the whole machine and of this process with its waited-for children, in clock ticks. */
function cpuSnapshot(): { machineBusy: number; ours: number; at: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const machineBusy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
    const self = readFileSync('/proc/self/stat', 'utf8');
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    // fields[11..14] = utime stime cutime cstime (stat fields 14–17)
    const ours = fields[11] + fields[12] + fields[13] + fields[14];
    return { machineBusy, ours, at: Date.now() };
  } catch {
    return undefined;
  }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * The keystroke → screen figures with the traffic-split preview open and closed, as recorded in
 * docs/performance.md by a real VS Code run (`node scripts/e2e.mjs --measure`, issue 11): the
 * row "| after | median … | **median …** |" of its table. Not re-run here (it needs code-server).
 */
function recordedPreview(): BenchResult['preview'] {
  try {
    const text = readFileSync(join(root, 'docs', 'performance.md'), 'utf8');
    const row = /^\| after \| median ([\d,.]+) ms, p90 ([\d,.]+) ms[^|]*\| \*\*median ([\d,.]+) ms, p90 ([\d,.]+) ms/m.exec(text);
    if (!row) return undefined;
    const n = (value: string): number => Number(value.replace(/,/g, ''));
    return { closed: { median: n(row[1]), p90: n(row[2]) }, open: { median: n(row[3]), p90: n(row[4]) }, source: 'docs/performance.md, "Typing with the traffic-split preview open", `node scripts/e2e.mjs --measure`' };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const command = `node --import tsx scripts/bench/main.ts ${process.argv.slice(2).join(' ')}`.trim();
  if (options.build) {
    log('building (node scripts/build.mjs --quiet)…');
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  for (const bundle of ['server.js', 'cli.js']) {
    if (!existsSync(join(root, 'dist', bundle))) throw new Error(`dist/${bundle} is missing: build first`);
  }

  const peer = options.peer ? findPeer() : undefined;
  const schemaPath = process.env.ISTIO_PEER_SCHEMA ?? join(root, '..', 'shared', 'peer-schemas', 'istio-networking-v1.json');
  if (options.peer && !peer) log('yaml-language-server not found (not a dependency of the repository, $YAML_LANGUAGE_SERVER unset): measuring istio-mirror only');
  if (peer && !existsSync(schemaPath)) throw new Error(`the peer schema ${schemaPath} is missing (set ISTIO_PEER_SCHEMA)`);
  if (peer) log(`peer: yaml-language-server ${peer.version} at ${peer.path}; schema ${schemaPath}`);
  if (peer && peer.version !== '1.25.0') log(`warning: the issue asks for yaml-language-server 1.25.0, found ${peer.version}`);

  const cpuAtStart = cpuSnapshot();
  const loadAtStart = loadavg()[0];
  if (loadAtStart > 1.5) log(`warning: the 1-minute load average is ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs: other work is running, times will be inflated`);
  const scratch = mkdtempSync(join(tmpdir(), 'istio-mirror-bench-'));
  // Run a snapshot of the bundles (they are self-contained), so that a rebuild of dist/ by
  // someone else during the run cannot change what is measured.
  mkdirSync(join(scratch, 'dist'));
  for (const bundle of ['server.js', 'cli.js']) copyFileSync(join(root, 'dist', bundle), join(scratch, 'dist', bundle));
  const serverPath = join(scratch, 'dist', 'server.js');
  const cliPath = join(scratch, 'dist', 'cli.js');
  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: machine(),
    commit: commit(),
    command,
    peer: peer ? { name: 'yaml-language-server', path: peer.path, version: peer.version, schema: schemaPath } : undefined,
    sizes: [],
    load: { start: loadAtStart, end: NaN },
  };

  const ours: ServerSpec = {
    name: 'istio-mirror',
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles our server under the benchmark.
    command: [process.execPath, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), serverPath, '--stdio'],
    settings: { istioMirror: {} },
    configurationSection: 'istioMirror',
    versionedDiagnostics: true,
  };
  const peerSpec: ServerSpec | undefined = peer && {
    name: 'yaml-language-server',
    command: [process.execPath, peer.path, '--stdio'],
    settings: {
      yaml: {
        validate: true,
        schemas: { [pathToFileURL(schemaPath).toString()]: '**/*.yaml' },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        completion: true,
        hover: true,
        format: { enable: false },
      },
      http: { proxy: '', proxyStrictSSL: false },
      '[yaml]': {},
      editor: {},
    },
    configurationSection: 'yaml',
    versionedDiagnostics: false,
  };

  try {
    const warm = warmupFile();
    for (const resources of options.parts.has('sizes') ? options.sizes : []) {
      const errors = Math.min(options.errors, Math.max(4, Math.floor(resources / 10)));
      const file = generateFile({ resources, errors, seed: options.seed + resources });
      const dir = join(scratch, `size-${resources}`);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `istio-${resources}.yaml`);
      writeFileSync(path, file.text);
      writeFileSync(join(dir, `istio-${resources}-reopened.yaml`), file.text);
      writeFileSync(join(dir, 'warmup.yaml'), warm.text);
      writeFileSync(join(dir, 'injected-errors.json'), JSON.stringify(file.errors, null, 2));
      const bytes = Buffer.byteLength(file.text);
      log(`${resources} resources: ${file.lines} lines, ${(bytes / 1e6).toFixed(2)} MB, ${file.errors.length} injected errors (${path})`);

      const completion = planCompletion(file);
      const floor = measureFloor(file.text, completion.documentText, resources >= 5000 ? Math.min(options.parseRuns, 5) : options.parseRuns, options.runs * 2);
      log(`floor: parseAllDocuments ${floor.fullParse.median.toFixed(1)} ms, parseDocument (${floor.documentLines} lines) ${floor.documentParse.median.toFixed(3)} ms`);

      const edits = planEdits(file, Math.max(60, Math.ceil(options.runs / 2) + 10), options.seed + resources);
      const common = {
        uri: pathToFileURL(path).toString(),
        reopenUri: pathToFileURL(join(dir, `istio-${resources}-reopened.yaml`)).toString(),
        text: file.text,
        errors: file.errors,
        edits,
        completion: completion.setup,
        warmup: { uri: pathToFileURL(join(dir, 'warmup.yaml')).toString(), text: warm.text, expectedLines: warm.expectedLines },
        timeoutMs: 15 * 60 * 1000,
        log,
      };
      const size: SizeResult = {
        resources: file.resources,
        lines: file.lines,
        bytes,
        injected: file.errors.length,
        floor,
        ours: await measureServer(ours, {
          ...common,
          minEdits: options.runs,
          maxEdits: options.runs,
          editBudgetMs: Infinity,
          minCompletions: Math.ceil(options.runs / 2),
          maxCompletions: Math.ceil(options.runs / 2),
          completionBudgetMs: Infinity,
        }),
      };
      if (peerSpec) {
        // yaml-language-server takes seconds per edit on large files: sample within a time budget.
        size.peer = await measureServer(peerSpec, {
          ...common,
          minEdits: options.quick ? 4 : 6,
          maxEdits: options.quick ? 6 : 20,
          editBudgetMs: options.quick ? 10000 : 120000,
          minCompletions: options.quick ? 2 : 3,
          maxCompletions: options.quick ? 3 : 10,
          completionBudgetMs: options.quick ? 8000 : 60000,
        });
      }
      result.sizes.push(size);
    }

    if (options.cli && options.parts.has('cli') && options.cliFiles > 0) {
      const treeDir = join(scratch, 'tree');
      const tree = generateTree(treeDir, options.cliFiles, options.cliPerFile, 4, options.seed);
      log(`cli: ${tree.resources} resources in ${tree.files} files (${tree.lines} lines, ${(tree.bytes / 1e6).toFixed(1)} MB) under ${treeDir}`);
      const cli = await measureCli(cliPath, tree, options.cliRuns, scratch, log);
      result.cli = { ...cli, kubeconformMs };
      result.cliByWorkers = [];
      for (const workers of options.cliWorkers) result.cliByWorkers.push(await measureCli(cliPath, tree, options.cliRuns, scratch, log, workers));
      rmSync(treeDir, { recursive: true, force: true });
    }

    if (options.wsFiles > 0 && (options.parts.has('workspace') || options.parts.has('indexing'))) {
      // A workspace as teams keep it: many small files, one application (two Deployments, a
      // Service, a DestinationRule, a VirtualService) each, an injected error in every tenth.
      const wsDir = join(scratch, 'workspace');
      const tree = generateTree(wsDir, options.wsFiles, options.wsPerFile, 1, options.seed + 7, 10);
      log(`workspace: ${tree.resources} resources in ${tree.files} files (${tree.lines} lines, ${(tree.bytes / 1e6).toFixed(1)} MB, ${Object.entries(tree.kinds).map(([kind, n]) => `${n} ${kind}`).join(', ')}) under ${wsDir}`);
      if (options.cli && options.parts.has('workspace')) {
        result.workspaceCli = [await measureCli(cliPath, tree, options.cliRuns, scratch, log)];
        for (const workers of options.cliWorkers) result.workspaceCli.push(await measureCli(cliPath, tree, options.cliRuns, scratch, log, workers));
      }
      if (options.parts.has('indexing')) result.indexing = await measureIndexing(ours.command, tree, log);
    }
  } finally {
    if (options.keep) log(`kept the generated files in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }

  result.load.end = loadavg()[0];
  const cpuAtEnd = cpuSnapshot();
  if (cpuAtStart && cpuAtEnd) {
    // Clock ticks are 100 per second on Linux.
    const available = ((cpuAtEnd.at - cpuAtStart.at) / 1000) * 100 * result.machine.cpus;
    result.load.othersCpuShare = Math.max(0, (cpuAtEnd.machineBusy - cpuAtStart.machineBusy) - (cpuAtEnd.ours - cpuAtStart.ours)) / available;
  }
  result.preview = recordedPreview();
  const report = fullReport(result);
  process.stdout.write(`${report}\n`);
  if (options.json) {
    writeFileSync(resolve(options.json), `${JSON.stringify({ ...result, report }, null, 2)}\n`);
    log(`wrote ${options.json}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
