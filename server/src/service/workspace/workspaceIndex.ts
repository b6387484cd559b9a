// The workspace as the service sees it: every YAML file split into documents, each document
// analysed once and cached by its text, plus the indexes cross-resource features need
// (DestinationRules by resolved host, which files refer to which hosts). Updating a file
// re-analyses only documents whose text changed and reports which other files depend on
// what changed, so their cross-resource diagnostics can be refreshed.

import { splitDocuments, type DocumentSlice } from '../parse/documentSlices';
import { normaliseLineBreaks } from '../parse/yamlDocument';
import { analyzeDocument, type AnalysisContext, type AnalyzedDocument } from '../documentAnalysis';
import { isWildcard, resolveHost, wildcardCovers } from '../model/hostNames';
import { allDestinations, namespaceOf, type DestinationRuleModel, type ResourceModel, type VirtualServiceModel } from '../model/resourceModel';

export interface IndexedDocument {
  slice: Omit<DocumentSlice, 'text'>;
  /** The document text (the cache key for its analysis). */
  text: string;
  analysis: AnalyzedDocument;
}

export interface IndexedFile {
  uri: string;
  documents: IndexedDocument[];
}

/** A DestinationRule as the index holds it: the model plus where it lives and its resolved host. */
export interface DestinationRuleEntry {
  uri: string;
  documentIndex: number;
  /** First line of the document in its file (model ranges are relative to it). */
  startLine: number;
  model: DestinationRuleModel;
  namespace: string;
  resolvedHost: string;
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
  uri: string;
  documentIndex: number;
  startLine: number;
  model: M;
  namespace: string;
}

/**
 * The text as the service reads it: binary content (a NUL byte) as nothing at all, and lone
 * `\r` line breaks as `\n` so that lines are counted as LSP counts them (offsets unchanged).
 */
export function readableText(text: string): string {
  return text.includes('\0') ? '' : normaliseLineBreaks(text);
}

/**
 * Splits a file into documents and analyses each; `cache` supplies analyses of document texts
 * seen before (an edit then re-analyses only the documents it changed).
 */
