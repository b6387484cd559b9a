// Checks: VirtualService rules Istio's webhook enforces beyond the schema (IM2101–IM2116),
// and the unreachable / ineffective rule analysis (IST0130, IST0131). Mirror-specific rules
// live in mirrorRules.ts. Sources: istio-reference §3.2–§3.7.

import { isMap, isScalar, type Pair, type ParsedNode } from 'yaml';
import { asMap, asSeq, child, findPair, firstLineRange, keyRange, keyText, numberValue, scalarText, stringValue } from '../parse/yamlDocument';
import { HostOverlaps } from '../model/hostOverlaps';
import { hasPlaceholder, isDns1123Label, isIpAddress, sanitisedSubsetName, wildcardDomainProblem } from '../model/hostNames';
import { allDestinations, ruleLabel, type DestinationModel, type VirtualServiceModel } from '../model/resourceModel';
import { formatPercent, normalisedShares } from '../model/trafficShares';
import { checkMirrors, type HostContext } from './mirrorRules';
import { checkAuthorityOnce, checkCorsPolicy, checkHeaderOperations, checkMatchHeaderNames } from './headerRules';
import { checkDirectResponse, checkRedirect, checkRewrite } from './httpActionRules';
import { checkTlsAndTcpMatches } from './tlsTcpRules';
import { checkSourceSelectors } from './labelRules';
import { checkExportTo } from './exportToRules';
import type { DocumentProblems } from './documentProblems';
import { shortened } from '../util/messageText';

const retryOnPolicies = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure', 'cancelled',
  'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** HTTP status codes Go's net/http knows (`http.StatusText` is not empty): the ones Istio accepts in `retryOn`. */
const knownStatusRanges: [number, number][] = [[100, 103], [200, 208], [226, 226], [300, 305], [307, 308], [400, 418], [421, 426], [428, 429], [431, 431], [451, 451], [500, 508], [510, 511]];
function knownHttpStatus(code: number): boolean {
  return knownStatusRanges.some(([low, high]) => code >= low && code <= high);
}

/** `port: {}` or `port: {number: 0}` in a destination is port 0, which Istio rejects. */
function checkPortSelectors(spec: ParsedNode | undefined, out: DocumentProblems): void {
  const check = (destination: unknown, path: (string | number)[]): void => {
    const portPair = asMap(destination) ? findPair(asMap(destination)!, 'port') : undefined;
    const port = asMap(portPair?.value);
    if (!portPair || !port) return;
    const numberNode = child(port, 'number');
    // Only `port: {}` (or a null number): other keys (the removed `name`) have their own finding.
    const others = port.items.some((item) => keyText(item) !== 'number');
    if (!others && (numberNode === undefined || (isScalar(numberNode) && numberNode.value === null))) {
      out.atKey('IM1009', portPair, 'The port has no `number`, which means port 0; Istio rejects it (ports are 1–65535). Set `number`, or remove `port`.', { path: [...path, 'port'] });
    }
  };
  for (const protocol of ['http', 'tcp', 'tls']) {
    asSeq(child(spec, protocol))?.items.forEach((rule, ruleIndex) => {
      const base = ['spec', protocol, ruleIndex];
      asSeq(child(rule, 'route'))?.items.forEach((entry, entryIndex) => check(child(entry, 'destination'), [...base, 'route', entryIndex, 'destination']));
      if (protocol !== 'http') return;
      check(child(rule, 'mirror'), [...base, 'mirror']);
      asSeq(child(rule, 'mirrors'))?.items.forEach((entry, entryIndex) => check(child(entry, 'destination'), [...base, 'mirrors', entryIndex, 'destination']));
    });
  }
}

