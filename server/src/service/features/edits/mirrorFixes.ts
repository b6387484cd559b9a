// Quick fixes for the mirroring fields of an HTTP route (istio-reference §3.1, §5):
// - IM2003 deprecated `mirrorPercent`/`mirror_percent` → `mirrorPercentage: {value: N}`;
// - IM2001 `mirror` beside `mirrors` → the `mirror` becomes the first `mirrors` entry;
// - IM2005 route-level `mirrorPercentage` beside `mirrors` → moved into the entries.
// Percentages keep Istio's runtime meaning: `mirrorPercentage` wins over the deprecated
// field, `{}` is 0 %, and no percentage at all is 100 %.

import { ruleMirrorPercent } from '../../model/resourceModel';
import { isMap, type Node, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, findPair, keyText, numberValue } from '../../parse/yamlDocument';
import { percentOf } from '../../model/resourceModel';
import { quickFix, type FixTarget, type QuickFix } from './quickFix';
import { copy, map, numberText, text, type Snippet } from './snippets';
import { deletePairs, insertItem, insertPair, replacePair } from './yamlEdits';
import { isFlow, prefersFlowMaps, type YamlSource } from './yamlSource';

export const legacyPercentKeys = ['mirrorPercent', 'mirror_percent'];

/** The route-level percentage pairs of a rule: `mirrorPercentage` and the deprecated spellings. */
export function percentagePairs(rule: YAMLMap): Pair<ParsedNode, ParsedNode | null>[] {
  return ['mirrorPercentage', ...legacyPercentKeys].flatMap((key) => findPair(rule, key) ?? []);
}

/** The percentage one pair stands for when moved elsewhere. */
function percentOfPair(pair: Pair<ParsedNode, ParsedNode | null>): number {
  if (keyText(pair) === 'mirrorPercentage') return percentOf(pair.value ?? undefined, 100);
  return numberValue(pair.value) ?? 100;
}

/**
 * Whether a new `{value: N}` map next to `near` should be written in flow style: always
 * inside a flow collection; otherwise like the nearest sibling map; otherwise like most
 * small maps of the document.
 */
export function flowStyleNear(source: YamlSource, near: YAMLMap, candidates: (Node | null | undefined)[] = []): boolean {
  if (near.flow) return true;
  for (const node of [...candidates, ...near.items.map((item) => item.value as Node | null)]) {
    if (isMap(node) && node.items.length > 0) return node.flow === true;
  }
  return prefersFlowMaps(source);
}

export function percentageSnippet(percent: number, flow: boolean): Snippet {
  return map([['value', text(numberText(percent))]], flow);
}

/** IM2003: the deprecated integer field → `mirrorPercentage`, or removed when `mirrorPercentage` is already set. */
export function deprecatedMirrorPercentFix(target: FixTarget): QuickFix[] {
  const { pair, source } = target;
  const rule = asMap(target.parent);
  const key = pair ? keyText(pair) : undefined;
  if (!pair || !rule || key === undefined) return [];
  if (findPair(rule, 'mirrorPercentage')) {
    // Istio ignores the deprecated field when `mirrorPercentage` is set, so removing it changes nothing.
    return quickFix(`Remove deprecated \`${key}\` (\`mirrorPercentage\` wins)`, true, (edits) => deletePairs(source, edits, rule, [pair]));
  }
  const value = numberValue(pair.value);
  const percent = value ?? (typeof target.data.replacementValue === 'number' ? target.data.replacementValue : 100);
  const flow = flowStyleNear(source, rule, [child(rule, 'mirror')]);
  return quickFix(`Replace with \`mirrorPercentage: {value: ${numberText(percent)}}\``, true, (edits) =>
    replacePair(source, edits, rule, pair, 'mirrorPercentage', percentageSnippet(percent, flow)));
}

