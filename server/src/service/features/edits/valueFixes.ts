// Quick fixes that rewrite one value in place, or add/remove one small field: wrong type
// (IM1004), enum typo (IM1006), out-of-range numbers (IM1009, IM2002, IM2008, IM2009, IM2103, IM2113),
// durations (IM2106), `retries` without `attempts` (IM2107), legacy gateway references
// (IM2116), invalid subset names (IM2109) and `mirrorPercentage: {}` (IM2004). The new value
// comes from the diagnostic's `data.replacementValue` wherever the check provides one.

import { isMap, isScalar, type ParsedNode } from 'yaml';
import { asMap, child, findPair, keyText, scalarText } from '../../parse/yamlDocument';
import { isDns1123Label } from '../../model/hostNames';
import { parseGoDuration } from '../../util/goDuration';
import { fieldOf, quickFix, type FixTarget, type QuickFix } from './quickFix';
import { numberText, scalar, text } from './snippets';
import { deletePairs, insertPair, replaceNode } from './yamlEdits';

/** The node's text as written, for titles. */
function written(target: FixTarget, node: ParsedNode): string {
  return target.source.nodeText(node);
}

/**
 * IM1004: a value of the wrong type → `data.replacementValue`: `exact: true` → `exact: "true"`,
 * a Duration written as a number → `5s`, and (when the check provides a number) a quoted
 * number where a number is expected → the number.
 */
export function wrongTypeFix(target: FixTarget): QuickFix[] {
  const { node, source } = target;
  const value = target.data.replacementValue;
  if (!isScalar(node)) return [];
  let replacement: string;
  if (typeof value === 'string') replacement = scalar(value);
  else if (typeof value === 'number' && Number.isFinite(value)) replacement = numberText(value);
  else if (typeof value === 'boolean') replacement = String(value);
  else return [];
  const title = replacement.startsWith('"')
    ? `Quote \`${written(target, node)}\` as the string ${replacement}`
    : `Change to \`${replacement}\``;
  return quickFix(title, true, (edits) => replaceNode(source, edits, node, replacement));
}

/** IM1006: a value outside the enum → the closest allowed value. */
export function enumFix(target: FixTarget): QuickFix[] {
  const { node, source } = target;
  const value = target.data.replacementValue;
  if (!isScalar(node) || typeof value !== 'string') return [];
  const replacement = scalar(value);
  // The suggestion is the closest allowed value by spelling, a guess rather than a certainty.
  return quickFix(`Change to \`${replacement}\``, false, (edits) => replaceNode(source, edits, node, replacement));
}

/** Out-of-range numbers → the nearest allowed value (the clamped value computed by the check). */
export function clampFix(target: FixTarget): QuickFix[] {
  const { node, source } = target;
  const value = target.data.replacementValue;
  if (!isScalar(node) || typeof value !== 'number' || node.value === value) return [];
  const field = fieldOf(target.path);
  const replacement = numberText(value);
  // For percentages and weights the bound is what the value can mean at most; a port or a
  // status code clamped to the bound is only one of many possible corrections.
  const preferred = target.diagnostic.code !== 'IM1009' && target.diagnostic.code !== 'IM2009';
  return quickFix(`Change \`${field}: ${written(target, node)}\` to \`${field}: ${replacement}\``, preferred, (edits) => replaceNode(source, edits, node, replacement));
}

/**
 * IM2106: `timeout` below 1ms is meant as "no timeout", which Istio spells by leaving the
 * field out; other durations are rounded to what Istio accepts (`data.replacementValue`).
 */
