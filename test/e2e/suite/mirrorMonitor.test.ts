/// <reference types="mocha" />
// The mirror monitor in a real VS Code (issue 15): the server's "Monitor" code lens on a mirror
// opens a panel beside the editor whose page draws that mirror's PromQL pairs (it reports every
// query text it drew), a copy button puts its query on the clipboard, and "Export Grafana
// dashboard…" asks where to save: Escape cancels, accepting writes exactly what
// `istio-mirror monitor --format grafana` prints for the folder. Fixture: test/e2e/workspace/monitor/
// (examples/basic-mirror).

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IstioMirrorApi } from '../../../client/src/extension';
import { activateExtension, closeAllEditors, extensionId, openFixture, waitFor, workspaceFile } from '../helpers';
import { needsUi, press, waitForNoQuickInput, waitForQuickInput } from '../ui';

function monitorTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('istioMirror.mirrorMonitor'));
}

async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

suite('mirror monitor', () => {
  let api: IstioMirrorApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  teardown(async () => {
    await closeAllEditors();
    await waitFor('the monitor panel to close with its tab', () => api.monitorState() === undefined && monitorTab() === undefined);
  });

  /** Opens the fixture and runs its Monitor lens's command until the panel shows the subsets from the DestinationRule file. */
  async function openMonitor(): Promise<vscode.TextEditor> {
    const editor = await openFixture('monitor/virtualservice.yaml');
    const lens = await waitFor('the Monitor code lens on the mirror', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return lenses.find((candidate) => candidate.command?.title === 'Monitor');
    });
    // On `host: httpbin` under `mirror:`.
    assert.equal(editor.document.lineAt(lens.range.start.line).text.trim(), 'host: httpbin');
    assert.ok(editor.document.lineAt(lens.range.start.line - 1).text.trim() === 'mirror:');
    const command = lens.command!;
    assert.equal(command.command, 'istioMirror.showMirrorMonitor');
    await waitFor('the panel to show the mirror by its version label (the DestinationRule is in another file)', async () => {
      assert.equal(await vscode.commands.executeCommand<boolean>(command.command, ...(command.arguments ?? [])), true);
      return api.monitorState()?.model.monitors[0]?.mirror.reportedAs === 'destination_version="v2"';
    });
    return editor;
  }

  test('the Monitor lens opens a panel beside the editor holding the mirror\'s queries', async () => {
    const editor = await openMonitor();
    const state = api.monitorState();
    assert.ok(state);
    assert.ok(state.uri.endsWith('/monitor/virtualservice.yaml'), state.uri);
    assert.equal(state.model.window, '5m');
    const [monitor] = state.model.monitors;
    assert.ok(monitor);
    assert.equal(monitor.virtualService, 'demo/httpbin');
    assert.equal(monitor.percent, 10);
    const expected = monitor.queries.flatMap((query) => [query.primary, query.mirror]);
    const rendered = await waitFor('the page to draw the queries', () => {
      const drawn = api.monitorState()?.rendered;
      return drawn && drawn.queries.length === expected.length ? drawn : undefined;
    });
    assert.deepEqual(rendered.queries, expected);
    assert.equal(rendered.mirrors, 1);
    assert.equal(rendered.commands, monitor.commands.length);
    assert.ok(rendered.queries.some((query) => query.startsWith('sum(rate(istio_requests_total{reporter="destination"') && query.includes('destination_version="v2"')), JSON.stringify(rendered.queries));
    assert.ok(rendered.queries.some((query) => query.startsWith('histogram_quantile(0.99,')), JSON.stringify(rendered.queries));
    assert.ok(rendered.queries.some((query) => query.endsWith('/ 0.1')), 'the mirror rate normalised by its 10 %');

    const tab = await waitFor('the monitor tab', monitorTab);
    await waitFor('the tab to be titled after the file', () => monitorTab()?.label === 'Mirror Monitor: virtualservice.yaml');
    assert.notEqual(tab.group.viewColumn, editor.viewColumn);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'the editor keeps the focus');

    // A copy button: the page posts its query, the extension puts it on the clipboard.
    const mirrorRate = monitor.queries.find((query) => query.name === 'requestRate')!.mirror;
    await vscode.env.clipboard.writeText('');
    await api.monitorPageMessage({ type: 'copy', id: 'q-0-0-mirror', text: mirrorRate });
    assert.equal(await vscode.env.clipboard.readText(), mirrorRate);

    // Typing a new percentage, unsaved: the panel follows (the normalised rate divides by 0.25).
    const value = editor.document.getText().indexOf('value: 10');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, new vscode.Range(editor.document.positionAt(value + 'value: '.length), editor.document.positionAt(value + 'value: 10'.length)), '25');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(editor.document.isDirty);
    await waitFor('the panel to follow the unsaved edit', () => {
      const current = api.monitorState();
      return current?.model.monitors[0]?.percent === 25 && current.rendered?.queries.some((query) => query.endsWith('/ 0.25'));
    });
  });

  test('Export Grafana dashboard…: Escape cancels; a chosen file gets what `monitor --format grafana` prints', async function () {
    needsUi(this);
    await openMonitor();
    const target = workspaceFile('monitor/virtualservice-grafana-dashboard.json');
    if (await fileExists(target)) await vscode.workspace.fs.delete(target);

    // Escape in the save dialog: nothing is written.
    const cancelled = api.monitorPageMessage({ type: 'exportGrafana' });
    await waitForQuickInput('Export Grafana dashboard');
    await press('Escape');
    await cancelled;
    await waitForNoQuickInput();
    assert.equal(await fileExists(target), false, 'nothing written after Escape');

    // Enter accepts the proposed file next to the YAML.
    const exported = api.monitorPageMessage({ type: 'exportGrafana' });
    await waitForQuickInput('Export Grafana dashboard');
    await press('Enter');
    await exported;
    const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    const extension = vscode.extensions.getExtension(extensionId)!;
    const printed = execFileSync(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), 'monitor', path.dirname(target.fsPath), '--format', 'grafana'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(written, printed);
    const dashboard = JSON.parse(written) as { panels: { type: string; targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets?.map((t) => t.expr) ?? []);
    const queries = api.monitorState()!.model.monitors[0]!.queries.flatMap((query) => [query.primary, query.mirror]);
    assert.deepEqual([...exprs].sort(), [...queries].sort(), 'the dashboard\'s panels hold the panel\'s queries');
    await vscode.workspace.fs.delete(target);
  });
});
