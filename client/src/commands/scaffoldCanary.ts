// "Istio: Scaffold Canary Mirror Setup…": asks for the few facts of a canary mirroring setup,
// lets the server write the YAML (`istio/scaffoldCanary`), and puts it into a new untitled
// document or a file with one WorkspaceEdit (one undo step). Every prompt can be skipped: Escape
// on the first one cancels, Escape on a later one keeps the default the server would use.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { scaffoldCanaryRequest, type CanaryScaffoldOptions, type CanaryScaffoldResult } from '../../../server/src/protocol';
import { askText, pickOne, pickPercentage, type Step } from '../prompts/quickInput';
import { validateDnsLabel, validateHeaderName, validateHeaderValue, validateImage, validatePort, validateServiceName } from '../prompts/validation';

export const scaffoldCanaryCommand = 'istioMirror.scaffoldCanary';

/**
 * The command's optional argument, for automation and tests: the answers, so that no prompt is
 * shown for them (documented in the README).
 */
export interface ScaffoldCanaryArguments extends Omit<CanaryScaffoldOptions, 'mirrorHeader'> {
  /** `null`: mirror every request (no header prompt). */
  mirrorHeader?: { name: string; value: string } | null;
  /** `untitled` (a new document), or a file path or `file:` URI to write (overwritten). */
  destination?: string;
  /** Take the default for every field not given instead of asking. */
  useDefaults?: boolean;
}

type Defaults = CanaryScaffoldResult['options'];
const totalSteps = 10;

export function registerScaffoldCanary(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(scaffoldCanaryCommand, (args?: ScaffoldCanaryArguments) => scaffoldCanary(client, args ?? {}));
}

/** Runs the command; resolves to the document written, or undefined when cancelled. */
async function scaffoldCanary(client: LanguageClient, args: ScaffoldCanaryArguments): Promise<vscode.Uri | undefined> {
  const answers = await askMissing(client, args);
  if (!answers) return undefined;
  const result = await client.sendRequest(scaffoldCanaryRequest, answers);
  const destination = await chooseDestination(args, result.options.app);
  if (!destination) return undefined;
  return writeDocument(destination, result.text);
}

/** The server's defaults for what has been answered so far (image names follow the app name). */
async function defaultsFor(client: LanguageClient, answers: CanaryScaffoldOptions): Promise<Defaults> {
  return (await client.sendRequest(scaffoldCanaryRequest, answers)).options;
}

