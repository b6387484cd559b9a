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
import { fileProblems } from './fileProblems';
import { ruleFor } from './checks/ruleTable';
import { ruleDocLine } from './checks/rulesDoc';
import { WorkspaceIndex, type TextEdit } from './workspace/workspaceIndex';
import { defaultSettings, type IstioSettings, type Position, type Problem, type Range, type SeverityName } from './types';

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
  /** Each problem's diagnostic under the current settings (emptied when they change). */
  private diagnosticCache = new WeakMap<Problem, Diagnostic | null>();

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
    this.diagnosticCache = new WeakMap();
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
    this.diagnosticCache = new WeakMap();
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
    return fileProblems(file, this.index, this.settings.defaultNamespace);
  }

  /** LSP diagnostics for a file, with the user's severity settings applied. */
  getDiagnostics(uri: string): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const problem of this.getProblems(uri)) {
      // Placed problems are kept per document while they hold (fileProblems.ts), and so is each one's diagnostic.
      let diagnostic = this.diagnosticCache.get(problem);
      if (diagnostic === undefined) {
        diagnostic = this.toDiagnostic(problem);
        this.diagnosticCache.set(problem, diagnostic);
      }
      if (diagnostic) diagnostics.push(diagnostic);
    }
    return diagnostics;
  }

  /** A problem as an LSP diagnostic; null when the user turned its code off. */
  private toDiagnostic(problem: Problem): Diagnostic | null {
    const severity = this.severityOf(problem);
    if (severity === undefined) return null;
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
    return diagnostic;
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

function problemKey(problem: Pick<Problem, 'code' | 'range' | 'message'>): string {
  const { start, end } = problem.range;
  return `${problem.code} ${start.line}:${start.character}-${end.line}:${end.character} ${problem.message}`;
}
