// The language status item of YAML files: what the document under the cursor was recognised as
// ("Istio VirtualService · networking.istio.io/v1", or "not Istio"), asked from the server
// (`istio/resourceInfo`) when the editor, the cursor or the text changes. It also sets the
// context key `istioMirror.resourceKind` that the editor context menu uses.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { resourceInfoRequest, type ResourceInfo } from '../../server/src/protocol';
import { restartServerCommand } from './commands/serverCommands';
import { yamlSelector } from './languageClient';

/** Cursor moves and typing come in bursts; ask the server once the burst is over. */
const debounceMs = 150;

export class ResourceStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('istioMirror.resource', yamlSelector);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request: vscode.CancellationTokenSource | undefined;
  private running = false;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Istio resource';
    this.item.text = 'Istio';
    this.showSettingsCommand();
    this.disposables.push(
      this.item,
      client.onDidChangeState((event) => this.serverState(event.newState)),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((event) => { if (event.textEditor === vscode.window.activeTextEditor) this.schedule(); }),
      vscode.workspace.onDidChangeTextDocument((event) => { if (event.document === vscode.window.activeTextEditor?.document) this.schedule(); }),
    );
    this.schedule();
  }

  /** The text shown now (the extension's test API reads it). */
  get text(): string {
    return this.item.text;
  }

  private showSettingsCommand(): void {
    this.item.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['istioMirror'], tooltip: 'Open the Istio Mirror settings' };
  }

  /** While the server is not running, the item says so and offers the restart. */
  private serverState(state: State): void {
    this.running = state === State.Running;
    if (state === State.Starting) {
      this.item.text = 'Istio: starting…';
      this.item.busy = true;
      return;
    }
    this.item.busy = false;
    if (state === State.Stopped) {
      this.item.text = '$(error) Istio: language server not running';
      this.item.detail = 'No checks, completion or preview until it runs again. Its output says why it stopped.';
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.command = { title: 'Restart', command: restartServerCommand, tooltip: 'Istio: Restart Language Server' };
      void vscode.commands.executeCommand('setContext', 'istioMirror.resourceKind', undefined);
      return;
    }
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.showSettingsCommand();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), debounceMs);
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    const editor = vscode.window.activeTextEditor;
    if (!editor || vscode.languages.match(yamlSelector, editor.document) === 0 || !this.running) return;
    this.request?.cancel();
    const request = (this.request = new vscode.CancellationTokenSource());
    this.item.busy = true;
    try {
      const info = await this.client.sendRequest(resourceInfoRequest, {
        uri: this.client.code2ProtocolConverter.asUri(editor.document.uri),
        position: this.client.code2ProtocolConverter.asPosition(editor.selection.active),
      }, request.token);
      if (!request.token.isCancellationRequested) this.show(info);
    } catch {
      // Cancelled, or the server is restarting: the next change asks again.
    } finally {
      if (this.request === request) {
        this.item.busy = false;
        this.request = undefined;
      }
      request.dispose();
    }
  }

  private show(info: ResourceInfo): void {
    const kind = info.kind ? `${info.kind}${info.apiVersion ? ` (${info.apiVersion})` : ''}` : 'no Kubernetes resource';
    const others = info.documents > 1 ? ` · ${info.validatedDocuments} of ${info.documents} documents in this file are checked` : '';
    if (info.template) {
      this.item.text = 'Helm template: not checked';
      this.item.detail = 'Templates are YAML only once rendered: check the output of `helm template` instead';
    } else if (info.validated) {
      this.item.text = `Istio ${info.kind} · ${info.apiVersion}`;
      this.item.detail = `${info.namespace ? `${info.namespace}/` : ''}${info.name ?? ''}${others}`;
    } else {
      this.item.text = 'not Istio';
      this.item.detail = `${kind}: not checked by Istio Mirror${others}`;
    }
    void vscode.commands.executeCommand('setContext', 'istioMirror.resourceKind', info.validated ? info.kind : undefined);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.request?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
