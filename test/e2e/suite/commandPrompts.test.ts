/// <reference types="mocha" />
// The commands' prompts driven as a user drives them, in the real quick input: typing a share
// into the percentage pick, the targets Add Mirror offers first, and Escape and Back in the
// scaffold. (Issue 11, items 1, 3 and 4.)

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, expectCleanDiagnostics, openFixture, positionAfter, waitFor } from '../helpers';
import { assertIncludes, clickBack, needsUi, press, quickInputTitle, quickPickRows, replaceInput, type, waitForNoQuickInput, waitForQuickInput } from '../ui';

/** Starts a command without waiting for it; `done()` is its result once it finished. */
function start<T>(command: string, ...args: unknown[]): { done(): T | null; promise: Thenable<T> } {
  let result: T | null = null;
  let finished = false;
  const promise = vscode.commands.executeCommand<T>(command, ...args);
  promise.then((value) => { result = value; finished = true; }, () => { finished = true; });
  return { done: () => (finished ? result : null), promise };
}

/** Presses Enter on each question (each has its own "(n/N)" title) until the command is done. */
async function acceptEveryQuestion(done: () => unknown): Promise<void> {
  let last: string | undefined;
  for (;;) {
    const current = await waitFor('the next question or the end', async () => {
      if (done() !== null) return 'done';
      const shown = await quickInputTitle();
      return shown && shown !== last ? shown : undefined;
    });
    if (current === 'done') return;
    last = current;
    await press('Enter');
  }
}

async function addMirrorOnFixture(name = 'add-mirror.yaml'): Promise<vscode.TextEditor> {
  const editor = await openFixture(name);
  const cursor = positionAfter(editor.document, 'subset: st');
  editor.selection = new vscode.Selection(cursor, cursor);
  return editor;
}

