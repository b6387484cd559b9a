// The facade of the pure language service: the one object the LSP adapter and the CLI talk
// to. It holds the workspace index and the settings; it does no IO (callers hand it file
// texts) and knows nothing about LSP transport or VS Code.

import {
  DiagnosticSeverity,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type SelectionRange,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { getCodeActions } from './features/codeActions';
import { getCodeLenses } from './features/codeLens';
import { doComplete } from './features/completion';
import { findDocumentSymbols, getFoldingRanges, getSelectionRanges } from './features/documentStructure';
import { addMirrorEdit, createDestinationRuleEdit, type CreateDestinationRuleResult, type MirrorTargetChoice } from './features/edits/commandEdits';
import { mirrorTargets, resourceInfo, type MirrorTargets, type ResourceInfo } from './features/editorCommands';
import type { FeatureContext } from './features/featureContext';
import { scaffoldCanary, type CanaryScaffoldOptions, type CanaryScaffoldResult } from './features/scaffold';
import { trafficSplit, type TrafficSplitModel } from './features/trafficSplit';
import { mirrorMonitoring, type MirrorMonitor, type MonitorOptions } from './features/mirrorMonitoring';
import { grafanaDashboard, type GrafanaDashboard } from './features/grafanaDashboard';
import { trafficSplitWindow, type TrafficSplitWindow } from './features/trafficSplitWindow';
import { convertToHttpRoute, type HttpRouteConversion } from './features/convertToHttpRoute';
import { scaffoldCanaryGatewayApi } from './features/gatewayApiScaffold';
import { ScaffoldInputError, scaffoldTypeProblems, scaffoldValueProblems } from './features/scaffoldInputs';
import { doHover } from './features/hover';
import { envoyRoutes, type EnvoyRouteRule, type EnvoyRoutesOptions } from './features/envoyRoutes';
import { traceRequest, type TraceRequest, type TraceResult } from './features/requestTrace';
import { runRoutingTests, type RoutingTestResult } from './features/routingTests';
import { doRename, findDefinition, findReferences, prepareRename } from './features/navigation';
import { checkSubsetReferences, relatedLocation, type SubsetProblem } from './checks/subsetReferences';
import type { AnalyzedDocument } from './documentAnalysis';
import type { DestinationRuleModel, VirtualServiceModel } from './model/resourceModel';
import { checkBackendReferences } from './checks/backendReferences';
import { relatedLocationOf, type Finding } from './checks/relatedResources';
import { checkDestinationRuleConflicts, checkDuplicateDefinition, checkVirtualServiceConflicts } from './checks/resourceConflicts';
import { checkSubsetSelection } from './checks/subsetSelection';
import { kustomizeRole } from './workspace/workspaceQueries';
import { ruleFor } from './checks/ruleTable';
import { checkGatewayRouteReferences } from './checks/gatewayApiReferences';
import { ruleDocLine } from './checks/rulesDoc';
import { withoutSuppressed } from './checks/suppressions';
import { referencedHosts, WorkspaceIndex, type IndexedDocument, type IndexedFile, type ResourceEntry, type TextEdit } from './workspace/workspaceIndex';
import { firstLineOf, lineStarts } from './util/lineRanges';
import { defaultSettings, type IstioSettings, type Position, type Problem, type Range, type SeverityName } from './types';
import { boundedMessage, maxMessageLength } from './util/messageText';

export const diagnosticSource = 'istio-mirror';

const lspSeverity: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export class IstioLanguageService {
  private settings: IstioSettings;
  readonly index: WorkspaceIndex;
  /** URI of docs/rules.md where the host has it: each diagnostic's code links to its section. */
  private ruleDocs: string | undefined;

  constructor(settings: Partial<IstioSettings> = {}) {
    this.settings = { ...defaultSettings, ...settings };
    this.index = new WorkspaceIndex(this.analysisContext());
  }

  get currentSettings(): IstioSettings {
    return this.settings;
  }

  /** Applies new settings. Returns true when documents were re-analysed (namespace or domain changed). */
  configure(settings: Partial<IstioSettings>): boolean {
    const previous = this.settings;
    this.settings = { ...defaultSettings, ...settings };
    if (previous.defaultNamespace !== this.settings.defaultNamespace || previous.clusterDomain !== this.settings.clusterDomain) {
      this.index.reconfigure(this.analysisContext());
      return true;
    }
    return false;
  }

  /**
   * Where docs/rules.md is (a `file:` URI, or any URL serving the same file): each diagnostic's
   * `codeDescription` then links to its code's section (`#L<line>`, which VS Code opens at the line).
   */
  setRuleDocumentation(uri: string | undefined): void {
    this.ruleDocs = uri;
  }

  /** The link to `code`'s explanation, when the documentation is known. */
  ruleDocumentation(code: string): string | undefined {
    const line = this.ruleDocs ? ruleDocLine(code) : undefined;
    return line === undefined ? undefined : `${this.ruleDocs}#L${line + 1}`;
  }

  /** Adds or updates a file. Returns the other files whose diagnostics may have changed. */
  setFile(uri: string, text: string): Set<string> {
    return this.index.setFile(uri, text);
  }

  /**
   * Applies one edit (`[start, end)` of the previous text replaced by `insertedLength`
   * characters; `text` is the new whole text). Re-analyses only the documents the edit touches.
   * Returns the other files whose diagnostics may have changed.
   */
  editFile(uri: string, text: string, edit: TextEdit): Set<string> {
    return this.index.editFile(uri, text, edit);
  }

  /** Removes a file (deleted, or closed and not part of the workspace). Returns its dependents. */
  removeFile(uri: string): Set<string> {
    return this.index.removeFile(uri);
  }

  hasFile(uri: string): boolean {
    return this.index.hasFile(uri);
  }

  /** All problems of a file, local and cross-resource, with file-relative ranges. */
  getProblems(uri: string): Problem[] {
    const file = this.index.getFile(uri);
    if (!file) return [];
    const problems = withoutSuppressed(file, collectProblems(file, this.index, this.settings.defaultNamespace));
    return problems.map((problem) => (problem.message.length > maxMessageLength ? { ...problem, message: boundedMessage(problem.message) } : problem));
  }

  /** LSP diagnostics for a file, with the user's severity settings applied. */
  getDiagnostics(uri: string): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const problem of this.getProblems(uri)) {
      const severity = this.severityOf(problem);
      if (severity === undefined) continue;
      const diagnostic: Diagnostic = {
        range: problem.range,
        severity: lspSeverity[severity],
        code: problem.code,
        source: diagnosticSource,
        message: problem.message,
      };
      const href = this.ruleDocumentation(problem.code);
      if (href) diagnostic.codeDescription = { href };
      if (problem.data) diagnostic.data = problem.data;
      if (problem.related) {
        diagnostic.relatedInformation = problem.related.map((related) => ({
          location: { uri: related.uri, range: related.range },
          message: related.message,
        }));
      }
      diagnostics.push(diagnostic);
    }
    return diagnostics;
  }

  /** The severity a problem is reported with, or undefined when the user turned its code off. */
  severityOf(problem: Problem): SeverityName | undefined {
    const configured = this.settings.severity[problem.code];
    if (configured === 'off') return undefined;
    return configured ?? problem.severity ?? ruleFor(problem.code).severity;
  }

  // Editing features. Each takes file positions and returns LSP data; none throws on odd input.

  doComplete(uri: string, position: Position): CompletionList {
    return doComplete(this.features(), uri, position);
  }

  doHover(uri: string, position: Position): Hover | null {
    const covers = (range: Range): boolean =>
      (range.start.line < position.line || (range.start.line === position.line && range.start.character <= position.character))
      && (range.end.line > position.line || (range.end.line === position.line && range.end.character >= position.character));
    const onProblem = this.getProblems(uri).some((problem) => covers(problem.range) && this.severityOf(problem) !== undefined);
    return doHover(this.features(), uri, position, onProblem);
  }

  /** Quick fixes for the given diagnostics (as published by this service) within `range`. */
  getCodeActions(uri: string, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
    // Suppressions are offered only for findings the file still has (not for a stale diagnostic).
    const ours = diagnostics.filter((diagnostic) => diagnostic.source === undefined || diagnostic.source === diagnosticSource);
    const current = ours.length > 0 && this.hasFile(uri) ? new Set(this.getProblems(uri).map(problemKey)) : new Set<string>();
    return getCodeActions(this.features(), uri, range, diagnostics, (diagnostic) => current.has(problemKey({ code: String(diagnostic.code), range: diagnostic.range, message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value })));
  }

  findDefinition(uri: string, position: Position): Location[] {
    return findDefinition(this.features(), uri, position);
  }

  findReferences(uri: string, position: Position, includeDeclaration: boolean): Location[] {
    return findReferences(this.features(), uri, position, includeDeclaration);
  }

  prepareRename(uri: string, position: Position): { range: Range; placeholder: string } | null {
    return prepareRename(this.features(), uri, position);
  }

  doRename(uri: string, position: Position, newName: string): WorkspaceEdit | null {
    return doRename(this.features(), uri, position, newName);
  }

  findDocumentSymbols(uri: string): DocumentSymbol[] {
    return findDocumentSymbols(this.features(), uri);
  }

  getFoldingRanges(uri: string): FoldingRange[] {
    return getFoldingRanges(this.features(), uri);
  }

  getSelectionRanges(uri: string, positions: Position[]): SelectionRange[] {
    return getSelectionRanges(this.features(), uri, positions);
  }

  getCodeLenses(uri: string): CodeLens[] {
    return getCodeLenses(this.features(), uri);
  }

  /** What the document at `position` is, for an editor's status display. */
  resourceInfo(uri: string, position: Position): ResourceInfo {
    return resourceInfo(this.features(), uri, position);
  }

  /** A complete canary mirroring setup (Deployments, Service, DestinationRule, VirtualService; with `api: 'gateway-api'` per-version Services and an HTTPRoute). */
  /** Throws a `ScaffoldInputError` (each field and what is wrong with it) instead of writing a value that is not valid where it goes. */
  scaffoldCanary(options: CanaryScaffoldOptions): CanaryScaffoldResult {
    const typeProblems = scaffoldTypeProblems(options);
    if (typeProblems.length > 0) throw new ScaffoldInputError(typeProblems);
    const given = options ?? {};
    const result = given.api === 'gateway-api'
      ? scaffoldCanaryGatewayApi(given, this.settings.defaultMirrorPercentage)
      : scaffoldCanary(given, this.settings.defaultApiVersion, this.settings.defaultMirrorPercentage, this.index);
    const problems = scaffoldValueProblems(result.options, given, 'istioMirror.defaultApiVersion (setting)');
    if (problems.length > 0) throw new ScaffoldInputError(problems);
    return result;
  }

  /** The HTTP route under the cursor and the subsets it could mirror to. */
  mirrorTargets(uri: string, position: Position): MirrorTargets {
    return mirrorTargets(this.features(), uri, position);
  }

  /** The edit that adds a mirror to the HTTP route under the cursor (or converts to `mirrors`). */
  addMirror(uri: string, position: Position, target: MirrorTargetChoice, percentage: number): WorkspaceEdit | null {
    return addMirrorEdit(this.features(), uri, position, target, percentage);
  }

  /** A new DestinationRule for the destination host under the cursor, with the subsets the VirtualService uses. */
  createDestinationRule(uri: string, position: Position): CreateDestinationRuleResult | null {
    return createDestinationRuleEdit(this.features(), uri, position);
  }

  /** The VirtualService at `position` as an HTTPRoute plus per-version Services, with what could not be converted. */
  convertToHttpRoute(uri: string, position: Position): HttpRouteConversion | undefined {
    return convertToHttpRoute(this.features(), uri, position);
  }

  /** Where requests and mirrored copies go, for the VirtualServices of the given files (all when omitted). */
  trafficSplit(uris?: readonly string[]): TrafficSplitModel {
    return trafficSplit(this.features(), uris);
  }

  /** The Envoy routes Istio generates for the `http` rules of the VirtualServices of the given files (issue 14). */
  envoyRoutes(options: EnvoyRoutesOptions, uris?: readonly string[]): EnvoyRouteRule[] {
    return envoyRoutes(this.features(), options, uris);
  }

  /** Where a request and its mirrored copies go (issue 14). */
  traceRequest(request: TraceRequest, uris?: readonly string[]): TraceResult {
    return traceRequest(this.features(), request, uris);
  }

  /** Runs the RoutingTest documents of the given files (all when undefined) against the workspace's VirtualServices (issue 14). */
  routingTests(uris?: readonly string[]): RoutingTestResult[] {
    return runRoutingTests(this.features(), uris);
  }

  /** The queries, commands and notes that compare each mirror with its primary (issue 15). */
  mirrorMonitoring(options: MonitorOptions): MirrorMonitor[] {
    return mirrorMonitoring(this.features(), options);
  }

  /** A Grafana dashboard of the mirrors' queries, namespaces the files do not state as `$namespace`. */
  grafanaDashboard(options: Omit<MonitorOptions, 'namespaceVariable'>): GrafanaDashboard {
    return grafanaDashboard(mirrorMonitoring(this.features(), { ...options, namespaceVariable: '$namespace' }), this.settings.defaultNamespace);
  }

  /** One file's split for a preview: every VirtualService up to `limit`, else the one under `position`. */
  trafficSplitWindow(uri: string, position: Position | undefined, limit: number): TrafficSplitWindow {
    return trafficSplitWindow(this.features(), uri, position, limit);
  }

  private features(): FeatureContext {
    return { index: this.index, settings: this.settings };
  }

  private analysisContext(): { defaultNamespace: string; clusterDomain: string } {
    return { defaultNamespace: this.settings.defaultNamespace, clusterDomain: this.settings.clusterDomain };
  }
}