export function checkVirtualService(spec: ParsedNode | undefined, model: VirtualServiceModel, hosts: HostContext, out: DocumentProblems): void {
  const specMap = asMap(spec);
  if (!specMap) return;
  const hostsPair = findPair(specMap, 'hosts');
  const isDelegate = model.hosts.length === 0;
  const gatewaysPair = findPair(specMap, 'gateways');

  const routeKinds = ['http', 'tcp', 'tls'].filter((key) => (asSeq(child(specMap, key))?.items.length ?? 0) > 0);
  if (routeKinds.length === 0) {
    const anchor = hostsPair ?? specMap.items[0];
    const message = 'This VirtualService has no `http`, `tcp` or `tls` rules; Istio rejects it. Add an `http` rule with a `route`.';
    if (anchor) out.atKey('IM2110', anchor, message, { path: ['spec'] });
    else out.at('IM2110', firstLineRange(out.yaml, specMap), message, { data: { path: ['spec'] } });
  }

  if (isDelegate) {
    if (gatewaysPair) out.atKey('IM2115', gatewaysPair, 'A VirtualService without `hosts` is a delegate and may not list `gateways`; add `hosts` or remove `gateways`.', { path: ['spec', 'gateways'] });
    for (const key of ['tcp', 'tls']) {
      const pair = findPair(specMap, key);
      if (pair) out.atKey('IM2115', pair, `A VirtualService without \`hosts\` is a delegate and may only have \`http\` rules, not \`${key}\`.`, { path: ['spec', key] });
    }
  } else {
    checkHosts(model, spec, out);
  }
  checkGateways(model, out);

  const appliesToMesh = model.gateways.length === 0 || model.gateways.some((gateway) => gateway.value === 'mesh');
  for (const host of model.hosts) {
    if (host.value === '*' && appliesToMesh) {
      out.at('IM2114', host.range, 'Host `*` is not allowed for a VirtualService that applies to the mesh (no `gateways`, or `mesh` listed): it would capture every service. Name the hosts, or bind it to a gateway.', { data: { path: ['spec', 'hosts'] } });
    }
  }

  const jwtClaims: Pair[] = [];
  (asSeq(child(specMap, 'http'))?.items ?? []).forEach((ruleNode, index) => {
    const rule = model.http[index];
    if (!rule || !isMap(ruleNode)) return;
    checkHttpRule(ruleNode, index, isDelegate, out, jwtClaims);
    checkMirrors(ruleNode, rule, hosts, out);
    checkWeights(ruleNode, index, rule.destinations, out);
  });
  // Routing on JWT claims needs the gateway's JWT filter: Istio rejects it for the mesh.
  if (appliesToMesh) {
    for (const claim of jwtClaims) {
      out.atKey('IM2120', claim, `Routing on the JWT claim header "${keyText(claim)}" works only on a gateway; this VirtualService applies to the mesh${model.gateways.length === 0 ? ' (no `gateways`)' : ' (`mesh` is listed)'}, so Istio rejects it. Bind it to an ingress gateway, or match a plain header.`, {});
    }
  }
  checkTlsAndTcpMatches(spec, model, out);
  checkSourceSelectors(spec, out);
  checkExportTo(spec, model.namespace?.value, false, out);
  checkPortSelectors(spec, out);

  for (const destination of allDestinations(model)) checkDestination(destination, out);
  for (const [protocol, ruleKey] of [['tcp', 'TCP'], ['tls', 'TLS']] as const) {
    (asSeq(child(specMap, protocol))?.items ?? []).forEach((ruleNode, index) => {
      if (!isMap(ruleNode)) return;
      if ((asSeq(child(ruleNode, 'route'))?.items.length ?? 0) === 0) {
        const anchor = (ruleNode.items[0] as Pair | undefined) ?? undefined;
        const message = `This ${ruleKey} rule has no \`route\`; Istio rejects it (\`${ruleKey} route is required\`). Add a \`route\` with a destination.`;
        if (anchor) out.atKey('IM2101', anchor, message, { path: ['spec', protocol, index] });
        else out.atNode('IM2101', ruleNode, message, { path: ['spec', protocol, index] });
      }
      checkWeights(ruleNode, index, model[protocol][index]?.destinations ?? [], out, protocol);
    });
  }

  reportUnreachableRules(model, out);
}

