/// <reference types="mocha" />
// The Getting Started walkthrough (issue 11, item 12), driven in the real Welcome page: it is
// contributed, and each step's button runs its command, which does what the step says — the
// scaffold writes a setup with no findings, the example shows its finding with the cursor on it,
// the preview opens on that file — and the step is then checked off.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, expectCleanDiagnostics, extensionId, ourDiagnostics, waitFor, waitForDiagnostic } from '../helpers';
import { needsUi, run } from '../ui';

interface WalkthroughStep { id: string; title: string; description: string; media: { image?: string; altText?: string }; completionEvents: string[] }
interface Walkthrough { id: string; title: string; steps: WalkthroughStep[] }

const walkthroughId = `${extensionId}#gettingStarted`;
const step = (id: string): string => `button.getting-started-step[data-step-id="${walkthroughId}#${id}"]`;

/** Brings the walkthrough forward, selects the step and clicks the button of its description. */
async function runStepButton(id: string, label: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false);
  await run([{ waitFor: step(id) }, { click: step(id) }]);
  const button = `${step(id)}[aria-expanded="true"] .button-container .monaco-button`;
  const [, labels] = (await run([{ waitFor: button }, { texts: button }])) as [unknown, string[]];
  assert.deepEqual(labels.map((text) => text.trim()), [label], `the button of step ${id}`);
  await run([{ click: button }]);
}

/** Whether the walkthrough shows the step as done (its checkbox ticked). */
async function stepDone(id: string): Promise<boolean> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false);
  const [, checked] = (await run([{ waitFor: step(id) }, { attributes: step(id), name: 'aria-checked' }])) as [unknown, (string | null)[]];
  return checked[0] === 'true';
}

suite('Getting Started walkthrough', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('is contributed with three steps, each with a picture and done when its command runs', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs?: Walkthrough[] } }).contributes.walkthroughs ?? [];
    assert.deepEqual(walkthroughs.map((walkthrough) => walkthrough.id), ['gettingStarted']);
    const steps = walkthroughs[0]!.steps;
    assert.deepEqual(steps.map((entry) => entry.id), ['scaffold', 'finding', 'preview']);
    const commands = await vscode.commands.getCommands(true);
    for (const entry of steps) {
      // The one button of the description runs the command whose run completes the step.
      const links = [...entry.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((match) => match[1]!);
      assert.equal(links.length, 1, `${entry.id}: one command button`);
      assert.deepEqual(entry.completionEvents, [`onCommand:${links[0]}`]);
      assert.ok(commands.includes(links[0]!), `${links[0]} is registered`);
      assert.ok(entry.media.image && entry.media.altText, `${entry.id} has a picture with alt text`);
      const image = await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, entry.media.image));
      assert.ok(image.size > 1000, `${entry.media.image} exists`);
    }
  });

  test('in the Welcome page: its buttons scaffold a setup, show a finding and open the preview, and each step is checked off', async function () {
    needsUi(this);
    const api = await activateExtension();
    // Other suites ran these commands already (completion events are global): start afresh.
    await vscode.commands.executeCommand('resetGettingStartedProgress');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false);
    const [, titles] = (await run([{ waitFor: '.gettingStartedContainer .getting-started-category .category-title, .gettingStartedContainer h2' }, { texts: '.gettingStartedContainer h2' }])) as [unknown, string[]];
    assert.ok(titles.some((title) => title.includes('Get Started with Istio Mirror')), `the walkthrough's title is shown: ${JSON.stringify(titles)}`);
    for (const id of ['scaffold', 'finding', 'preview']) assert.equal(await stepDone(id), false, `${id} is not done before its button is pressed`);

    // 1. Scaffold: the real prompts, each accepted at its default, write a setup with no findings.
    const before = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    await runStepButton('scaffold', 'Scaffold Canary Mirror Setup');
    const written = await waitFor('the scaffold to write its setup with every prompt accepted', async () => {
      // The scaffold writes what the workspace lacks (at least one resource), in a new document.
      const created = vscode.workspace.textDocuments.find((document) => !before.has(document.uri.toString()) && document.languageId === 'yaml' && /^kind: \w+$/m.test(document.getText()));
      if (created) return created;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return undefined;
    });
    await expectCleanDiagnostics(written);
    assert.equal(await stepDone('scaffold'), true, 'the scaffold step is checked off');

    // 2. The example with a mistake: its finding is shown, with the cursor on it.
    await runStepButton('finding', 'Open Example with a Mistake');
    const example = await waitFor('the example to open', () => vscode.window.visibleTextEditors.find((editor) => editor.document.getText().includes('# An example with a mistake')));
    const finding = await waitForDiagnostic(example.document.uri, 'IST0101');
    assert.match(finding.message, /^Subset "canary" is not defined by DestinationRule demo\/reviews/);
    assert.equal(example.document.getText(finding.range), 'canary');
    assert.ok(finding.range.contains(example.selection.active), 'the cursor is on the finding');
    assert.deepEqual(ourDiagnostics(example.document.uri).map(codeOf), ['IST0101'], 'the example has that one finding');
    assert.equal(await stepDone('finding'), true, 'the finding step is checked off');

    // 3. The preview, from the Welcome page, opens on the YAML file beside it.
    await runStepButton('preview', 'Preview Traffic Split');
    const state = await waitFor('the preview to draw', () => api.previewState()?.rendered && api.previewState());
    assert.equal(state.uri, example.document.uri.toString());
    assert.deepEqual(state.model.virtualServices.map((vs) => vs.name), ['reviews']);
    assert.match(state.model.virtualServices[0]!.routes[0]!.mirrors[0]!.problem ?? '', /subset "canary" is not in DestinationRule demo\/reviews/);
    assert.equal(await stepDone('preview'), true, 'the preview step is checked off');
  });
});
