// A file's problems: each document's own findings (from its analysis) and its findings against
// the rest of the workspace, placed in the file — ranges cut to their first line and shifted by
// the document's start line, related locations resolved, messages bounded, sorted.
//
// Gathering is per document and cached at three levels. The findings against the workspace are
// kept per document while the versions of the scopes they read (WorkspaceIndex.latestChange) do
// not move; the placed list is kept per document while its start line, those findings and the
// positions of the resources its related locations point at stay the same; and a file's
// gathering looks again only at the documents that changed, moved, or read a scope changed
// since the last one (WorkspaceIndex.changedSince), the others beyond their related locations
// not at all. An edit re-analyses one document, so gathering a large file does not rebuild, or
// even re-check, every finding (issue 16: an edit's cost must not grow with the file).

import type { AnalyzedDocument } from './documentAnalysis';
import { checkBackendReferences } from './checks/backendReferences';
import { checkGatewayRouteReferences } from './checks/gatewayApiReferences';
import { relatedLocationOf, type Finding } from './checks/relatedResources';
import { checkDestinationRuleConflicts, checkDuplicateDefinition, checkVirtualServiceConflicts } from './checks/resourceConflicts';
import { checkSubsetReferences, relatedLocation, type SubsetProblem } from './checks/subsetReferences';
import { checkSubsetSelection } from './checks/subsetSelection';
import { hasDirective, isSuppressed, suppressionsOf, type Suppressions } from './checks/suppressions';
import type { GatewayRouteModel } from './model/gatewayApiRoutes';
import type { DestinationRuleModel, VirtualServiceModel } from './model/resourceModel';
import type { Problem } from './types';
import { firstLineOf, lineStarts, shiftRange } from './util/lineRanges';
import { boundedMessage, maxMessageLength } from './util/messageText';
import { referencedHosts, type IndexedDocument, type IndexedFile, type IndexedResource, type ResourceEntry, type WorkspaceIndex } from './workspace/workspaceIndex';
import { kustomizeRole } from './workspace/workspaceQueries';

/** All problems of a file, local and cross-resource, in file positions, without the suppressed ones. */
export function fileProblems(file: IndexedFile, index: WorkspaceIndex, defaultNamespace: string): Problem[] {
  const partial = kustomizeRole(index, file.uri).patch;
  const previous = fileCache.get(file);
  const sameSettings = previous !== undefined && previous.partial === partial && previous.defaultNamespace === defaultNamespace;
  // The scopes changed since the last gathering, and the documents that read one of them.
  const changed = sameSettings ? index.changedSince(previous.changeCount) : undefined;
  const dirty = new Set<IndexedDocument>();
  if (changed) for (const key of changed) for (const reader of previous!.readers.get(key) ?? []) dirty.add(reader);
  // Documents are reused only with the readers of the last gathering; when those have grown
  // (replaced documents linger in them) every document is gathered and registered again.
  const reuse = changed !== undefined && previous!.registrations < 4 * file.documents.length + 256;
  const readers = reuse ? previous!.readers : new Map<string, Set<IndexedDocument>>();
  let registrations = reuse ? previous!.registrations : 0;
  const documents = file.documents;
  const lists: (readonly Problem[])[] = new Array(documents.length);
  // Whether each document's placed list may be reused (not a route's). Kept as an array: reading
  // it from each document's model, whose shapes differ by kind, cost 2 ms per gathering of 5,000 documents.
  const reusable: boolean[] = new Array(documents.length);
  let layoutChanged = !previous || previous.documents.length !== documents.length;
  let directiveMoved = false;
  for (let i = 0; i < documents.length; i++) {
    const document = documents[i];
    const moved = !previous || previous.documents[i] !== document || previous.startLines[i] !== document.slice.startLine;
    // The usual case first, in as few steps as possible: an edit leaves almost every document as it was.
    if (reuse && !moved && previous!.reusable[i] && (dirty.size === 0 || !dirty.has(document)) && (previous!.lists[i].length === 0 || stillPlaced(document, index))) {
      lists[i] = previous!.lists[i];
      reusable[i] = true;
      continue;
    }
    reusable[i] = !isRoute(document.analysis.model);
    if (moved) {
      layoutChanged = true;
      directiveMoved ||= hasDirective(document.analysis, document.text);
    }
    if (!document.analysis.validated) lists[i] = noProblems;
    else {
      lists[i] = placedProblems(file.uri, document, index, defaultNamespace, partial);
      if (!reuse || moved || dirty.has(document)) {
        for (const key of readScopes(document)) addTo(readers, key, document);
        registrations += 1;
      }
    }
  }
  // A file without suppression comments keeps none unless a changed or moved document brings one.
  const suppressions = !layoutChanged ? previous!.suppressions : previous && !previous.suppressions && !directiveMoved ? undefined : suppressionsOf(file);
  fileCache.set(file, {
    changeCount: index.changeCount,
    partial,
    defaultNamespace,
    documents: documents.slice(),
    startLines: documents.map((document) => document.slice.startLine),
    reusable,
    lists,
    suppressions,
    readers,
    registrations,
  });
  const problems: Problem[] = [];
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i];
    for (let j = 0; j < list.length; j++) if (!suppressions || !isSuppressed(suppressions, list[j])) problems.push(list[j]);
  }
  return problems;
}

