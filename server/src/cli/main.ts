// `istio-mirror`: the command-line face of the language service.
//   istio-mirror check [paths…] [--format text|json|sarif]
//   istio-mirror preview [paths…] [--format text|json] [--per N]
//   istio-mirror test [paths…] [--format text|junit|sarif]  (and monitor, routes, trace)
// `check` checks every YAML file under the given files and folders together (so cross-file
// references resolve), prints the findings, and exits 1 when any error was found, 0 otherwise,
// 2 on usage errors. `preview` prints where each VirtualService sends requests and copies.

import type { SplitVirtualService, TrafficSplitModel } from '../service/features/trafficSplit';
import { diagnosticSource } from '../service/languageService';
import { loadWorkspace, reportUnreadable, UsageError } from './cliWorkspace';
import { terminalSafe } from './terminalText';
import { runMonitor } from './monitorCommand';
import { routesSynopsis, routesUsage, runRoutes } from './routesCommand';
import { runTrace, traceSynopsis, traceUsage } from './traceCommand';
import { runTest, testSynopsis, testUsage } from './testCommand';
import { isAnalysisWorker, runAnalysisWorker } from './parallelAnalysis';
import { formatPreviewText } from './previewText';
import { formatJson, formatSarif, formatText, type Finding } from './reportFormats';

const version = '0.1.0';

const usage = `usage: istio-mirror check [paths…] [--format text|json|sarif] [--namespace NS] [--preview]
       istio-mirror preview [paths…] [--format text|json] [--per N] [--namespace NS]
       istio-mirror monitor [paths…] [--format text|json|grafana] [--window 5m] [--namespace NS]
       ${routesSynopsis}
       ${traceSynopsis}
       ${testSynopsis}
       istio-mirror --help | --version

check    Checks Istio VirtualService and DestinationRule YAML in the given files and
         folders (folders are searched for *.yaml and *.yml, skipping node_modules). All
         files are checked together, so a subset defined in one file is found from another.
preview  Shows where the requests of every VirtualService go: each rule with its match,
         the normalised share of each destination (weights are relative) and the share
         of requests copied to each mirror.
monitor  Prints, for every mirror, the PromQL that compares primary and mirror (request
         rate, 5xx ratio, p50/p99 latency, rate normalised by the mirror percentage), the
         kubectl/istioctl commands for the same pods and routes, and what cannot be
         measured; --format grafana writes an importable Grafana dashboard.
${routesUsage}
${traceUsage}
${testUsage}

  --format F      check: text (default, file:line:col severity code message),
                  json ({"diagnostics": [...]}) or sarif (SARIF 2.1.0)
                  preview: text (default) or json (the traffic-split model)
                  monitor: text (default), json or grafana (dashboard JSON)
  --window W      monitor: the rate window of the queries, a PromQL duration (default 5m)
  --per N         preview: show expected requests per N requests to each VirtualService (default 1000)
  --preview       check: after the findings, print the traffic split as \`preview\` does
  --namespace NS  namespace assumed for resources without metadata.namespace (default: default)

Exit status: 0 no errors, 1 errors found (check) or a test failed (test), 2 usage error or a
file or folder that cannot be read (its path and the reason are printed; nothing in it is checked).`;

interface CommandOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  namespace?: string;
  perRequests: number;
  /** check: also print the traffic split after the findings (text format). */
  preview: boolean;
}