/** Istio's test for Envoy's auto-generated SNI names (`outbound_.<port>_._.<host>`, AUTO_PASSTHROUGH gateways). */
export function autoGeneratedSniProblem(host: string): string | undefined {
  const parts = host.split('_');
  if (parts.length < 4) return 'it should follow the `outbound_.<port>_._.<hostname>` format';
  if (parts[0] !== 'outbound') return `"${parts[0]}" should be \`outbound\``;
  if (!/[0-9]/.test(parts[1].replace(/^\.+|\.+$/g, ''))) return `the port part "${parts[1]}" should be a number (\`outbound_.<port>_._.<hostname>\`)`;
  if (!/[a-zA-Z]/.test(parts[3].replace(/^\.+|\.+$/g, ''))) return `the host part "${parts[3]}" should be a host name (\`outbound_.<port>_._.<hostname>\`)`;
  return undefined;
}

/** True when the VirtualService applies to gateways only (`mesh` not listed). */
function boundToGatewaysOnly(model: VirtualServiceModel): boolean {
  return model.gateways.length > 0 && !model.gateways.some((gateway) => gateway.value === 'mesh');
}

function hasSniMatches(spec: ParsedNode | undefined): boolean {
  return (asSeq(child(spec, 'tls'))?.items ?? []).some((rule) => (asSeq(child(rule, 'match'))?.items ?? []).some((match) => (asSeq(child(match, 'sniHosts'))?.items.length ?? 0) > 0));
}

function checkHosts(model: VirtualServiceModel, spec: ParsedNode | undefined, out: DocumentProblems): void {
  const autoSni = boundToGatewaysOnly(model) && hasSniMatches(spec);
  const overlaps = new HostOverlaps();
  model.hosts.forEach((host, index) => {
    if (!isIpAddress(host.value) && !hasPlaceholder(host.value)) {
      const problem = autoSni && host.value.startsWith('outbound_') ? autoGeneratedSniProblem(host.value) : wildcardDomainProblem(host.value);
      if (problem) out.at('IM2114', host.range, `Host "${host.value}" is invalid: ${problem}.`, { data: { path: ['spec', 'hosts', index] } });
    }
    const earlier = overlaps.firstOverlapThenAdd(host.value);
    if (earlier !== -1) out.at('IM2114', host.range, `Host "${host.value}" overlaps "${model.hosts[earlier]!.value}" listed before it; Istio rejects duplicate hosts. Remove one.`, { data: { path: ['spec', 'hosts', index] } });
  });
}

function checkGateways(model: VirtualServiceModel, out: DocumentProblems): void {
  model.gateways.forEach((gateway, index) => {
    const value = gateway.value;
    if (value === 'mesh' || hasPlaceholder(value)) return;
    const data = { path: ['spec', 'gateways', index] };
    if (value.includes('/')) {
      const parts = value.split('/');
      const [namespace, name] = parts;
      if (parts.length !== 2 || !namespace || !name) {
        out.at('IM2116', gateway.range, `Gateway reference "${value}" must be \`<namespace>/<name>\` with both parts set.`, { data });
      } else if ((namespace !== '.' && !isDns1123Label(namespace)) || !isDns1123Label(name)) {
        out.at('IM2116', gateway.range, `Gateway reference "${value}" is invalid: namespace and name must be DNS-1123 labels.`, { data });
      }
    } else if (value.includes('.')) {
      const [name, namespace] = value.split('.');
      out.at('IM2116', gateway.range, `"${value}" uses the legacy \`<name>.<namespace>\` gateway format; prefer \`${namespace}/${name}\`.`, { severity: 'warning', data: { ...data, replacementValue: `${namespace}/${name}` } });
    } else if (!isDns1123Label(value)) {
      out.at('IM2116', gateway.range, `Gateway name "${value}" is invalid: it must be a DNS-1123 label.`, { data });
    }
  });
}

