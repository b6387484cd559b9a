// The traffic-split webview panel: one `WebviewPanel` beside the editor showing the page of
// client/media/ (bundled into dist/media/). It owns its disposables, sends the page the model
// (`HostMessage`), and acts on what the page asks for (`WebviewMessage`): a reveal in the editor,
// checked against the file it shows and clamped to the document. What to show is decided by
// the preview (trafficSplitPreview.ts).

import * as vscode from 'vscode';
import type { TraceRequestParams, TraceResult } from '../../../server/src/protocol';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from './messages';
import { newNonce, trafficSplitPageHtml } from './pageHtml';

export const trafficSplitViewType = 'istioMirror.trafficSplit';

type ShowMessage = Extract<HostMessage, { type: 'show' }>;
type Rendered = Omit<Extract<WebviewMessage, { type: 'rendered' }>, 'type'>;
type Highlighted = Omit<Extract<WebviewMessage, { type: 'highlighted' }>, 'type'>;

/** Traces a request of the page's "Try a request" form (the language server's `istio/traceRequest`). */
export type TraceRequester = (request: TraceRequestParams) => Promise<TraceResult | null>;

export class TrafficSplitPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** Fires once, when the user closes the panel or `dispose` is called. */
  readonly onDidDispose = this.disposed.event;
  private last: ShowMessage | undefined;
  private lastText: string | undefined;
  private pageReady = false;
  private isDisposed = false;
  /** What the page last reported drawing, and how many times it drew. */
  rendered: (Rendered & { count: number }) | undefined;
  /** How many `show` messages were posted. */
  posted = 0;
  /** The last trace answered to the page, and what the page highlighted for it. */
  traced: { request: TraceRequestParams; result: TraceResult | null } | undefined;
  highlighted: Highlighted | undefined;

  constructor(
    extensionUri: vscode.Uri,
    /** Protocol (LSP) URI string → document URI, and back: reveals accept only the file shown. */
    private readonly uris: { toCode(uri: string): vscode.Uri },
    private readonly trace?: TraceRequester,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel(trafficSplitViewType, 'Traffic Split', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      enableFindWidget: true,
    });
    const webview = this.panel.webview;
    webview.html = trafficSplitPageHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trafficSplitView.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'trafficSplitView.css')).toString(),
      nonce: newNonce(),
    });
    this.disposables.push(
      this.disposed,
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      // A hidden panel's page is unloaded; it says `ready` again when it is shown.
      this.panel.onDidChangeViewState(() => { if (!this.panel.visible) this.pageReady = false; }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get visible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  /** The last model sent (or queued until the page is ready). */
  get lastShown(): ShowMessage | undefined {
    return this.last;
  }

  /** Brings the panel to the front without taking the focus from the editor. */
  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  show(message: ShowMessage): void {
    // A cursor move inside the same VirtualService gives the same model: nothing to redraw.
    const text = JSON.stringify(message);
    if (text === this.lastText && !message.focus) return;
    this.lastText = text;
    this.last = message;
    this.panel.title = `Traffic Split: ${message.fileName}`;
    if (this.pageReady) void this.post(message);
  }

  private async post(message: ShowMessage): Promise<void> {
    this.posted++;
    // A rule asked for (the code lens) is scrolled to once, not again on every later load.
    if (message.focus && this.last === message) {
      const { focus: _focus, ...rest } = message;
      this.last = rest;
    }
    await this.panel.webview.postMessage(message satisfies HostMessage);
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        // Sent on every load of the page (also after it was hidden and shown again).
        this.pageReady = true;
        if (this.last) void this.post(this.last);
        return;
      case 'reveal':
        void this.revealInEditor(message.uri, message.range);
        return;
      case 'rendered':
        this.rendered = { virtualServices: message.virtualServices, routes: message.routes, targets: message.targets, ...(message.empty ? { empty: message.empty } : {}), ...(message.words ? { words: message.words } : {}), count: (this.rendered?.count ?? 0) + 1 };
        return;
      case 'trace':
        void this.answerTrace(message.request);
        return;
      case 'highlighted':
        this.highlighted = { virtualService: message.virtualService, route: message.route, targets: message.targets };
        return;
    }
  }

  private async answerTrace(request: TraceRequestParams): Promise<void> {
    let answer: Extract<HostMessage, { type: 'traced' }>;
    try {
      const result = this.trace ? await this.trace(request) : null;
      answer = { type: 'traced', request, result };
    } catch (error) {
      answer = { type: 'traced', request, result: null, error: error instanceof Error ? error.message : String(error) };
    }
    if (this.isDisposed) return;
    this.traced = { request: answer.request, result: answer.result };
    this.highlighted = undefined;
    await this.panel.webview.postMessage(answer satisfies HostMessage);
  }

  /** Selects `range` in the file shown, in the editor column next to the panel. */
  private async revealInEditor(uri: string, range: Extract<WebviewMessage, { type: 'reveal' }>['range']): Promise<void> {
    const shown = this.last?.model.virtualServices.map((vs) => vs.file) ?? [];
    if (!shown.includes(uri)) return;
    const document = await vscode.workspace.openTextDocument(this.uris.toCode(uri));
    const selection = document.validateRange(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character));
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    const otherColumn = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? otherColumn, selection, preserveFocus: false, preview: false });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
