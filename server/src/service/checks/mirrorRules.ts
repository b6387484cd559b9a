// Checks: mirroring (IM2001–IM2009)
//
// Istio's webhook rules for `mirror`, `mirrors`, `mirrorPercentage` and the deprecated
// `mirrorPercent` (istio-reference §3.1), plus the mistakes Istio accepts silently: a
// percentage that applies to nothing, `{}` meaning 0 %, mirrors on routes that never mirror,
// a mirror aimed at the route's own destination, and percentages Envoy cannot represent
// (through pilot's own translation, model/envoyFractions.ts, the one the routes command uses).

import { isMap, type Pair, type ParsedNode } from 'yaml';
import { asMap, asSeq, findPair, numberValue } from '../parse/yamlDocument';
import { hasPlaceholder, resolveHost } from '../model/hostNames';
import type { DestinationModel, RouteRuleModel } from '../model/resourceModel';
import { exactPercentText, fractionOfPercent, fractionToPercent } from '../model/envoyFractions';
import type { DocumentProblems } from './documentProblems';
import { formatPercent, normalisedShares } from '../model/trafficShares';

/** Smallest percentage Envoy can represent (values are sent as parts per million). */
const smallestPercent = 0.0001;

export interface HostContext {
  namespace: string;
  clusterDomain: string;
}

export function checkMirrors(rule: ParsedNode | null, model: RouteRuleModel, hosts: HostContext, out: DocumentProblems): void {
  const map = asMap(rule);
  if (!map) return;
  const path = ['spec', 'http', model.index];
  const mirrorPair = findPair(map, 'mirror');
  const mirrorsPair = findPair(map, 'mirrors');
  const mirrorsSeq = asSeq(mirrorsPair?.value);
  const hasMirror = mirrorPair !== undefined && mirrorPair.value !== null;
  const hasMirrors = (mirrorsSeq?.items.length ?? 0) > 0;

  // Istio skips the conflict checks on a root rule that delegates (its children inherit the mirror fields).
  const delegates = findPair(map, 'delegate') !== undefined;
  if (hasMirror && hasMirrors && mirrorsPair && !delegates) {
    out.atKey('IM2001', mirrorsPair, 'A route cannot have both `mirror` and `mirrors`; Istio rejects it. Move the `mirror` target into the `mirrors` list, each entry with its own `percentage`.', { path: [...path, 'mirrors'] });
  }

  const percentagePair = findPair(map, 'mirrorPercentage');
  if (percentagePair) checkMirrorPercentage(percentagePair, [...path, 'mirrorPercentage'], out);

  for (const legacyKey of ['mirrorPercent', 'mirror_percent']) {
    const legacy = findPair(map, legacyKey);
    if (!legacy) continue;
    const value = numberValue(legacy.value);
    const replacement = { replacementValue: value ?? 100, path: [...path, legacyKey] };
    if (value !== undefined && value > 100) {
      out.atNode('IM2002', legacy.value, `\`${legacyKey}\` must be between 0 and 100; it is ${value}. Istio rejects the route.`, { path: [...path, legacyKey], replacementValue: Math.min(100, Math.max(0, value)) });
    }
    const shadowed = percentagePair ? ' It is ignored here because `mirrorPercentage` is also set.' : '';
    out.atKey('IM2003', legacy, `\`${legacyKey}\` is deprecated since Istio 1.5; use \`mirrorPercentage: {value: ${value ?? 'N'}}\` instead.${shadowed}`, replacement);
  }

  const percentOwner = percentagePair ?? findPair(map, 'mirrorPercent') ?? findPair(map, 'mirror_percent');
  if (percentOwner && !hasMirror && !delegates) {
    const key = String((percentOwner.key as { value?: unknown }).value);
    const message = hasMirrors
      ? `\`${key}\` has no effect with \`mirrors\`: each \`mirrors\` entry uses its own \`percentage\`. Move the value into the entries.`
      : `\`${key}\` has no effect: this route has no \`mirror\`.`;
    out.atKey('IM2005', percentOwner, message, { path: [...path, key] });
  }

  mirrorsSeq?.items.forEach((entry, index) => {
    const entryMap = asMap(entry);
    const percentage = entryMap ? findPair(entryMap, 'percentage') : undefined;
    if (percentage) checkMirrorPercentage(percentage, [...path, 'mirrors', index, 'percentage'], out);
  });

  if ((hasMirror || hasMirrors) && (model.action === 'redirect' || model.action === 'directResponse')) {
    const pair = (hasMirror ? mirrorPair : mirrorsPair) as Pair;
    out.atKey('IM2006', pair, `This rule answers with \`${model.action}\`, so Istio never mirrors it: mirrors only apply to rules that forward with \`route\`.`, { path: [...path, hasMirror ? 'mirror' : 'mirrors'] });
  }

  ownDestinationMirror(model, hosts, out);
}

/**
 * IM2007, once per route: a mirror aimed at a destination the route already sends requests to.
 * The requests sent there reach the same pods twice (served, then copied): their writes happen
 * twice and the copy is compared with itself. When that destination takes all of the route's
 * requests it is a warning; when it takes a share (a canary that also gets live traffic, often
 * on purpose) an information that says how many requests are doubled.
 */
