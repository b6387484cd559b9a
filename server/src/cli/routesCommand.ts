// `istio-mirror routes [paths…] [--istio-version X.Y] [--port N] [--namespace NS] [--format text|json]`:
// the Envoy routes Istio's pilot generates for every `http` rule, as text or as the JSON
// `istioctl proxy-config routes -o json` would show for their route actions.

import type { EnvoyMirrorPolicy, EnvoyRouteMatch, EnvoyRouteRule } from '../service/features/envoyRoutes';
import { exactPercentText, fractionToPercent } from '../service/model/envoyFractions';
import { releaseText } from '../service/model/istioReleases';
import { loadWorkspace, reportUnreadable, routingKinds } from './cliWorkspace';
import { formatOption, parseCommandLine, portOption, releaseOption } from './commandLine';

export const routesSynopsis = 'istio-mirror routes [paths…] [--istio-version X.Y] [--port N] [--format text|json] [--namespace NS]';

export const routesUsage = `routes   Prints the Envoy routes Istio generates for every http rule: the cluster
         (outbound|PORT|SUBSET|FQDN) or weighted clusters, the request mirror policies
         with their exact runtime fraction, timeout, retries, rewrites, faults.
  --istio-version X.Y  routes: the Istio release (default: the newest); before 1.28 mirrored
                  copies carry a -shadow suffix on their Host, from 1.28 they do not
  --port N        routes: build the routes of this listener port only`;

export async function runRoutes(args: string[], write: (text: string) => void): Promise<number> {
  const parsed = parseCommandLine(args, { '--istio-version': 'value', '--namespace': 'value', '--format': 'value', '--port': 'value' });
  const format = formatOption(parsed, ['text', 'json'] as const);
  const release = releaseOption(parsed);
  const listenerPort = portOption(parsed);
  const workspace = await loadWorkspace(parsed.paths, parsed.values.get('--namespace'), routingKinds);
  const { service, uris } = workspace;
  const routes = service.envoyRoutes(listenerPort === undefined ? { release } : { release, listenerPort }, [...uris.keys()]);
  const fileOf = (uri: string): string => uris.get(uri) ?? uri;
  if (format === 'json') {
    write(JSON.stringify({ istioVersion: releaseText(release), routes: routes.map((rule) => routeJson(rule, fileOf)) }, null, 2));
  } else {
    write(formatRoutesText(routes, fileOf, releaseText(release)));
  }
  return reportUnreadable(workspace) ? 2 : 0;
}

function routeJson(rule: EnvoyRouteRule, fileOf: (uri: string) => string): unknown {
  const { virtualService, uri, httpIndex, name, match, route, listenerPort, generated, redirect, directResponse, fault, notes } = rule;
  return { virtualService, file: fileOf(uri), httpIndex, name, listenerPort, generated, match, route, redirect, directResponse, fault, notes };
}

function matchText(match: EnvoyRouteMatch): string {
  const parts: string[] = [];
  if (match.path !== undefined) parts.push(`path ${match.path}`);
  if (match.prefix !== undefined) parts.push(`prefix ${match.prefix}`);
  if (match.safeRegex) parts.push(`regex ${match.safeRegex.regex}`);
  if (match.caseSensitive === false) parts.push('(any case)');
  for (const header of match.headers ?? []) {
    const test = header.presentMatch ? 'present' : header.stringMatch?.exact !== undefined ? `= ${header.stringMatch.exact}` : header.stringMatch?.prefix !== undefined ? `prefix ${header.stringMatch.prefix}` : header.stringMatch?.safeRegex ? `~ ${header.stringMatch.safeRegex.regex}` : '?';
    parts.push(`${header.invertMatch ? 'not ' : ''}${header.name} ${test}`);
  }
  for (const query of match.queryParameters ?? []) {
    const test = query.presentMatch ? 'present' : query.stringMatch?.exact !== undefined ? `= ${query.stringMatch.exact}` : query.stringMatch?.prefix !== undefined ? `prefix ${query.stringMatch.prefix}` : `~ ${query.stringMatch?.safeRegex?.regex ?? ''}`;
    parts.push(`?${query.name} ${test}`);
  }
  return parts.join(', ');
}