function checkHttpRule(rule: ParsedNode & { items: unknown[] }, index: number, inDelegate: boolean, out: DocumentProblems, jwtClaims: Pair[]): void {
  const map = asMap(rule);
  if (!map) return;
  const path = ['spec', 'http', index];
  // A key counts when it has a value; an empty list (`route: []`) counts as missing, as in Istio.
  const has = (key: string): Pair<ParsedNode, ParsedNode | null> | undefined => {
    const pair = findPair(map, key);
    if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return undefined;
    const seq = asSeq(pair.value);
    return seq && seq.items.length === 0 ? undefined : pair;
  };
  const route = has('route');
  const redirect = has('redirect');
  const directResponse = has('directResponse');
  const delegate = has('delegate');
  const fault = has('fault');
  const rewrite = has('rewrite');

  if (delegate) {
    if (inDelegate) out.atKey('IM2115', delegate, 'A rule inside a delegate VirtualService cannot delegate again (one level only).', { path: [...path, 'delegate'] });
    for (const [pair, key] of [[route, 'route'], [redirect, 'redirect']] as const) {
      if (pair) out.atKey('IM2115', pair, `A rule that delegates must not also set \`${key}\`: the delegate VirtualService decides where requests go.`, { path: [...path, key] });
    }
  } else if (!route && !redirect && !directResponse) {
    const anchor = (map.items[0] as Pair | undefined);
    const mirrorOnly = has('mirror') || has('mirrors') ? ' A mirror alone is not enough: the original request must go somewhere too.' : '';
    const message = `This HTTP rule has no \`route\`, \`redirect\` or \`directResponse\`; Istio rejects it.${mirrorOnly} Add a \`route\` with a destination.`;
    if (anchor) out.atKey('IM2101', anchor, message, { path });
    else out.atNode('IM2101', map, message, { path });
  }

  const conflicts: [Pair | undefined, Pair | undefined, string][] = [
    [route, redirect, 'route and redirect'],
    [fault, redirect, 'fault and redirect'],
    [rewrite, redirect, 'rewrite and redirect'],
    [directResponse, redirect, 'directResponse and redirect'],
    [route, directResponse, 'route and directResponse'],
    [fault, directResponse, 'fault and directResponse'],
    [rewrite, directResponse, 'rewrite and directResponse'],
  ];
  for (const [first, second, words] of conflicts) {
    if (first && second && !delegate) {
      const later = keyOffset(first) > keyOffset(second) ? first : second;
      out.atKey('IM2102', later, `An HTTP rule cannot contain both ${words}; Istio rejects it. Keep one of them, or split the rule in two with different matches.`, { path: [...path, keyText(later) ?? ''] });
    }
  }

  const redirectMap = asMap(redirect?.value);
  const redirectCode = numberValue(child(redirectMap, 'redirectCode'));
  // proto3: 0 is the unset value (Istio then answers 301), so only other codes outside 3xx are rejected.
  if (redirectCode !== undefined && redirectCode !== 0 && (redirectCode < 300 || redirectCode > 399)) {
    out.atNode('IM1009', child(redirectMap, 'redirectCode'), `\`redirectCode\` must be between 300 and 399 (or 0, which means 301); it is ${redirectCode}. Istio rejects the rule.`, { path: [...path, 'redirect', 'redirectCode'], replacementValue: 301 });
  }

  const retries = has('retries');
  if (retries && isMap(retries.value)) checkRetries(retries, [...path, 'retries'], out);
  if (fault && isMap(fault.value)) checkFault(fault, [...path, 'fault'], out);
  asSeq(child(map, 'match'))?.items.forEach((match, matchIndex) => {
    checkStringMatches(match, [...path, 'match', matchIndex], out);
    checkMatchHeaderNames(match, [...path, 'match', matchIndex], out, jwtClaims);
  });
  checkHeaderOperations(map, path, out);
  asSeq(child(map, 'route'))?.items.forEach((entry, entryIndex) => checkHeaderOperations(asMap(entry), [...path, 'route', entryIndex], out));
  checkAuthorityOnce(map, path, out);
  checkCorsPolicy(map, path, out, re2Problem);
  checkRewrite(map, path, out, re2Problem);
  checkRedirect(map, path, out);
  checkDirectResponse(map, path, out);
}

