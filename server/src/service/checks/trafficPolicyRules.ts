// Checks: a DestinationRule traffic policy as Istio's webhook validates it beyond the schema
// (validateTrafficPolicy, validateConnectionPool, validateLoadBalancer, validateOutlierDetection,
// validatePortTrafficPolicies, validateTunnelSettings, agent.ValidateTLS,
// agent.ValidateLocalityLbSetting, agent.ValidateZoneAwareLbSetting): IM2206–IM2212, IM2214.

import { isScalar, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, findPair, keyText, numberValue, scalarText } from '../parse/yamlDocument';
import { hasPlaceholder, isIpAddress } from '../model/hostNames';
import { isIpLiteral } from './tlsTcpRules';
import type { DocumentProblems } from './documentProblems';

type Path = (string | number)[];

const topologyLabels = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

/** A field counts as set when present with a value other than null (and, for strings, not empty: proto3). */
function setPair(map: YAMLMap | undefined, key: string): Pair<ParsedNode, ParsedNode | null> | undefined {
  const pair = map ? findPair(map, key) : undefined;
  if (!pair || pair.value === null || (isScalar(pair.value) && (pair.value.value === null || pair.value.value === ''))) return undefined;
  return pair;
}

function isTrue(map: YAMLMap | undefined, key: string): boolean {
  const node = child(map, key);
  return isScalar(node) && node.value === true;
}

/** Checks one policy: the top-level one, a subset's, or a port-level one (`portLevel`). */
export function checkTrafficPolicy(policy: YAMLMap, path: Path, out: DocumentProblems, portLevel = false): void {
  const tunnel = setPair(policy, 'tunnel');
  if (!portLevel && tunnel && setPair(policy, 'proxyProtocol')) {
    out.atKey('IM2214', tunnel, '`tunnel` and `proxyProtocol` cannot be set together; Istio rejects the policy. Keep one of them.', { path: [...path, 'tunnel'] });
  }
  const outlier = asMap(child(policy, 'outlierDetection'));
  checkOutlierDetection(outlier, [...path, 'outlierDetection'], out);
  checkConnectionPool(asMap(child(policy, 'connectionPool')), [...path, 'connectionPool'], out);
  checkLoadBalancer(asMap(child(policy, 'loadBalancer')), setPair(policy, 'outlierDetection') !== undefined, [...path, 'loadBalancer'], out);
  checkClientTls(asMap(child(policy, 'tls')), [...path, 'tls'], out);
  if (!portLevel) {
    checkTunnel(asMap(tunnel?.value), [...path, 'tunnel'], out);
    asSeq(child(policy, 'portLevelSettings'))?.items.forEach((setting, index) => {
      const map = asMap(setting);
      if (!map) return;
      const where = [...path, 'portLevelSettings', index];
      if (!setPair(map, 'port') && map.items.length > 0) {
        out.atKey('IM2212', map.items[0] as Pair, 'This port-level setting has no `port`; Istio rejects it. Add `port: {number: <port>}` for the port it applies to.', { path: [...where, 'port'] });
      }
      checkTrafficPolicy(map, where, out, true);
    });
  }
}

function checkOutlierDetection(outlier: YAMLMap | undefined, path: Path, out: DocumentProblems): void {
  if (!outlier) return;
  const localOrigin = findPair(outlier, 'consecutiveLocalOriginFailures');
  const value = numberValue(localOrigin?.value);
  if (localOrigin && value !== undefined && value > 0 && !isTrue(outlier, 'splitExternalLocalOriginErrors')) {
    out.atKey('IM2208', localOrigin, '`consecutiveLocalOriginFailures` counts only when local-origin errors are tracked apart; Istio rejects it without `splitExternalLocalOriginErrors: true`. Add that, or remove the field.', { path: [...path, 'consecutiveLocalOriginFailures'] });
  }
}