function shift(range: Range, lines: number): Range {
  if (lines === 0) return range;
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

/** Findings against the rest of the workspace, per document, valid while the stamps of what they read do not change. */
const workspaceFindingCache = new WeakMap<AnalyzedDocument, { key: string; found: Finding[] }>();

function workspaceFindings(uri: string, document: IndexedDocument, index: WorkspaceIndex, defaultNamespace: string, partial: boolean): Finding[] {
  const entry = index.entryOf(uri, document);
  const model = entry?.model;
  if (!entry || (model?.kind !== 'VirtualService' && model?.kind !== 'DestinationRule')) return [];
  const { hosts, claimed, namespaces, definition } = findingScope(entry as ResourceEntry<VirtualServiceModel | DestinationRuleModel>, index);
  const key = [defaultNamespace, uri, partial, index.destinationRulesStamp(hosts), index.workspaceStamp(namespaces, claimed, definition)].join('|');
  const cached = workspaceFindingCache.get(document.analysis);
  if (cached?.key === key) return cached.found;
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
  workspaceFindingCache.set(document.analysis, { key, found });
  return found;
}

/** What a document's workspace findings read (hosts, claimed hosts, namespaces, definition key), per index entry. */
const findingScopeCache = new WeakMap<ResourceEntry, { clusterDomain: string; hosts: string[]; claimed: string[]; namespaces: string[]; definition: string }>();

function findingScope(entry: ResourceEntry<VirtualServiceModel | DestinationRuleModel>, index: WorkspaceIndex): { hosts: string[]; claimed: string[]; namespaces: string[]; definition: string } {
  const clusterDomain = index.analysisContext.clusterDomain;
  const cached = findingScopeCache.get(entry);
  if (cached?.clusterDomain === clusterDomain) return cached;
  const model = entry.model;
  const hosts = model.kind === 'VirtualService'
    ? [...new Set(referencedHosts(model).map((host) => index.resolveHost(host, entry.namespace)))]
    : model.host ? [index.resolveHost(model.host.value, entry.namespace)] : [];
  const claimed = model.kind === 'VirtualService' ? index.claimedHosts(entry as ResourceEntry<VirtualServiceModel>) : [];
  const namespaces = [...new Set([entry.namespace, ...hosts.flatMap((host) => namespaceOfServiceHost(host, clusterDomain) ?? [])])];
  const definition = `${model.kind}/${entry.namespace}/${model.name?.value ?? ''}`;
  const scope = { clusterDomain, hosts, claimed, namespaces, definition };
  findingScopeCache.set(entry, scope);
  return scope;
}

function namespaceOfServiceHost(host: string, clusterDomain: string): string | undefined {
  if (!host.endsWith(`.svc.${clusterDomain}`)) return undefined;
  return host.split('.')[1];
}

/** Missing-subset findings of a VirtualService document, valid while the DestinationRules of its hosts do not change. */
const subsetProblemCache = new WeakMap<AnalyzedDocument, { defaultNamespace: string; hosts: string[]; stamp: string; found: SubsetProblem[] }>();

function subsetProblems(analysis: AnalyzedDocument, model: VirtualServiceModel, index: WorkspaceIndex, defaultNamespace: string): SubsetProblem[] {
  const namespace = model.namespace?.value ?? defaultNamespace;
  let cached = subsetProblemCache.get(analysis);
  if (cached?.defaultNamespace !== defaultNamespace) {
    const hosts = [...new Set(referencedHosts(model).map((host) => index.resolveHost(host, namespace)))];
    cached = { defaultNamespace, hosts, stamp: '', found: [] };
    subsetProblemCache.set(analysis, cached);
  }
  // The stamp covers DestinationRules of the same service name in any namespace (checkSubsetReferences).
  const stamp = index.destinationRulesStamp(cached.hosts);
  if (cached.stamp !== stamp) {
    cached.found = checkSubsetReferences(model, namespace, model.namespace !== undefined, index);
    cached.stamp = stamp;
  }
  return cached.found;
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

function problemKey(problem: Pick<Problem, 'code' | 'range' | 'message'>): string {
  const { start, end } = problem.range;
  return `${problem.code} ${start.line}:${start.character}-${end.line}:${end.character} ${problem.message}`;
}

function collectProblems(file: IndexedFile, index: WorkspaceIndex, defaultNamespace: string): Problem[] {
  const problems: Problem[] = [];
  const partial = kustomizeRole(index, file.uri).patch;
  for (const document of file.documents) {
    const { analysis, slice } = document;
    if (!analysis.validated) continue;
    let starts: number[] | undefined;
    const lines = (): number[] => (starts ??= lineStarts(document.text));
    const place = (range: Range): Range => shift(firstLineOf(range, document.text, lines), slice.startLine);
    for (const problem of analysis.problems) {
      if (partial && isAbsenceFinding(problem, analysis.model)) continue;
      problems.push({ ...problem, range: place(problem.range) });
    }
    const model = analysis.model;
    if (analysis.problems.some((problem) => problem.code === 'IM0001')) continue;
    if (model?.kind === 'HTTPRoute' || model?.kind === 'GRPCRoute') {
      for (const problem of checkGatewayRouteReferences(model, model.namespace?.value ?? defaultNamespace, index)) problems.push({ ...problem, range: place(problem.range) });
    }
    if (model?.kind === 'VirtualService') {
      for (const { problem, rules } of subsetProblems(analysis, model, index, defaultNamespace)) {
        const reported: Problem = { ...problem, range: place(problem.range) };
        if (rules.length > 0) reported.related = rules.map(relatedLocation);
        problems.push(reported);
      }
    }
    for (const { problem, related } of workspaceFindings(file.uri, document, index, defaultNamespace, partial)) {
      const reported: Problem = { ...problem, range: place(problem.range) };
      if (related.length > 0) reported.related = related.map((source) => relatedLocationOf(source, index));
      problems.push(reported);
    }
  }
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return problems;
}
