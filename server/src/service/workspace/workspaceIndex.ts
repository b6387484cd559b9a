// The workspace as the service sees it: every YAML file split into documents, each document
// analysed once and cached by its text, plus the indexes cross-resource features need
// (DestinationRules by resolved host, which files refer to which hosts). Updating a file
// re-analyses only documents whose text changed and reports which other files depend on
// what changed, so their cross-resource diagnostics can be refreshed.

import { splitDocuments, type DocumentSlice } from '../parse/documentSlices';
import { normaliseLineBreaks } from '../parse/yamlDocument';
import { analyzeDocument, analyzeKustomizationDocument, type AnalysisContext, type AnalyzedDocument } from '../documentAnalysis';
import { isKustomizationFile } from '../model/kustomizationModel';
import { hasPlaceholder, isWildcard, resolveHost, wildcardCovers } from '../model/hostNames';
import {
  allDestinations,
  namespaceOf,
  type DestinationRuleModel,
  type KustomizationModel,
  type ResourceModel,
  type ServiceEntryModel,
  type ServiceModel,
  type VirtualServiceModel,
  type WorkloadModel,
} from '../model/resourceModel';
import { KustomizeLayout } from './kustomizeLayout';
import { pushTo } from '../util/multiMap';
import { isWorkloadKind } from '../model/workloadModel';
import { gatewayRouteHosts, type GatewayRouteModel } from '../model/gatewayApiRoutes';
import type { ReferenceGrantModel } from '../model/referenceGrants';

/** Where a document sits in its file. Shifted in place when an edit above it adds or removes text. */
export interface SlicePosition {
  /** Offset of the document's text in the file. */
  startOffset: number;
  /** 0-based line of the document's first character in the file. */
  startLine: number;
  /** Number of lines the document spans. */
  lineCount: number;
}

export interface IndexedDocument {
  slice: SlicePosition;
  /** The document text (the cache key for its analysis). */
  text: string;
  analysis: AnalyzedDocument;
}

export interface IndexedFile {
  uri: string;
  /** The documents in order; an edit splices this array, so holders of the file see the change. */
  documents: IndexedDocument[];
}

/**
 * A modelled resource as the index holds it: the model plus where it lives. Its position is
 * read live from its document, so an entry stays right when an edit above it shifts it.
 */
export class IndexedResource<M extends ResourceModel = ResourceModel> implements ResourceEntry<M> {
  /** Set when the document was re-analysed or removed: the index holds another entry (or none) now. */
  replaced = false;
  /**
   * For a VirtualService or DestinationRule: its place among the definitions of the same kind,
   * namespace and name in its file, set when it is replaced, so that a cached finding holding it
   * finds its own successor and not the first of several namesakes (`currentEntry`).
   */
  rankInFile?: number;

  constructor(
    readonly uri: string,
    private readonly file: IndexedFile,
    readonly document: IndexedDocument,
    readonly model: M,
    readonly namespace: string,
  ) {}

  /** First line of the document in its file (model ranges are relative to it). */
  get startLine(): number {
    return this.document.slice.startLine;
  }

  get documentIndex(): number {
    return this.file.documents.indexOf(this.document);
  }
}

/** A DestinationRule as the index holds it, with its resolved host. */
export class DestinationRuleEntry extends IndexedResource<DestinationRuleModel> {
  constructor(uri: string, file: IndexedFile, document: IndexedDocument, model: DestinationRuleModel, namespace: string, readonly resolvedHost: string) {
    super(uri, file, document, model, namespace);
  }
}

/** The DestinationRules Istio would consult for a host: exact-host rules first, else the most specific wildcard. */
export interface DestinationRuleLookup {
  match: 'exact' | 'wildcard' | 'none';
  rules: DestinationRuleEntry[];
  /** Wildcard rules hidden by exact-host rules (Istio does not merge across them). */
  shadowedWildcards: DestinationRuleEntry[];
}

/** Any modelled resource, with where it lives. */
export interface ResourceEntry<M extends ResourceModel = ResourceModel> {
  readonly uri: string;
  readonly documentIndex: number;
  readonly startLine: number;
  readonly model: M;
  readonly namespace: string;
}

/** A document of kind Gateway of either API (Istio's, or the Kubernetes Gateway API's), by identity alone. */
export interface GatewayIdentity {
  uri: string;
  document: IndexedDocument;
  namespace: string;
  name: string;
  apiVersion: string;
}

/** One edit of a file: `[start, end)` of the old text replaced by `insertedLength` characters. */
export interface TextEdit {
  start: number;
  end: number;
  insertedLength: number;
}

/** What one file adds to the indexes, per document. */
interface FileContributions {
  rules: Map<IndexedDocument, DestinationRuleEntry>;
  /** The other kinds' entries (Services, workloads, ServiceEntries, Gateways, VirtualServices, kustomizations). */
  entries: Map<IndexedDocument, IndexedResource>;
  gateways: Map<IndexedDocument, GatewayIdentity>;
  /** Resolved hosts each VirtualService document sends to. */
  hosts: Map<IndexedDocument, string[]>;
  /** How many documents of the file refer to each host. */
  hostCounts: Map<string, number>;
}

/**
 * The text as the service reads it: binary content as nothing at all, and lone `\r` line breaks
 * as `\n` so that lines are counted as LSP counts them (offsets unchanged).
 */
export function readableText(text: string): string {
  return isBinary(text) ? '' : normaliseLineBreaks(text);
}

/**
 * Binary content (an image, an archive, UTF-16 text read as UTF-8): NUL characters make at least
 * 1 in 100 of the first 8,000 characters, and there are at least two. A single stray NUL in a
 * manifest does not make it binary; the document is checked and the NUL reported (IM0004).
 */
export function isBinary(text: string): boolean {
  const sample = Math.min(text.length, 8000);
  let nuls = 0;
  for (let at = text.indexOf('\0'); at !== -1 && at < sample; at = text.indexOf('\0', at + 1)) nuls++;
  return nuls >= 2 && nuls * 100 >= sample;
}

/**
 * Splits a file into documents and analyses each; `cache` supplies analyses of document texts
 * seen before (an edit then re-analyses only the documents it changed).
 */
export function analyzeFile(text: string, context: AnalysisContext, cache?: ReadonlyMap<string, AnalyzedDocument>, uri?: string): IndexedDocument[] {
  const analyze = uri !== undefined && isKustomizationFile(uri) ? analyzeKustomizationDocument : analyzeDocument;
  return splitDocuments(readableText(text)).map((slice) => {
    const { text: documentText, ...position } = slice;
    const analysis = cache?.get(documentText) ?? analyze(documentText, context);
    return { slice: position, text: documentText, analysis };
  });
}

