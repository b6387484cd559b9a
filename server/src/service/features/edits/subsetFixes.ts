// Quick fixes for IST0101 (a route or mirror names a subset no DestinationRule defines):
// - add the subset to each DestinationRule Istio would use for the host, wherever that rule
//   lives (often another file: the WorkspaceEdit then edits that file);
// - when no DestinationRule exists for the host, create one in a new `---` document of the
//   current file, with every subset the VirtualService uses for that host;
// - when a defined subset is spelled almost the same, use that one instead.
// New subsets select pods by the labels of the pods that exist behind the host
// (`candidateSubsetLabels`): the workload whose label value is the subset's name when there is
// one, else one fix per workload group the rule's subsets do not select yet. Where the workspace
// offers nothing that fits, the label value is a `${POD_LABEL}` placeholder to fill in (read as
// a placeholder by every check), under the key the rule's subsets select by (`version`
// otherwise): labels are never invented.

import { isScalar, type ParsedNode } from 'yaml';
import { asMap, asSeq, child, findPair, keyText, scalarText } from '../../parse/yamlDocument';
import { allDestinations, writableApiVersion, type VirtualServiceModel } from '../../model/resourceModel';
import { closestMatch } from '../../util/closestMatch';
import { candidateSubsetLabels, formatLabels, labelsMatch, type SubsetLabelChoice } from '../../workspace/workspaceQueries';
import type { DestinationRuleEntry } from '../../workspace/workspaceIndex';
import { documentContext, type DocumentContext } from '../documentAt';
import type { FeatureContext } from '../featureContext';
import { quickFix, type FixTarget, type QuickFix } from './quickFix';
import { map, mapBody, scalar, seq, text, type Snippet } from './snippets';
import { EditBuilder, appendDocument, insertItem, insertPair, replaceNode, replacePair } from './yamlEdits';
import { YamlSource } from './yamlSource';

export function missingSubsetFixes(target: FixTarget): QuickFix[] {
  const { context, data } = target;
  const model = target.document.indexed.analysis.model;
  const subset = data.subset;
  const host = scalarText(child(target.parent, 'host'));
  if (model?.kind !== 'VirtualService' || subset === undefined || host === undefined) return [];
  const namespace = model.namespace?.value ?? context.index.analysisContext.defaultNamespace;
  const lookup = context.index.destinationRulesFor(host, namespace);
  if (lookup.match === 'none') return createDestinationRuleFix(target, model, host, namespace);

  const defined = lookup.rules.flatMap((entry) => entry.model.subsets.map((definedSubset) => definedSubset.name.value));
  const suggestion = closestMatch(subset, defined);
  // Adding is clearly right only when there is one rule to add to and no near-identical
  // defined name (which would rather mean a typo in the reference).
  const preferred = lookup.rules.length === 1 && suggestion === undefined;
  const fixes = lookup.rules.flatMap((entry) => addSubsetFix(target, entry, subset, preferred));
  const node = target.node;
  if (suggestion !== undefined && isScalar(node)) {
    fixes.push(...quickFix(`Change subset "${subset}" to "${suggestion}"`, false, (edits) => replaceNode(target.source, edits, node, scalar(suggestion))));
  }
  return fixes;
}

/**
 * Appends `- name: <subset>` with labels to the rule's `subsets` (creating the list when
 * missing): one fix per set of pod labels that fits, else one with a placeholder.
 */