/** A `mirrors` entry for a single `mirror` target, keeping the target as written. */
export function mirrorsEntry(source: YamlSource, mirror: Node, percent: number, percentageFlow: boolean, entryFlow: boolean): Snippet {
  return map([['destination', copy(source, mirror)], ['percentage', percentageSnippet(percent, percentageFlow)]], entryFlow);
}

/** Style of `percentage` in existing `mirrors` entries, when any entry has one. */
function existingPercentageStyle(entries: (ParsedNode | null)[]): boolean | undefined {
  for (const entry of entries) {
    const percentage = child(entry, 'percentage');
    if (isMap(percentage) && percentage.items.length > 0) return percentage.flow === true;
  }
  return undefined;
}

/**
 * IM2001: a route may not have both `mirror` and `mirrors`. The `mirror` target becomes the
 * first `mirrors` entry with its effective percentage (which `mirrors` would otherwise not
 * apply), and `mirror` with its route-level percentage is removed.
 */
export function mirrorAndMirrorsFix(target: FixTarget): QuickFix[] {
  const { source } = target;
  const rule = asMap(target.parent);
  const mirrorPair = rule ? findPair(rule, 'mirror') : undefined;
  const mirrors = asSeq(child(rule, 'mirrors'));
  const mirror = mirrorPair?.value;
  if (!rule || !mirrorPair || !isMap(mirror) || !mirrors || mirrors.items.length === 0) return [];
  const percent = ruleMirrorPercent(rule);
  const ownPercentage = child(rule, 'mirrorPercentage');
  const percentageFlow = existingPercentageStyle(mirrors.items)
    ?? (isMap(ownPercentage) && ownPercentage.items.length > 0 ? ownPercentage.flow === true : mirror.flow === true);
  const entry = mirrorsEntry(source, mirror, percent, percentageFlow, isFlow(mirrors));
  return quickFix(`Move \`mirror\` into \`mirrors\` (percentage ${numberText(percent)})`, true, (edits) =>
    insertItem(source, edits, mirrors, entry, 'first') && deletePairs(source, edits, rule, [mirrorPair, ...percentagePairs(rule)]));
}

/**
 * IM2005: a route-level percentage has no effect without `mirror`. With `mirrors`, the value
 * was meant for the entries: it moves into each entry that has no `percentage` of its own
 * (entries with one keep theirs) and the route-level field goes. Without any mirror the field
 * is simply removed, which changes nothing at runtime.
 */
export function strayMirrorPercentageFix(target: FixTarget): QuickFix[] {
  const { pair, source } = target;
  const rule = asMap(target.parent);
  const key = pair ? keyText(pair) : undefined;
  if (!pair || !rule || key === undefined || findPair(rule, 'mirror')) return [];
  const mirrors = asSeq(child(rule, 'mirrors'));
  if (!mirrors || mirrors.items.length === 0) {
    return quickFix(`Remove \`${key}\` (this route has no mirror)`, false, (edits) => deletePairs(source, edits, rule, [pair]));
  }
  const entries = mirrors.items.map((entry) => asMap(entry));
  if (entries.some((entry) => !entry)) return [];
  const missing = (entries as YAMLMap[]).filter((entry) => !findPair(entry, 'percentage'));
  if (missing.length === 0) {
    return quickFix(`Remove \`${key}\` (every \`mirrors\` entry has its own percentage)`, true, (edits) => deletePairs(source, edits, rule, [pair]));
  }
  const percent = percentOfPair(pair);
  const flow = existingPercentageStyle(mirrors.items) ?? flowStyleNear(source, rule, [child(missing[0], 'destination')]);
  const which = missing.length === entries.length ? 'each `mirrors` entry'
    : missing.length === 1 ? 'the entry without one' : `the ${missing.length} entries without one`;
  return quickFix(`Move \`${key}\` (${numberText(percent)}) into ${which}`, true, (edits) =>
    missing.every((entry) => insertPair(source, edits, entry, 'percentage', percentageSnippet(percent, flow || entry.flow === true), 'last'))
    && deletePairs(source, edits, rule, [pair]));
}
