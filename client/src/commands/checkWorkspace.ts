// Workspace-wide checking from VS Code:
// - "Istio: Check Workspace" asks the server to publish the findings of every YAML file it
//   indexed (`istio/checkWorkspace`, also when `istioMirror.diagnostics.scope` keeps them to
//   open files) and opens the Problems panel with the totals;
// - the `istio-mirror` task type runs the bundled CLI (`istio-mirror check`) as a VS Code task,
//   and the `$istio-mirror` problem matcher (package.json) turns its output into problems, so
//   the same check as in CI fills the Problems panel.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checkWorkspaceRequest, type CheckWorkspaceResult } from '../../../server/src/protocol';

export const checkWorkspaceCommand = 'istioMirror.checkWorkspace';
export const taskType = 'istio-mirror';

/** The `istio-mirror` task's definition in tasks.json. */
interface IstioMirrorTaskDefinition extends vscode.TaskDefinition {
  /** Files and folders to check, relative to the workspace folder (default: the folder). */
  paths?: string[];
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

export function summary(result: CheckWorkspaceResult): string {
  const found = [plural(result.errors, 'error'), plural(result.warnings, 'warning'), ...(result.others ? [plural(result.others, 'note')] : [])].join(', ');
  return `Istio: ${plural(result.files, 'YAML file')} checked: ${found}${result.filesWithProblems ? ` in ${plural(result.filesWithProblems, 'file')}` : ''}.`;
}

export function registerWorkspaceChecks(client: LanguageClient, context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(checkWorkspaceCommand, async () => {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Istio: checking the workspace' }, () => client.sendRequest(checkWorkspaceRequest));
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      void vscode.window.showInformationMessage(summary(result));
      return result;
    }),
    vscode.tasks.registerTaskProvider(taskType, {
      provideTasks: () => (vscode.workspace.workspaceFolders ?? []).map((folder) => checkTask(context, { type: taskType }, folder)),
      resolveTask: (task) => {
        const definition = task.definition as IstioMirrorTaskDefinition;
        const scope = task.scope !== undefined && typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
        return scope ? checkTask(context, definition, scope) : undefined;
      },
    }),
  );
}

function checkTask(context: vscode.ExtensionContext, definition: IstioMirrorTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
  const cli = context.asAbsolutePath('dist/cli.js');
  const paths = definition.paths?.length ? definition.paths : ['.'];
  // The extension host's own runtime runs the CLI: Node (code-server), or Electron as Node.
  const execution = new vscode.ProcessExecution(process.execPath, [cli, 'check', ...paths], { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } });
  const task = new vscode.Task(definition, folder, `check ${paths.join(' ')}`, 'istio-mirror', execution, ['$istio-mirror']);
  task.group = vscode.TaskGroup.Test;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent };
  return task;
}