function addSubsetFix(target: FixTarget, entry: DestinationRuleEntry, subset: string, preferred: boolean): QuickFix[] {
  if (entry.model.subsets.some((defined) => defined.name.value === subset)) return [];
  const base = `Add subset "${subset}" to ${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`;
  const host = entry.model.host?.value;
  const choices = host ? fittingLabels(candidateSubsetLabels(target.context.index, host, entry.namespace), entry, subset) : [];
  if (choices.length === 0) {
    const edits = addSubsetsEdit(target.context, entry, [{ name: subset }]);
    return edits ? [{ title: `${base} (labels to fill in)`, edits, preferred: false }] : [];
  }
  return choices.flatMap((choice) => {
    const edits = addSubsetsEdit(target.context, entry, [{ name: subset, labels: choice.labels }]);
    const workloads = choice.workloads.map((workload) => workload.model.name?.value ?? '(unnamed)').join(', ');
    // The workloads tell fixes apart when several fit; they go first when the title gets long.
    const full = `${base}: ${formatLabels(choice.labels)} (${workloads})`;
    const title = full.length <= 60 || choices.length > 1 ? full : `${base}: ${formatLabels(choice.labels)}`;
    return edits ? [{ title, edits, preferred: preferred && choices.length === 1 }] : [];
  });
}

/**
 * Of the pod label choices, the ones a new subset named `subset` could take: the one whose label
 * value is the subset's name when there is one, else those no existing subset of the rule
 * already selects (those pods have their subset).
 */
function fittingLabels(choices: SubsetLabelChoice[], entry: DestinationRuleEntry, subset: string): SubsetLabelChoice[] {
  const named = choices.filter((choice) => Object.values(choice.labels).includes(subset));
  if (named.length > 0) return named;
  return choices.filter((choice) => !entry.model.subsets.some((defined) => Object.keys(defined.labels).length > 0 && choice.workloads.every((workload) => labelsMatch(defined.labels, workload.model.podLabels))));
}

/**
 * The edit that appends these subsets to the rule's `subsets` (creating the list when missing),
 * each with the labels given, else `<key>: <name>` with the key the rule's subsets select by.
 */
export function addSubsetsEdit(context: FeatureContext, entry: DestinationRuleEntry, subsetsToAdd: { name: string; labels?: Record<string, string> }[]): EditBuilder | undefined {
  const file = context.index.getFile(entry.uri);
  if (!file || subsetsToAdd.length === 0) return undefined;
  const document = documentContext(file, entry.documentIndex);
  if (document.yaml.syntaxErrors.length > 0) return undefined;
  const source = YamlSource.of(document, file);
  const spec = asMap(child(source.root, 'spec'));
  if (!spec) return undefined;
  const subsetsPair = findPair(spec, 'subsets');
  const subsets = asSeq(subsetsPair?.value);
  const existing = subsets?.items ?? [];
  const inFlow = spec.flow === true || subsets?.flow === true;
  const added = subsetsToAdd.map(({ name, labels }) => {
    const pairs: [string, Snippet][] = labels && Object.keys(labels).length > 0
      ? Object.entries(labels).map(([key, value]) => [scalar(key), text(scalar(value))])
      : [[labelKeyOf(existing), text(scalar(placeholderLabel))]];
    return map([['name', text(scalar(name))], ['labels', map(pairs, inFlow || (labelsStyleOf(existing) ?? true))]], inFlow);
  });
  const edits = new EditBuilder();
  let ok: boolean;
  if (!subsetsPair) ok = insertPair(source, edits, spec, 'subsets', seq(added, inFlow), 'last');
  else if (subsets) ok = added.every((item) => insertItem(source, edits, subsets, item, 'last'));
  // `subsets:` with nothing after it.
  else if (isScalar(subsetsPair.value) && subsetsPair.value.value === null) ok = replacePair(source, edits, spec, subsetsPair, 'subsets', seq(added, inFlow));
  else ok = false;
  return ok ? edits : undefined;
}

/** The labels of the one group of pods whose label value is `name` (`version: v2` for subset `v2`). */
export function podLabelsNamed(choices: readonly SubsetLabelChoice[], name: string): Record<string, string> | undefined {
  const named = choices.filter((choice) => Object.values(choice.labels).includes(name));
  return named.length === 1 ? named[0].labels : undefined;
}

/** The value written where no pod tells the label: a placeholder every check skips. */
export const placeholderLabel = '${POD_LABEL}';

