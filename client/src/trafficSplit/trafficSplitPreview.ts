// "Istio: Preview Traffic Split": keeps the traffic-split panel (trafficSplitPanel.ts) showing
// the VirtualServices of the active YAML file, as the server models them (`istio/trafficSplit`).
// It follows the active editor and its cursor (the server says which VirtualService is under
// it), and asks again ~150 ms after any YAML document changes, saved or not: a DestinationRule
// in another file changes which subsets resolve. It holds no Istio logic.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { traceRequestRequest, trafficSplitRequest, type TraceRequestParams, type TraceResult, type TrafficSplitResult } from '../../../server/src/protocol';
import { yamlSelector } from '../languageClient';
import type { RouteRef } from './messages';
import { TrafficSplitPanel } from './trafficSplitPanel';

export const previewTrafficSplitCommand = 'istioMirror.previewTrafficSplit';

/** Typing and cursor moves come in bursts; ask the server once the burst is over. */
const debounceMs = 150;

/**
 * A file with more VirtualServices than this is previewed one VirtualService at a time (the one
 * under the cursor): the server models, and the page draws, only that one.
 */
export const previewLimit = 20;

/** What the preview shows now (the extension's test API returns it). */
export interface TrafficSplitPreviewState {
  /** The file previewed (LSP URI string, as in the model's `file`). */
  uri: string;
  /** The last model sent to the page, with `activeIndex`. */
  model: TrafficSplitResult;
  /** How many models were sent to the page. */
  updates: number;
  /** What the page last reported drawing (undefined until its script ran). */
  rendered: { virtualServices: number; routes: number; targets: number; count: number; empty?: string; words?: string[] } | undefined;
  visible: boolean;
  /** The last request of the "Try a request" form and where it goes (undefined until one was sent). */
  traced?: { request: TraceRequestParams; result: TraceResult | null };
  /** What the page highlighted for it: the section and rule (positions on the page) and how many targets. */
  highlighted?: { virtualService: number | null; route: number | null; targets: number };
}

/** Which rule to scroll to: the code lens names an `http` rule by its index and its line. */
export interface RouteRequest {
  httpIndex: number;
  line: number;
}

export class TrafficSplitPreview implements vscode.Disposable {
  private panel: TrafficSplitPanel | undefined;
  /** The previewed document and the cursor in it. */
  private uri: vscode.Uri | undefined;
  private position: vscode.Position | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request: vscode.CancellationTokenSource | undefined;
  /** Bumped by every request; an answer to an older one is dropped. */
  private generation = 0;
  private readonly command: vscode.Disposable;
  /** The listeners that keep the panel current; they live as long as the panel. */
  private tracking: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
  ) {
    // From the editor title the argument is the file's URI; from the palette there is none.
    this.command = vscode.commands.registerCommand(previewTrafficSplitCommand, (uri?: unknown) => this.open(uri instanceof vscode.Uri ? uri : undefined));
  }

  /**
   * Opens the panel beside the editor (or brings it forward) on `uri` (default: the active
   * editor's file) and resolves once the first model was handed to the page. With `route`,
   * the page scrolls to that rule.
   */
  async open(uri?: vscode.Uri, route?: RouteRequest): Promise<boolean> {
    // The active editor's file; from a page that is not a text editor (the walkthrough), a visible YAML file.
    const editor = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].find((candidate) => candidate && this.isYaml(candidate.document));
    const target = uri ?? editor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Preview Traffic Split: open a YAML file with a VirtualService first.');
      return false;
    }
    if (target.toString() !== this.uri?.toString()) {
      this.uri = target;
      this.position = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === target.toString())?.selection.active;
    }
    if (route) this.position = new vscode.Position(route.line, 0);
    if (this.panel) this.panel.reveal();
    else this.createPanel();
    return this.refresh(route);
  }

  /** The state of the preview, or undefined when the panel is closed. */
  state(): TrafficSplitPreviewState | undefined {
    const shown = this.panel?.lastShown;
    if (!this.panel || !shown || !this.uri) return undefined;
    return {
      uri: this.client.code2ProtocolConverter.asUri(this.uri), model: shown.model, updates: this.panel.posted, rendered: this.panel.rendered, visible: this.panel.visible,
      ...(this.panel.traced ? { traced: this.panel.traced } : {}),
      ...(this.panel.highlighted ? { highlighted: this.panel.highlighted } : {}),
    };
  }

  private createPanel(): void {
    const panel = new TrafficSplitPanel(this.extensionUri, { toCode: (uri) => this.client.protocol2CodeConverter.asUri(uri) }, (request) => this.client.sendRequest(traceRequestRequest, request));
    this.panel = panel;
    // Changes on disk (a DestinationRule edited elsewhere, a branch switch) change the subsets.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    this.tracking = [
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() !== this.uri?.toString()) return;
        this.position = event.textEditor.selection.active;
        this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && event.document.languageId === 'yaml') this.schedule();
      }),
      watcher,
      watcher.onDidChange(() => this.schedule()),
      watcher.onDidCreate(() => this.schedule()),
      watcher.onDidDelete(() => this.schedule()),
      panel.onDidDispose(() => this.closed()),
    ];
  }

  /** The panel was closed (by the user or by `dispose`): stop following the editor. */
  private closed(): void {
    this.panel = undefined;
    this.cancel();
    for (const disposable of this.tracking.splice(0)) disposable.dispose();
  }

  private isYaml(document: vscode.TextDocument): boolean {
    return vscode.languages.match(yamlSelector, document) > 0;
  }

  /** The preview follows the active YAML editor; other editors (output, settings) leave it. */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || !this.isYaml(editor.document)) return;
    this.uri = editor.document.uri;
    this.position = editor.selection.active;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, debounceMs);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.request?.cancel();
    this.request = undefined;
  }

  /** Asks the server for the model of the previewed file and hands it to the page. */
  private async refresh(route?: RouteRequest): Promise<boolean> {
    const uri = this.uri;
    if (!uri || !this.panel) return false;
    this.request?.cancel();
    const request = (this.request = new vscode.CancellationTokenSource());
    const generation = ++this.generation;
    try {
      const model = await this.client.sendRequest(trafficSplitRequest, {
        uri: this.client.code2ProtocolConverter.asUri(uri),
        ...(this.position ? { position: this.client.code2ProtocolConverter.asPosition(this.position) } : {}),
        limit: previewLimit,
      }, request.token);
      // Superseded by a newer request (the cursor moved, the text changed): that one shows.
      if (generation !== this.generation) return !!this.panel;
      if (!this.panel) return false;
      const focus = route ? routeRef(model, route) : undefined;
      this.panel.show({ type: 'show', fileName: path.posix.basename(uri.path), model, ...(focus ? { focus } : {}) });
      return true;
    } catch {
      // Cancelled by a newer request (which shows), or the server is restarting: the next change asks again.
      return generation !== this.generation && !!this.panel;
    } finally {
      if (this.request === request) this.request = undefined;
      request.dispose();
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
    this.command.dispose();
  }
}

/** The rule the code lens names: `http[httpIndex]` of the VirtualService containing `line`. */
function routeRef(model: TrafficSplitResult, route: RouteRequest): RouteRef | undefined {
  const virtualService = model.virtualServices.findIndex((vs) => vs.range.start.line <= route.line && route.line <= vs.range.end.line);
  if (virtualService < 0) return undefined;
  const index = model.virtualServices[virtualService]!.routes.findIndex((candidate) => candidate.protocol === 'http' && candidate.index === route.httpIndex);
  return index < 0 ? undefined : { virtualService, route: index };
}
