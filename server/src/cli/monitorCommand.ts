// `istio-mirror monitor [paths…] [--namespace NS] [--window 5m] [--format text|json|grafana]`:
// for every mirror of the VirtualServices, HTTPRoutes and GRPCRoutes under the paths, the PromQL pairs that compare the
// primary destination with the mirror target, the shell commands that look at the same pods and
// routes, and notes on what can and cannot be measured. `grafana` prints an importable dashboard.

import type { MirrorMonitor } from '../service/features/mirrorMonitoring';
import { isPromDuration } from '../service/features/promQuery';
import { workloadKinds } from '../service/model/workloadModel';
import { loadWorkspace, reportUnreadable, UsageError } from './cliWorkspace';
import { formatOption, parseCommandLine } from './commandLine';
import { formatMonitorText } from './monitorText';

interface MonitorArguments {
  paths: string[];
  format: 'text' | 'json' | 'grafana';
  window: string;
  namespace?: string;
}

/** What the monitor needs to know about: routes, subsets, the Services and ServiceEntries behind hosts, and the workloads. */
const monitorKinds = ['VirtualService', 'HTTPRoute', 'GRPCRoute', 'DestinationRule', 'Service', 'ServiceEntry', ...workloadKinds];

function parseMonitorArguments(args: string[]): MonitorArguments {
  const parsed = parseCommandLine(args, { '--format': 'value', '--window': 'value', '--namespace': 'value' });
  const window = parsed.values.get('--window') ?? '5m';
  if (!isPromDuration(window)) throw new UsageError(`--window needs a PromQL duration such as 1m, 5m or 1h (got "${window}")`);
  const namespace = parsed.values.get('--namespace');
  return { paths: parsed.paths, format: formatOption(parsed, ['text', 'json', 'grafana'] as const), window, ...(namespace !== undefined ? { namespace } : {}) };
}

export async function runMonitor(args: string[], write: (text: string) => void): Promise<number> {
  const options = parseMonitorArguments(args);
  const workspace = await loadWorkspace(options.paths, options.namespace, monitorKinds);
  const { service, uris } = workspace;
  const fileOf = (uri: string): string => uris.get(uri) ?? uri;
  const files = [...uris.keys()];
  if (options.format === 'grafana') {
    write(JSON.stringify(service.grafanaDashboard({ window: options.window, uris: files }), null, 2));
    return reportUnreadable(workspace) ? 2 : 0;
  }
  const monitors = service.mirrorMonitoring({ window: options.window, uris: files });
  if (options.format === 'json') write(JSON.stringify({ mirrors: monitors.map((monitor) => monitorJson(monitor, fileOf)) }, null, 2));
  else write(formatMonitorText(monitors, fileOf));
  return reportUnreadable(workspace) ? 2 : 0;
}

/** The documented keys first, in the documented order; the rest after them. */
function monitorJson(monitor: MirrorMonitor, fileOf: (uri: string) => string): unknown {
  const { virtualService, route, httpIndex, primary, mirror, percent, queries, commands, notes, file, range, ...rest } = monitor;
  const target = ({ host, subset, labels, ...more }: MirrorMonitor['primary']): unknown => ({ host, subset, labels, ...more });
  return {
    virtualService,
    httpIndex,
    primary: target(primary),
    mirror: target(mirror),
    percent,
    queries: queries.map(({ name, primary: primaryQuery, mirror: mirrorQuery, ...more }) => ({ name, primary: primaryQuery, mirror: mirrorQuery, ...more })),
    commands,
    notes,
    file: fileOf(file),
    line: range.start.line + 1,
    // A Gateway API route's mirror: virtualService is null and this names the route.
    ...(route.kind === 'HTTPRoute' ? { httpRoute: route.name } : route.kind === 'GRPCRoute' ? { grpcRoute: route.name } : {}),
    ...rest,
  };
}
