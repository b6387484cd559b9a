// The mirror-monitor webview panel: one `WebviewPanel` beside the editor showing the page of
// client/media/mirrorMonitorView.ts (bundled into dist/media/). It sends the page the model
// (`MonitorHostMessage`) and hands what the page asks for (copy, export) to its owner,
// mirrorMonitor.ts, which decides what to show.

import * as vscode from 'vscode';
import { newNonce, webviewPageHtml } from '../trafficSplit/pageHtml';
import { parseMonitorWebviewMessage, type MonitorHostMessage, type MonitorWebviewMessage } from './messages';

export const mirrorMonitorViewType = 'istioMirror.mirrorMonitor';

export type ShowMonitorMessage = Extract<MonitorHostMessage, { type: 'show' }>;
export type MonitorRendered = Omit<Extract<MonitorWebviewMessage, { type: 'rendered' }>, 'type'>;

export interface MonitorPanelActions {
  copy(text: string): Promise<void>;
  exportGrafana(): Promise<unknown>;
}

export class MirrorMonitorPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** Fires once, when the user closes the panel or `dispose` is called. */
  readonly onDidDispose = this.disposed.event;
  private last: ShowMonitorMessage | undefined;
  private lastText: string | undefined;
  private pageReady = false;
  private isDisposed = false;
  /** What the page last reported drawing, and how many times it drew. */
  rendered: (MonitorRendered & { count: number }) | undefined;
  /** How many `show` messages were posted. */
  posted = 0;

  constructor(extensionUri: vscode.Uri, private readonly actions: MonitorPanelActions) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel(mirrorMonitorViewType, 'Mirror Monitor', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      enableFindWidget: true,
    });
    const webview = this.panel.webview;
    webview.html = webviewPageHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'mirrorMonitorView.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'mirrorMonitorView.css')).toString(),
      nonce: newNonce(),
    }, 'Mirror monitor');
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

  get lastShown(): ShowMonitorMessage | undefined {
    return this.last;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  show(message: ShowMonitorMessage): void {
    const text = JSON.stringify(message);
    if (text === this.lastText && message.focus === undefined) return;
    this.lastText = text;
    this.last = message;
    this.panel.title = `Mirror Monitor: ${message.fileName}`;
    if (this.pageReady) void this.post(message);
  }

  private async post(message: ShowMonitorMessage): Promise<void> {
    this.posted++;
    // A mirror asked for is scrolled to once, not again on every later load.
    if (message.focus !== undefined && this.last === message) {
      const { focus: _focus, ...rest } = message;
      this.last = rest;
    }
    await this.panel.webview.postMessage(message satisfies MonitorHostMessage);
  }

  /** A message as the page would post it (the page's own messages arrive here too). */
  async receive(raw: unknown): Promise<void> {
    const message = parseMonitorWebviewMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        if (this.last) await this.post(this.last);
        return;
      case 'copy':
        await this.actions.copy(message.text);
        if (!this.isDisposed) await this.panel.webview.postMessage({ type: 'copied', id: message.id } satisfies MonitorHostMessage);
        return;
      case 'exportGrafana':
        await this.actions.exportGrafana();
        return;
      case 'rendered': {
        const { type: _type, ...drawn } = message;
        this.rendered = { ...drawn, count: (this.rendered?.count ?? 0) + 1 };
        return;
      }
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
