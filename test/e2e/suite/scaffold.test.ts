/// <reference types="mocha" />
// "Istio: Scaffold Canary Mirror Setup…" writes a complete setup that our own validator accepts,
// into a new untitled document or a file, in one undo step, with its prompts answered through
// the command's argument or accepted at their defaults in the real quick input.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScaffoldCanaryArguments } from '../../../client/src/commands/scaffoldCanary';
import { activateExtension, closeAllEditors, expectCleanDiagnostics, openFixture, waitFor, workspaceFile } from '../helpers';

const command = 'istioMirror.scaffoldCanary';

const kindsOf = (text: string): string[] => [...text.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]!);

suite('scaffold canary mirror setup', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('answers given as the argument: an untitled document with zero diagnostics, undone in one step', async () => {
    const answers: ScaffoldCanaryArguments = {
      app: 'checkout',
      namespace: 'shop',
      port: 9090,
      canaryVersion: 'v2-rc1',
      mirrorPercentage: 5,
      mirrorHeader: { name: 'x-mirror', value: 'true' },
      disableCanaryWrites: true,
      destination: 'untitled',
      useDefaults: true,
    };
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(command, answers);
    assert.ok(uri, 'the command returns the document it wrote');
    assert.equal(uri.scheme, 'untitled');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'yaml');
    const text = document.getText();
    assert.deepEqual(kindsOf(text).sort(), ['Deployment', 'Deployment', 'DestinationRule', 'Service', 'VirtualService']);
    assert.match(text, /namespace: shop/);
    assert.match(text, /x-mirror/);
    assert.match(text, /mirrorPercentage:\n\s+value: 5\b/);
    assert.equal(vscode.window.activeTextEditor?.document, document, 'the new document is shown');

    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to remove the whole text', () => document.getText() === '');
    await vscode.commands.executeCommand('redo');
    await waitFor('redo to bring it back', () => document.getText() === text);
    await expectCleanDiagnostics(document);
  });

  test('an app of the workspace: what it holds is reused and only the missing Deployments are written', async () => {
    // gateway-api/convert.yaml holds the Service, DestinationRule and VirtualService of ratings in
    // namespace convert, but no pods. Opened first, so the server holds it whatever its indexing does.
    await openFixture('gateway-api/convert.yaml');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(command, { api: 'istio', app: 'ratings', namespace: 'convert', useDefaults: true, destination: 'untitled' } satisfies ScaffoldCanaryArguments);
    assert.ok(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    assert.deepEqual(kindsOf(text), ['Deployment', 'Deployment']);
    assert.match(text, /^# Already in the workspace, used as it is:\n# {3}Service convert\/ratings\n# {3}DestinationRule convert\/ratings\n# {3}VirtualService convert\/ratings$/m);
    assert.match(text, /name: ratings-v1\n  namespace: convert/);
    assert.match(text, /- containerPort: 9080/, 'the port of the existing Service');
    await expectCleanDiagnostics(document);
  });

  test('written to a file in the workspace', async () => {
    const target = workspaceFile('generated/payments-canary.yaml');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(command, { app: 'payments', useDefaults: true, destination: target.fsPath } satisfies ScaffoldCanaryArguments);
    assert.equal(uri?.toString(), target.toString());
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.deepEqual(kindsOf(onDisk).sort(), ['Deployment', 'Deployment', 'DestinationRule', 'Service', 'VirtualService']);
    const document = await vscode.workspace.openTextDocument(target);
    assert.equal(document.isDirty, false, 'the file is saved');
    await expectCleanDiagnostics(document);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(target, '..'), { recursive: true });
  });

  test('every prompt accepted at its default (the real input boxes and quick picks)', async () => {
    let result: vscode.Uri | undefined | null = null;
    const running = vscode.commands.executeCommand<vscode.Uri | undefined>(command).then((uri) => { result = uri; });
    // Press Enter on whatever prompt is showing until the command is done: each prompt shows
    // its default, so accepting all of them must give the default setup.
    let accepted = 0;
    await waitFor('the command to finish with every prompt accepted', async () => {
      if (result !== null) return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      accepted += 1;
      return false;
    });
    await running;
    assert.ok(result, `a document was written (after ${accepted} accepts)`);
    const document = await vscode.workspace.openTextDocument(result);
    assert.match(document.getText(), /kind: VirtualService/);
    await expectCleanDiagnostics(document);
  });

  test('Escape on the first prompt cancels without writing anything', async () => {
    const before = vscode.workspace.textDocuments.length;
    const running = vscode.commands.executeCommand<vscode.Uri | undefined>(command);
    let result: vscode.Uri | undefined | null = null;
    void running.then((uri) => { result = uri; });
    await waitFor('the command to be cancelled by Escape', async () => {
      if (result !== null) return true;
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return false;
    });
    assert.equal(await running, undefined);
    assert.equal(vscode.workspace.textDocuments.length, before);
  });
});
