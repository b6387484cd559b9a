// `istio-mirror trace [paths…] --host HOST [--path P] [--method M] [--header NAME=VALUE]…
// [--query NAME=VALUE]… [--port N] [--gateway NS/NAME|mesh] [--namespace NS]
// [--source-labels K=V,…] [--source-namespace NS] [--istio-version X.Y] [--format text|json]`:
// which VirtualService and rule take one request, where it goes and where its copies go.

import type { TraceRequest, TraceResult } from '../service/features/requestTrace';
import { exactPercentText } from '../service/model/envoyFractions';
import { formatPercent } from '../service/model/trafficShares';
import { loadWorkspace, reportUnreadable, routingKinds, UsageError } from './cliWorkspace';
import { formatOption, labelsOption, pairsOption, parseCommandLine, portOption, releaseOption, type ParsedCommandLine } from './commandLine';

export const traceSynopsis = 'istio-mirror trace [paths…] --host H [--path P] [--method M] [--header N=V]… [--query N=V]… [--port N] [--gateway NS/NAME|mesh] [--format text|json]';

export const traceUsage = `trace    Shows which VirtualService and http rule take a request (Istio's match
         semantics: first matching rule wins), the share each destination receives, the
         mirrored copies with their exact percentages, faults, rewrites and redirects.
  --host H        trace: the host the client calls (required); --path P (default /,
                  may carry ?query), --method M (GET), --header NAME=VALUE and
                  --query NAME=VALUE (repeatable), --port N, --gateway NS/NAME|mesh
                  (default mesh), --source-labels K=V,… and --source-namespace NS
                  (the client; matches that test them are unknown without)`;

export const traceOptions = {
  '--host': 'value', '--path': 'value', '--method': 'value', '--header': 'list', '--query': 'list', '--port': 'value', '--gateway': 'value',
  '--namespace': 'value', '--source-labels': 'value', '--source-namespace': 'value', '--istio-version': 'value', '--format': 'value', '--scheme': 'value',
} as const;

export function traceRequestOf(parsed: ParsedCommandLine): TraceRequest {
  const host = parsed.values.get('--host');
  if (!host) throw new UsageError('trace needs --host HOST');
  const request: TraceRequest = { host, release: releaseOption(parsed), headers: pairsOption(parsed, '--header', true), query: pairsOption(parsed, '--query') };
  const optional = { path: '--path', method: '--method', gateway: '--gateway', namespace: '--namespace', sourceNamespace: '--source-namespace', scheme: '--scheme' } as const;
  for (const [field, option] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = parsed.values.get(option);
    if (value !== undefined) request[field] = value;
  }
  const port = portOption(parsed);
  if (port !== undefined) request.port = port;
  const labels = labelsOption(parsed, '--source-labels');
  if (labels) request.sourceLabels = labels;
  return request;
}

export async function runTrace(args: string[], write: (text: string) => void): Promise<number> {
  const parsed = parseCommandLine(args, traceOptions);
  const format = formatOption(parsed, ['text', 'json'] as const);
  const request = traceRequestOf(parsed);
  const workspace = await loadWorkspace(parsed.paths, parsed.values.get('--namespace'), routingKinds);
  const { service, uris } = workspace;
  const result = service.traceRequest(request, [...uris.keys()]);
  const fileOf = (uri: string): string => uris.get(uri) ?? uri;
  if (format === 'json') write(JSON.stringify(traceJson(result, fileOf), null, 2));
  else write(formatTraceText(request, result, fileOf));
  return reportUnreadable(workspace) ? 2 : 0;
}

/** The documented keys first, hosts as FQDNs. */
export function traceJson(result: TraceResult, fileOf: (uri: string) => string): unknown {
  const { virtualService, httpIndex, name, destinations, mirrors, fault, redirect, directResponse, file, matchIndex, rewrite, undecided, notes } = result;
  return {
    virtualService,
    httpIndex,
    name,
    destinations: destinations.map(({ host, subset, percent, port }) => ({ host, subset, percent, port })),
    mirrors: mirrors.map(({ host, subset, percent, port, hostHeader, fraction }) => ({ host, subset, percent, port, hostHeader, fraction })),
    fault,
    redirect,
    directResponse,
    file: file === null ? null : fileOf(file),
    matchIndex,
    rewrite,
    undecided,
    notes,
  };
}

function targetText(target: { host: string; subset: string | null; port: number | null }): string {
  return `${target.host}${target.port !== null ? `:${target.port}` : ''}${target.subset !== null ? ` subset ${target.subset}` : ''}`;
}

export function formatTraceText(request: TraceRequest, result: TraceResult, fileOf: (uri: string) => string): string {
  const lines: string[] = [];
  const what = `${(request.method ?? 'GET').toUpperCase()} ${request.host}${request.path ?? '/'}${request.gateway && request.gateway !== 'mesh' ? ` via ${request.gateway}` : ''}`;
  if (result.virtualService === null) lines.push(`${what}  →  no VirtualService`);
  else {
    const rule = `http[${result.httpIndex}]${result.name !== null ? ` "${result.name}"` : ''}`;
    const match = result.matchIndex !== null ? ` (match ${result.matchIndex})` : ' (no match: takes all requests)';
    const where = result.file !== null && result.range ? `  ${fileOf(result.file)}:${result.range.start.line + 1}` : '';
    lines.push(`${what}  →  VirtualService ${result.virtualService} ${rule}${match}${where}`);
  }
  for (const destination of result.destinations) lines.push(`  route     ${targetText(destination)}  ${formatPercent(destination.percent)}`);
  for (const mirror of result.mirrors) lines.push(`  mirror    ${targetText(mirror)}  ${exactPercentText(mirror.percent)} of these requests copied, Host: ${mirror.hostHeader}`);
  if (result.rewrite) lines.push(`  rewrite   ${result.rewrite.path}${result.rewrite.authority ? `, Host ${result.rewrite.authority}` : ''}`);
  if (result.redirect) lines.push(`  redirect  ${result.redirect.code} ${result.redirect.location}`);
  if (result.directResponse) lines.push(`  respond   ${result.directResponse.status}${result.directResponse.body !== null ? ` ${JSON.stringify(result.directResponse.body)}` : ''}`);
  if (result.fault?.delay) lines.push(`  delay     ${result.fault.delay.fixedDelay} for ${exactPercentText(result.fault.delay.percent)} of requests`);
  if (result.fault?.abort) lines.push(`  abort     ${result.fault.abort.httpStatus ?? result.fault.abort.grpcStatus} for ${exactPercentText(result.fault.abort.percent)} of requests`);
  for (const entry of result.undecided) lines.push(`  unknown   ${entry.virtualService} http[${entry.httpIndex}] match ${entry.matchIndex} might take it first: ${entry.reason}`);
  for (const note of result.notes) lines.push(`  note      ${note}`);
  return lines.join('\n');
}