export function analyzeFile(text: string, context: AnalysisContext, cache?: ReadonlyMap<string, AnalyzedDocument>): IndexedDocument[] {
  return splitDocuments(readableText(text)).map((slice) => {
    const { text: documentText, ...position } = slice;
    const analysis = cache?.get(documentText) ?? analyzeDocument(documentText, context);
    return { slice: position, text: documentText, analysis };
  });
}

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly rulesByHost = new Map<string, DestinationRuleEntry[]>();
  private readonly wildcardRules: DestinationRuleEntry[] = [];
  private readonly rulesByUri = new Map<string, DestinationRuleEntry[]>();
  private readonly referencedHostsByUri = new Map<string, Set<string>>();
  private readonly urisByReferencedHost = new Map<string, Set<string>>();
  private readonly subsetCache = new Map<string, { lookup: DestinationRuleLookup; names: ReadonlySet<string> }>();

  constructor(private context: AnalysisContext) {}

  /** Changes namespace/domain defaults: every document is re-analysed. */
  reconfigure(context: AnalysisContext): void {
    this.context = context;
    const texts = [...this.files.values()].map((file) => [file.uri, file.documents.map((d) => d.text).join('')] as const);
    for (const uri of [...this.files.keys()]) this.removeFile(uri);
    for (const [uri, text] of texts) this.setFile(uri, text, true);
  }

  get analysisContext(): AnalysisContext {
    return this.context;
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
   * may have changed because of it (files referring to a host whose subsets changed).
   */
  setFile(uri: string, text: string, fresh = false): Set<string> {
    text = readableText(text);
    const previous = fresh ? undefined : this.files.get(uri);
    const cache = new Map<string, AnalyzedDocument>();
    for (const document of previous?.documents ?? []) cache.set(document.text, document.analysis);
    return this.setAnalyzedFile(uri, analyzeFile(text, this.context, cache));
  }

  /**
   * Stores a file whose documents are already analysed (by `analyzeFile`, possibly in another
   * thread: the CLI analyses large trees in worker threads and only indexes here).
   */
  setAnalyzedFile(uri: string, documents: IndexedDocument[]): Set<string> {
    const before = this.subsetSignatures(uri);
    this.unindex(uri);
    const file = { uri, documents };
    this.files.set(uri, file);
    this.indexFile(file);
    return this.dependentsOfChange(uri, before, this.subsetSignatures(uri));
  }

  /** Forgets `uri`; returns the files that depended on its DestinationRules. */
  removeFile(uri: string): Set<string> {
    if (!this.files.has(uri)) return new Set();
    const before = this.subsetSignatures(uri);
    this.unindex(uri);
    this.files.delete(uri);
    return this.dependentsOfChange(uri, before, new Map());
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

  private indexFile(file: IndexedFile): void {
    const rules: DestinationRuleEntry[] = [];
    const referenced = new Set<string>();
    file.documents.forEach((document, documentIndex) => {
      const model = document.analysis.model;
      if (!model) return;
      const namespace = namespaceOf(model, this.context.defaultNamespace);
      if (model.kind === 'DestinationRule' && model.host) {
        const entry: DestinationRuleEntry = {
          uri: file.uri,
          documentIndex,
          startLine: document.slice.startLine,
          model,
          namespace,
          resolvedHost: resolveHost(model.host.value, namespace, this.context.clusterDomain),
        };
        rules.push(entry);
        if (isWildcard(entry.resolvedHost)) this.wildcardRules.push(entry);
        else push(this.rulesByHost, entry.resolvedHost, entry);
      } else if (model.kind === 'VirtualService') {
        for (const host of referencedHosts(model)) referenced.add(resolveHost(host, namespace, this.context.clusterDomain));
      }
    });
    this.rulesByUri.set(file.uri, rules);
    this.referencedHostsByUri.set(file.uri, referenced);
    for (const host of referenced) {
      let uris = this.urisByReferencedHost.get(host);
      if (!uris) this.urisByReferencedHost.set(host, (uris = new Set()));
      uris.add(file.uri);
    }
  }

  private unindex(uri: string): void {
    for (const entry of this.rulesByUri.get(uri) ?? []) {
      if (isWildcard(entry.resolvedHost)) {
        const at = this.wildcardRules.indexOf(entry);
        if (at >= 0) this.wildcardRules.splice(at, 1);
      } else {
        const list = this.rulesByHost.get(entry.resolvedHost);
        if (list) {
          const remaining = list.filter((candidate) => candidate !== entry);
          if (remaining.length > 0) this.rulesByHost.set(entry.resolvedHost, remaining);
          else this.rulesByHost.delete(entry.resolvedHost);
        }
      }
    }
    this.rulesByUri.delete(uri);
    for (const host of this.referencedHostsByUri.get(uri) ?? []) {
      const uris = this.urisByReferencedHost.get(host);
      uris?.delete(uri);
      if (uris && uris.size === 0) this.urisByReferencedHost.delete(host);
    }
    this.referencedHostsByUri.delete(uri);
  }

  /**
   * Resolved DR host → what dependents' diagnostics show of the file's DestinationRules for it:
   * names, namespaces, subset names and where the rule is (messages name the rule and point at
   * its host), so an update that changes any of these refreshes the files that use the host.
   */
  private subsetSignatures(uri: string): Map<string, string> {
    const signatures = new Map<string, string>();
    for (const entry of this.rulesByUri.get(uri) ?? []) {
      const names = entry.model.subsets.map((subset) => subset.name.value).join(',');
      const where = entry.startLine + (entry.model.host?.range.start.line ?? 0);
      const signature = `${entry.namespace}/${entry.model.name?.value ?? ''}@${where}:${entry.model.host?.range.start.character ?? 0}:${names}`;
      signatures.set(entry.resolvedHost, `${signatures.get(entry.resolvedHost) ?? ''}|${signature}`);
    }
    return signatures;
  }

  private dependentsOfChange(uri: string, before: Map<string, string>, after: Map<string, string>): Set<string> {
    const changedHosts = new Set<string>();
    for (const [host, signature] of before) if (after.get(host) !== signature) changedHosts.add(host);
    for (const [host, signature] of after) if (before.get(host) !== signature) changedHosts.add(host);
    // Entries of the unchanged DestinationRules stay valid, but a model object may have been
    // replaced even when names did not change, so any DestinationRule change clears the cache.
    if (before.size > 0 || after.size > 0) this.subsetCache.clear();
    const dependents = new Set<string>();
    for (const host of changedHosts) {
      if (isWildcard(host)) {
        for (const [referenced, uris] of this.urisByReferencedHost) {
          if (wildcardCovers(host, referenced)) for (const dependent of uris) dependents.add(dependent);
        }
      } else {
        for (const dependent of this.urisByReferencedHost.get(host) ?? []) dependents.add(dependent);
      }
    }
    dependents.delete(uri);
    return dependents;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Hosts a VirtualService sends requests or mirrored copies to. */
export function referencedHosts(model: VirtualServiceModel): string[] {
  return allDestinations(model).flatMap((destination) => (destination.host ? [destination.host.value] : []));
}
