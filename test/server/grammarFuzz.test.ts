// Robustness (issue 12, "Long runs"): a short, seeded run of the grammar-aware fuzzer
// (test/helpers/grammarMutations.ts) against the real language server process: structural
// mutations of the project's own Istio YAML (examples/, test/fixtures/; never ../shared, so it
// runs the same everywhere) sent as small or typed edits, every kind of request in between,
// quick fixes applied and checked, files changed and deleted on disk, the diagnostics compared
// with a fresh server's. The long run is scripts/grammarFuzz.ts.
//
//   GRAMMAR_FUZZ_SEED=<n>   another session (default 7)
//   GRAMMAR_FUZZ_STEPS=<n>  its length (default 300)
//
// Below it: what the long runs found, each through the real server process.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../helpers/lspClient';
import { formatFinding } from '../helpers/fuzzDriver';
import { GrammarFuzzSession, loadSeeds } from '../helpers/grammarMutations';

const seed = process.env.GRAMMAR_FUZZ_SEED ? Number(process.env.GRAMMAR_FUZZ_SEED) : 7;
const steps = process.env.GRAMMAR_FUZZ_STEPS ? Number(process.env.GRAMMAR_FUZZ_STEPS) : 300;

test(`grammar-aware edits of real Istio YAML never crash, hang, break a quick fix or drift from a fresh server (seed ${seed}, ${steps} steps)`, { timeout: 900_000 }, async () => {
  const seeds = loadSeeds(false);
  assert.ok(seeds.length > 50, `seed files from examples/ and test/fixtures/: ${seeds.length}`);
  const session = new GrammarFuzzSession({ seed, steps, checkEvery: 50, seeds, log: (line) => console.log(line) });
  const started = Date.now();
  const findings = await session.run();
  const s = session.stats;
  console.log(`grammarFuzz: seed ${seed}, ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.mutations} mutations (${s.typedEdits} typed, ${s.probesBetweenKeystrokes} requests between keystrokes), ${s.fixesApplied} quick fixes applied, ${s.diskMutations} disk changes`);
  // The session did what it is for: mutated, typed, applied fixes, asked every kind of request.
  assert.ok(s.mutations > steps / 3 && s.typedEdits > 0 && s.fixesChecked > 0 && s.diskMutations > 0, JSON.stringify(s));
  assert.ok(Object.keys(s.byMethod).length >= 18, `request kinds asked: ${Object.keys(s.byMethod).join(', ')}`);
  assert.deepEqual(findings.map((finding) => formatFinding(finding).split('\n').slice(0, 8).join('\n')), [],
    `reproduce with scripts/grammarFuzz.ts --seeds ${seed} --steps ${steps} --no-corpus (saves each finding; --replay, --reduce)`);
});

// ─── What the long runs found ────────────────────────────────────────────────────────────────

const timeout = 120_000;

