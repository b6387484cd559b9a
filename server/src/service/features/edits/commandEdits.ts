// The edits behind two editor commands, built with the same minimal-edit machinery as the
// quick fixes:
// - "Add Mirror to Route": adds `mirror` + `mirrorPercentage` to the HTTP route under the
//   cursor; when the route already mirrors, converts to a `mirrors` list (the existing target
//   keeps its effective percentage) and appends the new target; with `mirrors`, appends.
// - "Create DestinationRule for Host": a DestinationRule for the destination host under the
//   cursor (or the VirtualService's first destination), with the subsets its routes use.

import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { isMap } from 'yaml';
import { allDestinations, namespaceOf } from '../../model/resourceModel';
import { asMap, asSeq, child, findPair, nodeAt } from '../../parse/yamlDocument';
import type { Position } from '../../types';
import { httpRuleAt } from '../editorCommands';
import { documentContextAt } from '../documentAt';
import type { FeatureContext } from '../featureContext';
import { flowStyleNear, mirrorsEntry, percentagePairs, percentageSnippet } from './mirrorFixes';
import { ruleMirrorPercent } from '../../model/resourceModel';
import { map, scalar, seq, text, type Snippet } from './snippets';
import { newDestinationRule } from './subsetFixes';
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
  subsets: string[];
  edit: WorkspaceEdit;
}

export function createDestinationRuleEdit(context: FeatureContext, uri: string, position: Position): CreateDestinationRuleResult | null {
  const file = context.index.getFile(uri);
  const document = file ? documentContextAt(file, position) : undefined;
  const model = document?.indexed.analysis.model;
  if (!document || model?.kind !== 'VirtualService') return null;
  const line = position.line - document.startLine;
  const destinations = allDestinations(model).filter((destination) => destination.host);
  const underCursor = destinations.find((destination) => destination.range.start.line <= line && line <= destination.range.end.line);
  const host = underCursor?.host?.value ?? destinations[0]?.host?.value ?? model.hosts[0]?.value;
  if (!host) return null;
  const created = newDestinationRule(context, document, model, host, namespaceOf(model, context.settings.defaultNamespace));
  return created ? { host, subsets: created.subsets, edit: created.edits.build() } : null;
}
