// The edits behind two editor commands, built with the same minimal-edit machinery as the
// quick fixes:
// - "Add Mirror to Route": adds `mirror` + `mirrorPercentage` to the HTTP route under the
//   cursor; when the route already mirrors, converts to a `mirrors` list (the existing target
//   keeps its effective percentage) and appends the new target; with `mirrors`, appends.
// - "Create DestinationRule for Host": for the destination host under the cursor (or the
//   VirtualService's first destination): when a DestinationRule for it exists (in any file), the
//   subsets the routes use that it lacks are added to it, with the labels of the workspace's
//   pods where they tell; when it lacks none, the command goes to it. A host outside the cluster
//   without subsets gets a ServiceEntry instead. Otherwise a new DestinationRule with the
//   subsets the routes use.

import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { isMap } from 'yaml';
import { allDestinations, namespaceOf, type VirtualServiceModel } from '../../model/resourceModel';
import { asMap, asSeq, child, findPair, nodeAt } from '../../parse/yamlDocument';
import type { Position } from '../../types';
import { httpRuleAt } from '../editorCommands';
import { documentContextAt } from '../documentAt';
import type { FeatureContext } from '../featureContext';
import { flowStyleNear, mirrorsEntry, percentagePairs, percentageSnippet } from './mirrorFixes';
import { ruleMirrorPercent } from '../../model/resourceModel';
import { map, scalar, seq, text, type Snippet } from './snippets';
import { addSubsetsEdit, newDestinationRule, podLabelsNamed } from './subsetFixes';
import { newServiceEntry } from './serviceEntryFixes';
import { candidateSubsetLabels, isExternalHost, serviceEntriesFor } from '../../workspace/workspaceQueries';
import { EditBuilder, deletePairs, insertItem, insertPair, replacePair } from './yamlEdits';
import { YamlSource, isFlow } from './yamlSource';

export interface MirrorTargetChoice {
  host: string;
  subset?: string;
}

function destinationSnippet(target: MirrorTargetChoice, flow: boolean): Snippet {
  const entries: [string, Snippet][] = [['host', text(scalar(target.host))]];
  if (target.subset) entries.push(['subset', text(scalar(target.subset))]);
  return map(entries, flow);
}

export function addMirrorEdit(context: FeatureContext, uri: string, position: Position, target: MirrorTargetChoice, percentage: number): WorkspaceEdit | null {
  const found = httpRuleAt(context, uri, position);
  if (!found) return null;
  const file = context.index.getFile(uri);
  const source = YamlSource.of(found.document, file);
  const rule = asMap(nodeAt(source.root, ['spec', 'http', found.rule.index]));
  if (!rule || rule.flow) return null;
  const edits = new EditBuilder();
  const mirrorPair = findPair(rule, 'mirror');
  const mirrors = asSeq(child(rule, 'mirrors'));
  const flow = flowStyleNear(source, rule, [mirrorPair?.value, ...(mirrors?.items ?? [])]);

  let written: boolean;
  if (mirrors && mirrors.items.length > 0) {
    const entry = map([['destination', destinationSnippet(target, flow)], ['percentage', percentageSnippet(percentage, flow)]], isFlow(mirrors));
    written = insertItem(source, edits, mirrors, entry, 'last');
  } else if (mirrorPair && isMap(mirrorPair.value)) {
    // `mirror` allows one target: both become entries of `mirrors`, each with its own share.
    const existing = mirrorsEntry(source, mirrorPair.value, ruleMirrorPercent(rule), flow, false);
    const added = map([['destination', destinationSnippet(target, flow)], ['percentage', percentageSnippet(percentage, flow)]], false);
    // The list takes the place of `mirror`; the route-level percentages go (each entry has its own).
    written = replacePair(source, edits, rule, mirrorPair, 'mirrors', seq([existing, added], false))
      && deletePairs(source, edits, rule, percentagePairs(rule));
  } else {
    written = insertPair(source, edits, rule, 'mirror', destinationSnippet(target, flow), 'last')
      && insertPair(source, edits, rule, 'mirrorPercentage', percentageSnippet(percentage, flow), 'last');
  }
  return written ? edits.build() : null;
}

