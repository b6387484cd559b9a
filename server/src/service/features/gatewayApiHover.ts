// Hover for Gateway API routes, beside the schema's field docs: what a RequestMirror filter
// does at run time (its effective share of the rule's requests, as the `mirrors` entry Istio
// generates), a backendRef's normalised share of its rule, and the Service behind a backend name.

import { formatPercent, normalisedShares } from '../model/trafficShares';
import { backendHost, type GatewayRouteModel } from '../model/gatewayApiRoutes';
import { hostBackends } from '../workspace/workspaceQueries';
import type { FeatureContext } from './featureContext';
import { markdownCode, markdownText } from '../util/markdownText';

/** Runtime facts for the node at `path` of a route document, or undefined. */
export function gatewayRouteHover(context: FeatureContext, model: GatewayRouteModel, path: readonly (string | number)[], namespace: string): string | undefined {
  if (path[0] !== 'spec' || path[1] !== 'rules' || typeof path[2] !== 'number') return undefined;
  const rule = model.rules[path[2]];
  if (!rule) return undefined;
  const what = model.kind === 'GRPCRoute' ? 'calls' : 'requests';
  const within = (prefix: readonly (string | number)[]): boolean => prefix.length <= path.length && prefix.every((step, index) => path[index] === step);
  const mirror = rule.mirrors.find((candidate) => within(candidate.path.slice(0, -2)));
  if (mirror) {
    const target = `${mirror.name?.value ?? '?'}${mirror.port ? `:${mirror.port.value}` : ''}`;
    const runs = rule.route.action === 'route';
    const share = runs ? mirror.percent ?? 100 : 0;
    const lines = [`**Mirror at run time:** ${formatPercent(share)} of this rule's ${what} are copied to ${markdownCode(String(target))}; the copies' responses are discarded.`];
    if (!runs) lines.push(rule.redirects ? 'The rule redirects, so Istio never mirrors it.' : 'The rule has no backend of weight above 0 (HTTP 500), so Istio never mirrors it.');
    else lines.push(`Istio generates ${markdownCode(`mirrors: [{destination: {host: ${backendHost(mirror, { clusterDomain: context.settings.clusterDomain })}${mirror.port ? `, port: {number: ${mirror.port.value}}` : ''}}, percentage: {value: ${share}}}]`)}.`);
    return lines.join('\n\n');
  }
  const backendIndex = path[3] === 'backendRefs' && typeof path[4] === 'number' ? path[4] : undefined;
  const backend = backendIndex !== undefined ? rule.backends[backendIndex] : undefined;
  if (!backend) return undefined;
  const shares = normalisedShares(rule.backends.map((candidate) => candidate.weight ?? 1));
  const lines = [`**Share at run time:** ${formatPercent(shares[backendIndex as number] ?? 0)} of this rule's ${what} (weight ${backend.weight ?? 1} of ${rule.backends.reduce((sum, candidate) => sum + (candidate.weight ?? 1), 0)}; weights are relative).`];
  if (backend.name && backend.group === '' && backend.kind === 'Service' && !backend.name.value.includes('.')) {
    const service = hostBackends(context.index, backendHost(backend, { clusterDomain: context.settings.clusterDomain }), namespace).services[0];
    if (service) lines.push(`Service ${markdownCode(`${service.namespace}/${backend.name.value}`)}: ports ${service.model.ports.map((port) => port.number).join(', ') || 'none'}${service.model.selector ? `, selects ${Object.entries(service.model.selector).map(([k, v]) => markdownText(`${k}=${v}`)).join(', ')}` : ''}.`);
  }
  return lines.join('\n\n');
}