function checkConnectionPool(pool: YAMLMap | undefined, path: Path, out: DocumentProblems): void {
  const http = asMap(child(pool, 'http'));
  if (!http) return;
  const upgrade = findPair(http, 'h2UpgradePolicy');
  if (upgrade && scalarText(upgrade.value) === 'UPGRADE' && isTrue(http, 'useClientProtocol')) {
    const pair = findPair(http, 'useClientProtocol') as Pair;
    out.atKey('IM2207', pair, '`useClientProtocol: true` contradicts `h2UpgradePolicy: UPGRADE` (one keeps the client\'s protocol, the other upgrades to HTTP/2); Istio rejects it. Remove one.', { path: [...path, 'http', 'useClientProtocol'] });
  }
  const keepAlivePair = findPair(http, 'http2KeepAlive');
  const keepAlive = asMap(keepAlivePair?.value);
  if (keepAlivePair && keepAlive) {
    const missing = ['interval', 'timeout'].filter((key) => !setPair(keepAlive, key));
    if (missing.length > 0) {
      out.atKey('IM2207', keepAlivePair, `\`http2KeepAlive\` needs ${missing.map((key) => `\`${key}\``).join(' and ')}; Istio rejects it without. Add ${missing.map((key) => `\`${key}: 30s\``).join(' and ')} (for example).`, { path: [...path, 'http', 'http2KeepAlive'] });
    }
  }
}

function isPrime(n: number): boolean {
  if (n !== 0 && n < 4) return true;
  if (n % 2 === 0) return false;
  for (let factor = 3; factor * factor <= n; factor += 2) if (n % factor === 0) return false;
  return true;
}

function checkLoadBalancer(lb: YAMLMap | undefined, hasOutlierDetection: boolean, path: Path, out: DocumentProblems): void {
  if (!lb) return;
  const hash = asMap(child(lb, 'consistentHash'));
  if (hash) {
    const hashPath = [...path, 'consistentHash'];
    const cookiePair = findPair(hash, 'httpCookie');
    const cookie = asMap(cookiePair?.value);
    if (cookiePair && cookie) {
      // A missing `name` is the schema's IM1005; an empty one is Istio's rule.
      if (findPair(cookie, 'name') && !setPair(cookie, 'name')) out.atKey('IM2209', cookiePair, '`httpCookie` needs a `name`: the cookie that carries the hash key. Istio rejects it without.', { path: [...hashPath, 'httpCookie', 'name'] });
      const seen = new Set<string>();
      asSeq(child(cookie, 'attributes'))?.items.forEach((attribute, index) => {
        const nameNode = child(attribute, 'name');
        const name = scalarText(nameNode) ?? '';
        const where = { path: [...hashPath, 'httpCookie', 'attributes', index, 'name'] };
        if (name === '') out.atNode('IM2209', nameNode ?? attribute, 'A cookie attribute needs a `name` (e.g. `SameSite`); Istio rejects an empty one.', where);
        else if (seen.has(name)) out.atNode('IM2209', nameNode, `Cookie attribute "${name}" is listed twice; Istio rejects duplicate attribute names. Remove one.`, where);
        seen.add(name);
      });
    }
    // `minimumRingSize` with `ringHash`/`maglev` is the schema's one-of conflict (IM1007).
    const maglevPair = findPair(hash, 'maglev');
    const maglev = asMap(maglevPair?.value);
    if (maglevPair && maglev) {
      const sizeNode = child(maglev, 'tableSize');
      const size = numberValue(sizeNode) ?? 0;
      const where = { path: [...hashPath, 'maglev', 'tableSize'] };
      if (!(isScalar(sizeNode) && typeof sizeNode.value === 'string' && hasPlaceholder(sizeNode.value))) {
        if (size === 0) out.atKey('IM2209', maglevPair, '`maglev` needs a `tableSize`, a prime number such as 65537; Istio rejects it without.', where);
        else if (size >= 5000011) out.atNode('IM2209', sizeNode, `A maglev \`tableSize\` must be below 5000011; it is ${size}.`, where);
        else if (!isPrime(size)) out.atNode('IM2209', sizeNode, `A maglev \`tableSize\` must be a prime number (Envoy's rule); ${size} is not. Use e.g. 65537 or 131071.`, where);
      }
    }
  }
  const locality = findPair(lb, 'localityLbSetting');
  const zoneAware = findPair(lb, 'zoneAwareLbSetting');
  if (locality && zoneAware && locality.value !== null && zoneAware.value !== null) {
    out.atKey('IM2209', zoneAware, 'Only one of `localityLbSetting` and `zoneAwareLbSetting` can be set; Istio rejects both. Keep one.', { path: [...path, 'zoneAwareLbSetting'] });
  }
  checkLocalityLb(locality, hasOutlierDetection, [...path, 'localityLbSetting'], out);
  checkZoneAwareLb(zoneAware, hasOutlierDetection, [...path, 'zoneAwareLbSetting'], out);
  const warmupPair = findPair(lb, 'warmup');
  const warmup = asMap(warmupPair?.value);
  if (warmupPair && warmup) {
    // A missing `duration` is the schema's IM1005.
    const minimum = numberValue(child(child(warmup, 'minimumPercent'), 'value') ?? child(warmup, 'minimumPercent'));
    if (minimum !== undefined && minimum > 100) out.atNode('IM2209', child(warmup, 'minimumPercent'), `\`minimumPercent\` must be at most 100; it is ${minimum}.`, { path: [...path, 'warmup', 'minimumPercent'] });
    const aggressionNode = child(warmup, 'aggression');
    const aggression = numberValue(child(aggressionNode, 'value') ?? aggressionNode);
    if (aggressionNode && aggression !== undefined && aggression <= 0) out.atNode('IM2209', aggressionNode, `\`aggression\` must be above 0; it is ${aggression}.`, { path: [...path, 'warmup', 'aggression'] });
  }
}

