// Quick fix for IST0130 in its most common mirroring form, the "multi-level mirror"
// (examples/broken/two-catch-all-mirrors.yaml): several HTTP rules without `match`, each with
// its own `mirror`, written in the hope of copying traffic to every target. Only the first
// rule ever matches, so only its mirror works. The fix keeps the first rule, gives it one
// `mirrors` list with every rule's target and effective percentage (Istio 1.20+), and deletes
// the later rules.

import { isMap, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, findPair, nodeAt } from '../../parse/yamlDocument';
import { type DestinationModel, type RouteRuleModel } from '../../model/resourceModel';
import { quickFix, type FixTarget, type QuickFix } from './quickFix';
import { seq } from './snippets';
import { mirrorsEntry, percentagePairs } from './mirrorFixes';
import { ruleMirrorPercent } from '../../model/resourceModel';
import { deleteItems, deletePairs, replacePair } from './yamlEdits';

interface CatchAllRule {
  model: RouteRuleModel;
  map: YAMLMap<ParsedNode, ParsedNode | null>;
  mirrorPair: Pair<ParsedNode, ParsedNode | null>;
  mirror: YAMLMap;
  percent: number;
}

export function mergeCatchAllMirrorsFix(target: FixTarget): QuickFix[] {
  const { source, context } = target;
  const model = target.document.indexed.analysis.model;
  const [, protocol, index] = target.path;
  const http = asSeq(nodeAt(source.root, ['spec', 'http']));
  if (model?.kind !== 'VirtualService' || protocol !== 'http' || typeof index !== 'number' || !http) return [];
  const catchAllModels = model.http.filter((rule) => !rule.matches);
  if (catchAllModels.length < 2 || !catchAllModels.slice(1).some((rule) => rule.index === index)) return [];

  const rules: CatchAllRule[] = [];
  for (const rule of catchAllModels) {
    const map = asMap(http.items[rule.index]);
    const mirrorPair = map ? findPair(map, 'mirror') : undefined;
    const mirror = mirrorPair?.value;
    // Only forwarding rules with exactly one `mirror` (no `mirrors`) have this shape.
    if (!map || !mirrorPair || !isMap(mirror) || rule.action !== 'route' || findPair(map, 'mirrors')) return [];
    rules.push({ model: rule, map, mirrorPair, mirror, percent: ruleMirrorPercent(map) });
  }
  const [first, ...later] = rules;

  // The later rules never receive requests, so deleting them changes nothing at runtime; the
  // merge only adds their mirrors to the first rule. That matches what the user meant only
  // when every rule forwards the primary traffic to the same destinations: otherwise the
  // merged route could not say where primary traffic goes, and the fix is not offered.
  const namespace = model.namespace?.value ?? context.index.analysisContext.defaultNamespace;
  const destinations = (rule: RouteRuleModel): string =>
    rule.destinations.map((destination) => destinationKey(destination, (host) => context.index.resolveHost(host, namespace))).sort().join(' ');
  if (!later.every((rule) => destinations(rule.model) === destinations(first.model))) return [];

  const ownPercentage = child(first.map, 'mirrorPercentage');
  const percentageFlow = isMap(ownPercentage) && ownPercentage.items.length > 0 ? ownPercentage.flow === true : first.mirror.flow === true;
  const entries = rules.map((rule) => mirrorsEntry(source, rule.mirror, rule.percent, percentageFlow, first.map.flow === true));
  // Short enough for the menu: the rules by number (as everywhere, ruleLabel's #N).
  const number = (rule: RouteRuleModel): string => `#${rule.index + 1}`;
  const title = `Merge the ${rules.length} mirrors into rule ${number(first.model)}; remove ${later.length > 1 ? 'rules' : 'rule'} ${later.map((rule) => number(rule.model)).join(', ')}`;
  return quickFix(title, true, (edits) => {
    const percentages = percentagePairs(first.map);
    return replacePair(source, edits, first.map, first.mirrorPair, 'mirrors', seq(entries, first.map.flow === true))
      && deletePairs(source, edits, first.map, percentages)
      && deleteItems(source, edits, http, later.map((rule) => rule.model.index));
  });
}

/** A route destination reduced to what decides where requests go. */
function destinationKey(destination: DestinationModel, resolve: (host: string) => string): string {
  const host = destination.host ? resolve(destination.host.value) : '';
  return `${host}|${destination.subset?.value ?? ''}|${destination.port ?? ''}|${destination.weight ?? ''}`;
}