/** The last gathering of a file: its documents as they were then, each one's placed problems, and which documents read which scope. */
const fileCache = new WeakMap<IndexedFile, {
  changeCount: number;
  partial: boolean;
  defaultNamespace: string;
  documents: IndexedDocument[];
  startLines: number[];
  reusable: boolean[];
  lists: (readonly Problem[])[];
  suppressions: Suppressions | undefined;
  /** Scope key → the documents whose findings read it (documents since replaced linger until the map is rebuilt). */
  readers: Map<string, Set<IndexedDocument>>;
  registrations: number;
}>();

const noProblems: readonly Problem[] = [];

/** The scopes the cached findings of a document read (its missing subsets and its findings against the workspace). */
function readScopes(document: IndexedDocument): string[] {
  return [...(subsetProblemCache.get(document.analysis)?.scopes ?? []), ...(workspaceFindingCache.get(document)?.scopes ?? [])];
}

function addTo(map: Map<string, Set<IndexedDocument>>, key: string, document: IndexedDocument): void {
  const set = map.get(key);
  if (set) set.add(document);
  else map.set(key, new Set([document]));
}

/** Whether the document's placed problems still point at where their related resources are. */
function stillPlaced(document: IndexedDocument, index: WorkspaceIndex): boolean {
  const placed = placedCache.get(document);
  return placed !== undefined && anchorsInPlace(placed, index);
}

/** A document's placed problems and what they were built from. */
interface PlacedDocument {
  defaultNamespace: string;
  partial: boolean;
  startLine: number;
  subsets: readonly SubsetProblem[];
  workspace: readonly Finding[];
  /** The resources related locations point at, as they were when placed (entry and start line). */
  anchors: { entry: IndexedResource; current: IndexedResource; startLine: number }[];
  problems: Problem[];
}

const placedCache = new WeakMap<IndexedDocument, PlacedDocument>();