describe('found by the grammar-aware fuzzer', () => {
  let root: string;
  let client: LspClient;
  const logs: string[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'istio-mirror-grammar-'));
    client = new LspClient({ rootPath: root, settings: { istioMirror: {} } });
    client.connection.onNotification('window/logMessage', (params: { message: string }) => { logs.push(params.message); });
    await client.initialize();
  });

  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('an outline entry whose name is only blanks or a BOM shows a visible name', { timeout }, async () => {
    // documentStructure.ts named a symbol `name || '(empty)'`: a host of "\uFEFF" (a BOM pasted
    // into the value) or a subset named " " gave an outline row with nothing to read.
    const uri = pathToFileURL(join(root, 'blank-names.yaml')).toString();
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: "\\uFEFF"\n  subsets:\n  - name: " "\n    labels: {version: v1}\n  - name: "\\t\\u00a0"\n';
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await client.waitForDiagnostics(uri, (d) => d.version === 1, 15_000);
    type Symbol = { name: string; children?: Symbol[] };
    const symbols = await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names: string[] = [];
    const visit = (list: Symbol[]): void => { for (const s of list) { names.push(s.name); visit(s.children ?? []); } };
    visit(symbols);
    assert.equal(names.length, 4, JSON.stringify(names));
    for (const name of names) assert.ok(name.trim() !== '', `outline names: ${JSON.stringify(names)}`);
  });

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const rule = (name: string, host: string, preamble = ''): string => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n${preamble}  name: ${name}\n  namespace: demo\nspec:\n  host: ${host}\n  subsets:\n  - name: v1\n    labels: {version: v1}\n`;
  let version = 10;
  const open = async (file: string, text: string): Promise<string> => {
    const uri = pathToFileURL(join(root, file)).toString();
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++version, text } });
    await client.waitForDiagnostics(uri, (d) => d.version === version, 15_000);
    await sleep(500);
    return uri;
  };
  const change = async (uri: string, text: string): Promise<void> => {
    await client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
    await client.waitForDiagnostics(uri, (d) => d.version === version, 15_000);
    await sleep(500); // the dependents are re-published after the edited file
  };
  const relatedLines = (uri: string, code: string): number[] =>
    (client.latest(uri) ?? []).filter((d: Diagnostic) => d.code === code).flatMap((d: Diagnostic) => (d.relatedInformation ?? []).map((info) => info.location.range.start.line));

  test('IM3006: the related location of the other definition follows it when its file is edited above its name', { timeout }, async () => {
    // The definitions' scope signature was the file only: an edit that moves the copy's
    // metadata.name (a line above it, or a document inserted before it) re-published nothing,
    // and the first file kept pointing at the old line.
    const a = await open('im3006-a.yaml', rule('reviews', 'reviews'));
    const b = await open('im3006-b.yaml', rule('reviews', 'reviews'));
    assert.deepEqual(relatedLines(a, 'IM3006'), [3]);
    await change(b, rule('reviews', 'reviews', '  labels: {team: x}\n'));
    assert.deepEqual(relatedLines(a, 'IM3006'), [4], 'a line above the name, in the same document');
    await change(b, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${rule('reviews', 'reviews', '  labels: {team: x}\n')}`);
    assert.deepEqual(relatedLines(a, 'IM3006'), [9], 'a document inserted above it');
  });

  test('IM3004: the related location of the other DestinationRule\'s subset follows it when its file is edited', { timeout }, async () => {
    // The DestinationRule signature held the host's position and the subset names, not where the
    // subsets are, and the other DestinationRules of the host were not among the dependents.
    const a = await open('im3004-a.yaml', rule('one', 'ratings'));
    const b = await open('im3004-b.yaml', rule('two', 'ratings'));
    assert.deepEqual(relatedLines(a, 'IM3004'), [8]);
    await change(b, rule('two', 'ratings').replace('  subsets:\n', '  trafficPolicy: {}\n  subsets:\n'));
    assert.deepEqual(relatedLines(a, 'IM3004'), [9], 'a line between the host and the subsets');
    await change(b, `# moved\n${rule('two', 'ratings').replace('  subsets:\n', '  trafficPolicy: {}\n  subsets:\n')}`);
    assert.deepEqual(relatedLines(a, 'IM3004'), [10], 'a line above the document');
  });

  test('an alias used before its anchor is a YAML error, and converting the VirtualService answers without an exception', { timeout }, async () => {
    // `yaml` parses `hosts: [*h]` ahead of `&h` without an error, but toJS() throws: the
    // analysis reported it as an alias bomb (IM0002) and istio/convertToHttpRoute logged a
    // ReferenceError ("Unresolved alias") instead of answering.
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: shop\n  namespace: demo\nspec:\n  hosts: [*h]\n  http:\n  - route:\n    - destination: {host: &h shipping}\n';
    const uri = pathToFileURL(join(root, 'alias-first.yaml')).toString();
    await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const published = await client.waitForDiagnostics(uri, (d) => d.version === 1, 15_000);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]),
      [['IM0001', 6, 10, 'YAML syntax error: Alias *h is used before its anchor &h is set; an anchor must come before its aliases']]);
    const before = logs.filter((line) => line.includes('error during')).length;
    const answer = await client.request('istio/convertToHttpRoute', { uri, position: { line: 8, character: 4 } });
    assert.equal(answer, null);
    assert.deepEqual(logs.filter((line) => line.includes('error during')).slice(before).map((line) => line.split('\n')[0]), []);
  });

  test('IST0174 is not claimed for a host under another domain than the cluster\'s, whose namespace\'s Services say nothing about it', { timeout }, async () => {
    // subsetSelection.ts read the namespace out of any `name.ns.svc.<domain>` host but counted the
    // Services of `ns` under the cluster domain: "stock.bookinfo.svc.lcuster.local matches no
    // Service …, which holds other Services of namespace bookinfo". And the finding went stale:
    // the files re-published when bookinfo's Services change are those under the cluster domain.
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: bookinfo\nspec:\n  selector: {app: ratings}\n  ports:\n  - {name: http, port: 9080}\n';
    const svc = await open('ist0174-service.yaml', service);
    const dr = await open('ist0174-rule.yaml', 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: stock\n  namespace: other\nspec:\n  host: stock.bookinfo.svc.lcuster.local\n');
    assert.deepEqual((client.latest(dr) ?? []).map((d: Diagnostic) => d.code), []);
    await change(svc, '# no Service any more\n');
    assert.deepEqual((client.latest(dr) ?? []).map((d: Diagnostic) => d.code), []);
  });

  test('IST0101 lists the DestinationRules of other namespaces in file order, whatever order they were opened in', { timeout }, async () => {
    // destinationRulesInAnyNamespace() collected the candidates in the order of its host map,
    // i.e. the order the files were indexed or edited in: a fresh server listed them otherwise.
    const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: cart\nspec:\n  hosts: [cart]\n  http:\n  - route:\n    - destination: {host: cart, subset: v9}\n';
    await open('order-z.yaml', rule('cart', 'cart').replace('namespace: demo', 'namespace: alpha'));
    await open('order-a.yaml', rule('cart', 'cart').replace('namespace: demo', 'namespace: beta'));
    const uri = await open('order-vs.yaml', vs);
    const finding = (client.latest(uri) ?? []).find((d: Diagnostic) => d.code === 'IST0101');
    assert.ok(finding, JSON.stringify(client.latest(uri)));
    const files = (finding.relatedInformation ?? []).map((info) => info.location.uri.slice(info.location.uri.lastIndexOf('/') + 1));
    assert.deepEqual(files, ['order-a.yaml', 'order-z.yaml'], String(finding.message));
  });

  test('IST0173: the related location of the pods\' workload follows it when its file is edited above it', { timeout }, async () => {
    // The namespace's signature left out where the Services and workloads are, and documents
    // moved by an edit above them changed no scope: the DestinationRule kept the old line.
    const workloads = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shelf\n  namespace: store\nspec:\n  selector: {app: shelf}\n  ports:\n  - {name: http, port: 80}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shelf-canary\n  namespace: store\nspec:\n  selector:\n    matchLabels: {app: shelf, version: canary}\n  template:\n    metadata:\n      labels: {app: shelf, version: canary}\n    spec:\n      containers:\n      - {name: shelf, image: shelf:2}\n';
    const w = await open('ist0173-workloads.yaml', workloads);
    const dr = await open('ist0173-rule.yaml', rule('shelf', 'shelf').replace('namespace: demo', 'namespace: store').replace('name: v1', 'name: stable').replace('version: v1', 'version: stable'));
    assert.deepEqual(relatedLines(dr, 'IST0173'), [13]);
    await change(w, workloads.replace('kind: Deployment\nmetadata:\n', 'kind: Deployment\nmetadata:\n  labels: {team: x}\n'));
    assert.deepEqual(relatedLines(dr, 'IST0173'), [14], 'a line above the name, in the same document');
    await change(w, `# moved\n${workloads.replace('kind: Deployment\nmetadata:\n', 'kind: Deployment\nmetadata:\n  labels: {team: x}\n')}`);
    assert.deepEqual(relatedLines(dr, 'IST0173'), [15], 'a line above the document');
  });

  test('IM3006 within one file: after an edit of the copy, the finding on the other still points at the copy', { timeout }, async () => {
    // WorkspaceIndex.currentEntry() took the first entry of the file with the same kind,
    // namespace and name for a re-analysed one: the cached finding on the first VirtualService
    // pointed at itself once the second was edited (below its name, so nothing moved).
    const vs = (weight: number): string => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: twin\n  namespace: demo\nspec:\n  hosts: [twin]\n  http:\n  - route:\n    - destination: {host: twin}\n      weight: ${weight}\n`;
    const text = `${vs(100)}---\n${vs(100)}`;
    const uri = await open('im3006-same-file.yaml', text);
    const first = (): number[] => (client.latest(uri) ?? []).filter((d: Diagnostic) => d.code === 'IM3006' && d.range.start.line === 3).flatMap((d: Diagnostic) => (d.relatedInformation ?? []).map((info) => info.location.range.start.line));
    assert.deepEqual(first(), [15]);
    // an editor's incremental change, inside the second copy only: its weight 100 → 90
    const line = text.split('\n').lastIndexOf('      weight: 100');
    await client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: { line, character: 14 }, end: { line, character: 17 } }, text: '90' }] });
    await client.waitForDiagnostics(uri, (d) => d.version === version, 15_000);
    assert.deepEqual(first(), [15]);
  });

  test('a cluster domain set and reset leaves no Service behind: IST0174 does not claim Services that are gone', { timeout }, async () => {
    // (found by the project's fuzz, scripts/fuzz.ts, seed 1201) WorkspaceIndex.reconfigure() set
    // the new context before taking the files out, so each Service was looked for under the new
    // cluster domain and stayed indexed under the old one: after corp.local and back, a
    // namespace whose Services were all deleted still "holds other Services", for ever.
    const ownRoot = mkdtempSync(join(tmpdir(), 'istio-mirror-domain-'));
    const own = new LspClient({ rootPath: ownRoot, settings: { istioMirror: {} } });
    await own.initialize();
    try {
      let v = 0;
      const uriOf = (file: string): string => pathToFileURL(join(ownRoot, file)).toString();
      const svc = uriOf('service.yaml');
      const dr = uriOf('rule.yaml');
      const configure = async (settings: Record<string, unknown>): Promise<void> => {
        own.settings = { istioMirror: settings };
        await own.notify('workspace/didChangeConfiguration', { settings: null });
        await sleep(800);
      };
      await own.notify('textDocument/didOpen', { textDocument: { uri: svc, languageId: 'yaml', version: ++v, text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  ports:\n  - {name: http, port: 80}\n' } });
      await own.notify('textDocument/didOpen', { textDocument: { uri: dr, languageId: 'yaml', version: ++v, text: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  host: cart\n' } });
      await own.waitForDiagnostics(dr, (d) => d.version === v, 15_000);
      await sleep(300);
      assert.deepEqual((own.latest(dr) ?? []).map((d: Diagnostic) => d.code), ['IST0174'], 'cart: no such Service, while shop holds ratings');
      await configure({ clusterDomain: 'corp.local' });
      await configure({});
      await own.notify('textDocument/didChange', { textDocument: { uri: svc, version: ++v }, contentChanges: [{ text: '# ratings is gone\n' }] });
      await own.waitForDiagnostics(svc, (d) => d.version === v, 15_000);
      await sleep(500);
      assert.deepEqual((own.latest(dr) ?? []).map((d: Diagnostic) => d.code), [], 'no Service of shop is left: nothing to compare cart with');
    } finally {
      await own.shutdown();
      rmSync(ownRoot, { recursive: true, force: true });
    }
  });

  test('IM3004 quotes the other DestinationRule\'s labels as they are after an edit there', { timeout }, async () => {
    // The DestinationRule signature held the subset names, not their labels: the other rule's
    // "… and they differ (version=v1 here, no labels there)" was not re-published.
    const a = await open('im3004-labels-a.yaml', rule('left', 'labels'));
    const b = await open('im3004-labels-b.yaml', rule('right', 'labels'));
    const message = (): string => String((client.latest(a) ?? []).find((d: Diagnostic) => d.code === 'IM3004')?.message);
    assert.doesNotMatch(message(), /differ/);
    await change(b, rule('right', 'labels').replace('    labels: {version: v1}\n', ''));
    assert.match(message(), /they differ \(version=v1 here, no labels there\)/);
  });

  test('the quick fix that quotes a number also drops its `!!int` tag, so the diagnostic goes', { timeout }, async () => {
    // replaceNode() replaced the value's range, which starts after the tag: `!!int 5` became
    // `!!int "5"`, still the number 5, and IM1004 stayed.
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: tagged\n  namespace: !!int 5\nspec:\n  host: tagged\n';
    const uri = await open('tagged-namespace.yaml', text);
    const diagnostic = (client.latest(uri) ?? []).find((d: Diagnostic) => d.code === 'IM1004');
    assert.ok(diagnostic, JSON.stringify(client.latest(uri)));
    type Action = { title: string; edit?: { changes?: Record<string, { range: Diagnostic['range']; newText: string }[]> } };
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const quote = actions.find((action) => action.title.startsWith('Quote'));
    assert.ok(quote?.edit?.changes?.[uri], JSON.stringify(actions));
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    const fixed = TextDocument.applyEdits(doc, quote.edit.changes[uri]);
    assert.equal(fixed.split('\n')[4], '  namespace: "5"');
    await change(uri, fixed);
    assert.deepEqual((client.latest(uri) ?? []).map((d: Diagnostic) => d.code).filter((code) => code === 'IM1004'), []);
  });

  test('a settings change re-publishes the files that are not open too', { timeout }, async () => {
    // settingsSync.ts re-published the open documents only: a closed file kept the findings of
    // the old settings (severities, default namespace, cluster domain) in the Problems panel.
    const ownRoot = mkdtempSync(join(tmpdir(), 'istio-mirror-settings-'));
    writeFileSync(join(ownRoot, 'closed.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: closed\n  namespace: demo\nspec:\n  hosts: [closed]\n  http:\n  - route:\n    - destination: {host: closed}\n    mirror: {host: closed-canary}\n    mirrorPercentage: {value: 150}\n');
    const own = new LspClient({ rootPath: ownRoot, settings: { istioMirror: {} } });
    await own.initialize();
    try {
      const uri = pathToFileURL(join(ownRoot, 'closed.yaml')).toString();
      await own.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'IM2002'), 30_000);
      own.settings = { istioMirror: { severity: { IM2002: 'off' } } };
      await own.notify('workspace/didChangeConfiguration', { settings: null });
      await sleep(1500);
      assert.deepEqual((own.latest(uri) ?? []).map((d: Diagnostic) => d.code).filter((code) => code === 'IM2002'), []);
    } finally {
      await own.shutdown();
      rmSync(ownRoot, { recursive: true, force: true });
    }
  });

  test('of two Services with one name, the same one counts whatever order the files were opened in', { timeout }, async () => {
    // (scripts/grammarFuzz.ts, seed 104, step 6000) servicesByHost kept the Services in the order
    // they were indexed or edited: the incremental server took one (with a selector: IST0173 on
    // the subset), a fresh server, indexing in file order, the other (no selector: nothing to say).
    const service = (selector: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: basket\n  namespace: order\nspec:\n${selector}  ports:\n  - {name: http, port: 80}\n`;
    await open('twin-z-service.yaml', service('  selector: {app: basket}\n'));
    await open('twin-pods.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: basket-v1\n  namespace: order\nspec:\n  selector:\n    matchLabels: {app: basket, version: v1}\n  template:\n    metadata:\n      labels: {app: basket, version: v1}\n    spec:\n      containers:\n      - {name: basket, image: basket:1}\n');
    const dr = await open('twin-rule.yaml', rule('basket', 'basket').replace('namespace: demo', 'namespace: order').replace('version: v1', 'version: v2'));
    assert.deepEqual((client.latest(dr) ?? []).map((d: Diagnostic) => d.code), ['IST0173']);
    await open('twin-a-service.yaml', service(''));
    // a-… comes first in file order: the Service without a selector, whose pods are not known
    assert.deepEqual((client.latest(dr) ?? []).map((d: Diagnostic) => d.code).filter((code) => code !== 'IM3006'), []);
  });
});