function ownDestinationMirror(model: RouteRuleModel, hosts: HostContext, out: DocumentProblems): void {
  const shares = normalisedShares(model.destinations.map((destination) => destination.weight));
  const doubled = model.mirrors.flatMap((mirror) => {
    const index = model.destinations.findIndex((destination) => sameTarget(destination, mirror, hosts));
    const share = index >= 0 ? shares[index] ?? 0 : 0;
    return index >= 0 && share > 0 && (mirror.percent ?? 100) > 0 && mirror.host ? [{ mirror, share }] : [];
  });
  const first = doubled[0];
  if (!first || !first.mirror.host) return;
  const target = `${first.mirror.host.value}${first.mirror.subset ? `/${first.mirror.subset.value}` : ''}`;
  const others = doubled.length > 1 ? ` (and ${doubled.length - 1} more mirror${doubled.length > 2 ? 's' : ''} of this route)` : '';
  const fix = 'Mirror to a subset or host this route does not send to';
  if (first.share >= 100) {
    out.at('IM2007', first.mirror.host.range, `Mirror target ${target} is this route's only destination${others}: its pods serve each request and get a copy of it too, so writes happen twice and the copy is compared with itself. ${fix}.`, { data: { path: first.mirror.path } });
    return;
  }
  const twice = (first.share * Math.min(100, Math.max(0, first.mirror.percent ?? 100))) / 100;
  out.at('IM2007', first.mirror.host.range, `Mirror target ${target} also serves ${formatPercent(first.share)} of this route's requests${others}: ${formatPercent(twice)} of them reach its pods twice (served, then copied), so their writes happen twice. ${fix}, unless that is intended.`, { data: { path: first.mirror.path }, severity: 'information' });
}

function checkMirrorPercentage(pair: Pair<ParsedNode, ParsedNode | null>, path: (string | number)[], out: DocumentProblems): void {
  const node = pair.value;
  if (!isMap(node)) return;
  const valuePair = findPair(node, 'value');
  if (!valuePair) {
    out.atKey('IM2004', pair, `\`${String((pair.key as { value?: unknown }).value)}: {}\` means 0 %: nothing is mirrored (leaving the field out would mean 100 %). Set \`value\`, e.g. \`{value: 10}\`.`, { path });
    return;
  }
  const value = numberValue(valuePair.value);
  if (value === undefined) return; // a type error, reported by the structure check
  if (value < 0 || value > 100) {
    out.atNode('IM2002', valuePair.value, `A mirror percentage must be between 0 and 100; it is ${value}. Istio rejects the route.`, { path: [...path, 'value'], replacementValue: Math.min(100, Math.max(0, value)) });
  } else if (value > 0) {
    checkRepresentable(valuePair.value, value, [...path, 'value'], out);
  }
}

/**
 * IM2008/IM2009: what Envoy really gets for a percentage between 0 and 100, as pilot
 * translates it (`trunc(value × 10,000)` of a MILLION, in binary floating point): nothing at
 * all (a warning), or not the 0.0001 % step nearest the written value (a note; 0.57 becomes
 * 5699 because 0.57 × 10,000 is 5699.999… in binary).
 */
function checkRepresentable(node: ParsedNode | null, value: number, path: (string | number)[], out: DocumentProblems): void {
  const fraction = fractionOfPercent(value);
  if (fraction.numerator === 0) {
    out.atNode('IM2008', node, `${value} % is below Envoy's resolution of 0.0001 %: Istio sends 0 of a million, so nothing is mirrored. Use at least 0.0001.`, { path, replacementValue: smallestPercent });
    return;
  }
  const nearest = Math.round(value * 10_000);
  if (fraction.numerator === nearest) return;
  const real = exactPercentText(fractionToPercent(fraction));
  const writing = shortestWriting(nearest);
  const fix = writing === undefined ? '' : ` Write ${writing} to mirror ${exactPercentText(nearest / 10_000)}.`;
  out.atNode('IM2009', node, `Envoy mirrors ${real}, not ${value} %: Istio truncates ${value} × 10,000 = ${Number((value * 10_000).toPrecision(17))} to ${fraction.numerator} of a million.${fix}`, { path, replacementValue: writing });
}

/** The shortest decimal that pilot turns into exactly `numerator` of a million. */
function shortestWriting(numerator: number): number | undefined {
  const base = (numerator / 10_000).toFixed(4);
  for (const suffix of ['', '1', '01', '001', '0001']) {
    const candidate = Number(base + suffix);
    if (fractionOfPercent(candidate).numerator === numerator) return candidate;
  }
  return undefined;
}

function sameTarget(a: DestinationModel, b: DestinationModel, hosts: HostContext): boolean {
  if (!a.host || !b.host || hasPlaceholder(a.host.value) || hasPlaceholder(b.host.value)) return false;
  const hostA = resolveHost(a.host.value, hosts.namespace, hosts.clusterDomain);
  const hostB = resolveHost(b.host.value, hosts.namespace, hosts.clusterDomain);
  return hostA === hostB && (a.subset?.value ?? '') === (b.subset?.value ?? '') && (a.port ?? 0) === (b.port ?? 0);
}
