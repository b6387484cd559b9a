// "Istio: Scaffold Canary Mirror Setup…": asks for the few facts of a canary mirroring setup,
// lets the server write the YAML (`istio/scaffoldCanary`), and puts it into a new untitled
// document or a file with one WorkspaceEdit (one undo step). Every prompt shows the default the
// server would use (Enter keeps it); Escape on any prompt cancels, and Back returns to the previous one.
// The workspace's apps are offered first: the server takes the defaults from the one picked and
// writes only what the workspace lacks.
// The first question picks the API: Istio's VirtualService + DestinationRule, or the Gateway API's
// HTTPRoute with one Service per version.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { scaffoldCanaryRequest, type CanaryScaffoldOptions, type CanaryScaffoldResult } from '../../../server/src/protocol';
import { askText, back, pickOne, pickOrType, pickPercentage, type Back, type Step } from '../prompts/quickInput';
import { validateDnsLabel, validateHeaderName, validateHeaderValue, validateImage, validatePort, validateServiceName, type Validator } from '../prompts/validation';

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

export function registerScaffoldCanary(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(scaffoldCanaryCommand, async (args?: ScaffoldCanaryArguments) => {
    try {
      return await scaffoldCanary(client, args ?? {});
    } catch (error) {
      // The server refuses values that are not valid where they go (e.g. a workspace's
      // istioMirror.defaultApiVersion, or an argument): its message names the field.
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  });
}

/** Runs the command; resolves to the document written, or undefined when cancelled. */
async function scaffoldCanary(client: LanguageClient, args: ScaffoldCanaryArguments): Promise<vscode.Uri | undefined> {
  const asked = await askMissing(client, args);
  if (!asked) return undefined;
  const result = await client.sendRequest(scaffoldCanaryRequest, asked.answers);
  const destination = asked.destination === 'file' ? await chooseFile(result.options.app) : asked.destination;
  if (!destination) return undefined;
  return writeDocument(destination, result.text);
}

/** The server's defaults for what has been answered so far (image names follow the app name). */
async function defaultsFor(client: LanguageClient, answers: CanaryScaffoldOptions): Promise<Defaults> {
  return (await client.sendRequest(scaffoldCanaryRequest, answers)).options;
}

type ScaffoldApp = CanaryScaffoldResult['apps'][number];

/**
 * The app question. When the workspace holds apps (a Service and its versions), they are
 * offered, the first one not yet routed highlighted; any other name can be typed. Picking one
 * also answers its namespace (asked next, with that default); the server then reuses what the
 * workspace holds.
 */
async function askApp(client: LanguageClient, step: Step, answers: CanaryScaffoldOptions, prompt: string): Promise<true | Back | undefined> {
  const { apps, options } = await client.sendRequest(scaffoldCanaryRequest, { ...answers, app: undefined, namespace: undefined });
  if (apps.length === 0) {
    const name = await askText(step, { prompt, defaultValue: answers.app ?? options.app, validate: validateServiceName });
    if (name === undefined || name === back) return name;
    answers.app = name;
    return true;
  }
  const chosen = answers.app ?? options.app;
  const items: { label: string; description: string; detail?: string; value: ScaffoldApp | string }[] = apps.map((app) => ({
    label: app.name,
    description: `namespace ${app.namespace}${app.port !== undefined ? ` · port ${app.port}` : ''}`,
    detail: `${app.versions.length > 0 ? `versions ${app.versions.join(', ')}` : 'no pods in the workspace'}${app.routed ? ' · a VirtualService already routes it' : ''}`,
    value: app as ScaffoldApp | string,
  }));
  // The default when it is not an app of the workspace (every app is routed already, or the name was typed before).
  if (!apps.some((app) => app.name === chosen)) items.unshift({ label: chosen, description: 'a new app: the whole setup is written', value: chosen });
  const picked = await pickOrType<ScaffoldApp | string>(step, items, {
    placeholder: `${prompt}: pick an app of the workspace (what it has is reused) or type a new name`,
    isDefault: (value) => (typeof value === 'string' ? value === chosen : value.name === chosen && (answers.namespace === undefined || value.namespace === answers.namespace)),
    typed: (text) => {
      if (text === '' || apps.some((app) => app.name === text)) return undefined;
      const problem = validateServiceName(text);
      if (problem && problem.severity !== 'warning') return { description: 'not a Service name', reason: problem.message };
      return { description: 'a new app: the whole setup is written', value: text };
    },
  });
  if (picked === undefined || picked === back) return picked;
  if (typeof picked === 'string') {
    answers.app = picked;
    delete answers.namespace;
  } else {
    answers.app = picked.name;
    answers.namespace = picked.namespace;
  }
  return true;
}

type Destination = vscode.Uri | 'untitled' | 'file';

/** One question of the scaffold: asks with the answers so far and records its answer. */
interface Question {
  /** Skipped when the argument answers it (or `useDefaults` is set). */
  needed: boolean;
  /** Resolves to true when answered, `back`, or undefined on Escape. */
  ask(step: Step): Promise<true | Back | undefined>;
}

/**
 * Asks every question the argument does not answer, in order. Escape on any question cancels
 * the command; Back (the button, from the second question on) returns to the previous one,
 * which shows the answer given before.
 */
async function askMissing(client: LanguageClient, args: ScaffoldCanaryArguments): Promise<{ answers: CanaryScaffoldOptions; destination: Destination } | undefined> {
  const { mirrorHeader, destination: given, useDefaults, ...rest } = args;
  const answers: CanaryScaffoldOptions = { ...rest };
  if (mirrorHeader) answers.mirrorHeader = mirrorHeader;
  let destination: Destination = given === undefined || given === 'untitled' ? 'untitled' : toUri(given);
  const ask = (field: keyof ScaffoldCanaryArguments): boolean => !useDefaults && args[field] === undefined;
  const answered = <T>(value: T | Back | undefined, record: (value: T) => void): true | Back | undefined => {
    if (value === undefined || value === back) return value as Back | undefined;
    record(value);
    return true;
  };
  const text = (field: 'namespace' | 'stableVersion' | 'stableImage' | 'canaryVersion' | 'canaryImage', prompt: string | (() => string), validate: Validator): Question => ({
    needed: ask(field),
    ask: async (step) => answered(await askText(step, { prompt: typeof prompt === 'string' ? prompt : prompt(), defaultValue: (await defaultsFor(client, answers))[field], validate }), (value) => { answers[field] = value; }),
  });
  const gatewayApi = (): boolean => answers.api === 'gateway-api';
  const questions: Question[] = [
    {
      needed: ask('api'),
      ask: async (step) => {
        const api = await pickOne<'istio' | 'gateway-api'>(step, [
          { label: 'Istio API: VirtualService + DestinationRule', value: 'istio', detail: 'One Service; the stable and canary versions are DestinationRule subsets, the VirtualService mirrors to the canary subset.' },
          { label: 'Gateway API: HTTPRoute', value: 'gateway-api', detail: 'One Service per version (HTTPRoute has no subsets); a RequestMirror filter copies requests to the canary Service. For ambient mode and waypoints.' },
        ], { placeholder: 'Which API routes and mirrors the requests?', isDefault: (value) => value === (answers.api ?? 'istio') });
        return answered(api, (value) => { answers.api = value; });
      },
    },
    {
      needed: ask('app'),
      ask: (step) => askApp(client, step, answers, gatewayApi() ? 'App name: the Services and the HTTPRoute are named after it' : 'App name: the Service, the DestinationRule and the VirtualService are named after it'),
    },
    text('namespace', 'Namespace', validateDnsLabel),
    {
      needed: ask('port'),
      ask: async (step) => answered(await askText(step, { prompt: 'Container and Service port', defaultValue: String((await defaultsFor(client, answers)).port), validate: validatePort }), (value) => { answers.port = Number(value); }),
    },
    text('stableVersion', () => `Stable version: the \`version\` label and ${gatewayApi() ? 'the Service' : 'subset'} that serves every request`, validateDnsLabel),
    text('stableImage', 'Stable image', validateImage),
    text('canaryVersion', () => `Canary version: the \`version\` label and ${gatewayApi() ? 'the Service' : 'subset'} that receives the copies`, validateDnsLabel),
    text('canaryImage', 'Canary image', validateImage),
    {
      needed: ask('mirrorPercentage'),
      ask: async (step) => answered(await pickPercentage(step, (await defaultsFor(client, answers)).mirrorPercentage), (value) => { answers.mirrorPercentage = value; }),
    },
    {
      needed: !useDefaults && mirrorHeader === undefined,
      ask: async (step) => {
        for (;;) {
          const name = await askText(step, {
            prompt: 'Mirror only requests carrying this header (leave empty to mirror every request)',
            defaultValue: answers.mirrorHeader?.name ?? '',
            placeHolder: 'e.g. x-mirror; empty mirrors every request',
            validate: validateHeaderName,
          });
          if (name === undefined || name === back) return name;
          if (!name) {
            delete answers.mirrorHeader;
            return true;
          }
          const value = await askText({ ...step, back: true }, { prompt: `Value of "${name.toLowerCase()}" that tags a request`, defaultValue: answers.mirrorHeader?.value ?? 'true', validate: validateHeaderValue });
          if (value === undefined) return undefined;
          if (value === back) continue; // back to the header name
          answers.mirrorHeader = { name: name.toLowerCase(), value };
          return true;
        }
      },
    },
    {
      needed: ask('disableCanaryWrites'),
      ask: async (step) => {
        const defaults = await defaultsFor(client, answers);
        const disable = await pickOne<boolean>(step, [
          { label: 'Yes: turn off writes in the canary', value: true, detail: 'Mirrored requests are real requests: without this, each mirrored write (order, payment, e-mail) would happen twice.' },
          { label: 'No: the canary writes like the stable version', value: false, detail: 'Only when the canary writes to its own copy of the data, or the mirrored requests are read-only.' },
        ], { placeholder: 'Give the canary environment variables that disable writes?', isDefault: (value) => value === defaults.disableCanaryWrites });
        return answered(disable, (value) => { answers.disableCanaryWrites = value; });
      },
    },
    {
      needed: !useDefaults && given === undefined,
      ask: async (step) => {
        const where = await pickOne<'untitled' | 'file'>(step, [
          { label: 'New untitled document', value: 'untitled', description: 'save it where you like later' },
          { label: 'Save as file…', value: 'file' },
        ], { placeholder: 'Where should the YAML go?', isDefault: (value) => value === destination });
        return answered(where, (value) => { destination = value; });
      },
    },
  ];
  const shown = questions.filter((question) => question.needed);
  for (let i = 0; i < shown.length;) {
    const answer = await shown[i]!.ask({ title: 'Scaffold Canary Mirror Setup', step: i + 1, totalSteps: shown.length, back: i > 0 });
    if (answer === undefined) return undefined;
    i = answer === back ? Math.max(0, i - 1) : i + 1;
  }
  return { answers, destination };
}

function toUri(destination: string): vscode.Uri {
  return /^[a-z][\w+.-]+:/i.test(destination) && !/^[a-z]:\\/i.test(destination) ? vscode.Uri.parse(destination) : vscode.Uri.file(destination);
}

/** The save dialog for "Save as file…"; dismissing it cancels (the user asked for a file, then changed their mind). */
async function chooseFile(app: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    title: 'Save the canary mirror setup',
    filters: { YAML: ['yaml', 'yml'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${app}-canary-mirror.yaml`) } : {}),
  });
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
