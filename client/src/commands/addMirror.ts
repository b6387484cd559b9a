// "Istio: Add Mirror to Route": on the HTTP route under the cursor, asks which target to mirror
// to (the server offers the subsets the host's DestinationRule defines, `istio/mirrorTargets`)
// and what share, then applies the server's edit (`istio/addMirror`), which adds `mirror` +
// `mirrorPercentage` or converts to `mirrors` when the route already mirrors.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { addMirrorRequest, mirrorTargetsRequest, type MirrorTarget } from '../../../server/src/protocol';
import { askText, back, pickOne, pickPercentage, type Back } from '../prompts/quickInput';
import { validateDnsLabel, validateHostName } from '../prompts/validation';
import { resolveCursor, type CursorArguments } from './cursor';

export const addMirrorCommand = 'istioMirror.addMirror';
const title = 'Add Mirror to Route';

/** The command's optional argument (automation, tests): location and answers. */
export interface AddMirrorArguments extends CursorArguments {
  /** Mirror target; asked for when omitted. */
  host?: string;
  subset?: string;
  /** Share of requests copied; asked for when omitted (and `host` is not given). */
  percentage?: number;
}

export function registerAddMirror(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(addMirrorCommand, (args?: AddMirrorArguments) => addMirror(client, args ?? {}));
}

/** Resolves to true when the edit was applied. */
async function addMirror(client: LanguageClient, args: AddMirrorArguments): Promise<boolean> {
  const cursor = await resolveCursor(args, title);
  if (!cursor) return false;
  const textDocument = { uri: client.code2ProtocolConverter.asUri(cursor.document.uri), position: client.code2ProtocolConverter.asPosition(cursor.position) };
  const candidates = await client.sendRequest(mirrorTargetsRequest, textDocument);
  if (!candidates.route) {
    void vscode.window.showInformationMessage(`${title}: put the cursor in an HTTP route (an entry of \`http:\`) of a VirtualService.`);
    return false;
  }
  let target: Target | undefined = args.host !== undefined ? { host: args.host, ...(args.subset ? { subset: args.subset } : {}) } : undefined;
  let percentage = args.percentage ?? (args.host !== undefined ? candidates.defaultPercentage : undefined);
  // Target, then share; Back on the share goes back to the target, Escape anywhere cancels.
  while (target === undefined || percentage === undefined) {
    if (target === undefined) {
      target = await pickTarget(candidates.targets, candidates.route);
      if (!target) return false;
    }
    if (percentage === undefined) {
      const answer = await pickPercentage({ title: `${title}: share of requests`, back: args.host === undefined }, candidates.defaultPercentage);
      if (answer === undefined) return false;
      if (answer === back) target = undefined;
      else percentage = answer;
    }
  }
  const edit = await client.sendRequest(addMirrorRequest, { ...textDocument, target, percentage });
  if (!edit) {
    void vscode.window.showInformationMessage(`${title}: the route under the cursor changed; try again.`);
    return false;
  }
  const applied = await vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit));
  if (!applied) void vscode.window.showErrorMessage(`${title}: the edit could not be applied (is the file read-only?).`);
  return applied;
}

type Target = { host: string; subset?: string };

const usedAsNote = { destination: "$(warning) the route's own destination: its pods would get each request twice (IM2007)", mirror: 'the route mirrors here already' } as const;

async function pickTarget(targets: MirrorTarget[], route: { name?: string; hasMirror: boolean }): Promise<Target | undefined> {
  const other: Target = { host: '' };
  const items = targets.map((target) => ({
    label: target.subset ?? target.host,
    description: target.usedAs ? `${target.subset ? `${target.host} · ` : ''}${usedAsNote[target.usedAs]}` : target.subset ? target.host : '',
    detail: target.description,
    value: { host: target.host, ...(target.subset ? { subset: target.subset } : {}) } as Target,
  }));
  const first = targets.findIndex((target) => !target.usedAs);
  const routeName = route.name ? `route "${route.name}"` : 'this route';
  for (;;) {
    const picked: Target | Back | undefined = items.length === 0 ? other : await pickOne<Target>({ title: `${title}: target` }, [
      ...items,
      { label: 'Another host…', value: other, description: 'type a host (and subset) yourself' },
    ], {
      placeholder: route.hasMirror ? `${routeName} mirrors already: the new target turns \`mirror\` into \`mirrors\`` : `Where should ${routeName} send copies of its requests?`,
      // The first fresh target is highlighted; when every subset is in use, "Another host…".
      isDefault: (value) => (first >= 0 ? value === items[first]!.value : value === other),
    });
    if (picked === undefined || picked === back) return undefined;
    if (picked !== other) return picked;
    const host = await askText({ title: `${title}: host`, back: items.length > 0 }, { prompt: 'Host to mirror to (a Service short name or a DNS name)', defaultValue: '', validate: validateHostName });
    if (host === back) continue;
    if (host === undefined || host === '') return undefined;
    const subset = await askText({ title: `${title}: subset` }, { prompt: 'Subset of that host (leave empty for none)', defaultValue: '', validate: validateDnsLabel });
    if (subset === undefined || subset === back) return undefined;
    return subset ? { host, subset } : { host };
  }
}