function placedProblems(uri: string, document: IndexedDocument, index: WorkspaceIndex, defaultNamespace: string, partial: boolean): readonly Problem[] {
  const { analysis, slice } = document;
  const model = analysis.model;
  const broken = analysis.problems.some((problem) => problem.code === 'IM0001');
  const subsets = !broken && model?.kind === 'VirtualService' ? subsetProblems(analysis, model, index, defaultNamespace) : noSubsetProblems;
  const workspace = broken ? noFindings : workspaceFindings(uri, document, index, defaultNamespace, partial);
  const route = isRoute(model);
  const routes = !broken && route ? checkGatewayRouteReferences(model, model.namespace?.value ?? defaultNamespace, index) : [];
  const cached = placedCache.get(document);
  if (!route && cached && cached.startLine === slice.startLine && cached.partial === partial && cached.defaultNamespace === defaultNamespace
    && cached.subsets === subsets && cached.workspace === workspace && anchorsInPlace(cached, index)) {
    return cached.problems;
  }

  let starts: number[] | undefined;
  const lines = (): number[] => (starts ??= lineStarts(document.text));
  const place = (problem: Problem): Problem => {
    const range = shiftRange(firstLineOf(problem.range, document.text, lines), slice.startLine);
    const placed: Problem = { ...problem, range };
    if (placed.message.length > maxMessageLength) placed.message = boundedMessage(placed.message);
    return placed;
  };
  const anchors: PlacedDocument['anchors'] = [];
  const anchor = (entry: IndexedResource): void => {
    const current = index.currentEntry(entry) ?? entry;
    anchors.push({ entry, current, startLine: current.startLine });
  };
  const problems: Problem[] = [];
  for (const problem of analysis.problems) {
    if (partial && isAbsenceFinding(problem, model)) continue;
    problems.push(place(problem));
  }
  for (const problem of routes) problems.push(place(problem));
  for (const { problem, rules } of subsets) {
    const reported = place(problem);
    if (rules.length > 0) {
      reported.related = rules.map(relatedLocation);
      rules.forEach(anchor);
    }
    problems.push(reported);
  }
  for (const { problem, related } of workspace) {
    const reported = place(problem);
    if (related.length > 0) {
      reported.related = related.map((source) => relatedLocationOf(source, index));
      for (const source of related) anchor(source.entry as IndexedResource);
    }
    problems.push(reported);
  }
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  placedCache.set(document, { defaultNamespace, partial, startLine: slice.startLine, subsets, workspace, anchors, problems });
  return problems;
}

/** Gateway API routes' references are not cached (few documents hold them): their documents are gathered and placed every time. */
function isRoute(model: AnalyzedDocument['model']): model is GatewayRouteModel {
  return model?.kind === 'HTTPRoute' || model?.kind === 'GRPCRoute';
}

const noSubsetProblems: readonly SubsetProblem[] = [];
const noFindings: readonly Finding[] = [];

/** True while every resource the related locations point at is the same entry at the same line. */
function anchorsInPlace(placed: PlacedDocument, index: WorkspaceIndex): boolean {
  for (const { entry, current, startLine } of placed.anchors) {
    const now = index.currentEntry(entry) ?? entry;
    if (now !== current || now.startLine !== startLine) return false;
  }
  return true;
}

/**
 * Local findings that only say something is left out. A kustomize patch is a partial object:
 * it is checked for what it says, not for what it leaves out (issue 9 §2).
 */
const absenceCodes = new Set(['IM1005', 'IM2110', 'IM2101']);

function isAbsenceFinding(problem: Problem, model: AnalyzedDocument['model']): boolean {
  if (absenceCodes.has(problem.code)) return true;
  // "A VirtualService without hosts is a delegate": a patch that leaves `hosts` to its base is not one.
  return problem.code === 'IM2115' && model?.kind === 'VirtualService' && model.hosts.length === 0;
}

/**
 * Findings against the rest of the workspace, per document (not per analysis: two identical
 * documents of one file share an analysis, but each is the other's duplicate), valid while the
 * scopes they read have not changed (checked again only after some scope changed: `checkedAt`).
 */
const workspaceFindingCache = new WeakMap<IndexedDocument, { uri: string; defaultNamespace: string; partial: boolean; scopes: readonly string[]; version: number; checkedAt: number; found: Finding[] }>();

