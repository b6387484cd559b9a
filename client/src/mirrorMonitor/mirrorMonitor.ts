// The mirror monitor: the command behind the server's "Monitor" code lens on every mirror
// (`istioMirror.showMirrorMonitor`, arguments: document URI, line and character of the mirror's
// host) opens a panel beside the editor (mirrorMonitorPanel.ts) with the monitoring model of the
// file's mirrors from the server (`istio/mirrorMonitor`: the model `istio-mirror monitor`
// prints), scrolled to that mirror; it asks again ~300 ms after a YAML document changes, as a
// DestinationRule or Deployment elsewhere changes the labels. "Export Grafana dashboard…"
// (`istioMirror.exportGrafanaDashboard`, also the panel's button) asks where to save and writes
// the server's `istio/grafanaDashboard` as `monitor --format grafana` prints it; dismissing the
// dialog cancels. It holds no Istio logic.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { grafanaDashboardRequest, mirrorMonitorRequest, type MirrorMonitorResult } from '../../../server/src/protocol';
import { yamlSelector } from '../languageClient';
import { MirrorMonitorPanel, type MonitorRendered } from './mirrorMonitorPanel';

export const showMirrorMonitorCommand = 'istioMirror.showMirrorMonitor';
export const exportGrafanaDashboardCommand = 'istioMirror.exportGrafanaDashboard';

const debounceMs = 300;

/** What the monitor panel shows now (the extension's test API returns it). */
export interface MirrorMonitorState {
  /** The file shown (LSP URI string, as in the monitors' `file`). */
  uri: string;
  model: MirrorMonitorResult;
  /** How many models were sent to the page. */
  updates: number;
  /** What the page last reported drawing (undefined until its script ran). */
  rendered: (MonitorRendered & { count: number }) | undefined;
  visible: boolean;
}

/** Where the lens points: the mirror's host in the file. */
interface MirrorAt {
  line: number;
  character: number;
}

function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && /^[a-z][\w+.-]*:/i.test(value)) return vscode.Uri.parse(value);
  return undefined;
}

export class MirrorMonitorView implements vscode.Disposable {
  private panel: MirrorMonitorPanel | undefined;
  private uri: vscode.Uri | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every request; an answer to an older one is dropped. */
  private generation = 0;
  private tracking: vscode.Disposable[] = [];
  private readonly commands: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
  ) {
    this.commands = vscode.Disposable.from(
      vscode.commands.registerCommand(showMirrorMonitorCommand, (uri?: unknown, line?: unknown, character?: unknown) => {
        const at = typeof line === 'number' ? { line, character: typeof character === 'number' ? character : 0 } : undefined;
        return this.open(asUri(uri), at);
      }),
      vscode.commands.registerCommand(exportGrafanaDashboardCommand, (uri?: unknown) => this.exportDashboard(asUri(uri))),
    );
  }

  /**
   * Opens the panel beside the editor (or brings it forward) on `uri` (default: the active
   * editor's file), scrolled to the mirror at `at`; resolves once the model was handed to the page.
   */
  async open(uri?: vscode.Uri, at?: MirrorAt): Promise<boolean> {
    const target = uri ?? this.activeYaml();
    if (!target) {
      void vscode.window.showInformationMessage('Mirror Monitor: open a YAML file with a mirror first.');
      return false;
    }
    this.uri = target;
    if (this.panel) this.panel.reveal();
    else this.createPanel();
    return this.refresh(at);
  }

  state(): MirrorMonitorState | undefined {
    const shown = this.panel?.lastShown;
    if (!this.panel || !shown || !this.uri) return undefined;
    return { uri: this.client.code2ProtocolConverter.asUri(this.uri), model: shown.model, updates: this.panel.posted, rendered: this.panel.rendered, visible: this.panel.visible };
  }

  /** Handles `raw` as if the page had posted it (the end-to-end tests press the page's buttons this way). */
  async pageMessage(raw: unknown): Promise<void> {
    await this.panel?.receive(raw);
  }

  /**
   * Asks where to save the Grafana dashboard of the mirrors of `uri` (default: the file shown,
   * else the active editor's) and writes it; undefined when there is nothing to export or the
   * dialog was dismissed.
   */
  async exportDashboard(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const source = uri ?? this.uri ?? this.activeYaml();
    if (!source) {
      void vscode.window.showInformationMessage('Export Grafana Dashboard: open a YAML file with a mirror first.');
      return undefined;
    }
    const dashboard = await this.client.sendRequest(grafanaDashboardRequest, { uri: this.client.code2ProtocolConverter.asUri(source) });
    const name = path.posix.basename(source.path);
    if (!dashboard) {
      void vscode.window.showInformationMessage(`${name} has no mirror: there is no dashboard to export.`);
      return undefined;
    }
    const base = name.replace(/\.ya?ml$/i, '') || 'mirrors';
    const folder = source.scheme === 'file' ? vscode.Uri.joinPath(source, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Grafana dashboard',
      saveLabel: 'Export',
      filters: { JSON: ['json'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${base}-grafana-dashboard.json`) } : {}),
    });
    if (!target) return undefined;
    // Byte for byte what `istio-mirror monitor --format grafana` prints.
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(dashboard, null, 2)}\n`));
    void vscode.window.showInformationMessage(`Grafana dashboard written to ${vscode.workspace.asRelativePath(target)}. Import it in Grafana (Dashboards → New → Import).`);
    return target;
  }

  private activeYaml(): vscode.Uri | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor && vscode.languages.match(yamlSelector, editor.document) > 0 ? editor.document.uri : undefined;
  }

  private createPanel(): void {
    const panel = new MirrorMonitorPanel(this.extensionUri, {
      copy: async (text) => {
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage('Copied to the clipboard', 2000);
      },
      exportGrafana: () => this.exportDashboard(),
    });
    this.panel = panel;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    this.tracking = [
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

  private closed(): void {
    this.panel = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const disposable of this.tracking.splice(0)) disposable.dispose();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, debounceMs);
  }

  private async refresh(at?: MirrorAt): Promise<boolean> {
    const uri = this.uri;
    if (!uri || !this.panel) return false;
    const generation = ++this.generation;
    try {
      const model = await this.client.sendRequest(mirrorMonitorRequest, { uri: this.client.code2ProtocolConverter.asUri(uri) });
      if (generation !== this.generation) return !!this.panel;
      if (!this.panel) return false;
      // The mirror at the lens's position; after an edit moved it sideways, the one on its line.
      const exact = at ? model.monitors.findIndex((monitor) => monitor.range.start.line === at.line && monitor.range.start.character === at.character) : -1;
      const focus = at && exact < 0 ? model.monitors.findIndex((monitor) => monitor.range.start.line === at.line) : exact;
      this.panel.show({ type: 'show', fileName: path.posix.basename(uri.path), model, ...(focus >= 0 ? { focus } : {}) });
      return true;
    } catch {
      // The server is restarting: the next change asks again.
      return false;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
    this.commands.dispose();
  }
}