/** The label key the existing subsets select by, when they all use the same single key; `version` otherwise. */
function labelKeyOf(subsets: (ParsedNode | null)[]): string {
  const keys = new Set<string>();
  for (const subset of subsets) {
    const labels = asMap(child(subset, 'labels'));
    if (!labels) continue;
    if (labels.items.length !== 1) return 'version';
    keys.add(keyText(labels.items[0]) ?? '');
  }
  const [only] = keys;
  return keys.size === 1 && only ? scalar(only) : 'version';
}

/** Whether the existing subsets write `labels` in flow style, when any has labels. */
function labelsStyleOf(subsets: (ParsedNode | null)[]): boolean | undefined {
  for (const subset of subsets) {
    const labels = asMap(child(subset, 'labels'));
    if (labels && labels.items.length > 0) return labels.flow === true;
  }
  return undefined;
}

/**
 * A new DestinationRule appended to the VirtualService's file: same namespace as the
 * VirtualService (left out when the VirtualService has none, so both get the same default),
 * the host as the VirtualService writes it (so it resolves the same way), and every subset the
 * VirtualService uses for that host, labelled as the pods that carry its name are (a
 * placeholder to fill in where no pod does: labels are never invented). Also used by the "Create DestinationRule for Host" command.
 */
export function newDestinationRule(context: FeatureContext, document: DocumentContext, model: VirtualServiceModel, host: string, namespace: string): { subsets: string[]; edits: EditBuilder } | undefined {
  const file = context.index.getFile(document.uri);
  if (!file) return undefined;
  const source = YamlSource.of(document, file);
  const resolved = context.index.resolveHost(host, namespace);
  const names: string[] = [];
  for (const destination of allDestinations(model)) {
    const name = destination.subset?.value;
    if (!destination.host || !name || names.includes(name)) continue;
    if (context.index.resolveHost(destination.host.value, namespace) === resolved) names.push(name);
  }

  const metadata: [string, Snippet][] = [['name', text(scalar(ruleName(context, host, namespace)))]];
  if (model.namespace) metadata.push(['namespace', text(scalar(model.namespace.value))]);
  // Labels from the pods that carry the subset's name as a label value; a placeholder where none does.
  const choices = candidateSubsetLabels(context.index, host, namespace);
  const subsets = names.map((name) => {
    const labels = podLabelsNamed(choices, name) ?? { version: placeholderLabel };
    return map([['name', text(scalar(name))], ['labels', map(Object.entries(labels).map(([key, value]) => [scalar(key), text(scalar(value))]), true)]], false);
  });
  const spec: [string, Snippet][] = [['host', text(scalar(host))]];
  if (subsets.length > 0) spec.push(['subsets', seq(subsets, false)]);
  const lines = mapBody([
    ['apiVersion', text(scalar(writableApiVersion(context.settings.defaultApiVersion)))],
    ['kind', text('DestinationRule')],
    ['metadata', map(metadata, false)],
    ['spec', map(spec, false)],
  ], 0, source.layout);

  const edits = appendDocument(file, source, lines);
  return { subsets: names, edits };
}

function createDestinationRuleFix(target: FixTarget, model: VirtualServiceModel, host: string, namespace: string): QuickFix[] {
  const created = newDestinationRule(target.context, target.document, model, host, namespace);
  if (!created || created.subsets.length === 0) return [];
  const names = created.subsets;
  return [{ title: `Create DestinationRule for ${host} with subset${names.length > 1 ? 's' : ''} ${names.join(', ')}`, edits: created.edits, preferred: false }];
}

/** A DNS-1123 name for the new rule from the host's first label, not yet used by a DestinationRule in the namespace. */
function ruleName(context: FeatureContext, host: string, namespace: string): string {
  const base = host.split('.')[0].toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'destination-rule';
  const taken = new Set<string>();
  for (const entry of context.index.resources('DestinationRule')) {
    if (entry.namespace === namespace && entry.model.name) taken.add(entry.model.name.value);
  }
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  return name;
}