/** `20 % (200000/MILLION)`. */
export function mirrorFractionText(policy: EnvoyMirrorPolicy): string {
  const fraction = policy.runtimeFraction.defaultValue;
  return `${exactPercentText(fractionToPercent(fraction))} (${fraction.numerator}/${fraction.denominator})`;
}

export function formatRoutesText(routes: EnvoyRouteRule[], fileOf: (uri: string) => string, release: string): string {
  if (routes.length === 0) return 'No VirtualService with http rules found.';
  const lines: string[] = [];
  let current = '';
  for (const rule of routes) {
    const header = `${rule.virtualService} ${rule.uri} ${rule.listenerPort ?? ''}`;
    if (header !== current) {
      if (lines.length > 0) lines.push('');
      lines.push(`VirtualService ${rule.virtualService}  (${fileOf(rule.uri)})  Istio ${release}, listener port ${rule.listenerPort ?? 'of the caller'}`);
      current = header;
    }
    lines.push(`  http[${rule.httpIndex}]${rule.name !== null ? ` "${rule.name}"` : ''}${rule.generated ? '' : '  (not sent)'}`);
    for (const match of rule.match) lines.push(`    match     ${matchText(match)}`);
    const route = rule.route;
    if (route) {
      if (route.cluster !== undefined) lines.push(`    cluster   ${route.cluster}`);
      for (const cluster of route.weightedClusters?.clusters ?? []) lines.push(`    weighted  ${cluster.name}  weight ${cluster.weight}`);
      if (route.prefixRewrite !== undefined) lines.push(`    rewrite   prefix → ${route.prefixRewrite}`);
      if (route.regexRewrite) lines.push(`    rewrite   ${route.regexRewrite.pattern.regex} → ${route.regexRewrite.substitution}`);
      if (route.hostRewriteLiteral !== undefined) lines.push(`    host      → ${route.hostRewriteLiteral}`);
      for (const policy of route.requestMirrorPolicies ?? []) {
        lines.push(`    mirror    ${policy.cluster}  ${mirrorFractionText(policy)}  traceSampled false, ${policy.disableShadowHostSuffixAppend ? 'Host unchanged' : 'Host gets -shadow'}`);
      }
      lines.push(`    timeout   ${route.timeout}${route.timeout === '0s' ? ' (none)' : ''}`);
      if (route.retryPolicy) lines.push(`    retries   ${route.retryPolicy.numRetries} on ${route.retryPolicy.retryOn}${route.retryPolicy.perTryTimeout ? `, ${route.retryPolicy.perTryTimeout} per try` : ''}`);
    }
    if (rule.redirect) lines.push(`    redirect  ${rule.redirect.responseCode}${rule.redirect.hostRedirect ? ` host ${rule.redirect.hostRedirect}` : ''}${rule.redirect.pathRedirect ? ` path ${rule.redirect.pathRedirect}` : ''}${rule.redirect.prefixRewrite ? ` prefix ${rule.redirect.prefixRewrite}` : ''}${rule.redirect.schemeRedirect ? ` scheme ${rule.redirect.schemeRedirect}` : ''}${rule.redirect.portRedirect ? ` port ${rule.redirect.portRedirect}` : ''}`);
    if (rule.directResponse) lines.push(`    respond   ${rule.directResponse.status}`);
    if (rule.fault?.abort) lines.push(`    abort     ${rule.fault.abort.httpStatus ?? rule.fault.abort.grpcStatus} for ${exactPercentText(rule.fault.abort.percentage ? fractionToPercent(rule.fault.abort.percentage) : 0)}`);
    if (rule.fault?.delay) lines.push(`    delay     ${rule.fault.delay.fixedDelay} for ${exactPercentText(fractionToPercent(rule.fault.delay.percentage))}`);
    for (const note of rule.notes) lines.push(`    note      ${note}`);
  }
  return lines.join('\n');
}