interface Failover {
  from: string;
  to: string;
  node: ParsedNode | null;
}

function failovers(setting: YAMLMap): Failover[] {
  return (asSeq(child(setting, 'failover'))?.items ?? []).map((item) => ({ from: scalarText(child(item, 'from')) ?? '', to: scalarText(child(item, 'to')) ?? '', node: item }));
}

/** The failover rules shared by locality and zone-aware load balancing; returns whether any failover is configured. */
function checkFailovers(setting: YAMLMap, kind: string, regionWords: string, path: Path, out: DocumentProblems): void {
  failovers(setting).forEach((failover, index) => {
    const node = (asMap(failover.node)?.items[0]?.key as ParsedNode | undefined) ?? failover.node;
    const where = { path: [...path, 'failover', index] };
    if (failover.from === failover.to) out.atNode('IM2210', node, `This ${kind.toLowerCase()} failover names region "${failover.from}" as both source and target; Istio rejects it. Fail over to a different region.`, where);
    if (failover.from.includes('/') || failover.to.includes('/')) out.atNode('IM2210', node, `${kind} failover names regions only (${regionWords}); "${failover.from.includes('/') ? failover.from : failover.to}" has a zone or subzone. Write the region alone.`, where);
    if (failover.from.includes('*') || failover.to.includes('*')) out.atNode('IM2210', node, `A ${kind.toLowerCase()} failover region cannot contain the \`*\` wildcard; name the regions.`, where);
  });
}

function warnWithoutOutlierDetection(pair: Pair, setting: YAMLMap, hasOutlierDetection: boolean, path: Path, out: DocumentProblems): void {
  const failover = (asSeq(child(setting, 'failover'))?.items.length ?? 0) > 0;
  const priority = (asSeq(child(setting, 'failoverPriority'))?.items.length ?? 0) > 0;
  if ((failover || priority) && !hasOutlierDetection) {
    out.atKey('IM2211', pair, 'Failover needs outlier detection: without `outlierDetection` in the same policy no endpoint is ever ejected, so traffic never fails over. Add `outlierDetection` (e.g. `consecutive5xxErrors: 5`).', { path });
  }
}