export function durationFix(target: FixTarget): QuickFix[] {
  const { node, pair, source } = target;
  const map = asMap(target.parent);
  if (!isScalar(node) || typeof node.value !== 'string') return [];
  const nanos = parseGoDuration(node.value);
  const key = pair ? keyText(pair) : undefined;
  if (key === 'timeout' && pair && map && nanos !== undefined && nanos < 1e6) {
    return quickFix(`Remove \`timeout: ${written(target, node)}\` (no timeout)`, true, (edits) => deletePairs(source, edits, map, [pair]));
  }
  const value = target.data.replacementValue;
  if (typeof value !== 'string') return [];
  const replacement = scalar(value);
  // Rounding to whole milliseconds keeps the meaning; raising 0s to 1ms does not.
  const preferred = nanos !== undefined && nanos >= 1e6;
  return quickFix(`Change \`${fieldOf(target.path)}: ${written(target, node)}\` to \`${replacement}\``, preferred, (edits) => replaceNode(source, edits, node, replacement));
}

/** IM2107: `retries` without `attempts` (or with `attempts: 0`) → `attempts: 3`. */
export function retryAttemptsFix(target: FixTarget): QuickFix[] {
  const { pair, source } = target;
  const retries = asMap(pair?.value);
  const attempts = typeof target.data.replacementValue === 'number' ? target.data.replacementValue : 3;
  if (!retries) return [];
  const existing = findPair(retries, 'attempts');
  if (existing?.value) {
    const value = existing.value;
    return quickFix(`Change \`attempts: ${written(target, value)}\` to \`attempts: ${attempts}\``, true, (edits) => replaceNode(source, edits, value, numberText(attempts)));
  }
  if (existing) return [];
  // First in the map: `attempts` is what the other retry settings depend on.
  return quickFix(`Add \`attempts: ${attempts}\` to \`retries\``, true, (edits) => insertPair(source, edits, retries, 'attempts', text(numberText(attempts)), 'first'));
}

/** IM2116: legacy `name.namespace` gateway reference → `namespace/name`. */
export function gatewayFix(target: FixTarget): QuickFix[] {
  const { node, source } = target;
  const value = target.data.replacementValue;
  if (!isScalar(node) || typeof value !== 'string') return [];
  const replacement = scalar(value);
  return quickFix(`Change \`${written(target, node)}\` to \`${replacement}\``, true, (edits) => replaceNode(source, edits, node, replacement));
}

/**
 * IM2109: an invalid subset name → the name with invalid characters replaced by `-`. Preferred
 * only when a DestinationRule for the host defines that name (otherwise the rename trades
 * this error for "subset not found").
 */
export function subsetNameFix(target: FixTarget): QuickFix[] {
  const { node, source, context } = target;
  const suggested = target.data.replacementValue;
  if (!isScalar(node) || typeof suggested !== 'string') return [];
  // The check replaces invalid characters; a label must also start and end with a letter or digit.
  const value = suggested.replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  if (!isDns1123Label(value)) return [];
  const host = scalarText(child(target.parent, 'host'));
  const model = target.document.indexed.analysis.model;
  const namespace = model?.namespace?.value ?? context.index.analysisContext.defaultNamespace;
  const defined = host !== undefined && context.index.destinationRulesFor(host, namespace).rules.some((rule) => rule.model.subsets.some((subset) => subset.name.value === value));
  return quickFix(`Rename subset \`${written(target, node)}\` to \`${value}\``, defined, (edits) => replaceNode(source, edits, node, scalar(value)));
}

/**
 * IM2004: `mirrorPercentage: {}` (0 %, most likely not meant) → `{value: N}` with the
 * user's default mirror percentage. Only for an empty map: a map with other keys (a typo of
 * `value`) is the unknown-key fix's business.
 */
export function emptyPercentageFix(target: FixTarget): QuickFix[] {
  const { node, source } = target;
  if (!isMap(node) || node.items.length > 0 || !node.flow) return [];
  const percent = numberText(target.context.settings.defaultMirrorPercentage);
  const field = fieldOf(target.path);
  return quickFix(`Set \`${field}\` to \`{value: ${percent}}\``, false, (edits) => replaceNode(source, edits, node, `{value: ${percent}}`));
}