/** `reviews` for `reviews.demo.svc.cluster.local`; undefined for hosts outside the cluster. */
function serviceNameOf(host: string): string | undefined {
  const parts = host.split('.');
  return parts.length >= 4 && parts[2] === 'svc' ? parts[0] : undefined;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly contributions = new Map<string, FileContributions>();
  private readonly rulesByHost = new Map<string, DestinationRuleEntry[]>();
  private readonly wildcardRules: DestinationRuleEntry[] = [];
  private readonly urisByReferencedHost = new Map<string, Set<string>>();
  private readonly subsetCache = new Map<string, { lookup: DestinationRuleLookup; names: ReadonlySet<string> }>();
  /** destinationRulesInAnyNamespace by service name, dropped when a rule for that name changes. */
  private readonly anyNamespaceCache = new Map<string, DestinationRuleEntry[]>();
  private versionCounter = 0;
  /**
   * The version of each scope that changed, by key: `dr:` + a resolved host whose DestinationRules
   * were replaced (`dr:*` for any wildcard rule, `dr:name:` + a service name), a namespace's
   * Services and workloads and their finer scopes, a host's claims, a definition, and
   * `workspace` for the rest. A change gives its scope a version above all earlier ones.
   */
  private readonly scopeVersions = new Map<string, number>();
  /** The recent scope changes, oldest first (see changedSince). */
  private readonly changeLog: { version: number; key: string }[] = [];
  /** Services by the host Istio gives them (`name.namespace.svc.domain`). */
  private readonly servicesByHost = new Map<string, IndexedResource<ServiceModel>[]>();
  /** How many Services each namespace holds. */
  private readonly serviceCounts = new Map<string, number>();
  /** The scopes the accessors of Services and workloads record while trackReads runs. */
  private reads: Set<string> | undefined;
  private readonly workloadsByNamespace = new Map<string, IndexedResource<WorkloadModel>[]>();
  /**
   * The same workloads by each pod label they carry (`namespace`, key, value joined by NUL), in
   * file order as workloadsByNamespace: selectors look up their rarest label instead
   * of scanning the namespace (a scan per subset made checking a large file quadratic).
   */
  private readonly workloadsByPodLabel = new Map<string, IndexedResource<WorkloadModel>[]>();
  private readonly serviceEntryList: IndexedResource<ServiceEntryModel>[] = [];
  private readonly virtualServiceList: IndexedResource<VirtualServiceModel>[] = [];
  private readonly kustomizationList: IndexedResource<KustomizationModel>[] = [];
  /** Gateway API HTTPRoutes and GRPCRoutes, and ReferenceGrants (issue 13). */
  private readonly gatewayRouteList: IndexedResource<GatewayRouteModel>[] = [];
  private readonly referenceGrantList: IndexedResource<ReferenceGrantModel>[] = [];
  /** Gateways of both APIs by `namespace/name`. */
  private readonly gatewaysByName = new Map<string, GatewayIdentity[]>();
  /** currentEntry's answers for replaced entries (re-checked: an answer that was replaced since is looked up again). */
  private readonly currentEntries = new WeakMap<IndexedResource, IndexedResource>();
  private kustomizeLayout: KustomizeLayout | undefined;
  /** The kustomize namespace each file was analysed with (files without one are not here). */
  private readonly analysedNamespaces = new Map<string, string>();
  private applyingNamespaces = false;
  /** VirtualServices and DestinationRules by `kind/namespace/name`. */
  private readonly definitionsByKey = new Map<string, IndexedResource[]>();
  /** VirtualServices by each resolved host they claim. */
  private readonly claimsByHost = new Map<string, IndexedResource<VirtualServiceModel>[]>();

  constructor(private context: AnalysisContext) {}

  /** Changes namespace/domain defaults: every document is re-analysed. */
  reconfigure(context: AnalysisContext): void {
    const texts = [...this.files.values()].map((file) => [file.uri, fileTextOf(file)] as const);
    // Out under the old context (Services are indexed by a host built with the cluster domain), in under the new.
    for (const uri of [...this.files.keys()]) this.removeFile(uri);
    this.context = context;
    for (const [uri, text] of texts) this.setFile(uri, text, true);
  }

  get analysisContext(): AnalysisContext {
    return this.context;
  }

  /**
   * The version keys of the DestinationRules that apply to the given resolved hosts: a key's
   * version moves when a rule for that host (or any wildcard rule) is added, removed or
   * re-analysed, not when one only moves; the `name:` keys cover rules for the same service name
   * in other namespaces (candidates for namespace-less resources). See latestChange.
   */
  destinationRuleScopes(resolvedHosts: readonly string[]): string[] {
    const names = [...new Set(resolvedHosts.map(serviceNameOf).filter((name): name is string => name !== undefined))];
    return ['*', ...resolvedHosts, ...names.map((name) => `name:${name}`)].map((key) => ruleScopePrefix + key);
  }

  /**
   * The version keys of what cross-resource findings of a document read besides DestinationRules,
   * Services and workloads (those are recorded by trackReads): the VirtualServices claiming the
   * given hosts, the definitions of the same kind/namespace/name, and the rest of the workspace
   * (ServiceEntries, Gateways, kustomizations, ReferenceGrants).
   */
  workspaceScopes(claimedHosts: readonly string[], definition: string): string[] {
    return [globalScope, ...claimedHosts.map((host) => claimScopePrefix + host), definitionScopePrefix + definition];
  }

  /** How many scope changes there have been: while it stays the same, no latestChange answer moved. */
  get changeCount(): number {
    return this.versionCounter;
  }

  /**
   * The keys of the scopes changed after changeCount was `count`; undefined when
   * the log of recent changes no longer reaches back that far (the caller then checks everything).
   */
  changedSince(count: number): Set<string> | undefined {
    const log = this.changeLog;
    const changed = new Set<string>();
    if (count === this.versionCounter) return changed;
    // Entries of one version may have been cut in two by the trimming below: the first version logged counts as incomplete.
    if (log.length === 0 || log[0].version > count) return undefined;
    for (let i = log.length - 1; i >= 0 && log[i].version > count; i--) changed.add(log[i].key);
    return changed;
  }

  /** Gives a scope the current version and logs the change (changedSince). */
  private bumpScope(key: string): void {
    this.scopeVersions.set(key, this.versionCounter);
    this.changeLog.push({ version: this.versionCounter, key });
    if (this.changeLog.length > maxChangeLog) this.changeLog.splice(0, this.changeLog.length - maxChangeLog / 2);
  }

  /**
   * The latest change to any of the scopes. Every change gives its scope a version above all
   * earlier ones, so for a fixed set of scopes this number grows exactly when one of them
   * changed: findings cached under it are valid while it stays the same.
   */
  latestChange(scopes: readonly string[]): number {
    let latest = 0;
    for (const key of scopes) latest = Math.max(latest, this.scopeVersions.get(key) ?? 0);
    return latest;
  }

  getFile(uri: string): IndexedFile | undefined {
    return this.files.get(uri);
  }

  allFiles(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  /**
   * Stores the new text of `uri` and returns the other files whose cross-resource diagnostics
   * may have changed because of it (files referring to a host whose DestinationRules changed).
   */
  setFile(uri: string, text: string, fresh = false): Set<string> {
    text = readableText(text);
    const context = this.fileContext(uri);
    const previous = fresh || this.analysedNamespaces.get(uri) !== context.kustomizeNamespace ? undefined : this.files.get(uri);
    const cache = new Map<string, AnalyzedDocument>();
    for (const document of previous?.documents ?? []) cache.set(document.text, document.analysis);
    return this.storeFile(uri, analyzeFile(text, context, cache, uri), context.kustomizeNamespace);
  }

  /**
   * Stores a file whose documents are already analysed (by `analyzeFile` with this index's
   * context, possibly in another thread: the CLI analyses large trees in worker threads and only
   * indexes here). A file a kustomization gives a namespace is analysed again with it.
   */
  setAnalyzedFile(uri: string, documents: IndexedDocument[]): Set<string> {
    if (this.fileContext(uri).kustomizeNamespace !== undefined) return this.setFile(uri, fileTextOf({ uri, documents }), true);
    return this.storeFile(uri, documents, undefined);
  }

  private storeFile(uri: string, documents: IndexedDocument[], kustomizeNamespace: string | undefined): Set<string> {
    const previous = this.files.get(uri);
    const file: IndexedFile = { uri, documents };
    this.files.set(uri, file);
    if (kustomizeNamespace === undefined) this.analysedNamespaces.delete(uri);
    else this.analysedNamespaces.set(uri, kustomizeNamespace);
    return this.afterChange(this.replaceDocuments(file, previous?.documents ?? [], documents, []));
  }

  /** When the change reached a kustomization (the layout was dropped), files take their new namespaces. */
  private afterChange(dependents: Set<string>): Set<string> {
    if (this.kustomizeLayout === undefined && this.kustomizationList.length + this.analysedNamespaces.size > 0) this.applyKustomizeNamespaces(dependents);
    return dependents;
  }

  /** The analysis context of one file: the index's, with the namespace kustomize gives the file. */
  private fileContext(uri: string): AnalysisContext {
    if (this.kustomizationList.length === 0 || isKustomizationFile(uri)) return this.context;
    const namespace = this.kustomize().namespaceFor(uri);
    return namespace === undefined ? this.context : { ...this.context, kustomizeNamespace: namespace };
  }

  /**
   * After a kustomization changed: every file whose kustomize namespace is no longer the one it
   * was analysed with is analysed again; it and the files depending on it join `dependents`.
   */
  private applyKustomizeNamespaces(dependents: Set<string>): void {
    if (this.applyingNamespaces) return;
    this.applyingNamespaces = true;
    try {
      for (const file of [...this.files.values()]) {
        if (isKustomizationFile(file.uri) || this.fileContext(file.uri).kustomizeNamespace === this.analysedNamespaces.get(file.uri)) continue;
        for (const uri of this.setFile(file.uri, fileTextOf(file), true)) dependents.add(uri);
        dependents.add(file.uri);
      }
    } finally {
      this.applyingNamespaces = false;
    }
  }

  /**
   * Applies one edit to a file already indexed: only the documents the edit touches are split
   * and analysed again, the documents after them are shifted, and the indexes are updated for
   * those documents alone — so an edit costs the same in a 5,000-resource file as in a small one.
   * `text` is the whole new text. Falls back to `setFile` when the edit could change how the
   * rest of the file is read (binary content, `...` markers) or the file is not indexed.
   */
  editFile(uri: string, text: string, edit: TextEdit): Set<string> {
    const file = this.files.get(uri);
    const delta = edit.insertedLength - (edit.end - edit.start);
    const oldLength = text.length - delta;
    const inserted = text.slice(edit.start, edit.start + edit.insertedLength);
    if (!file || file.documents.length === 0 || fileLength(file) !== oldLength || inserted.includes('\0')) {
      return this.setFile(uri, text);
    }
    const documents = file.documents;
    // The documents the edit touches, with the one before (an edit on a document's first line
    // may turn its `---` into content and join it to the previous one; the unchanged neighbour's
    // analysis is reused, so this costs a split, not a parse).
    let first = Math.max(0, documentAt(documents, edit.start) - 1);
    let last = documentAt(documents, Math.min(edit.end, oldLength));
    let region: DocumentSlice[];
    for (;;) {
      const regionStart = documents[first].slice.startOffset;
      const regionEnd = (last + 1 < documents.length ? documents[last + 1].slice.startOffset : oldLength) + delta;
      // The region starts one character before the edit, so a `\r` whose meaning the edit changes is in it.
      // A copy, not a slice: a slice keeps the whole new text alive for as long as its documents
      // live, and after edits in many places every version of a large file would stay in memory.
      const regionText = detachedCopy(normaliseLineBreaks(text.slice(regionStart, regionEnd)));
      // Documents are split by `---` lines here; a `...` end marker, before or after the edit,
      // also ends a document, and a document after the region that does not start with `---`
      // began at one: the whole file is split again then (rare in Kubernetes YAML).
      const next = documents[last + 1];
      if (endMarker.test(regionText) || documents.slice(first, last + 1).some((document) => endMarker.test(document.text)) || (next && !startMarker.test(next.text))) {
        return this.setFile(uri, text);
      }
      region = splitDocuments(regionText);
      // A region that ends without a document (only comments) would join the next one.
      if (last + 1 < documents.length && !hasContent(region[region.length - 1].text)) {
        last += 1;
        continue;
      }
      if (first > 0 && !hasContent(region[0].text)) {
        first -= 1;
        continue;
      }
      break;
    }
    const removed = documents.slice(first, last + 1);
    const reusable = new Map(removed.map((document) => [document.text, document.analysis]));
    const base = removed[0].slice;
    const added: IndexedDocument[] = region.map(({ text: documentText, startOffset, startLine, lineCount }) => ({
      slice: { startOffset: startOffset + base.startOffset, startLine: startLine + base.startLine, lineCount },
      text: documentText,
      analysis: reusable.get(documentText) ?? (isKustomizationFile(uri) ? analyzeKustomizationDocument(documentText) : analyzeDocument(documentText, this.fileContext(uri))),
    }));
    const lineDelta = sum(added, (document) => document.slice.lineCount) - sum(removed, (document) => document.slice.lineCount);
    const shifted = documents.slice(last + 1);
    for (const document of shifted) {
      document.slice.startOffset += delta;
      document.slice.startLine += lineDelta;
    }
    documents.splice(first, removed.length, ...added);
    return this.afterChange(this.replaceDocuments(file, removed, added, lineDelta !== 0 ? shifted : []));
  }

  /** Forgets `uri`; returns the files that depended on its DestinationRules. */
  removeFile(uri: string): Set<string> {
    const file = this.files.get(uri);
    if (!file) return new Set();
    this.files.delete(uri);
    this.analysedNamespaces.delete(uri);
    return this.afterChange(this.replaceDocuments(file, file.documents, [], []));
  }

  /** Every modelled resource of the workspace, optionally only one kind. */
  *resources<K extends ResourceModel['kind']>(kind?: K): IterableIterator<ResourceEntry<Extract<ResourceModel, { kind: K }>>> {
    for (const file of this.files.values()) {
      for (let i = 0; i < file.documents.length; i++) {
        const document = file.documents[i];
        const model = document.analysis.model;
        if (!model || (kind && model.kind !== kind)) continue;
        yield {
          uri: file.uri,
          documentIndex: i,
          startLine: document.slice.startLine,
          model: model as Extract<ResourceModel, { kind: K }>,
          namespace: namespaceOf(model, this.context.defaultNamespace),
        };
      }
    }
  }

  /**
   * The subset names defined for `host` (as written in a resource of `namespace`) by the
   * DestinationRules Istio would use, with the lookup itself. Cached per resolved host until a
   * DestinationRule changes: a VirtualService check asks this for every destination.
   */
  definedSubsets(host: string, namespace: string): { lookup: DestinationRuleLookup; names: ReadonlySet<string> } {
    const resolved = resolveHost(host, namespace, this.context.clusterDomain);
    let cached = this.subsetCache.get(resolved);
    if (!cached) {
      const lookup = this.lookupResolved(resolved);
      cached = { lookup, names: new Set(lookup.rules.flatMap((entry) => entry.model.subsets.map((subset) => subset.name.value))) };
      this.subsetCache.set(resolved, cached);
    }
    return cached;
  }

  /** Resolves `host` as written in a resource of `namespace`, then finds the DestinationRules for it. */
  destinationRulesFor(host: string, namespace: string): DestinationRuleLookup {
    return this.lookupResolved(resolveHost(host, namespace, this.context.clusterDomain));
  }

  private lookupResolved(resolved: string): DestinationRuleLookup {
    const exact = this.rulesByHost.get(resolved) ?? [];
    const covering = this.wildcardRules.filter((entry) => wildcardCovers(entry.resolvedHost, resolved));
    if (exact.length > 0) return { match: 'exact', rules: exact, shadowedWildcards: covering };
    if (covering.length === 0) return { match: 'none', rules: [], shadowedWildcards: [] };
    const longest = Math.max(...covering.map((entry) => entry.resolvedHost.length));
    return { match: 'wildcard', rules: covering.filter((entry) => entry.resolvedHost.length === longest), shadowedWildcards: [] };
  }

  resolveHost(host: string, namespace: string): string {
    return resolveHost(host, namespace, this.context.clusterDomain);
  }

  /**
   * Exact-host DestinationRules for the short name `name` in any namespace
   * (`<name>.<namespace>.svc.<domain>`): the candidates for a resource whose namespace is not
   * written, which may be applied to any namespace (issue 9).
   */
  destinationRulesInAnyNamespace(name: string): DestinationRuleEntry[] {
    const cached = this.anyNamespaceCache.get(name);
    if (cached) return cached;
    const suffix = `.svc.${this.context.clusterDomain}`;
    const found: DestinationRuleEntry[] = [];
    for (const [host, entries] of this.rulesByHost) {
      if (!host.startsWith(`${name}.`) || !host.endsWith(suffix)) continue;
      const namespace = host.slice(name.length + 1, host.length - suffix.length);
      if (namespace !== '' && !namespace.includes('.')) found.push(...entries);
    }
    // in file order, as each host's list is: the hosts' map is in the order the edits made them
    found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.startLine - b.startLine));
    this.anyNamespaceCache.set(name, found);
    return found;
  }

  /**
   * Takes `removed` out of the indexes and puts `added` in, then works out which other files
   * depend on what changed: files referring to a host whose DestinationRules changed, or moved
   * (`moved`: documents shifted by an edit above them; messages point at the rule's host line).
   */
  private replaceDocuments(file: IndexedFile, removed: readonly IndexedDocument[], added: readonly IndexedDocument[], moved: readonly IndexedDocument[]): Set<string> {
    let state = this.contributions.get(file.uri);
    if (!state) this.contributions.set(file.uri, (state = { rules: new Map(), entries: new Map(), gateways: new Map(), hosts: new Map(), hostCounts: new Map() }));
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    const scopesBefore = new Map<string, string>();
    const scopesAfter = new Map<string, string>();
    this.rankDefinitions(file.uri, state, removed);
    const placesBefore = new Map<string, string>();
    const placesAfter = new Map<string, string>();
    for (const document of removed) {
      const entry = state.rules.get(document);
      if (entry) addSignature(before, entry);
      addScopeSignatures(scopesBefore, state, document, this.context.clusterDomain);
      addPlaceSignatures(placesBefore, state, document, this.context.clusterDomain);
      this.unindexDocument(file.uri, state, document);
    }
    for (const document of added) {
      this.indexDocument(file, state, document);
      const entry = state.rules.get(document);
      if (entry) addSignature(after, entry);
      addScopeSignatures(scopesAfter, state, document, this.context.clusterDomain);
      addPlaceSignatures(placesAfter, state, document, this.context.clusterDomain);
    }
    if (!this.files.has(file.uri)) this.contributions.delete(file.uri);
    // Rule objects were replaced: cached lookups and findings that hold them are stale, for
    // those hosts (for every host when a wildcard rule is involved).
    for (const host of new Set([...before.keys(), ...after.keys()])) {
      const key = isWildcard(host) ? '*' : host;
      this.versionCounter += 1;
      this.bumpScope(ruleScopePrefix + key);
      // DestinationRules of any namespace with the same service name are candidates for a
      // resource whose namespace is not written (checks/subsetReferences.ts).
      const name = serviceNameOf(host);
      if (name) {
        this.bumpScope(`${ruleScopePrefix}name:${name}`);
        this.anyNamespaceCache.delete(name);
      }
      if (key === '*') this.subsetCache.clear();
      else this.subsetCache.delete(host);
    }

    const changedHosts = new Set<string>();
    for (const [host, signature] of before) if (after.get(host) !== signature) changedHosts.add(host);
    for (const [host, signature] of after) if (before.get(host) !== signature) changedHosts.add(host);
    const movedPlaces = new Map<string, string>();
    for (const document of moved) {
      const entry = state.rules.get(document);
      if (entry) changedHosts.add(entry.resolvedHost);
      addPlaceSignatures(movedPlaces, state, document, this.context.clusterDomain);
    }
    const dependents = new Set<string>();
    const changedNames = new Set<string>();
    for (const host of changedHosts) {
      if (isWildcard(host)) {
        for (const [referenced, uris] of this.urisByReferencedHost) {
          if (wildcardCovers(host, referenced)) for (const dependent of uris) dependents.add(dependent);
        }
      } else {
        for (const dependent of this.urisByReferencedHost.get(host) ?? []) dependents.add(dependent);
        // the other DestinationRules of the host: their IM3004 findings name this one's subsets and policy
        for (const rule of this.rulesByHost.get(host) ?? []) dependents.add(rule.uri);
        const name = serviceNameOf(host);
        if (name) changedNames.add(name);
      }
    }
    // A resource whose namespace is not written may take its subsets from a DestinationRule of
    // any namespace with the same service name (checks/subsetReferences.ts): re-publish those too.
    if (changedNames.size > 0) {
      for (const [referenced, uris] of this.urisByReferencedHost) {
        const name = serviceNameOf(referenced);
        if (name && changedNames.has(name)) for (const dependent of uris) dependents.add(dependent);
      }
    }
    // The other kinds: what changed, by scope (a namespace's Services and workloads, a host's
    // VirtualServices, or the rest of the workspace).
    const changedScopes = new Set<string>();
    for (const [scope, signature] of scopesBefore) if (scopesAfter.get(scope) !== signature) changedScopes.add(scope);
    for (const [scope, signature] of scopesAfter) if (scopesBefore.get(scope) !== signature) changedScopes.add(scope);
    for (const scope of changedScopes) this.scopeChanged(scope, dependents);
    // A resource that only moved (an edit above its name, or above its document): the findings
    // pointing at it are re-published (from their caches; their related locations are read live).
    const relocated = new Set(movedPlaces.keys());
    for (const [scope, place] of placesBefore) if (placesAfter.get(scope) !== place) relocated.add(scope);
    for (const [scope, place] of placesAfter) if (placesBefore.get(scope) !== place) relocated.add(scope);
    for (const scope of relocated) if (!changedScopes.has(scope)) this.scopeDependents(scope, dependents);
    // Findings that point at a moved Service, workload or Gateway keep their related locations right.
    dependents.delete(file.uri);
    return dependents;
  }

  /** Bumps the version of a changed scope and adds the files whose findings depend on it. */
  private scopeChanged(scope: string, dependents: Set<string>): void {
    this.versionCounter += 1;
    this.bumpScope(scope);
    if (scope === globalScope) {
      this.kustomizeLayout = undefined;
      for (const file of this.files.values()) if (file.documents.some((document) => document.analysis.validated)) dependents.add(file.uri);
      return;
    }
    this.scopeDependents(scope, dependents);
  }

  /** Adds the files whose findings depend on a scope (other than the workspace-wide one). */
  private scopeDependents(scope: string, dependents: Set<string>): void {
    if (scope.startsWith(definitionScopePrefix)) {
      for (const entry of this.definitionsByKey.get(scope.slice(definitionScopePrefix.length)) ?? []) dependents.add(entry.uri);
      return;
    }
    if (scope.startsWith(claimScopePrefix)) {
      const host = scope.slice(claimScopePrefix.length);
      for (const entry of this.virtualServicesClaiming(host)) dependents.add(entry.uri);
      return;
    }
    // The finer scopes of Services and workloads change only with their namespace's scope, whose dependents follow.
    if (!scope.startsWith(namespaceScopePrefix)) return;
    const suffix = `.${scope.slice(namespaceScopePrefix.length)}.svc.${this.context.clusterDomain}`;
    for (const [host, uris] of this.urisByReferencedHost) if (host.endsWith(suffix)) for (const uri of uris) dependents.add(uri);
    for (const [host, entries] of this.rulesByHost) if (host.endsWith(suffix)) for (const entry of entries) dependents.add(entry.uri);
    for (const entry of this.wildcardRules) dependents.add(entry.uri);
  }

  private indexDocument(file: IndexedFile, state: FileContributions, document: IndexedDocument): void {
    const identity = document.analysis.identity;
    if (identity.kind === 'Gateway' && identity.name) {
      const gateway: GatewayIdentity = {
        uri: file.uri, document, namespace: identity.namespace?.value ?? this.context.defaultNamespace, name: identity.name.value, apiVersion: identity.apiVersion ?? '',
      };
      state.gateways.set(document, gateway);
      pushTo(this.gatewaysByName, `${gateway.namespace}/${gateway.name}`, gateway);
    }
    const model = document.analysis.model;
    if (!model) return;
    const namespace = namespaceOf(model, this.context.defaultNamespace);
    if (model.kind !== 'DestinationRule') {
      const entry = new IndexedResource(file.uri, file, document, model, namespace);
      state.entries.set(document, entry);
      this.addEntry(entry);
      if (model.kind === 'VirtualService') this.addDefinition(entry);
    }
    if (model.kind === 'DestinationRule' && model.host) {
      const entry = new DestinationRuleEntry(file.uri, file, document, model, namespace, resolveHost(model.host.value, namespace, this.context.clusterDomain));
      state.rules.set(document, entry);
      this.addDefinition(entry);
      if (isWildcard(entry.resolvedHost)) insertInOrder(this.wildcardRules, entry);
      else {
        let list = this.rulesByHost.get(entry.resolvedHost);
        if (!list) this.rulesByHost.set(entry.resolvedHost, (list = []));
        insertInOrder(list, entry);
      }
    } else if (model.kind === 'VirtualService' || model.kind === 'HTTPRoute' || model.kind === 'GRPCRoute') {
      const hosts = model.kind === 'VirtualService'
        ? [...new Set(referencedHosts(model).map((host) => resolveHost(host, namespace, this.context.clusterDomain)))]
        : gatewayRouteHosts(model, namespace, this.context.clusterDomain);
      state.hosts.set(document, hosts);
      for (const host of hosts) {
        const count = state.hostCounts.get(host) ?? 0;
        state.hostCounts.set(host, count + 1);
        if (count === 0) {
          let uris = this.urisByReferencedHost.get(host);
          if (!uris) this.urisByReferencedHost.set(host, (uris = new Set()));
          uris.add(file.uri);
        }
      }
    }
  }

  private addEntry(entry: IndexedResource): void {
    const model = entry.model;
    switch (model.kind) {
      case 'Service':
        insertInOrderAt(this.servicesByHost, this.serviceHost(entry.model as ServiceModel, entry.namespace), entry as IndexedResource<ServiceModel>);
        this.serviceCounts.set(entry.namespace, (this.serviceCounts.get(entry.namespace) ?? 0) + 1);
        break;
      case 'ServiceEntry':
        this.serviceEntryList.push(entry as IndexedResource<ServiceEntryModel>);
        break;
      case 'VirtualService':
        insertInOrder(this.virtualServiceList, entry as IndexedResource<VirtualServiceModel>);
        for (const host of this.claimedHosts(entry as IndexedResource<VirtualServiceModel>)) {
          let list = this.claimsByHost.get(host);
          if (!list) this.claimsByHost.set(host, (list = []));
          insertInOrder(list, entry as IndexedResource<VirtualServiceModel>);
        }
        break;
      case 'Kustomization':
        this.kustomizationList.push(entry as IndexedResource<KustomizationModel>);
        break;
      case 'HTTPRoute':
      case 'GRPCRoute':
        insertInOrder(this.gatewayRouteList, entry as IndexedResource<GatewayRouteModel>);
        break;
      case 'ReferenceGrant':
        this.referenceGrantList.push(entry as IndexedResource<ReferenceGrantModel>);
        break;
      case 'Gateway':
        break;
      default:
        if (isWorkloadKind(model.kind)) {
          const workload = entry as IndexedResource<WorkloadModel>;
          insertInOrderAt(this.workloadsByNamespace, entry.namespace, workload);
          for (const [key, value] of Object.entries(workload.model.podLabels)) insertInOrderAt(this.workloadsByPodLabel, podLabelKey(entry.namespace, key, value), workload);
        }
    }
  }

  private removeEntry(entry: IndexedResource): void {
    const model = entry.model;
    switch (model.kind) {
      case 'Service':
        removeFrom(this.servicesByHost, this.serviceHost(model, entry.namespace), entry);
        this.serviceCounts.set(entry.namespace, (this.serviceCounts.get(entry.namespace) ?? 1) - 1);
        break;
      case 'ServiceEntry':
        removeItem(this.serviceEntryList, entry);
        break;
      case 'VirtualService':
        removeItem(this.virtualServiceList, entry);
        for (const host of this.claimedHosts(entry as IndexedResource<VirtualServiceModel>)) removeFrom(this.claimsByHost, host, entry);
        break;
      case 'Kustomization':
        removeItem(this.kustomizationList, entry);
        break;
      case 'HTTPRoute':
      case 'GRPCRoute':
        removeItem(this.gatewayRouteList, entry);
        break;
      case 'ReferenceGrant':
        removeItem(this.referenceGrantList, entry);
        break;
      case 'Gateway':
        break;
      default:
        if (isWorkloadKind(model.kind)) {
          const workload = entry as IndexedResource<WorkloadModel>;
          removeFrom(this.workloadsByNamespace, entry.namespace, workload);
          for (const [key, value] of Object.entries(workload.model.podLabels)) removeFrom(this.workloadsByPodLabel, podLabelKey(entry.namespace, key, value), workload);
        }
    }
  }

  /** The hosts a VirtualService claims, resolved with its namespace (placeholders left out). */
  claimedHosts(entry: ResourceEntry<VirtualServiceModel>): string[] {
    return [...new Set(entry.model.hosts.filter((host) => !hasPlaceholder(host.value)).map((host) => resolveHost(host.value, entry.namespace, this.context.clusterDomain)))];
  }

  /** The VirtualServices whose `hosts` include `resolvedHost` (after short-name expansion), in file order. */
  virtualServicesClaiming(resolvedHost: string): readonly IndexedResource<VirtualServiceModel>[] {
    return this.claimsByHost.get(resolvedHost) ?? [];
  }

  /** The Services whose mesh host is `resolvedHost` (`name.namespace.svc.domain`). */
  servicesWithHost(resolvedHost: string): readonly IndexedResource<ServiceModel>[] {
    this.reads?.add(serviceScopePrefix + resolvedHost);
    return this.servicesByHost.get(resolvedHost) ?? [];
  }

  /**
   * Runs `read` and returns, with its value, the scopes of the Services and workloads it looked
   * at (the accessors below record them): findings computed by it stay valid while those scopes
   * do not change, so an edit of one Deployment re-checks only what reads its pods' labels.
   */
  trackReads<T>(read: () => T): { value: T; scopes: string[] } {
    const outer = this.reads;
    const reads = new Set<string>();
    this.reads = reads;
    try {
      const value = read();
      return { value, scopes: [...reads] };
    } finally {
      this.reads = outer;
      if (outer) for (const scope of reads) outer.add(scope);
    }
  }

  /** The index entry of a modelled document of `uri` (live position), when it has one. */
  entryOf(uri: string, document: IndexedDocument): IndexedResource | undefined {
    const state = this.contributions.get(uri);
    return state?.entries.get(document) ?? state?.rules.get(document);
  }

  /**
   * The entry now in the index for the resource `entry` was (same file, kind, namespace and
   * name): findings cached across edits keep entries whose documents may since have been re-analysed.
   */
  currentEntry<M extends ResourceModel>(entry: IndexedResource<M>): IndexedResource<M> | undefined {
    if (!entry.replaced) return entry;
    // The first match found before stays the first while it is not replaced (entries are only
    // appended, and one taken out is marked replaced): a lookup per related location of every
    // cached finding would otherwise scan the whole file on each publish.
    const known = this.currentEntries.get(entry);
    if (known && !known.replaced) return known as IndexedResource<M>;
    const state = this.contributions.get(entry.uri);
    if (!state) return undefined;
    const key = entry.rankInFile !== undefined ? definitionKey(entry) : undefined;
    if (key !== undefined) {
      // The namesake in the same place: several definitions of one name in a file stay apart.
      const namesakes = (this.definitionsByKey.get(key) ?? []).filter((candidate) => candidate.uri === entry.uri && !candidate.replaced);
      const successor = namesakes[entry.rankInFile!] ?? namesakes[0];
      if (successor) this.currentEntries.set(entry, successor);
      return successor as IndexedResource<M> | undefined;
    }
    const same = (candidate: IndexedResource): boolean => candidate.model.kind === entry.model.kind && candidate.namespace === entry.namespace && candidate.model.name?.value === entry.model.name?.value;
    // A file may define the same resource twice (IM3006): the copy nearest to where the replaced
    // entry was, not the first, else a finding on one copy points at itself.
    let found: IndexedResource | undefined;
    const consider = (candidate: IndexedResource): void => {
      if (same(candidate) && (!found || Math.abs(candidate.startLine - entry.startLine) < Math.abs(found.startLine - entry.startLine))) found = candidate;
    };
    for (const candidate of state.entries.values()) consider(candidate);
    if (!found) for (const candidate of state.rules.values()) consider(candidate);
    if (found) this.currentEntries.set(entry, found);
    return found as IndexedResource<M> | undefined;
  }

  /** True when the workspace holds a Service in `namespace`. */
  servicesInNamespace(namespace: string): boolean {
    this.reads?.add(serviceNamespaceScopePrefix + namespace);
    return (this.serviceCounts.get(namespace) ?? 0) > 0;
  }

  /** The workloads (pod-making objects) of a namespace, in file order (URI, then line). */
  workloadsIn(namespace: string): readonly IndexedResource<WorkloadModel>[] {
    this.reads?.add(workloadScopePrefix + namespace);
    return this.workloadsByNamespace.get(namespace) ?? [];
  }

  /** The workloads of a namespace whose pods carry the label `key: value`, in file order. */
  workloadsWithPodLabel(namespace: string, key: string, value: string): readonly IndexedResource<WorkloadModel>[] {
    const labelKey = podLabelKey(namespace, key, value);
    this.reads?.add(podLabelScopePrefix + labelKey);
    return this.workloadsByPodLabel.get(labelKey) ?? [];
  }

  /** Namespaces that hold at least one workload. */
  workloadNamespaces(): IterableIterator<string> {
    return this.workloadsByNamespace.keys();
  }

  serviceEntries(): readonly IndexedResource<ServiceEntryModel>[] {
    return this.serviceEntryList;
  }

  virtualServices(): readonly IndexedResource<VirtualServiceModel>[] {
    return this.virtualServiceList;
  }

  kustomizations(): readonly IndexedResource<KustomizationModel>[] {
    return this.kustomizationList;
  }

  /** Gateway API HTTPRoutes and GRPCRoutes, in file order. */
  gatewayRoutes(): readonly IndexedResource<GatewayRouteModel>[] {
    return this.gatewayRouteList;
  }

  referenceGrants(): readonly IndexedResource<ReferenceGrantModel>[] {
    return this.referenceGrantList;
  }

  /** Gateways of either API named `name` in `namespace`. */
  gatewaysNamed(namespace: string, name: string): readonly GatewayIdentity[] {
    return this.gatewaysByName.get(`${namespace}/${name}`) ?? [];
  }

  /** True when the workspace holds at least one Gateway (of either API). */
  hasGateways(): boolean {
    return this.gatewaysByName.size > 0;
  }

  /** Which files kustomize reads as patches and which folders it builds (recomputed when a kustomization changes). */
  kustomize(): KustomizeLayout {
    if (!this.kustomizeLayout) this.kustomizeLayout = new KustomizeLayout(this.kustomizationList.map((entry) => ({ uri: entry.uri, model: entry.model })));
    return this.kustomizeLayout;
  }

  /** The VirtualServices or DestinationRules with this namespace and name, in file order. */
  definitionsOf(kind: 'VirtualService' | 'DestinationRule', namespace: string, name: string): readonly IndexedResource[] {
    return this.definitionsByKey.get(`${kind}/${namespace}/${name}`) ?? [];
  }

  /**
   * Records, for the definitions about to be replaced, their places among their file's
   * namesakes (one walk per name the edit touches; the lists are in file order).
   */
  private rankDefinitions(uri: string, state: FileContributions, removed: readonly IndexedDocument[]): void {
    const keys = new Set<string>();
    for (const document of removed) {
      const entry = state.rules.get(document) ?? state.entries.get(document);
      const key = entry && definitionKey(entry);
      if (key && (entry.model.kind === 'VirtualService' || entry.model.kind === 'DestinationRule')) keys.add(key);
    }
    for (const key of keys) {
      let rank = 0;
      for (const entry of this.definitionsByKey.get(key) ?? []) if (entry.uri === uri) entry.rankInFile = rank++;
    }
  }

  private addDefinition(entry: IndexedResource): void {
    const key = definitionKey(entry);
    if (key === undefined) return;
    let list = this.definitionsByKey.get(key);
    if (!list) this.definitionsByKey.set(key, (list = []));
    insertInOrder(list, entry);
  }

  private removeDefinition(entry: IndexedResource): void {
    const name = entry.model.name?.value;
    if (name !== undefined) removeFrom(this.definitionsByKey, `${entry.model.kind}/${entry.namespace}/${name}`, entry);
  }

  private serviceHost(model: ServiceModel, namespace: string): string {
    return `${model.name?.value ?? ''}.${namespace}.svc.${this.context.clusterDomain}`;
  }

  private unindexDocument(uri: string, state: FileContributions, document: IndexedDocument): void {
    const other = state.entries.get(document);
    if (other) {
      other.replaced = true;
      state.entries.delete(document);
      this.removeEntry(other);
      if (other.model.kind === 'VirtualService') this.removeDefinition(other);
    }
    const gateway = state.gateways.get(document);
    if (gateway) {
      state.gateways.delete(document);
      removeFrom(this.gatewaysByName, `${gateway.namespace}/${gateway.name}`, gateway);
    }
    const entry = state.rules.get(document);
    if (entry) {
      entry.replaced = true;
      state.rules.delete(document);
      this.removeDefinition(entry);
      if (isWildcard(entry.resolvedHost)) {
        const at = this.wildcardRules.indexOf(entry);
        if (at >= 0) this.wildcardRules.splice(at, 1);
      } else {
        const list = this.rulesByHost.get(entry.resolvedHost);
        const at = list ? list.indexOf(entry) : -1;
        if (list && at >= 0) list.splice(at, 1);
        if (list && list.length === 0) this.rulesByHost.delete(entry.resolvedHost);
      }
    }
    const hosts = state.hosts.get(document);
    if (hosts) {
      state.hosts.delete(document);
      for (const host of hosts) {
        const count = (state.hostCounts.get(host) ?? 1) - 1;
        if (count > 0) {
          state.hostCounts.set(host, count);
          continue;
        }
        state.hostCounts.delete(host);
        const uris = this.urisByReferencedHost.get(host);
        uris?.delete(uri);
        if (uris && uris.size === 0) this.urisByReferencedHost.delete(host);
      }
    }
  }
}