function checkLocalityLb(pair: Pair<ParsedNode, ParsedNode | null> | undefined, hasOutlierDetection: boolean, path: Path, out: DocumentProblems): void {
  const setting = asMap(pair?.value);
  if (!pair || !setting) return;
  const distribute = asSeq(child(setting, 'distribute'))?.items ?? [];
  const failover = asSeq(child(setting, 'failover'))?.items ?? [];
  if (distribute.length > 0 && failover.length > 0) {
    out.atKey('IM2210', findPair(setting, 'failover') as Pair, '`distribute` and `failover` cannot be set together in `localityLbSetting`; Istio rejects it. Keep one of them.', { path: [...path, 'failover'] });
    return;
  }
  if (failover.length > 0) {
    const priority = asSeq(child(setting, 'failoverPriority'));
    const label = priority?.items.find((item) => topologyLabels.has(scalarText(item) ?? ''));
    if (label) {
      out.atNode('IM2210', label, `\`failover\` and the topology label "${scalarText(label)}" in \`failoverPriority\` cannot be set together; Istio rejects it. Remove the label, or the explicit failover.`, { path: [...path, 'failoverPriority'] });
      return;
    }
  }
  const sources: { text: string; node: ParsedNode | null }[] = [];
  for (const [index, entry] of distribute.entries()) {
    sources.push({ text: scalarText(child(entry, 'from')) ?? '', node: child(entry, 'from') ?? entry });
    const to = asMap(child(entry, 'to'));
    let total = 0;
    for (const item of to?.items ?? []) {
      const weight = numberValue(item.value);
      if (weight === undefined) continue;
      if (weight <= 0 || weight > 100) {
        out.atNode('IM2210', item.value as ParsedNode, `A locality weight must be between 1 and 100; it is ${weight}.`, { path: [...path, 'distribute', index, 'to', keyText(item) ?? ''] });
        return;
      }
      total += weight;
    }
    if (to && to.items.length >= 0 && total !== 100 && to.items.every((item) => numberValue(item.value) !== undefined)) {
      const toPair = findPair(asMap(entry)!, 'to') as Pair;
      out.atKey('IM2210', toPair, `The weights of \`to\` add up to ${total}; for locality distribution they must add up to exactly 100.`, { path: [...path, 'distribute', index, 'to'] });
      return;
    }
    const problem = localitiesProblem((to?.items ?? []).map((item) => keyText(item) ?? ''));
    if (problem) {
      out.atNode('IM2210', child(entry, 'to'), problem, { path: [...path, 'distribute', index, 'to'] });
      return;
    }
  }
  const sourceProblem = localitiesProblem(sources.map((source) => source.text));
  if (sourceProblem) out.atNode('IM2210', sources[0]?.node, `In \`distribute\`: ${sourceProblem}`, { path: [...path, 'distribute'] });
  warnWithoutOutlierDetection(pair, setting, hasOutlierDetection, path, out);
  checkFailovers(setting, 'Locality', '`us-east`, not `us-east/zone-a`', path, out);
}

function checkZoneAwareLb(pair: Pair<ParsedNode, ParsedNode | null> | undefined, hasOutlierDetection: boolean, path: Path, out: DocumentProblems): void {
  const setting = asMap(pair?.value);
  if (!pair || !setting) return;
  asSeq(child(setting, 'failoverPriority'))?.items.forEach((item, index) => {
    const label = scalarText(item) ?? '';
    if (topologyLabels.has(label)) {
      out.atNode('IM2210', item, `Zone-aware load balancing already orders endpoints by region, zone and subzone; Istio rejects the topology label "${label}" in \`failoverPriority\`. Remove it (use \`failover\` for the order of regions).`, { path: [...path, 'failoverPriority', index] });
    }
  });
  warnWithoutOutlierDetection(pair, setting, hasOutlierDetection, path, out);
  checkFailovers(setting, 'Zone-aware', 'zones and subzones fail over automatically', path, out);
}

/**
 * Istio's locality list rules: `region`, `region/zone` or `region/zone/subzone`, each part
 * non-empty; at most one `*`, only at the end; no locality covered by an earlier one.
 */
export function localitiesProblem(localities: string[]): string | undefined {
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = (locality.match(/\*/g) ?? []).length;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) return `locality "${locality}" may hold one \`*\`, only at its end.`;
    if (seen.has('*')) return `locality "${locality}" overlaps one listed before it.`;
    const parts = locality.split('/');
    const items = [parts[0], parts[1], parts.slice(2).join('/')].slice(0, Math.min(parts.length, 3));
    if (items.some((item) => item === '')) return `locality "${locality}" has an empty region, zone or subzone.`;
    const [region, zone, subzone] = items;
    const zones = seen.get(region);
    if (items.length === 1) {
      if (zones) return `locality "${locality}" overlaps one listed before it.`;
      seen.set(region, new Map([['*', new Set(['*'])]]));
    } else if (items.length === 2) {
      if (zones?.has('*') || zones?.has(zone)) return `locality "${locality}" overlaps one listed before it.`;
      if (zones) zones.set(zone, new Set(['*']));
      else seen.set(region, new Map([[zone, new Set(['*'])]]));
    } else {
      if (zones?.has('*')) return `locality "${locality}" overlaps one listed before it.`;
      const subzones = zones?.get(zone);
      if (subzones && (subzones.has('*') || subzones.has(subzone))) return `locality "${locality}" overlaps one listed before it.`;
      if (subzones) subzones.add(subzone);
      else if (zones) zones.set(zone, new Set([subzone]));
      else seen.set(region, new Map([[zone, new Set([subzone])]]));
    }
  }
  return undefined;
}