function keyOffset(pair: Pair): number {
  return (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

function checkRetries(pair: Pair<ParsedNode, ParsedNode | null>, path: (string | number)[], out: DocumentProblems): void {
  const retries = asMap(pair.value);
  if (!retries) return;
  const attempts = numberValue(child(retries, 'attempts'));
  const attemptsText = stringValue(child(retries, 'attempts'));
  if (attemptsText !== undefined && hasPlaceholder(attemptsText)) return;
  const others = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities'].filter((key) => findPair(retries, key));
  if ((attempts === undefined || attempts === 0) && others.length > 0) {
    const reason = attempts === undefined ? 'has no `attempts`, which defaults to 0 and disables retries' : 'sets `attempts: 0`, which disables retries';
    out.atKey('IM2107', pair, `\`retries\` ${reason}, so Istio rejects ${others.map((key) => `\`${key}\``).join(', ')}. Add \`attempts\` (e.g. \`attempts: 3\`).`, { path, replacementValue: 3 });
  }
  const retryOnNode = child(retries, 'retryOn');
  const retryOn = stringValue(retryOnNode);
  if (retryOn !== undefined && !hasPlaceholder(retryOn)) {
    // As Istio: split on commas without trimming; each part is a known policy or an HTTP status Go knows.
    const unknown = retryOn.split(',').filter((item) => !retryOnPolicies.has(item) && !(/^[+-]?\d+$/.test(item) && knownHttpStatus(Number(item))));
    if (unknown.length > 0) {
      const spaced = unknown.some((item) => item !== item.trim() && retryOnPolicies.has(item.trim())) ? ' Istio does not trim spaces around the commas: write `5xx,connect-failure`.' : '';
      const empty = unknown.includes('') ? ' An empty entry (a doubled or trailing comma) is rejected too.' : '';
      out.atNode('IM2112', retryOnNode, `Unknown \`retryOn\` condition${unknown.length > 1 ? 's' : ''} ${unknown.filter((item) => item !== '').map((item) => `"${item}"`).join(', ')}.${spaced}${empty} Use HTTP status codes or: ${[...retryOnPolicies].join(', ')}.`, { path: [...path, 'retryOn'] });
    }
  }
}

function checkFault(pair: Pair<ParsedNode, ParsedNode | null>, path: (string | number)[], out: DocumentProblems): void {
  const fault = asMap(pair.value);
  if (!fault) return;
  if (!findPair(fault, 'delay') && !findPair(fault, 'abort')) {
    out.atKey('IM2113', pair, '`fault` needs a `delay` and/or an `abort`; Istio rejects an empty fault.', { path });
  }
  const abort = asMap(child(fault, 'abort'));
  if (abort && !['httpStatus', 'grpcStatus', 'http2Error'].some((key) => findPair(abort, key))) {
    const abortPair = findPair(fault, 'abort');
    if (abortPair) out.at('IM2113', keyRange(out.yaml, abortPair), '`abort` has no error type: set `httpStatus` (e.g. 503) or `grpcStatus`, otherwise nothing is aborted.', { severity: 'warning', data: { path: [...path, 'abort'] } });
  }
  const unsupported: [string, string][] = [['delay', 'exponentialDelay'], ['abort', 'http2Error']];
  for (const [owner, key] of unsupported) {
    const ownerMap = asMap(child(fault, owner));
    const pair = ownerMap ? findPair(ownerMap, key) : undefined;
    if (pair) out.atKey('IM2113', pair, `\`${key}\` is not supported by Istio yet; it always rejects it. Use ${key === 'exponentialDelay' ? '`fixedDelay`' : '`httpStatus` or `grpcStatus`'}.`, { path: [...path, owner, key] });
  }
  for (const kind of ['delay', 'abort']) {
    const value = numberValue(child(child(child(fault, kind), 'percentage'), 'value'));
    if (value === undefined) continue;
    if (value !== 0 && (value < 0.0001 || value > 100)) {
      out.atNode('IM2113', child(child(child(fault, kind), 'percentage'), 'value'), `A fault percentage must be 0 or between 0.0001 and 100; it is ${value}.`, { path: [...path, kind, 'percentage', 'value'], replacementValue: Math.min(100, Math.max(0, value)) });
    }
  }
}