export interface CreateDestinationRuleResult {
  /** The host the rule is for, as written in the VirtualService. */
  host: string;
  /** The subsets created, or added to the existing rule. */
  subsets: string[];
  /**
   * `created`: a new DestinationRule; `added`: subsets added to the existing one (`target`);
   * `existing`: the existing one lacks nothing, no edit (go to `target`); `serviceEntry`: a
   * ServiceEntry for a host outside the cluster.
   */
  outcome: 'created' | 'added' | 'existing' | 'serviceEntry';
  edit: WorkspaceEdit;
  /** The existing DestinationRule: its file, the range of its name, `namespace/name`. */
  target?: { uri: string; range: { start: Position; end: Position }; name: string };
}

export function createDestinationRuleEdit(context: FeatureContext, uri: string, position: Position): CreateDestinationRuleResult | null {
  const file = context.index.getFile(uri);
  const document = file ? documentContextAt(file, position) : undefined;
  const model = document?.indexed.analysis.model;
  if (!document || model?.kind !== 'VirtualService') return null;
  const line = position.line - document.startLine;
  const destinations = allDestinations(model).filter((destination) => destination.host);
  const at = { line, character: position.character };
  const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  // The destination whose range holds the cursor (a range may end at the start of the next line).
  const underCursor = destinations.find((destination) => before(destination.range.start, at) && before(at, destination.range.end) && !(destination.range.end.line === at.line && destination.range.end.character === 0 && at.character > 0));
  const host = underCursor?.host?.value ?? destinations[0]?.host?.value ?? model.hosts[0]?.value;
  if (!host) return null;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const resolved = context.index.resolveHost(host, namespace);
  const used: string[] = [];
  for (const destination of destinations) {
    const name = destination.subset?.value;
    if (name && !used.includes(name) && context.index.resolveHost(destination.host!.value, namespace) === resolved) used.push(name);
  }

  const lookup = context.index.destinationRulesFor(host, namespace);
  if (lookup.rules.length > 0) {
    const entry = lookup.rules[0]!;
    const target = {
      uri: entry.uri,
      range: (() => {
        const place = entry.model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const start = entry.startLine;
        return { start: { line: place.start.line + start, character: place.start.character }, end: { line: place.end.line + start, character: place.end.character } };
      })(),
      name: `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`,
    };
    const defined = new Set(lookup.rules.flatMap((rule) => rule.model.subsets.map((subset) => subset.name.value)));
    const missing = used.filter((name) => !defined.has(name));
    // Several rules for the host: which one should get the subsets is the user's call; go to the first.
    if (missing.length === 0 || lookup.rules.length > 1) return { host, subsets: [], outcome: 'existing', edit: { changes: {} }, target };
    const choices = candidateSubsetLabels(context.index, host, namespace);
    const edits = addSubsetsEdit(context, entry, missing.map((name) => {
      const labels = podLabelsNamed(choices, name);
      return labels ? { name, labels } : { name };
    }));
    if (!edits) return { host, subsets: [], outcome: 'existing', edit: { changes: {} }, target };
    return { host, subsets: missing, outcome: 'added', edit: edits.build(), target };
  }

  if (used.length === 0 && isExternalHost(resolved, context.settings.clusterDomain) && serviceEntriesFor(context.index, resolved, namespace).length === 0) {
    return { host, subsets: [], outcome: 'serviceEntry', edit: newServiceEntry(context, document, context.index.getFile(document.uri)!, model, host, portTo(context, model, host, namespace), 'HTTP').build() };
  }
  const created = newDestinationRule(context, document, model, host, namespace);
  return created ? { host, subsets: created.subsets, outcome: 'created', edit: created.edits.build() } : null;
}

/** The port the routes or mirrors to `host` use (80 when none names one). */
function portTo(context: FeatureContext, model: VirtualServiceModel, host: string, namespace: string): number {
  const resolved = context.index.resolveHost(host, namespace);
  return allDestinations(model).find((destination) => destination.host && context.index.resolveHost(destination.host.value, namespace) === resolved && destination.port !== undefined)?.port ?? 80;
}