/**
 * What dependents' diagnostics show of a DestinationRule: name, namespace, subset names and
 * where it is (messages name the rule and point at its host), keyed by its resolved host.
 */
function addSignature(signatures: Map<string, string>, entry: DestinationRuleEntry): void {
  // the subsets' labels and where the subsets and the policy are too: other DestinationRules'
  // IM3004 findings quote the labels and point at them
  const names = entry.model.subsets.map((subset) => `${subset.name.value}=${JSON.stringify(subset.labels)}@${subset.name.range.start.line}:${subset.name.range.start.character}`).join(',');
  const where = entry.startLine + (entry.model.host?.range.start.line ?? 0);
  const policy = entry.model.trafficPolicy ? `${entry.model.trafficPolicy.start.line}:${entry.model.trafficPolicy.start.character}` : '';
  const signature = `${entry.namespace}/${entry.model.name?.value ?? ''}@${where}:${entry.model.host?.range.start.character ?? 0}:${names}:${policy}`;
  signatures.set(entry.resolvedHost, `${signatures.get(entry.resolvedHost) ?? ''}|${signature}`);
}

const endMarker = /^\.\.\.(?:[ \t\r\n]|$)/m;
const startMarker = /^---(?:[ \t\r\n]|$)/;

/** Index of the document containing `offset` (the last one starting at or before it). */
function documentAt(documents: readonly IndexedDocument[], offset: number): number {
  let low = 0;
  let high = documents.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (documents[middle].slice.startOffset <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

function fileLength(file: IndexedFile): number {
  const last = file.documents[file.documents.length - 1];
  return last ? last.slice.startOffset + last.text.length : 0;
}

export function fileTextOf(file: IndexedFile): string {
  return file.documents.map((document) => document.text).join('');
}

/** True when a document has more than blank lines, comments and directives (see splitDocuments). */
function hasContent(text: string): boolean {
  return /^(?![ \t]*(?:#.*)?$)(?!%)/m.test(text);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

/** `kind/namespace/name` of a VirtualService or DestinationRule (undefined without a literal name). */
function definitionKey(entry: IndexedResource): string | undefined {
  const name = entry.model.name?.value;
  if (name === undefined || hasPlaceholder(name)) return undefined;
  return `${entry.model.kind}/${entry.namespace}/${name}`;
}

/**
 * Keeps entries in file order (by URI, then line), however they were added, so messages that
 * list several resources read the same after any sequence of edits.
 */
function insertInOrder<T extends IndexedResource>(list: T[], entry: T): void {
  const before = (a: T, b: T): boolean => a.uri < b.uri || (a.uri === b.uri && a.startLine < b.startLine);
  let at = list.length;
  while (at > 0 && before(entry, list[at - 1])) at -= 1;
  list.splice(at, 0, entry);
}

/** insertInOrder into the list of `key`: lists stay in file order whatever order documents were (re-)indexed in. */
function insertInOrderAt<T extends IndexedResource>(map: Map<string, T[]>, key: string, entry: T): void {
  const list = map.get(key);
  if (list) insertInOrder(list, entry);
  else map.set(key, [entry]);
}

/** Hosts a VirtualService sends requests or mirrored copies to. */
export function referencedHosts(model: VirtualServiceModel): string[] {
  return allDestinations(model).flatMap((destination) => (destination.host ? [destination.host.value] : []));
}

const globalScope = 'workspace';
/** DestinationRule scopes: `dr:` + a resolved host, `*` or `name:` + a service name. */
const ruleScopePrefix = 'dr:';
const maxChangeLog = 8192;
const namespaceScopePrefix = 'ns:';
const claimScopePrefix = 'claim:';
const definitionScopePrefix = 'def:';
// The finer scopes of a namespace's Services and workloads, as trackReads records them: a Service
// by its host, whether a namespace has Services, a namespace's workloads, and its workloads by pod label.
const serviceScopePrefix = 'svc:';
const serviceNamespaceScopePrefix = 'svcns:';
const workloadScopePrefix = 'wl:';
const podLabelScopePrefix = 'label:';

/** What a document's findings in other documents depend on, by scope: its signature without ranges. */
function addScopeSignatures(signatures: Map<string, string>, state: FileContributions, document: IndexedDocument, clusterDomain: string): void {
  const add = (scope: string, signature: string): void => {
    signatures.set(scope, `${signatures.get(scope) ?? ''}|${signature}`);
  };
  const rule = state.rules.get(document);
  if (rule) add(`${definitionScopePrefix}DestinationRule/${rule.namespace}/${rule.model.name?.value ?? ''}`, rule.uri);
  const gateway = state.gateways.get(document);
  if (gateway) add(globalScope, `Gateway:${gateway.apiVersion}:${gateway.namespace}/${gateway.name}`);
  const entry = state.entries.get(document);
  if (!entry) return;
  const model = entry.model;
  switch (model.kind) {
    case 'VirtualService': {
      add(`${definitionScopePrefix}VirtualService/${entry.namespace}/${model.name?.value ?? ''}`, entry.uri);
      const gateways = model.gateways.map((gatewayName) => gatewayName.value).join(',');
      // A document that is not YAML cannot be applied: it claims nothing (see checkVirtualServiceConflicts).
      const broken = document.analysis.problems.some((problem) => problem.code === 'IM0001');
      for (const host of new Set(model.hosts.map((host) => resolveHost(host.value, entry.namespace, clusterDomain)))) {
        add(claimScopePrefix + host, `${entry.namespace}/${model.name?.value ?? ''}@${gateways}@${model.exportTo.join(',')}@${broken}@${entry.uri}`);
      }
      break;
    }
    // A route's findings depend on Services (by referenced host, above); nothing depends on a route.
    case 'HTTPRoute':
    case 'GRPCRoute':
      break;
    case 'ReferenceGrant':
      add(globalScope, `${entry.uri}:${withoutRanges(model)}`);
      break;
    case 'Service':
    default:
      if (model.kind === 'ServiceEntry' || model.kind === 'Gateway' || model.kind === 'Kustomization') add(globalScope, `${entry.uri}:${withoutRanges(model)}`);
      else {
        // Findings read a workload's pod labels and replicas; its containers only show in hovers.
        const signature = withoutRanges(model.kind === 'Service' ? model : { ...model, containers: [] });
        add(namespaceScopePrefix + entry.namespace, signature);
        if (model.kind === 'Service') {
          add(`${serviceScopePrefix}${model.name?.value ?? ''}.${entry.namespace}.svc.${clusterDomain}`, signature);
          add(serviceNamespaceScopePrefix + entry.namespace, 'Service');
        } else if (isWorkloadKind(model.kind)) {
          add(workloadScopePrefix + entry.namespace, signature);
          for (const [key, value] of Object.entries((model as WorkloadModel).podLabels)) add(podLabelScopePrefix + podLabelKey(entry.namespace, key, value), signature);
        }
      }
  }
}

/** A string with the same characters that shares no memory with `text` (JSON keeps lone surrogates, as escapes). */
function detachedCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * Where each resource a scope's findings point at is named (the related locations of IM3006,
 * IST0109, IST0173, IM3001), by the scopes of addScopeSignatures. A change here re-publishes the
 * scope's files without invalidating their cached findings: related locations are read live.
 */
function addPlaceSignatures(places: Map<string, string>, state: FileContributions, document: IndexedDocument, clusterDomain: string): void {
  const add = (scope: string, resource: IndexedResource): void => {
    const name = resource.model.name?.range.start;
    places.set(scope, `${places.get(scope) ?? ''}|${resource.uri}@${resource.startLine + (name?.line ?? 0)}:${name?.character ?? 0}`);
  };
  const rule = state.rules.get(document);
  if (rule) add(`${definitionScopePrefix}DestinationRule/${rule.namespace}/${rule.model.name?.value ?? ''}`, rule);
  const entry = state.entries.get(document);
  if (!entry) return;
  const model = entry.model;
  if (model.kind === 'VirtualService') {
    add(`${definitionScopePrefix}VirtualService/${entry.namespace}/${model.name?.value ?? ''}`, entry);
    for (const host of new Set(model.hosts.map((host) => resolveHost(host.value, entry.namespace, clusterDomain)))) add(claimScopePrefix + host, entry);
  } else if (!['HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'ServiceEntry', 'Gateway', 'Kustomization'].includes(model.kind)) {
    add(namespaceScopePrefix + entry.namespace, entry);
  }
}

function withoutRanges(model: object): string {
  return JSON.stringify(model, (key, value: unknown) => (key === 'range' ? undefined : value));
}

function podLabelKey(namespace: string, key: string, value: string): string {
  return `${namespace}\0${key}\0${value}`;
}

function removeFrom<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (!list) return;
  removeItem(list, value);
  if (list.length === 0) map.delete(key);
}

function removeItem<T>(list: T[], value: T): void {
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
}
