// "Istio: Restart Language Server" and "Istio: Show Output": the two commands a user reaches for
// when the server misbehaves. The language status item offers both while the server is down.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

export const restartServerCommand = 'istioMirror.restartServer';
export const showOutputCommand = 'istioMirror.showOutput';

export function registerServerCommands(client: LanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(restartServerCommand, async () => {
      // `restart` stops a running server first; a stopped (crashed) one is simply started.
      try {
        if (client.state === State.Stopped) await client.start();
        else await client.restart();
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(`The Istio language server did not start: ${error instanceof Error ? error.message : String(error)}`, 'Show Output').then((choice) => {
          if (choice) client.outputChannel.show(true);
        });
        return false;
      }
    }),
    vscode.commands.registerCommand(showOutputCommand, () => client.outputChannel.show(true)),
  );
}
