// Istio: Convert to HTTPRoute — a VirtualService (with the DestinationRule subsets it uses) as
// Gateway API resources, for moving to ambient mode, where HTTPRoute is the recommended API:
// one HTTPRoute with the same rules, and one Service per subset (HTTPRoute has no subsets, so
// each version is selected by its own Service: the host's selector plus the subset's labels).
//
// Everything that has no Gateway API equivalent (or none Istio implements) is listed in
// `notConverted`, and at the top of the generated text as comments; nothing is dropped silently.
// The mapping is the reverse of Istio's conversion.go: `mirror`/`mirrors` → RequestMirror
// filters, weights → backendRef weights, headers → header modifier filters, `rewrite` →
// URLRewrite, `redirect` → RequestRedirect, `timeout` → timeouts.request.

import { Document } from 'yaml';
import { identify, namespaceOf } from '../model/resourceModel';
import { resolveHost } from '../model/hostNames';
import { hostBackends } from '../workspace/workspaceQueries';
import type { Position } from '../types';
import { documentContextAt } from './documentAt';
import type { FeatureContext } from './featureContext';

export interface HttpRouteConversion {
  /** The generated YAML: the HTTPRoute, then the per-version Services. */
  text: string;
  /** What could not be converted, one sentence each (empty when everything was). */
  notConverted: string[];
  /** A file name for the result, e.g. `reviews-httproute.yaml`. */
  fileName: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const httpMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const redirectCodes = new Set([301, 302, 303, 307, 308]);

/** A percentage as a RequestMirror share: whole numbers as `percent`, others as a fraction of 1,000,000. */
export function mirrorShare(percent: number): Json {
  if (Number.isInteger(percent)) return { percent };
  const numerator = Math.round(percent * 10000);
  let denominator = 1000000;
  let top = numerator;
  for (const factor of [10, 10, 10, 10, 10, 10]) {
    if (top % factor !== 0 || denominator <= 100) break;
    top /= factor;
    denominator /= factor;
  }
  return { fraction: { numerator: top, denominator } };
}

interface ServiceRef {
  name: string;
  namespace: string;
  /** The host is a Service of the cluster (not an external name). */
  inCluster: boolean;
}

/** Converts the VirtualService at `position`; undefined when there is none there. */
export function convertToHttpRoute(context: FeatureContext, uri: string, position: Position): HttpRouteConversion | undefined {
  const file = context.index.getFile(uri);
  const document = file ? documentContextAt(file, position) : undefined;
  const model = document?.indexed.analysis.model;
  if (!document || model?.kind !== 'VirtualService' || document.yaml.syntaxErrors.length > 0) return undefined;
  const vs = document.yaml.doc.toJS({ maxAliasCount: 100 }) as Json;
  const spec = isObject(vs.spec) ? vs.spec : {};
  const namespace = namespaceOf(identify(document.yaml), context.settings.defaultNamespace);
  const name = model.name?.value ?? 'converted';
  const domain = context.settings.clusterDomain;
  const notConverted: string[] = [];
  const versionServices = new Map<string, Json>();
  /** DestinationRules with a traffic policy, and the new Services it will not apply to. */
  const policyLosses = new Map<string, string[]>();

  const serviceOf = (host: string): ServiceRef => {
    const resolved = resolveHost(host, namespace, domain);
    const suffix = `.svc.${domain}`;
    if (resolved.endsWith(suffix)) {
      const [serviceName, serviceNamespace] = resolved.slice(0, -suffix.length).split('.');
      if (serviceName && serviceNamespace) return { name: serviceName, namespace: serviceNamespace, inCluster: true };
    }
    return { name: host, namespace, inCluster: false };
  };

  const portOf = (host: string, written: unknown): number | undefined => {
    if (typeof written === 'number') return written;
    const ports = hostBackends(context.index, host, namespace).ports;
    return ports.length === 1 ? ports[0].number : undefined;
  };

  /** A backendRef for a VirtualService destination (`host`, `subset`, `port.number`). */
  const backendRef = (destination: Json, where: string): Json | undefined => {
    const host = typeof destination.host === 'string' ? destination.host : undefined;
    if (!host) return undefined;
    const service = serviceOf(host);
    const writtenPort = isObject(destination.port) ? destination.port.number : undefined;
    const port = portOf(host, writtenPort);
    const subset = typeof destination.subset === 'string' && destination.subset !== '' ? destination.subset : undefined;
    let ref: Json;
    if (!service.inCluster) {
      ref = { group: 'networking.istio.io', kind: 'Hostname', name: host };
    } else if (subset) {
      const versionName = `${service.name}-${subset}`;
      ref = { name: versionName };
      addVersionService(service, subset, versionName, port);
    } else {
      ref = { name: service.name };
    }
    if (service.inCluster && service.namespace !== namespace) ref.namespace = service.namespace;
    if (port !== undefined) ref.port = port;
    else notConverted.push(`${where}: the port of ${host} is not written and the workspace has no Service with a single port for it; add \`port\` to the backendRef.`);
    if (!service.inCluster && subset) notConverted.push(`${where}: subset "${subset}" of the external host ${host} has no Gateway API equivalent.`);
    return ref;
  };

  const addVersionService = (service: ServiceRef, subset: string, versionName: string, port: number | undefined): void => {
    const key = `${service.namespace}/${versionName}`;
    if (versionServices.has(key)) return;
    const lookup = context.index.destinationRulesFor(service.name, service.namespace);
    const definition = lookup.rules.flatMap((entry) => entry.model.subsets).find((candidate) => candidate.name.value === subset);
    const base = hostBackends(context.index, `${service.name}.${service.namespace}.svc.${domain}`, namespace).services[0];
    for (const entry of lookup.rules.filter((candidate) => /^\s*trafficPolicy:/m.test(candidate.document.text))) {
      const key = `${entry.namespace}/${entry.model.name?.value ?? ''} (host ${service.name})`;
      policyLosses.set(key, [...(policyLosses.get(key) ?? []), versionName]);
    }
    if (!definition) notConverted.push(`Subset "${subset}" of ${service.name} is defined by no DestinationRule in the workspace: Service ${versionName} selects only the host's pods; add the version's labels to its selector.`);
    if (!base) notConverted.push(`Service ${service.namespace}/${service.name} is not in the workspace: Service ${versionName} has only the subset's labels as selector and ${port !== undefined ? `port ${port}` : 'no port'}; check both.`);
    const ports = base?.model.ports.length
      ? base.model.ports.map((entry) => ({ ...(entry.name !== undefined ? { name: entry.name } : {}), port: entry.number, ...(entry.targetPort !== undefined ? { targetPort: /^\d+$/.test(entry.targetPort) ? Number(entry.targetPort) : entry.targetPort } : {}) }))
      : port !== undefined ? [{ port }] : [];
    versionServices.set(key, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: versionName, namespace: service.namespace, labels: { 'istio-mirror/converted-from': name } },
      spec: { selector: { ...(base?.model.selector ?? {}), ...(definition?.labels ?? {}) }, ports },
    });
  };

  const headerFilter = (headers: unknown, type: 'RequestHeaderModifier' | 'ResponseHeaderModifier'): Json | undefined => {
    if (!isObject(headers)) return undefined;
    const body: Json = {};
    const pairs = (value: unknown): Json[] => (isObject(value) ? Object.entries(value).map(([headerName, headerValue]) => ({ name: headerName, value: String(headerValue) })) : []);
    if (pairs(headers.set).length > 0) body.set = pairs(headers.set);
    if (pairs(headers.add).length > 0) body.add = pairs(headers.add);
    if (list(headers.remove).length > 0) body.remove = list(headers.remove).map(String);
    if (Object.keys(body).length === 0) return undefined;
    return { type, [type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier']: body };
  };

  const stringMatch = (match: unknown): { type: string; value: string } | undefined => {
    if (!isObject(match)) return undefined;
    if (typeof match.exact === 'string') return { type: 'Exact', value: match.exact };
    if (typeof match.regex === 'string') return { type: 'RegularExpression', value: match.regex };
    if (typeof match.prefix === 'string') return { type: 'Prefix', value: match.prefix };
    return undefined;
  };

  const convertMatch = (match: Json, where: string): Json => {
    const result: Json = {};
    for (const key of Object.keys(match)) {
      if (!['name', 'uri', 'headers', 'queryParams', 'method'].includes(key)) notConverted.push(`${where}: \`${key}\` has no HTTPRoute match equivalent.`);
    }
    const uri = stringMatch(match.uri);
    if (uri) {
      if (uri.type === 'Prefix') {
        result.path = { type: 'PathPrefix', value: uri.value };
        if (uri.value !== '/' && !uri.value.endsWith('/')) notConverted.push(`${where}: URI prefix ${uri.value} becomes PathPrefix, which matches whole path segments (${uri.value}/x but not ${uri.value}x).`);
      } else {
        result.path = { type: uri.type, value: uri.value };
      }
    }
    const headerLike = (value: unknown, kind: string): Json[] => {
      const converted: Json[] = [];
      for (const [headerName, condition] of Object.entries(isObject(value) ? value : {})) {
        const written = stringMatch(condition);
        if (!written) {
          notConverted.push(`${where}: the ${kind} match on ${headerName} (presence only) has no HTTPRoute equivalent.`);
        } else if (written.value === '') {
          notConverted.push(`${where}: the empty ${kind} match on ${headerName} cannot be written in an HTTPRoute.`);
        } else if (written.type === 'Prefix') {
          // Istio reads RegularExpression as RE2 over the whole value.
          converted.push({ type: 'RegularExpression', name: headerName, value: `${written.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*` });
        } else {
          converted.push({ ...(written.type === 'Exact' ? {} : { type: written.type }), name: headerName, value: written.value });
        }
      }
      return converted;
    };
    const headers = headerLike(match.headers, 'header');
    if (headers.length > 0) result.headers = headers;
    const query = headerLike(match.queryParams, 'query');
    if (query.length > 0) result.queryParams = query;
    const method = stringMatch(match.method);
    if (method?.type === 'Exact' && httpMethods.has(method.value)) result.method = method.value;
    else if (method) notConverted.push(`${where}: method match ${method.value} (${method.type}) has no HTTPRoute equivalent; only one exact method is allowed.`);
    return result;
  };

  const rules: Json[] = [];
  const http = list(spec.http);
  http.forEach((entry, index) => {
    if (!isObject(entry)) return;
    const where = `http[${index}]${typeof entry.name === 'string' ? ` "${entry.name}"` : ''}`;
    const rule: Json = {};
    if (typeof entry.name === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(entry.name)) rule.name = entry.name;
    const matches = list(entry.match).filter(isObject).map((match) => convertMatch(match, where));
    if (matches.length > 0) rule.matches = matches;
    const filters: Json[] = [];
    const headers = isObject(entry.headers) ? entry.headers : {};
    const requestHeaders = headerFilter(headers.request, 'RequestHeaderModifier');
    const responseHeaders = headerFilter(headers.response, 'ResponseHeaderModifier');
    if (requestHeaders) filters.push(requestHeaders);
    if (responseHeaders) filters.push(responseHeaders);
    // Backends first, so the Services of the primary versions come before the mirrors' ones.
    const backendRefs: Json[] = [];
    for (const [routeIndex, destination] of list(entry.route).entries()) {
      if (!isObject(destination) || !isObject(destination.destination)) continue;
      const ref = backendRef(destination.destination, `${where} route[${routeIndex}]`);
      if (!ref) continue;
      if (typeof destination.weight === 'number') ref.weight = destination.weight;
      const destinationHeaders = isObject(destination.headers) ? destination.headers : {};
      const backendFilters = [headerFilter(destinationHeaders.request, 'RequestHeaderModifier'), headerFilter(destinationHeaders.response, 'ResponseHeaderModifier')].filter((filter): filter is Json => filter !== undefined);
      if (backendFilters.length > 0) ref.filters = backendFilters;
      backendRefs.push(ref);
    }
    const mirrors: { destination: Json; percent: number }[] = [];
    if (isObject(entry.mirror)) {
      const percentage = isObject(entry.mirrorPercentage) ? Number(entry.mirrorPercentage.value ?? 0) : typeof entry.mirrorPercent === 'number' ? entry.mirrorPercent : 100;
      mirrors.push({ destination: entry.mirror, percent: percentage });
    }
    for (const mirror of list(entry.mirrors)) {
      if (isObject(mirror) && isObject(mirror.destination)) mirrors.push({ destination: mirror.destination, percent: isObject(mirror.percentage) ? Number(mirror.percentage.value ?? 0) : 100 });
    }
    for (const mirror of mirrors) {
      const ref = backendRef(mirror.destination, `${where} mirror`);
      if (!ref) continue;
      filters.push({ type: 'RequestMirror', requestMirror: { backendRef: ref, ...(mirror.percent === 100 ? {} : mirrorShare(mirror.percent)) } });
    }
    if (isObject(entry.redirect)) {
      const redirect = entry.redirect;
      const body: Json = {};
      if (typeof redirect.uri === 'string') body.path = { type: 'ReplaceFullPath', replaceFullPath: redirect.uri };
      if (typeof redirect.authority === 'string') body.hostname = redirect.authority;
      if (typeof redirect.scheme === 'string') body.scheme = redirect.scheme;
      if (typeof redirect.port === 'number') body.port = redirect.port;
      if (typeof redirect.redirectCode === 'number') {
        if (redirectCodes.has(redirect.redirectCode)) body.statusCode = redirect.redirectCode;
        else notConverted.push(`${where}: redirect code ${redirect.redirectCode} is not allowed in an HTTPRoute (301, 302, 303, 307, 308); 302 is used.`);
      }
      for (const key of Object.keys(redirect)) if (!['uri', 'authority', 'scheme', 'port', 'redirectCode'].includes(key)) notConverted.push(`${where}: redirect \`${key}\` has no HTTPRoute equivalent.`);
      filters.push({ type: 'RequestRedirect', requestRedirect: body });
    }
    if (isObject(entry.rewrite)) {
      const rewrite = entry.rewrite;
      const body: Json = {};
      if (typeof rewrite.uri === 'string') {
        const onePrefix = matches.length === 1 && isObject(matches[0].path) && matches[0].path.type === 'PathPrefix';
        body.path = onePrefix ? { type: 'ReplacePrefixMatch', replacePrefixMatch: rewrite.uri } : { type: 'ReplaceFullPath', replaceFullPath: rewrite.uri };
        if (!onePrefix) notConverted.push(`${where}: rewrite.uri replaces the matched prefix in Istio; without exactly one prefix match it becomes ReplaceFullPath (the whole path).`);
      }
      if (typeof rewrite.authority === 'string') body.hostname = rewrite.authority;
      if (rewrite.uriRegexRewrite !== undefined) notConverted.push(`${where}: rewrite.uriRegexRewrite has no HTTPRoute equivalent.`);
      if (Object.keys(body).length > 0) filters.push({ type: 'URLRewrite', urlRewrite: body });
    }
    // A lone destination with a weight gets everything either way.
    if (backendRefs.length === 1) delete backendRefs[0].weight;
    if (filters.length > 0) rule.filters = filters;
    if (backendRefs.length > 0) rule.backendRefs = backendRefs;
    if (typeof entry.timeout === 'string') rule.timeouts = { request: entry.timeout };
    for (const [key, meaning] of [
      ['retries', 'retries (the `retry` field is in the experimental channel of the Gateway API)'],
      ['fault', 'fault injection'],
      ['corsPolicy', 'the CORS policy (write a CORS filter by hand: its fields differ)'],
      ['directResponse', 'a direct response'],
      ['delegate', 'delegation to another VirtualService'],
    ] as const) {
      if (entry[key] !== undefined) notConverted.push(`${where}: ${meaning} has no HTTPRoute equivalent here; not converted.`);
    }
    rules.push(rule);
  });
  for (const [rule, services] of policyLosses) {
    notConverted.push(`DestinationRule ${rule} sets a trafficPolicy, which does not apply to the new Service${services.length === 1 ? '' : 's'} ${services.join(', ')}: give ${services.length === 1 ? 'it' : 'them'} a DestinationRule with that policy.`);
  }
  if (list(spec.tcp).length > 0) notConverted.push(`${list(spec.tcp).length} tcp rule(s): TCPRoute is not converted.`);
  if (list(spec.tls).length > 0) notConverted.push(`${list(spec.tls).length} tls rule(s): TLSRoute is not converted.`);
  if (list(spec.exportTo).length > 0) notConverted.push('`exportTo` has no HTTPRoute equivalent.');
  if (http.filter((entry) => isObject(entry) && list(entry.match).length > 0).length > 1) {
    notConverted.push('Rule order: a VirtualService uses the first matching rule, an HTTPRoute the most specific match (exact path, longest prefix, then method, headers, query). Check that overlapping rules still pick the same backends.');
  }

  // Parents: the Services the VirtualService's hosts name (mesh), or its gateways.
  const gateways = list(spec.gateways).map(String);
  const parentRefs: Json[] = [];
  const hostnames: string[] = [];
  const hosts = list(spec.hosts).map(String);
  if (gateways.length === 0 || gateways.includes('mesh')) {
    for (const host of hosts) {
      const service = serviceOf(host);
      if (!service.inCluster || host.includes('*')) {
        notConverted.push(`Host ${host} is not a Service of the cluster: a mesh HTTPRoute attaches to a Service (or a ServiceEntry); attach it by hand.`);
        continue;
      }
      parentRefs.push({ group: '', kind: 'Service', name: service.name, ...(service.namespace !== namespace ? { namespace: service.namespace } : {}) });
    }
  }
  for (const gateway of gateways.filter((entry) => entry !== 'mesh')) {
    const [gatewayNamespace, gatewayName] = gateway.includes('/') ? gateway.split('/') : [undefined, gateway];
    parentRefs.push({ name: gatewayName, ...(gatewayNamespace && gatewayNamespace !== namespace ? { namespace: gatewayNamespace } : {}) });
    notConverted.push(`Gateway ${gateway} is an Istio Gateway: the HTTPRoute needs a Gateway API Gateway of that name (gatewayClassName: istio) whose listener allows routes from namespace ${namespace}.`);
  }
  if (gateways.some((entry) => entry !== 'mesh')) hostnames.push(...hosts.filter((host) => !host.includes('*') || host.startsWith('*.')));

  const route: Json = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: { ...(parentRefs.length > 0 ? { parentRefs } : {}), ...(hostnames.length > 0 ? { hostnames } : {}), ...(rules.length > 0 ? { rules } : {}) },
  };
  const header = [
    `# Converted from VirtualService ${namespace}/${name} by istio-mirror (Istio: Convert to HTTPRoute).`,
    ...(notConverted.length > 0 ? ['# Not converted — review before applying:', ...notConverted.map((line) => `#   - ${line}`)] : ['# Everything was converted.']),
  ].join('\n');
  const documents = [route, ...versionServices.values()].map((object) => new Document(object).toString({ lineWidth: 0, indentSeq: false }).trimEnd());
  return { text: `${header}\n${documents.join('\n---\n')}\n`, notConverted, fileName: `${name}-httproute.yaml` };
}