async function askMissing(client: LanguageClient, args: ScaffoldCanaryArguments): Promise<CanaryScaffoldOptions | undefined> {
  const { mirrorHeader, destination: _destination, useDefaults, ...given } = args;
  const answers: CanaryScaffoldOptions = { ...given };
  if (mirrorHeader) answers.mirrorHeader = mirrorHeader;
  const ask = (field: keyof ScaffoldCanaryArguments): boolean => !useDefaults && args[field] === undefined;
  const step = (n: number): Step => ({ title: 'Scaffold Canary Mirror Setup', step: n, totalSteps });
  // Escape on the first question shown is the way out; on any later one it means "the default".
  let first = true;
  const cancelled = (value: unknown): boolean => {
    const cancel = first && value === undefined;
    first = false;
    return cancel;
  };

  const textSteps: { field: 'app' | 'namespace' | 'stableVersion' | 'stableImage' | 'canaryVersion' | 'canaryImage'; n: number; prompt: string; validate: typeof validateDnsLabel }[] = [
    { field: 'app', n: 1, prompt: 'App name: the Service, the DestinationRule and the VirtualService are named after it', validate: validateServiceName },
    { field: 'namespace', n: 2, prompt: 'Namespace', validate: validateDnsLabel },
    { field: 'stableVersion', n: 4, prompt: 'Stable version: the `version` label and subset that serves every request', validate: validateDnsLabel },
    { field: 'stableImage', n: 5, prompt: 'Stable image', validate: validateImage },
    { field: 'canaryVersion', n: 6, prompt: 'Canary version: the `version` label and subset that receives the copies', validate: validateDnsLabel },
    { field: 'canaryImage', n: 7, prompt: 'Canary image', validate: validateImage },
  ];
  for (const { field, n, prompt, validate } of textSteps) {
    if (ask(field)) {
      const defaults = await defaultsFor(client, answers);
      const value = await askText(step(n), { prompt, defaultValue: defaults[field], validate });
      if (cancelled(value)) return undefined;
      if (value !== undefined) answers[field] = value;
    }
    if (field === 'namespace' && ask('port')) {
      const defaults = await defaultsFor(client, answers);
      const port = await askText(step(3), { prompt: 'Container and Service port', defaultValue: String(defaults.port), validate: validatePort });
      if (cancelled(port)) return undefined;
      if (port !== undefined) answers.port = Number(port);
    }
  }
  if (ask('mirrorPercentage')) {
    const defaults = await defaultsFor(client, answers);
    const percentage = await pickPercentage(step(8), defaults.mirrorPercentage);
    if (cancelled(percentage)) return undefined;
    if (percentage !== undefined) answers.mirrorPercentage = percentage;
  }
  if (!useDefaults && mirrorHeader === undefined) {
    const name = await askText(step(9), {
      prompt: 'Mirror only requests carrying this header (leave empty to mirror every request)',
      defaultValue: '',
      placeHolder: 'e.g. x-mirror; empty mirrors every request',
      validate: validateHeaderName,
    });
    if (cancelled(name)) return undefined;
    if (name) {
      const value = await askText(step(9), { prompt: `Value of "${name.toLowerCase()}" that tags a request`, defaultValue: 'true', validate: validateHeaderValue });
      answers.mirrorHeader = { name: name.toLowerCase(), value: value ?? 'true' };
    }
  }
  if (ask('disableCanaryWrites')) {
    const defaults = await defaultsFor(client, answers);
    const disable = await pickOne<boolean>(step(10), [
      { label: 'Yes: turn off writes in the canary', value: true, detail: 'Mirrored requests are real requests: without this, each mirrored write (order, payment, e-mail) would happen twice.' },
      { label: 'No: the canary writes like the stable version', value: false, detail: 'Only when the canary writes to its own copy of the data, or the mirrored requests are read-only.' },
    ], { placeholder: 'Give the canary environment variables that disable writes?', isDefault: (value) => value === defaults.disableCanaryWrites });
    if (cancelled(disable)) return undefined;
    if (disable !== undefined) answers.disableCanaryWrites = disable;
  }
  return answers;
}

/** Where to write: the argument, else a question (Escape means a new untitled document). */
async function chooseDestination(args: ScaffoldCanaryArguments, app: string): Promise<vscode.Uri | 'untitled' | undefined> {
  if (args.destination !== undefined) {
    if (args.destination === 'untitled') return 'untitled';
    return /^[a-z][\w+.-]+:/i.test(args.destination) && !/^[a-z]:\\/i.test(args.destination) ? vscode.Uri.parse(args.destination) : vscode.Uri.file(args.destination);
  }
  if (args.useDefaults) return 'untitled';
  const where = await pickOne<'untitled' | 'file'>({ title: 'Scaffold Canary Mirror Setup: where to write' }, [
    { label: 'New untitled document', value: 'untitled', description: 'save it where you like later' },
    { label: 'Save as file…', value: 'file' },
  ], { placeholder: 'Where should the YAML go?', isDefault: (value) => value === 'untitled' });
  if (where !== 'file') return 'untitled';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: 'Save the canary mirror setup',
    filters: { YAML: ['yaml', 'yml'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${app}-canary-mirror.yaml`) } : {}),
  });
  return uri; // a dismissed dialog cancels: the user asked for a file and then changed their mind
}

/** One WorkspaceEdit, so a single undo removes the whole text (and the file it created). */
async function writeDocument(destination: vscode.Uri | 'untitled', text: string): Promise<vscode.Uri | undefined> {
  const edit = new vscode.WorkspaceEdit();
  let uri: vscode.Uri;
  if (destination === 'untitled') {
    uri = (await vscode.workspace.openTextDocument({ language: 'yaml' })).uri;
  } else {
    uri = destination;
    edit.createFile(uri, { overwrite: true });
  }
  edit.insert(uri, new vscode.Position(0, 0), text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not write the canary mirror setup to ${uri.scheme === 'untitled' ? 'a new document' : uri.fsPath}.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  if (destination !== 'untitled') await document.save();
  await vscode.window.showTextDocument(document, { preview: false });
  return uri;
}