function workspaceFindings(uri: string, document: IndexedDocument, index: WorkspaceIndex, defaultNamespace: string, partial: boolean): readonly Finding[] {
  const entry = index.entryOf(uri, document);
  const model = entry?.model;
  if (!entry || (model?.kind !== 'VirtualService' && model?.kind !== 'DestinationRule')) return noFindings;
  const cached = workspaceFindingCache.get(document);
  const same = cached !== undefined && cached.uri === uri && cached.defaultNamespace === defaultNamespace && cached.partial === partial;
  if (same && cached.checkedAt === index.changeCount) return cached.found;
  if (same && cached.version === index.latestChange(cached.scopes)) {
    cached.checkedAt = index.changeCount;
    return cached.found;
  }
  // What the checks read of Services and workloads is recorded as they run; the rest is declared.
  const { value: found, scopes: read } = index.trackReads(() => {
    const found: Finding[] = [];
    if (model.kind === 'VirtualService') {
      const vs = entry as ResourceEntry<VirtualServiceModel>;
      found.push(...checkBackendReferences(vs, index, { partial }));
      if (!partial) found.push(...checkVirtualServiceConflicts(vs, index), ...checkDuplicateDefinition(vs, index));
    } else {
      const dr = entry as ResourceEntry<DestinationRuleModel>;
      found.push(...checkSubsetSelection(dr, index));
      if (!partial) found.push(...checkDestinationRuleConflicts(dr, index), ...checkDuplicateDefinition(dr, index));
    }
    return found;
  });
  const scopes = [...findingScopes(entry as ResourceEntry<VirtualServiceModel | DestinationRuleModel>, index), ...read];
  workspaceFindingCache.set(document, { uri, defaultNamespace, partial, scopes, version: index.latestChange(scopes), checkedAt: index.changeCount, found });
  return found;
}

/**
 * The scopes a document's workspace findings read besides Services and workloads (recorded as
 * the checks run): its hosts' DestinationRules, the VirtualServices claiming its hosts, the
 * definitions of its name, and the rest of the workspace. Per index entry.
 */
const findingScopeCache = new WeakMap<ResourceEntry, { clusterDomain: string; scopes: readonly string[] }>();

function findingScopes(entry: ResourceEntry<VirtualServiceModel | DestinationRuleModel>, index: WorkspaceIndex): readonly string[] {
  const clusterDomain = index.analysisContext.clusterDomain;
  const cached = findingScopeCache.get(entry);
  if (cached?.clusterDomain === clusterDomain) return cached.scopes;
  const model = entry.model;
  const hosts = model.kind === 'VirtualService'
    ? [...new Set(referencedHosts(model).map((host) => index.resolveHost(host, entry.namespace)))]
    : model.host ? [index.resolveHost(model.host.value, entry.namespace)] : [];
  const claimed = model.kind === 'VirtualService' ? index.claimedHosts(entry as ResourceEntry<VirtualServiceModel>) : [];
  const scopes = [...index.destinationRuleScopes(hosts), ...index.workspaceScopes(claimed, `${model.kind}/${entry.namespace}/${model.name?.value ?? ''}`)];
  findingScopeCache.set(entry, { clusterDomain, scopes });
  return scopes;
}

/** Missing-subset findings of a VirtualService document, valid while the DestinationRules of its hosts do not change. */
const subsetProblemCache = new WeakMap<AnalyzedDocument, { defaultNamespace: string; scopes: readonly string[]; version: number; found: SubsetProblem[] }>();

function subsetProblems(analysis: AnalyzedDocument, model: VirtualServiceModel, index: WorkspaceIndex, defaultNamespace: string): readonly SubsetProblem[] {
  const namespace = model.namespace?.value ?? defaultNamespace;
  let cached = subsetProblemCache.get(analysis);
  if (cached?.defaultNamespace !== defaultNamespace) {
    // The scopes cover DestinationRules of the same service name in any namespace (checkSubsetReferences).
    const scopes = index.destinationRuleScopes([...new Set(referencedHosts(model).map((host) => index.resolveHost(host, namespace)))]);
    cached = { defaultNamespace, scopes, version: -1, found: [] };
    subsetProblemCache.set(analysis, cached);
  }
  const version = index.latestChange(cached.scopes);
  if (cached.version !== version) {
    cached.found = checkSubsetReferences(model, namespace, model.namespace !== undefined, index);
    cached.version = version;
  }
  return cached.found;
}