/** agent.ValidateTLS: combinations of client TLS settings Istio rejects. */
function checkClientTls(tls: YAMLMap | undefined, path: Path, out: DocumentProblems): void {
  if (!tls) return;
  const mode = scalarText(child(tls, 'mode')) ?? 'DISABLE';
  const credentialName = setPair(tls, 'credentialName');
  const caCertificates = setPair(tls, 'caCertificates');
  const subjectAltNames = tls.items.find((item) => keyText(item) === 'subjectAltNames' && item.value !== null);
  if (isTrue(tls, 'insecureSkipVerify')) {
    const skip = findPair(tls, 'insecureSkipVerify') as Pair;
    const conflicts = mode === 'SIMPLE' ? [caCertificates, credentialName, subjectAltNames] : mode === 'MUTUAL' ? [caCertificates, subjectAltNames] : [];
    const present = conflicts.filter((pair): pair is Pair<ParsedNode, ParsedNode | null> => pair !== undefined);
    if (present.length > 0) {
      out.atKey('IM2206', skip, `\`insecureSkipVerify: true\` turns off verifying the server, so ${present.map((pair) => `\`${keyText(pair)}\``).join(', ')} would never be used; Istio rejects the combination. Remove them, or \`insecureSkipVerify\`.`, { path: [...path, 'insecureSkipVerify'] });
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName) {
    const files = ['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].map((key) => setPair(tls, key)).filter((pair): pair is Pair<ParsedNode, ParsedNode | null> => pair !== undefined);
    if (files.length > 0) {
      out.atKey('IM2206', files[0], `With \`credentialName\` the certificates come from that secret; Istio rejects ${files.map((pair) => `\`${keyText(pair)}\``).join(', ')} next to it. Remove ${files.length > 1 ? 'them' : 'it'}, or \`credentialName\`.`, { path: [...path, keyText(files[0]) ?? ''] });
    }
    return;
  }
  if (mode === 'MUTUAL') {
    const missing = ['clientCertificate', 'privateKey'].filter((key) => !setPair(tls, key));
    const modePair = findPair(tls, 'mode');
    if (missing.length > 0 && modePair) {
      out.atKey('IM2206', modePair, `\`mode: MUTUAL\` needs the client's certificate: ${missing.map((key) => `\`${key}\``).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. Add ${missing.length > 1 ? 'them' : 'it'}, or a \`credentialName\` secret that holds them.`, { path: [...path, missing[0]] });
    }
  }
}

function checkTunnel(tunnel: YAMLMap | undefined, path: Path, out: DocumentProblems): void {
  if (!tunnel) return;
  const hostNode = child(tunnel, 'targetHost');
  const host = scalarText(hostNode) ?? '';
  if (hasPlaceholder(host)) return;
  const fqdn = host !== '' && host.length <= 255 && host.split('.').every((label, i, all) => (i === all.length - 1 && label === '' && all.length > 1) || /^[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/.test(label)) && !/^\d+$/.test(host.split('.').filter(Boolean).pop() ?? '');
  if (!fqdn && !(isIpAddress(host) && isIpLiteral(host))) {
    out.atNode('IM2214', hostNode ?? (tunnel.items[0]?.key as ParsedNode), `The tunnel \`targetHost\` must be a host name or an IP address${host === '' ? ', and it is missing' : `; "${host}" is neither`}.`, { path: [...path, 'targetHost'] });
  }
  if (!findPair(tunnel, 'targetPort') && tunnel.items.length > 0) {
    out.atKey('IM2214', tunnel.items[0] as Pair, 'The tunnel needs a `targetPort` (1–65535), the port of `targetHost` to tunnel to.', { path: [...path, 'targetPort'] });
  }
}
