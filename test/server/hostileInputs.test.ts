// Hostile inputs of issue 12 through the real `istio-mirror-language-server --stdio` process
// (the CLI cases are in test/cli/hostileInputs.test.ts): documents nested thousands of levels
// deep, megabyte-long names that "did you mean" would compare, and the files that made checks
// quadratic. Every file is generated here, none is committed. Each case prints its time and
// peak memory; no speed is asserted (the bounds of hostileWorkspace.ts only turn a hang or a
// blow-up into a failure).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClear, hostileCase, normalDestinationRule, timeout } from '../helpers/hostileWorkspace';

const virtualServiceHead = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: deep\n  namespace: demo\nspec:\n';

describe('hostile inputs through the language server (issue 12)', () => {
  test('1,000 nested flow mappings: completion anywhere is answered and the server lives', { timeout }, async () => {
    // The parser recursed once per level; at ~850 levels V8's stack ran out while it compiled a
    // regular expression, and the process aborted (SIGABRT).
    const braces = `${'{'.repeat(1000)}${'}'.repeat(1000)}`;
    const inVirtualService = `${virtualServiceHead}  hosts: [reviews]\n  http: ${'{'.repeat(1000)}${'}'.repeat(1000)}\n`;
    await hostileCase({ 'braces.yaml': braces }, async (workspace) => {
      const uri = workspace.uri('braces.yaml');
      const published = await workspace.open(uri, braces);
      assert.deepEqual(published.diagnostics, [], 'a document that is no resource gets no diagnostics');
      for (const character of [0, 1, 500, 999, 1000, 1500, 2000]) {
        await workspace.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character } });
      }
      workspace.sample('after completion in 1,000 nested braces');
      await workspace.askEverything(uri, braces, published.diagnostics);
    });
    await hostileCase({ 'deep-vs.yaml': inVirtualService }, async (workspace) => {
      const vsUri = workspace.uri('deep-vs.yaml');
      const vs = await workspace.open(vsUri, inVirtualService);
      assertClear(inVirtualService, vs.diagnostics, 'deep-vs.yaml');
      for (const character of [8, 300, 1008, 2008]) {
        await workspace.request('textDocument/completion', { textDocument: { uri: vsUri }, position: { line: 7, character } });
      }
      await workspace.askEverything(vsUri, inVirtualService, vs.diagnostics);
      assert.deepEqual(vs.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`), ['IM0003@7'], 'the VirtualService is reported as too deep to check, on the line where it gets too deep');
      assert.match(String(vs.diagnostics[0].message), /nested more than 128 levels/);
    });
  });

  test('100,000 nested `[`: edited, then every request answered (bare and in a VirtualService)', { timeout }, async () => {
    const bare = '['.repeat(100_000);
    await hostileCase({ 'bare-brackets.yaml': bare }, async (workspace) => {
      const uri = workspace.uri('bare-brackets.yaml');
      await workspace.open(uri, bare);
      const edited = await workspace.change(uri, { start: { line: 0, character: 50_000 }, end: { line: 0, character: 50_000 } }, 'a');
      assert.deepEqual(edited.diagnostics, [], 'no resource, no diagnostics');
      await workspace.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 50_001 } });
      await workspace.askEverything(uri, bare, []);
    });
    const text = `${virtualServiceHead}  hosts: ${'['.repeat(100_000)}\n`;
    const blockDeep = `${virtualServiceHead}${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(2 + i)}k${i}:`).join('\n')} x\n`;
    await hostileCase({ 'brackets.yaml': text }, async (workspace) => {
      const uri = workspace.uri('brackets.yaml');
      const published = await workspace.open(uri, text);
      assertClear(text, published.diagnostics, 'brackets.yaml');
      const edited = await workspace.change(uri, { start: { line: 6, character: 9 }, end: { line: 6, character: 9 } }, 'reviews, ');
      assertClear(text, edited.diagnostics, 'brackets.yaml after an edit');
      await workspace.request('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 50_000 } });
      await workspace.askEverything(uri, text, edited.diagnostics);
      assert.deepEqual(published.diagnostics.map((d) => String(d.code)), ['IM0003'], 'reported as too deep to check');

    });
    // The same depth reached by indentation (3,000 ever deeper keys).
    await hostileCase({ 'indented.yaml': blockDeep }, async (workspace) => {
      const indentedUri = workspace.uri('indented.yaml');
      const indented = await workspace.open(indentedUri, blockDeep);
      await workspace.askEverything(indentedUri, blockDeep, indented.diagnostics);
      assert.deepEqual(indented.diagnostics.map((d) => String(d.code)), ['IM0003']);
    });
  });

  test('"did you mean" on two 1 MB subset names: the finding is published, without the names in full', { timeout }, async () => {
    // The edit distance took a len(a) × len(b) matrix: 1 MB × 1 MB is out of memory.
    const defined = 'a'.repeat(1024 * 1024);
    const referenced = 'b'.repeat(1024 * 1024);
    const rule = normalDestinationRule.replace('- {name: v2, labels: {version: v2}}', `- {name: ${defined}, labels: {version: v2}}`);
    const routes = `${virtualServiceHead.replace('deep', 'reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: ${referenced}}\n    - destination: {host: reviews, subset: ${'a'.repeat(12_000)}b}\n`;
    await hostileCase({ 'dr.yaml': rule, 'vs.yaml': routes }, async (workspace) => {
      const uri = workspace.uri('vs.yaml');
      const published = await workspace.open(uri, routes);
      assertClear(routes, published.diagnostics, 'vs.yaml');
      assert.equal(published.diagnostics.filter((d) => d.code === 'IST0101').length, 2, `both missing subsets are found: ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
      for (const diagnostic of published.diagnostics) assert.ok(String(diagnostic.message).length < 1000, `the message quotes long names shortened: ${String(diagnostic.message).length} characters`);
      // Typing in the long name: every keystroke is re-checked.
      for (let i = 0; i < 5; i++) await workspace.change(uri, { start: { line: 10, character: 40 }, end: { line: 10, character: 40 } }, 'a');
      await workspace.askEverything(uri, routes, published.diagnostics, 'middle');
    });
  });
});
