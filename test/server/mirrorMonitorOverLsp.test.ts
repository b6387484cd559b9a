// The Monitor code lens and its requests through the real `istio-mirror-language-server --stdio`
// process, on copies of examples/: every mirror (a VirtualService `mirror`, each `mirrors`
// entry, an HTTPRoute RequestMirror filter) gets a "Monitor" lens on its host bound to
// `istioMirror.showMirrorMonitor`; `istio/mirrorMonitor` answers the same model `istio-mirror monitor
// --format json` prints for the folder (the subsets and pods known only from indexing the other
// files), every query valid PromQL; `istio/grafanaDashboard` is the dashboard `--format grafana` prints.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { MirrorMonitorResult } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';
import { parsePromQL } from '../helpers/promql';
import { repositoryRoot, runCli, runCliJson } from '../helpers/runCli';

interface CliMonitor {
  virtualService: string | null;
  httpIndex: number;
  primary: { host: string; subset: string | null; labels: Record<string, string>; reportedAs: string };
  mirror: { host: string; subset: string | null; labels: Record<string, string>; reportedAs: string };
  percent: number;
  queries: { name: string; primary: string; mirror: string }[];
  commands: { description: string; command: string }[];
  notes: string[];
  line: number;
}

describe('the Monitor code lens over LSP', () => {
  let workspace: string;
  let client: LspClient;
  const uriOf = (path: string): string => pathToFileURL(join(workspace, path)).toString();
  const open = async (path: string): Promise<string> => {
    const uri = uriOf(path);
    await client.open(uri, readFileSync(join(workspace, path), 'utf8'));
    return uri;
  };
  /** The monitor model, once the server has indexed the folder (the subsets are in other files). */
  const monitorOf = async (uri: string, ready: (result: MirrorMonitorResult) => boolean): Promise<MirrorMonitorResult> => {
    let result: MirrorMonitorResult = { window: '', monitors: [] };
    for (let attempt = 0; attempt < 100; attempt++) {
      result = await client.request<MirrorMonitorResult>('istio/mirrorMonitor', { uri });
      if (ready(result)) return result;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the monitor model never became ready: ${JSON.stringify(result).slice(0, 400)}`);
  };

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'istio-mirror-monitor-lsp-'));
    for (const example of ['basic-mirror', 'multiple-mirrors', 'gateway-api-mirroring']) {
      cpSync(join(repositoryRoot, 'examples', example), join(workspace, example), { recursive: true });
    }
    client = new LspClient({ rootPath: workspace, settings: { istioMirror: {} } });
    await client.initialize();
  });

  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('a VirtualService mirror: a Monitor lens on its host; the model and the dashboard are the CLI\'s', async () => {
    const uri = await open('basic-mirror/virtualservice.yaml');
    const result = await monitorOf(uri, (model) => model.monitors[0]?.mirror.labels.version === 'v2');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    // The value of `host: httpbin` under `mirror:`: line 19 (1-based), character 12.
    assert.deepEqual(lenses.filter((lens) => lens.command?.title === 'Monitor'), [{
      range: { start: { line: 18, character: 12 }, end: { line: 18, character: 12 } },
      command: { title: 'Monitor', command: 'istioMirror.showMirrorMonitor', arguments: [uri, 18, 12] },
    }]);
    assert.equal(lenses.length, 2, 'the rule\'s traffic lens and the mirror\'s Monitor lens');

    assert.equal(result.window, '5m');
    assert.equal(result.monitors.length, 1);
    const [monitor] = result.monitors;
    assert.equal(monitor!.file, uri);
    assert.deepEqual(monitor!.range.start, { line: 18, character: 12 });
    const [cli] = runCliJson<{ mirrors: CliMonitor[] }>(['monitor', join(workspace, 'basic-mirror')]).mirrors;
    assert.ok(cli);
    assert.equal(cli.line, monitor!.range.start.line + 1);
    assert.deepEqual(
      { virtualService: monitor!.virtualService, httpIndex: monitor!.httpIndex, percent: monitor!.percent, queries: monitor!.queries.map(({ name, primary, mirror }) => ({ name, primary, mirror })), commands: monitor!.commands, notes: monitor!.notes, primary: monitor!.primary.reportedAs, mirror: monitor!.mirror.reportedAs },
      { virtualService: cli.virtualService, httpIndex: cli.httpIndex, percent: cli.percent, queries: cli.queries.map(({ name, primary, mirror }) => ({ name, primary, mirror })), commands: cli.commands, notes: cli.notes, primary: cli.primary.reportedAs, mirror: cli.mirror.reportedAs },
    );
    assert.equal(monitor!.mirror.reportedAs, 'destination_version="v2"');
    for (const query of monitor!.queries) {
      for (const expr of [query.primary, query.mirror]) assert.ok(parsePromQL(expr).length > 0, expr);
    }

    const dashboard = await client.request<unknown>('istio/grafanaDashboard', { uri });
    const printed = runCli(['monitor', join(workspace, 'basic-mirror'), '--format', 'grafana']);
    assert.equal(printed.status, 0, printed.stderr);
    assert.deepEqual(dashboard, JSON.parse(printed.stdout));
  });

  test('`mirrors`: one Monitor lens per entry, in the order of the model', async () => {
    const uri = await open('multiple-mirrors/virtualservice.yaml');
    const result = await monitorOf(uri, (model) => model.monitors.length > 0 && model.monitors.every((monitor) => monitor.mirror.selectedBy !== 'service' || monitor.mirror.subset === null));
    const lenses = (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).filter((lens) => lens.command?.title === 'Monitor');
    assert.ok(result.monitors.length >= 2, `${result.monitors.length} mirrors`);
    assert.deepEqual(lenses.map((lens) => lens.command?.arguments), result.monitors.map((monitor) => [uri, monitor.range.start.line, monitor.range.start.character]));
    assert.deepEqual(result.monitors.map((monitor) => monitor.kind), result.monitors.map(() => 'mirrors'));
    const cli = runCliJson<{ mirrors: CliMonitor[] }>(['monitor', join(workspace, 'multiple-mirrors')]).mirrors;
    assert.deepEqual(result.monitors.map((monitor) => monitor.queries.map((query) => query.mirror)), cli.map((monitor) => monitor.queries.map((query) => query.mirror)));
  });

  test('an HTTPRoute RequestMirror filter gets a Monitor lens; a file without mirrors has no dashboard', async () => {
    const uri = await open('gateway-api-mirroring/mesh-route.yaml');
    const result = await monitorOf(uri, (model) => model.monitors[0]?.mirror.selectedBy !== undefined && model.monitors[0].mirror.selectedBy !== 'service');
    const lenses = (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).filter((lens) => lens.command?.title === 'Monitor');
    assert.equal(result.monitors.length, 1);
    assert.equal(result.monitors[0]!.route.kind, 'HTTPRoute');
    assert.equal(result.monitors[0]!.kind, 'requestMirror');
    // `name: reviews-v2` of the filter's backendRef, line 19 (1-based).
    assert.deepEqual(lenses.map((lens) => lens.command?.arguments), [[uri, 18, 16]]);
    const servicesUri = await open('gateway-api-mirroring/services.yaml');
    assert.equal(await client.request('istio/grafanaDashboard', { uri: servicesUri }), null);
    assert.deepEqual(await client.request('istio/mirrorMonitor', { uri: servicesUri }), { window: '5m', monitors: [] });
  });

  test('the window follows the request when it is a PromQL duration, else the CLI default', async () => {
    const uri = uriOf('basic-mirror/virtualservice.yaml');
    const oneHour = await client.request<MirrorMonitorResult>('istio/mirrorMonitor', { uri, window: '1h' });
    assert.equal(oneHour.window, '1h');
    assert.match(oneHour.monitors[0]!.queries[0]!.mirror, /\[1h\]/);
    const invalid = await client.request<MirrorMonitorResult>('istio/mirrorMonitor', { uri, window: '5 minutes' });
    assert.equal(invalid.window, '5m');
    assert.match(invalid.monitors[0]!.queries[0]!.mirror, /\[5m\]/);
  });
});
