// What navigation works on: the subset name or host under the cursor, and every place one
// subset is declared or used across the workspace. All of it comes from the index's models
// (no YAML is re-parsed). Which DestinationRule a destination uses is decided by the index's
// `destinationRulesFor` — the lookup the IST0101 check uses (exact resolved host, else the
// most specific wildcard) — so navigation and diagnostics always agree.

import { hasPlaceholder } from '../model/hostNames';
import { allDestinations, namespaceOf, type VirtualServiceModel } from '../model/resourceModel';
import type { Located, Position } from '../types';
import type { DestinationRuleEntry, WorkspaceIndex } from '../workspace/workspaceIndex';
import { documentIndexAt } from './documentAt';
import type { FeatureContext } from './featureContext';
import { positionInRange } from './structureRanges';

/** A subset name as written somewhere: in a DestinationRule (declaration) or a destination (reference). */
export interface SubsetSite {
  uri: string;
  documentIndex: number;
  /** First line of the document in its file (the located range is relative to it). */
  startLine: number;
  located: Located;
}

/** The thing under the cursor that navigation knows about. */
export type CursorTarget =
  | { kind: 'subsetDeclaration'; site: SubsetSite }
  /** A `subset:` value of a route, `mirror` or `mirrors` destination; `host` as written there. */
  | { kind: 'subsetReference'; site: SubsetSite; host: string; namespace: string }
  /** A destination's `host:` value, with the namespace of its VirtualService. */
  | { kind: 'host'; host: string; namespace: string };

/** Declarations and references of one subset. */
export interface SubsetGroup {
  name: string;
  declarations: SubsetSite[];
  references: SubsetSite[];
}

export function targetAt(context: FeatureContext, uri: string, position: Position): CursorTarget | undefined {
  const file = context.index.getFile(uri);
  if (!file || file.documents.length === 0) return undefined;
  const documentIndex = documentIndexAt(file, position.line);
  const document = file.documents[documentIndex];
  const model = document.analysis.model;
  const startLine = document.slice.startLine;
  const at = { line: position.line - startLine, character: position.character };
  const site = (located: Located): SubsetSite => ({ uri, documentIndex, startLine, located });

  if (model?.kind === 'VirtualService') {
    const namespace = namespaceOf(model, context.settings.defaultNamespace);
    for (const destination of allDestinations(model)) {
      if (destination.subset && positionInRange(at, destination.subset.range)) {
        // Without a host the subset belongs to no service: there is nothing to navigate to.
        return destination.host ? { kind: 'subsetReference', site: site(destination.subset), host: destination.host.value, namespace } : undefined;
      }
      if (destination.host && positionInRange(at, destination.host.range)) return { kind: 'host', host: destination.host.value, namespace };
    }
  } else if (model?.kind === 'DestinationRule') {
    const subset = model.subsets.find((candidate) => positionInRange(at, candidate.name.range));
    if (subset) return { kind: 'subsetDeclaration', site: site(subset.name) };
  }
  return undefined;
}

/** The subset declarations a destination uses: its name in the DestinationRule(s) Istio applies to its host. */
export function declarationsFor(index: WorkspaceIndex, host: string, namespace: string, name: string): SubsetSite[] {
  if (hasPlaceholder(host)) return [];
  return index.destinationRulesFor(host, namespace).rules.flatMap((entry) =>
    entry.model.subsets.filter((subset) => subset.name.value === name).map((subset) => ruleSite(entry, subset.name)));
}

/** Every subset name written in the destination of a VirtualService, with the host and namespace it resolves with. */
function* subsetUses(context: FeatureContext): Generator<{ site: SubsetSite; host: string; namespace: string }> {
  for (const entry of context.index.resources('VirtualService')) {
    const model: VirtualServiceModel = entry.model;
    const namespace = namespaceOf(model, context.settings.defaultNamespace);
    for (const destination of allDestinations(model)) {
      if (!destination.subset || !destination.host || hasPlaceholder(destination.host.value)) continue;
      const site = { uri: entry.uri, documentIndex: entry.documentIndex, startLine: entry.startLine, located: destination.subset };
      yield { site, host: destination.host.value, namespace };
    }
  }
}

/** The destinations whose DestinationRule is one of `rules` (keys from `siteKey`) and whose subset is `name`. */
function referencesTo(context: FeatureContext, ruleKeys: Set<string>, name: string): SubsetSite[] {
  const sites: SubsetSite[] = [];
  for (const use of subsetUses(context)) {
    if (use.site.located.value !== name) continue;
    const rules = context.index.destinationRulesFor(use.host, use.namespace).rules;
    if (rules.some((rule) => ruleKeys.has(documentKey(rule)))) sites.push(use.site);
  }
  return sites;
}

/**
 * References to a subset no DestinationRule declares: the same name used with the same
 * resolved host. Renaming them together keeps them consistent while the rule is written.
 */
function referencesByHost(context: FeatureContext, resolvedHost: string, name: string): SubsetSite[] {
  const sites: SubsetSite[] = [];
  for (const use of subsetUses(context)) {
    if (use.site.located.value === name && context.index.resolveHost(use.host, use.namespace) === resolvedHost) sites.push(use.site);
  }
  return sites;
}

/** Declarations and references of the subset under the cursor; undefined when the cursor is not on a subset. */
export function subsetGroup(context: FeatureContext, target: CursorTarget): SubsetGroup | undefined {
  if (target.kind === 'host') return undefined;
  const name = target.site.located.value;
  if (target.kind === 'subsetDeclaration') {
    return { name, declarations: [target.site], references: referencesTo(context, new Set([documentKey(target.site)]), name) };
  }
  const declarations = declarationsFor(context.index, target.host, target.namespace, name);
  const references = declarations.length > 0
    ? referencesTo(context, new Set(declarations.map(documentKey)), name)
    : referencesByHost(context, context.index.resolveHost(target.host, target.namespace), name);
  // The reference under the cursor is always part of its own group.
  if (!references.some((site) => sameSite(site, target.site))) references.unshift(target.site);
  return { name, declarations, references };
}

function ruleSite(entry: DestinationRuleEntry, located: Located): SubsetSite {
  return { uri: entry.uri, documentIndex: entry.documentIndex, startLine: entry.startLine, located };
}

/** Identifies a document of the workspace (DestinationRule entries and sites alike). */
function documentKey(place: { uri: string; documentIndex: number }): string {
  return `${place.documentIndex}#${place.uri}`;
}

export function sameSite(a: SubsetSite, b: SubsetSite): boolean {
  return documentKey(a) === documentKey(b)
    && a.located.range.start.line === b.located.range.start.line
    && a.located.range.start.character === b.located.range.start.character;
}