suite('command prompts in the quick input', () => {
  suiteSetup(activateExtension);
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });

  test('Add Mirror: a typed percentage is used, not the default', async function () {
    needsUi(this);
    const editor = await addMirrorOnFixture();
    const running = start<boolean>('istioMirror.addMirror');
    await waitForQuickInput('Add Mirror to Route: target');
    await press('Enter');
    await waitForQuickInput('share of requests');
    await type('25');
    await waitFor('the typed share at the top', async () => (await quickPickRows())[0]?.startsWith('25'));
    await press('Enter');
    assert.equal(await running.promise, true);
    assert.match(editor.document.getText(), /mirror:\n\s+host: reviews\n\s+subset: canary\n\s+mirrorPercentage:\n\s+value: 25\n/);
  });

  test('Add Mirror: a share that is not a number is refused with the reason and the prompt stays open', async function () {
    needsUi(this);
    const editor = await addMirrorOnFixture();
    const original = editor.document.getText();
    const running = start<boolean>('istioMirror.addMirror');
    await waitForQuickInput('Add Mirror to Route: target');
    await press('Enter');
    await waitForQuickInput('share of requests');
    await type('abc');
    const rows = await waitFor('the reason', async () => { const found = await quickPickRows(); return found[0]?.includes('not a share') ? found : undefined; });
    assertIncludes(rows, 'number between 0 and 100', 'the reason');
    await press('Enter');
    await waitForQuickInput('share of requests'); // still open
    assert.equal(running.done(), null, 'the command is still asking');
    assert.equal(editor.document.getText(), original);
    await replaceInput('150');
    await waitFor('the reason for 150', async () => (await quickPickRows())[0]?.includes('At most 100'));
    await press('Enter');
    await waitForQuickInput('share of requests');
    await replaceInput('12.5');
    await waitFor('12.5 at the top', async () => (await quickPickRows())[0]?.startsWith('12.5'));
    await press('Enter');
    assert.equal(await running.promise, true);
    assert.match(editor.document.getText(), /mirrorPercentage:\n\s+value: 12\.5\n/);
  });

  test('Add Mirror: the route\'s own destination is never offered first, and it is marked', async function () {
    needsUi(this);
    // Every subset but the route's own (stable) is mirrored to already.
    await addMirrorOnFixture('add-mirror-used.yaml');
    const running = start<boolean>('istioMirror.addMirror');
    await waitForQuickInput('Add Mirror to Route: target');
    const rows = await waitFor('the targets', async () => { const found = await quickPickRows(); return found.length >= 4 ? found : undefined; });
    assert.ok(!rows[0]!.startsWith('stable'), `the first target is not the route's own destination: ${JSON.stringify(rows)}`);
    const stable = rows.find((row) => row.startsWith('stable'));
    assert.ok(stable?.includes("route's own destination"), `stable is marked: ${JSON.stringify(rows)}`);
    await press('Escape');
    assert.equal(await running.promise, false);
  });

  test('Scaffold: Escape on a later question cancels without writing anything', async function () {
    needsUi(this);
    const before = vscode.workspace.textDocuments.map((document) => document.uri.toString());
    const running = start<vscode.Uri | undefined>('istioMirror.scaffoldCanary');
    await waitForQuickInput('Scaffold Canary Mirror Setup (1/');
    await press('Enter');
    await waitForQuickInput('Scaffold Canary Mirror Setup (2/');
    await press('Enter');
    await waitForQuickInput('Scaffold Canary Mirror Setup (3/');
    await press('Escape');
    assert.equal(await running.promise, undefined);
    await waitForNoQuickInput();
    assert.deepEqual(vscode.workspace.textDocuments.map((document) => document.uri.toString()).filter((uri) => !before.includes(uri)), [], 'no document was written');
  });

  test('Scaffold: Back returns to the previous question with its answer; an invalid answer keeps the box open', async function () {
    needsUi(this);
    const running = start<vscode.Uri | undefined>('istioMirror.scaffoldCanary');
    await waitForQuickInput('Scaffold Canary Mirror Setup (1/');
    await press('Enter'); // the API: Istio's, the default
    await waitForQuickInput('(2/');
    // The workspace's apps are offered (workspace/ratings-workloads.yaml and others); a new name can be typed.
    const apps = await waitFor('the apps of the workspace', async () => { const found = await quickPickRows(); return found.some((row) => row.startsWith('ratings')) ? found : undefined; });
    assert.ok(apps.some((row) => /ratings.*namespace default.*versions v1, v2/.test(row)), `ratings with its namespace and versions: ${JSON.stringify(apps)}`);
    await replaceInput('Bad_Name');
    await waitFor('the reason', async () => (await quickPickRows()).some((row) => row.includes('not a Service name') && row.includes('Lowercase letters')));
    await press('Enter');
    await waitForQuickInput('(2/'); // refused: still the app name
    await replaceInput('checkout');
    await press('Enter');
    await waitForQuickInput('(3/');
    await clickBack();
    await waitForQuickInput('(2/');
    // The app name given before is shown again; Enter keeps it.
    await press('Enter');
    await waitForQuickInput('(3/');
    await replaceInput('shop');
    await press('Enter');
    // Accept every other default (the last question: where to write; Enter = untitled).
    await acceptEveryQuestion(running.done);
    const uri = await running.promise;
    assert.ok(uri);
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /name: checkout\n\s+namespace: shop/);
  });

  test('Scaffold: picking the Gateway API writes per-version Services and an HTTPRoute that check clean', async function () {
    needsUi(this);
    const running = start<vscode.Uri | undefined>('istioMirror.scaffoldCanary');
    await waitForQuickInput('Scaffold Canary Mirror Setup (1/');
    const rows = await waitFor('the API choices', async () => { const found = await quickPickRows(); return found.length >= 2 ? found : undefined; });
    assertIncludes(rows, 'Gateway API: HTTPRoute', 'the API choices');
    await press('ArrowDown');
    await press('Enter');
    await waitForQuickInput('(2/');
    await replaceInput('payments');
    await press('Enter');
    await acceptEveryQuestion(running.done);
    const uri = await running.promise;
    assert.ok(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    assert.deepEqual([...text.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]).sort(), ['Deployment', 'Deployment', 'HTTPRoute', 'Service', 'Service', 'Service']);
    assert.match(text, /type: RequestMirror/);
    assert.doesNotMatch(text, /kind: (VirtualService|DestinationRule)/);
    await expectCleanDiagnostics(document);
  });
});