function parseArguments(args: string[], formats: readonly string[], allowPer: boolean): CommandOptions {
  const options: CommandOptions = { paths: [], format: 'text', perRequests: 1000, preview: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const valueOf = (name: string): string => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      return value;
    };
    if (arg === '--format' || arg.startsWith('--format=')) {
      const format = valueOf('--format');
      if (!formats.includes(format)) throw new UsageError(`unknown format "${format}" (use ${formats.join(', ')})`);
      options.format = format as CommandOptions['format'];
    } else if (allowPer && (arg === '--per' || arg.startsWith('--per='))) {
      const per = Number(valueOf('--per'));
      if (!Number.isInteger(per) || per <= 0) throw new UsageError('--per needs a positive whole number');
      options.perRequests = per;
    } else if (arg === '--preview' && !allowPer) {
      options.preview = true;
    } else if (arg === '--namespace' || arg.startsWith('--namespace=')) {
      options.namespace = valueOf('--namespace');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

export async function runPreview(args: string[], write: (text: string) => void): Promise<number> {
  const options = parseArguments(args, ['text', 'json'], true);
  const workspace = await loadWorkspace(options.paths, options.namespace);
  const { service, uris } = workspace;
  const model = service.trafficSplit([...uris.keys()]);
  const fileOf = (uri: string): string => uris.get(uri) ?? uri;
  if (options.format === 'json') {
    write(JSON.stringify(previewJson(model, fileOf), null, 2));
  } else {
    write(formatPreviewText(model, fileOf, options.perRequests));
  }
  return reportUnreadable(workspace) ? 2 : 0;
}

/** The model with the documented keys first and always present (null when absent), paths instead of URIs. */
function previewJson(model: TrafficSplitModel, fileOf: (uri: string) => string): unknown {
  const entries = (list: SplitVirtualService[]): unknown[] => list.map(({ name, namespace, file, hosts, routes, ...rest }) => ({
      name,
      namespace,
      file: fileOf(file),
      hosts,
      routes: routes.map(({ index, name: routeName, match, reachable, destinations, mirrors, ...routeRest }) => ({
        index,
        name: routeName ?? null,
        match,
        reachable,
        destinations: destinations.map(({ host, subset, weight, percent, ...more }) => ({ host, subset: subset ?? null, weight: weight ?? null, percent, ...more })),
        mirrors: mirrors.map(({ host, subset, percent, ...more }) => ({ host, subset: subset ?? null, percent, ...more })),
        ...routeRest,
      })),
      ...rest,
    }));
  return { virtualServices: entries(model.virtualServices), httpRoutes: entries(model.httpRoutes ?? []), grpcRoutes: entries(model.grpcRoutes ?? []) };
}

export async function runCheck(args: string[], write: (text: string) => void): Promise<number> {
  const options = parseArguments(args, ['text', 'json', 'sarif'], false);
  const workspace = await loadWorkspace(options.paths, options.namespace);
  const { service, uris, files } = workspace;
  const findings: Finding[] = [];
  for (const [uri, file] of uris) {
    for (const problem of service.getProblems(uri)) {
      const severity = service.severityOf(problem);
      if (!severity) continue;
      findings.push({ file, range: problem.range, severity, code: problem.code, message: problem.message, source: diagnosticSource });
    }
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  if (options.format === 'json') write(formatJson(findings));
  else if (options.format === 'sarif') write(formatSarif(findings, version));
  else {
    if (findings.length > 0) write(formatText(findings));
    const warnings = findings.filter((finding) => finding.severity === 'warning').length;
    const notes = findings.length - errors - warnings;
    // Let the findings reach stdout before the summary goes to stderr, so the two never interleave.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    const unread = workspace.unreadable.size > 0 ? ` (${workspace.unreadable.size} not readable, not checked)` : '';
    process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} checked${unread}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'}\n`);
    if (options.preview) {
      write(`\nTraffic split (istio-mirror preview):\n\n${formatPreviewText(service.trafficSplit([...uris.keys()]), (uri) => uris.get(uri) ?? uri, options.perRequests)}`);
    }
  }
  if (reportUnreadable(workspace)) return 2;
  return errors > 0 ? 1 : 0;
}

/**
 * Output goes through here: control characters escaped (terminalText.ts), and nothing more is
 * written once the reader has closed the pipe (`istio-mirror check | head -1`): EPIPE ends the
 * output quietly and the command still exits with its own status.
 */
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutClosed = true;
});
process.stderr.on('error', () => undefined);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const write = (text: string): void => {
    if (!stdoutClosed) process.stdout.write(`${terminalSafe(text)}\n`);
  };
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, write);
      case 'preview':
        return await runPreview(rest, write);
      case 'monitor':
        return await runMonitor(rest, write);
      case 'routes':
        return await runRoutes(rest, write);
      case 'trace':
        return await runTrace(rest, write);
      case 'test':
        return await runTest(rest, write, version);
      case '--version':
      case 'version':
        write(`istio-mirror ${version}`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        write(usage);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`istio-mirror: ${terminalSafe(error.message)}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
}

if (isAnalysisWorker()) {
  runAnalysisWorker();
} else {
  main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`istio-mirror: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
  );
}
