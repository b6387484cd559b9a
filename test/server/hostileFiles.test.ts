// Robustness (issue 6): hostile files through the real `istio-mirror-language-server --stdio`
// process — YAML alias bombs, a 10 MB file, a 100,000-line single document, binary bytes, a
// file deleted on disk while open and a watched-file delete of a closed one. Each is indexed
// from disk and opened, then asked every request the editor asks; the server must answer with
// silence or a clear diagnostic, stay under a memory bound (VmRSS / VmHWM of the server
// process from /proc), stay alive, log no handler exception, and still serve a normal
// document afterwards.
//
// No speed is asserted: the generous bounds only turn a hang into a failure.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { assertClear, bound, hostileCase, normalDestinationRule, normalVirtualService, sleep, timeout, within } from '../helpers/hostileWorkspace';

/** Nine levels of nine aliases each: 9^9 = 387 million leaves when expanded. */
function billionLaughs(indent: string): string {
  const lines = [`${indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let level = 1; level < 9; level++) lines.push(`${indent}l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
  return lines.join('\n');
}

describe('hostile files through the language server', () => {
  test('YAML alias bombs in a VirtualService and a DestinationRule: a clear diagnostic, every request answered, memory bounded', { timeout }, async () => {
    // The bomb where the schema walks (spec), where only metadata is (annotations), and where the
    // model takes subsets and destinations from (an aliased list in the DestinationRule, aliases
    // as mirror and route destinations).
    const inSpec = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bomb\n  namespace: demo\nspec:\n  hosts: [bomb]\n${billionLaughs('  ')}\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n    mirror: *l8\n`;
    const inMetadata = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bomb-meta\n  namespace: demo\n  annotations:\n${billionLaughs('    ')}\nspec:\n  hosts: [bomb-meta]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      headers: {request: {set: *l8}}\n`;
    const inRule = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: bomb-rule\n  namespace: demo\n  labels:\n${billionLaughs('    ')}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: *l8\n  - name: v2\n    labels: {version: v2}\n    trafficPolicy: {loadBalancer: *l8}\n`;
    const files = { 'bomb-spec.yaml': inSpec, 'bomb-meta.yaml': inMetadata, 'bomb-rule.yaml': inRule, 'dr.yaml': normalDestinationRule };
    await hostileCase(files, async (workspace) => {
      for (const [name, text] of Object.entries(files)) {
        if (name === 'dr.yaml') continue;
        const published = await workspace.open(workspace.uri(name), text);
        assertClear(text, published.diagnostics, name);
        if (name !== 'bomb-rule.yaml') assert.ok(published.diagnostics.some((d) => d.code === 'IM0002'), `${name}: the alias bomb is reported: ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
        workspace.sample(`after opening ${name}`);
        await workspace.askEverything(workspace.uri(name), text, published.diagnostics);
      }
    });
  });

  test('a 10 MB file of many resources: indexed, opened, edited in the middle, every request answered, memory bounded', { timeout }, async () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const part = i % 2 === 0
        ? `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: svc-${i}\n  namespace: demo\nspec:\n  hosts: [svc-${i}]\n  http:\n  - match:\n    - headers: {x-canary: {exact: "true"}}\n    route:\n    - destination: {host: svc-${i - 1 < 0 ? 1 : i + 1}, subset: v1}\n      weight: 90\n    - destination: {host: svc-${i + 1}, subset: v2}\n      weight: 10\n    mirror: {host: svc-${i + 1}, subset: ${i % 1000 === 0 ? 'v9' : 'v2'}}\n    mirrorPercentage: {value: ${i % 700 === 0 ? 150 : 10}}\n  - route:\n    - destination: {host: svc-${i + 1}, subset: v1}\n`
        : `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: svc-${i}\n  namespace: demo\nspec:\n  host: svc-${i}\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n`;
      parts.push(part);
      size += part.length + 4;
    }
    const text = parts.join('---\n');
    await hostileCase({ 'big.yaml': text }, async (workspace) => {
      const uri = workspace.uri('big.yaml');
      const published = await workspace.open(uri, text);
      assertClear(text, published.diagnostics, 'big.yaml');
      const codes = new Set(published.diagnostics.map((d) => String(d.code)));
      assert.ok(codes.has('IM2002') && codes.has('IST0101'), `the injected errors are found: ${[...codes].join(', ')}`);
      workspace.sample('after opening the 10 MB file');
      const middle = TextDocument.create(uri, 'yaml', 1, text).positionAt(Math.floor(text.length / 2));
      const edited = await workspace.change(uri, { start: { line: middle.line, character: 0 }, end: { line: middle.line, character: 0 } }, '# an edit in the middle\n');
      assertClear(text, edited.diagnostics, 'big.yaml after an edit');
      workspace.sample('after an edit in the middle');
      await workspace.askEverything(uri, text, published.diagnostics, 'middle');
    });
  });

  test('a 100,000-line single document: indexed, opened, edited, every request answered, memory bounded', { timeout }, async () => {
    // A DestinationRule with 50,000 subsets, and a VirtualService in another file that refers to
    // them (cross-file lookups against the huge rule).
    const lines = ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: huge', '  namespace: demo', 'spec:', '  host: huge', '  subsets:'];
    for (let i = 0; lines.length < 100_000; i++) lines.push(`  - name: s${i}`, `    labels: {version: s${i}}`);
    lines.push('  - name: s0', '    labels: {version: again}');
    const text = `${lines.join('\n')}\n`;
    const routes = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: huge\n  namespace: demo\nspec:\n  hosts: [huge]\n  http:\n  - route:\n    - destination: {host: huge, subset: s49000}\n    mirror: {host: huge, subset: s99999}\n    mirrorPercentage: {value: 5}\n`;
    await hostileCase({ 'huge.yaml': text, 'vs.yaml': routes }, async (workspace) => {
      const uri = workspace.uri('huge.yaml');
      const published = await workspace.open(uri, text);
      assertClear(text, published.diagnostics, 'huge.yaml');
      assert.deepEqual(published.diagnostics.map((d) => String(d.code)), ['IM2201'], 'the duplicate subset at the end is found');
      workspace.sample('after opening the 100,000-line document');
      const vsUri = workspace.uri('vs.yaml');
      const vsDiagnostics = await workspace.open(vsUri, routes);
      assert.deepEqual(vsDiagnostics.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`), ['IST0101@10'], 'the subsets of the huge rule are known to the VirtualService');
      const edited = await workspace.change(uri, { start: { line: 50_000, character: 0 }, end: { line: 50_000, character: 0 } }, '  # typed in the middle\n');
      assertClear(text, edited.diagnostics, 'huge.yaml after an edit');
      workspace.sample('after an edit in the middle');
      await workspace.askEverything(uri, text, published.diagnostics);
      await workspace.askEverything(vsUri, routes, vsDiagnostics.diagnostics);
    });
  });

  test('binary bytes: silence, every request answered', { timeout }, async () => {
    // Random bytes hold lone CRs, line breaks for LSP but not for the service, so LSP lines
    // past the service's last line reach completionContext.ts lineShape() → TypeError (logged).
    const bytes = Buffer.alloc(1024 * 1024);
    let state = 12345;
    for (let i = 0; i < bytes.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      bytes[i] = state >>> 24;
    }
    // the kind line makes the bytes look like one of ours to a careless check
    const withHeader = Buffer.concat([Buffer.from('apiVersion: networking.istio.io/v1\nkind: VirtualService\n'), bytes]);
    await hostileCase({ 'binary.yaml': bytes, 'binary-istio.yaml': withHeader }, async (workspace) => {
      for (const [name, content] of [['binary.yaml', bytes], ['binary-istio.yaml', withHeader]] as const) {
        const uri = workspace.uri(name);
        const text = content.toString('utf8'); // what an editor shows: U+FFFD for invalid sequences
        const published = await workspace.open(uri, text);
        if (name === 'binary.yaml') assert.deepEqual(published.diagnostics, [], 'binary bytes get no diagnostics');
        else assertClear(text, published.diagnostics, name);
        workspace.sample(`after opening ${name}`);
        await workspace.askEverything(uri, text, published.diagnostics);
      }
    });
  });

  test('a file deleted on disk while open, and a watched-file delete of a closed one', { timeout }, async () => {
    const ratingsRule = normalDestinationRule.replace(/reviews/g, 'ratings');
    const virtualServices = `${normalVirtualService.replace('value: 150', 'value: 10')}---\n${normalVirtualService.replace(/reviews/g, 'ratings').replace('value: 150', 'value: 10')}`;
    await hostileCase({ 'vs.yaml': virtualServices, 'dr.yaml': normalDestinationRule, 'dr-ratings.yaml': ratingsRule }, async (workspace) => {
      const vsUri = workspace.uri('vs.yaml');
      const drUri = workspace.uri('dr.yaml');
      const ratingsUri = workspace.uri('dr-ratings.yaml');
      assert.deepEqual((await workspace.open(vsUri, virtualServices)).diagnostics, [], 'both rules are indexed: every subset is found');
      const ist0101 = (): number => (workspace.client.latest(vsUri) ?? []).filter((d) => d.code === 'IST0101').length;

      // dr.yaml is open, then deleted on disk: the editor still has it, so nothing changes…
      await workspace.open(drUri, normalDestinationRule);
      rmSync(join(workspace.root, 'dr.yaml'));
      await workspace.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: drUri, type: 3 }] });
      await sleep(300);
      assert.equal(ist0101(), 0, 'the open (deleted) rule still counts while open');
      assert.ok(await workspace.request('textDocument/hover', { textDocument: { uri: drUri }, position: { line: 8, character: 6 } }) !== undefined);
      await workspace.askEverything(drUri, normalDestinationRule, []);
      // …until it is closed: its subsets are gone.
      await workspace.client.notify('textDocument/didClose', { textDocument: { uri: drUri } });
      await within((async () => { while (ist0101() !== 2) await sleep(20); })(), bound, 'IST0101 for reviews v1 and v2 after closing the deleted rule');

      // dr-ratings.yaml was never open: a watched-file delete removes its subsets.
      rmSync(join(workspace.root, 'dr-ratings.yaml'));
      await workspace.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: ratingsUri, type: 3 }] });
      await within((async () => { while (ist0101() !== 4) await sleep(20); })(), bound, 'IST0101 for ratings v1 and v2 after the watched delete');

      // Requests about the deleted files are answered (null), not errors.
      await workspace.request('textDocument/hover', { textDocument: { uri: ratingsUri }, position: { line: 0, character: 0 } });
      await workspace.request('textDocument/documentSymbol', { textDocument: { uri: drUri } });
      // A delete notification for a file that never existed is harmless.
      await workspace.client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: workspace.uri('never.yaml'), type: 3 }, { uri: workspace.uri('never.yaml'), type: 2 }] });
      workspace.sample('after the deletes');
    });
  });
});