function checkStringMatches(match: ParsedNode | null, path: (string | number)[], out: DocumentProblems): void {
  const map = asMap(match);
  if (!map) return;
  for (const field of ['uri', 'scheme', 'method', 'authority']) {
    const node = child(map, field);
    if (node) checkStringMatch(node, field, field === 'uri', [...path, field], out);
  }
  for (const field of ['headers', 'withoutHeaders', 'queryParams']) {
    for (const item of asMap(child(map, field))?.items ?? []) {
      const key = keyText(item);
      if (key === undefined || !item.value) continue;
      // In `withoutHeaders`, `regex: "*"` is not a regex: Istio reads it as "header present".
      if (field === 'withoutHeaders' && scalarText(child(item.value, 'regex')) === '*') continue;
      checkStringMatch(item.value as ParsedNode, field, false, [...path, field, key], out);
    }
  }
}

function checkStringMatch(node: ParsedNode, field: string, emptyPrefixAllowed: boolean, path: (string | number)[], out: DocumentProblems): void {
  const prefix = child(node, 'prefix');
  if (prefix && !emptyPrefixAllowed && isScalar(prefix) && (prefix.value === '' || prefix.value === null)) {
    out.atNode('IM2111', prefix, `An empty \`prefix\` is not allowed in \`${field}\`; use \`{}\` to match any value, or write a prefix.`, { path: [...path, 'prefix'] });
  }
  const regexNode = child(node, 'regex');
  if (!regexNode) return;
  const regex = scalarText(regexNode) ?? '';
  if (hasPlaceholder(regex, false)) return;
  if (regex === '') {
    out.atNode('IM2111', regexNode, `An empty \`regex\` is not allowed in \`${field}\`.`, { path: [...path, 'regex'] });
    return;
  }
  if (regex.length > 1024) {
    out.atNode('IM2111', regexNode, `The regex is ${regex.length} characters long; Istio allows at most 1024.`, { path: [...path, 'regex'] });
    return;
  }
  const problem = re2Problem(regex);
  if (problem) out.atNode('IM2111', regexNode, `Invalid regex: ${problem}. Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax).`, { path: [...path, 'regex'] });
}

/** A best-effort RE2 check: RE2 has no look-around or back-references; the rest is compiled by JavaScript after translating RE2-only syntax. */
export function re2Problem(regex: string): string | undefined {
  if (/\(\?<?[=!]/.test(regex)) return 'look-ahead and look-behind (`(?=`, `(?!`, `(?<=`, `(?<!`) are not supported by RE2';
  if (/(^|[^\\])\\[1-9]/.test(regex)) return 'back-references (`\\1`) are not supported by RE2';
  const translated = regex
    .replace(/^\(\?[imsU]+\)/, '')
    .replace(/\(\?[imsU]*(-[imsU]+)?:/g, '(?:')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\[Az]/g, '')
    .replace(/\[\[:\^?[a-z]+:\]\]/g, 'a')
    .replace(/\[:\^?[a-z]+:\]/g, 'a')
    .replace(/\\[pP]\{?[A-Za-z_]+\}?/g, 'a')
    .replace(/\\Q.*?\\E/g, 'a');
  try {
    new RegExp(translated);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

function checkWeights(rule: ParsedNode, index: number, destinations: DestinationModel[], out: DocumentProblems, protocol = 'http'): void {
  const ruleMap = asMap(rule);
  const routePair = ruleMap ? findPair(ruleMap, 'route') : undefined;
  const entries = asSeq(routePair?.value)?.items ?? [];
  entries.forEach((entry, entryIndex) => {
    const weightNode = child(entry, 'weight');
    const weight = numberValue(weightNode);
    if (weight !== undefined && weight < 0) {
      out.atNode('IM2103', weightNode, `Weight ${weight} is negative; weights are relative shares and must be 0 or more.`, { path: ['spec', protocol, index, 'route', entryIndex, 'weight'], replacementValue: 0 });
    }
  });
  if (entries.length < 2 || !routePair) return;
  // A placeholder weight (`${CANARY_WEIGHT}`) is not known yet: nothing follows from the others.
  if (entries.some((entry) => { const text = stringValue(child(entry, 'weight')); return text !== undefined && hasPlaceholder(text); })) return;
  const weights = entries.map((entry) => numberValue(child(entry, 'weight')));
  if (weights.some((weight) => weight !== undefined && weight < 0)) return;
  const total = weights.reduce<number>((sum, weight) => sum + (weight ?? 0), 0);
  if (total === 0) {
    out.atKey('IM2104', routePair, `All ${entries.length} destinations have weight 0 (an unset weight counts as 0); Istio rejects the route (\`total destination weight = 0\`). Give at least one destination a weight.`, { path: ['spec', protocol, index, 'route'] });
    return;
  }
  if (total !== 100) {
    const shares = normalisedShares(weights);
    const parts = destinations.map((destination, i) => `${destinationLabel(destination)} ${formatPercent(shares[i] ?? 0)}`);
    out.atKey('IM2105', routePair, `Weights add up to ${total}, not 100. That is fine: they are relative, so the split is ${parts.join(', ')}.`, { path: ['spec', protocol, index, 'route'] });
  }
}

export function destinationLabel(destination: DestinationModel): string {
  const host = destination.host?.value ?? '?';
  return destination.subset ? `${host}/${destination.subset.value}` : host;
}

function checkDestination(destination: DestinationModel, out: DocumentProblems): void {
  const host = destination.host;
  if (host && !hasPlaceholder(host.value)) {
    const where = destination.role === 'route' ? 'destination' : 'mirror';
    if (host.value === '*') {
      out.at('IM2108', host.range, `\`*\` is not a valid ${where} host: a destination must name one service. Use the service name or its FQDN.`, { data: { path: [...destination.path, 'host'] } });
    } else if (isIpAddress(host.value)) {
      out.at('IM2108', host.range, `An IP address is not a valid ${where} host; name the service (a ServiceEntry can give an external IP a host name).`, { data: { path: [...destination.path, 'host'] } });
    } else {
      const problem = wildcardDomainProblem(host.value);
      if (problem) out.at('IM2108', host.range, `"${host.value}" is not a valid ${where} host: ${problem}.`, { data: { path: [...destination.path, 'host'] } });
    }
  }
  const subset = destination.subset;
  if (subset && subset.value !== '' && !isDns1123Label(subset.value) && !hasPlaceholder(subset.value)) {
    const fixed = sanitisedSubsetName(subset.value);
    out.at('IM2109', subset.range, `Subset name "${shortened(subset.value)}" is invalid: use letters, digits and '-' only (at most 63, starting and ending with a letter or digit), e.g. "${fixed}".`, { data: { path: [...destination.path, 'subset'], replacementValue: fixed } });
  }
}

function reportUnreachableRules(model: VirtualServiceModel, out: DocumentProblems): void {
  for (const rule of [...model.http, ...model.tcp, ...model.tls]) {
    const rules = model[rule.protocol];
    const kind = rule.protocol.toUpperCase();
    if (rule.unreachableReason) {
      const mirrorNote = rule.mirrors.length > 0 ? ' Its mirror never receives a copy either; put all mirror targets of one route into a single `mirrors` list.' : '';
      out.at('IST0130', rule.range, `${kind} rule ${ruleLabel(rule)} is never used: ${rule.unreachableReason}.${mirrorNote}`, { data: { path: ['spec', rule.protocol, rule.index] } });
    }
    for (const match of rule.matches ?? []) {
      if (match.shadowedByRule === undefined) continue;
      const earlier = ruleLabel(rules[match.shadowedByRule]);
      const why = match.coveredBy
        ? `rule ${earlier} comes first and its match (${match.coveredBy}) covers every request this one matches`
        : `rule ${earlier} has the same match and comes first`;
      out.at('IST0131', match.range, `This match (${match.text}) is never used: ${why}.`, { data: { path: ['spec', rule.protocol, rule.index, 'match', match.index] } });
    }
  }
}
