// Hostile inputs of issue 12 through the real `istio-mirror-language-server --stdio` process
// (the CLI cases are in test/cli/hostileInputs.test.ts): documents nested thousands of levels
// deep, megabyte-long names that "did you mean" would compare, the files that made checks
// quadratic, scaffold requests with values that would inject YAML, completion on lines of a
// million spaces, and edits after which the incremental diagnostics must equal a fresh server's. Every file is generated here, none is committed. Each case prints its time and
// peak memory; no speed is asserted (the bounds of hostileWorkspace.ts only turn a hang or a
// blow-up into a failure).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { assertClear, hostileCase, normalDestinationRule, sleep, timeout, within } from '../helpers/hostileWorkspace';

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

  test('a header or query parameter named `__proto__` is a condition like any other: the next rule stays reachable', { timeout }, async () => {
    const text = `${virtualServiceHead.replace('deep', 'reviews')}  hosts: [reviews]
  http:
  - match:
    - headers:
        __proto__: {exact: "1"}
    route:
    - destination: {host: reviews, subset: v1}
  - match:
    - headers:
        __proto__: {exact: "2"}
    route:
    - destination: {host: reviews, subset: v2}
  - match:
    - queryParams:
        __proto__: {exact: "1"}
    route:
    - destination: {host: reviews, subset: v2}
  - route:
    - destination: {host: reviews, subset: v1}
`;
    await hostileCase({ 'vs.yaml': text, 'dr.yaml': normalDestinationRule }, async (workspace) => {
      const published = await workspace.open(workspace.uri('vs.yaml'), text);
      assert.deepEqual(published.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`), [], 'no rule is unreachable: the first three match only some requests');
      const split = await workspace.request<{ virtualServices: { routes: { match: unknown; reachable: boolean }[] }[] }>('istio/trafficSplit', { uri: workspace.uri('vs.yaml') });
      assert.deepEqual(split.virtualServices[0].routes.map((route) => route.reachable), [true, true, true, true], JSON.stringify(split.virtualServices[0].routes.map((route) => route.match)));
    });
  });

  test('names holding backticks, links and images stay inside their code spans in hovers and completion docs', { timeout }, async () => {
    const evil = 'v1`![x](https://evil.example/i.png)[click](https://evil.example)`<img src=x>';
    const rule = normalDestinationRule.replace('- {name: v1, labels: {version: v1}}', `- {name: '${evil}', labels: {version: '\`![y](https://evil.example/l.png)'}}`);
    const text = `${virtualServiceHead.replace('deep', 'reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: '${evil}'}\n      weight: 90\n    - destination: {host: reviews, subset: ''}\n      weight: 10\n`;
    /** The Markdown outside code spans (CommonMark: a span closes only at a backtick run of the same length). */
    const outsideCode = (markdown: string): string => markdown.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
    await hostileCase({ 'vs.yaml': text, 'dr.yaml': rule }, async (workspace) => {
      const uri = workspace.uri('vs.yaml');
      await workspace.open(uri, text);
      const markdowns: string[] = [];
      for (const position of [{ line: 9, character: 45 }, { line: 9, character: 30 }, { line: 6, character: 10 }, { line: 8, character: 5 }]) {
        const hover = await workspace.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position });
        if (hover) markdowns.push(hover.contents.value);
      }
      const completion = await workspace.request<{ items: { documentation?: { value: string } }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 11, character: 43 } });
      for (const item of completion.items) if (item.documentation?.value) markdowns.push(item.documentation.value);
      assert.ok(markdowns.some((markdown) => markdown.includes('evil.example')), `the hostile name is shown somewhere: ${JSON.stringify(markdowns).slice(0, 500)}`);
      for (const markdown of markdowns) {
        // Outside code spans only escaped text: no image, link or HTML opens there.
        assert.doesNotMatch(outsideCode(markdown), /(?<!\\)!\[|(?<!\\)\]\(|(?<!\\)<img/, `outside code spans: ${outsideCode(markdown)}`);
      }
    });
  });
});

describe('scaffold inputs, long lines, big lists and edits through the language server (issue 12)', () => {
  test('istio/scaffoldCanary refuses values that would inject YAML, naming the field; valid answers still get YAML', { timeout }, async () => {
    // The workspace's Service has a selector value with a line break (a quoted scalar): the
    // scaffold reuses the selector for the pods' labels, so it must write it quoted.
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: shop, namespace: demo}\nspec:\n  selector: {app: shop, tier: "web\\nkind: Secret"}\n  ports: [{port: 80}]\n';
    await hostileCase({ 'svc.yaml': service }, async (workspace) => {
      const scaffold = async (options: unknown): Promise<{ text?: string; error?: { code: number; message: string; data?: { problems: { field: string; message: string }[] } } }> => {
        try {
          return { text: (await workspace.request<{ text: string }>('istio/scaffoldCanary', options)).text };
        } catch (error) {
          return { error: error as { code: number; message: string; data?: { problems: { field: string; message: string }[] } } };
        }
      };
      const bad: [string, unknown][] = [
        ['app', { app: 'shop\nkind: Secret' }],
        ['namespace', { namespace: 'demo\n  labels: {x: y}' }],
        ['stableVersion', { stableVersion: 'v1\n---\nkind: Secret' }],
        ['canaryVersion', { canaryVersion: 'v2 # comment' }],
        ['canaryVersion', { stableVersion: 'v1', canaryVersion: 'v1' }],
        ['stableImage', { stableImage: 'nginx\n        command: [rm]' }],
        ['canaryImage', { canaryImage: 'reg.example.com\u0085evil/app:v2' }],
        ['port', { port: 0 }],
        ['port', { port: 70_000 }],
        ['port', { port: 80.5 }],
        ['port', { port: '80\nx: y' }],
        ['mirrorPercentage', { mirrorPercentage: 101 }],
        ['mirrorPercentage', { mirrorPercentage: -1 }],
        ['mirrorHeader.name', { mirrorHeader: { name: 'x-mirror:\n  evil', value: 'true' } }],
        ['mirrorHeader.value', { mirrorHeader: { name: 'x-mirror', value: 'true\n# injected' } }],
        ['mirrorHeader.value', { mirrorHeader: { name: 'x-mirror', value: 'a\u2028b' } }],
        ['apiVersion', { apiVersion: 'networking.istio.io/v1\nkind: Secret' }],
        ['apiVersion', { apiVersion: 'networking.istio.io/v2' }],
        ['api', { api: 'kubernetes' }],
        ['disableCanaryWrites', { disableCanaryWrites: 'no' }],
        ['stableVersion', { api: 'gateway-api', app: 'a'.repeat(40), stableVersion: 'b'.repeat(30) }],
      ];
      for (const [field, options] of bad) {
        const answer = await scaffold(options);
        assert.equal(answer.text, undefined, `${JSON.stringify(options)}: no YAML, got ${answer.text?.slice(0, 300)}`);
        assert.equal(answer.error?.code, -32602, `${JSON.stringify(options)}: an InvalidParams error, got ${JSON.stringify(answer.error)}`);
        assert.ok(answer.error?.data?.problems.some((problem) => problem.field === field), `${JSON.stringify(options)}: the error names ${field}: ${JSON.stringify(answer.error?.data)}`);
        assert.ok(answer.error.message.includes(field) && !/\n/.test(answer.error.message), `one line naming the field: ${answer.error.message}`);
      }
      // Every valid answer (and the workspace's selector) gives YAML of the expected documents only.
      const good = await scaffold({ app: 'shop', namespace: 'demo', port: 8080, stableVersion: 'v1', canaryVersion: 'v2', stableImage: 'registry.example.com/team/shop:1.4', canaryImage: 'localhost:5000/shop@sha256:abc', mirrorPercentage: 0.5, mirrorHeader: { name: 'X-Mirror', value: 'yes please' } });
      assert.ok(good.text, `valid answers are written: ${JSON.stringify(good.error)}`);
      const kinds = [...good.text.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]);
      assert.deepEqual(kinds, ['Deployment', 'Deployment', 'DestinationRule', 'VirtualService'], good.text);
      assert.ok(good.text.includes('tier: "web\\nkind: Secret"'), `the workspace's selector value is quoted: ${good.text}`);
      const uri = workspace.uri('scaffold.yaml');
      const published = await workspace.open(uri, good.text);
      assert.deepEqual(published.diagnostics.filter((d) => d.severity === 1).map((d) => `${String(d.code)}: ${d.message}`), [], 'the scaffold has no errors');
      // The workspace setting is checked too (a workspace may set it in its .vscode/settings.json).
      workspace.client.settings = { istioMirror: { defaultApiVersion: 'networking.istio.io/v1\nkind: Secret' } };
      await workspace.client.notify('workspace/didChangeConfiguration', { settings: null });
      let fromSetting: Awaited<ReturnType<typeof scaffold>> = {};
      for (let tries = 0; tries < 100; tries++) {
        fromSetting = await scaffold({ app: 'other' });
        if (fromSetting.error) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(String(fromSetting.error?.message), /istioMirror\.defaultApiVersion/, `the setting is named: ${JSON.stringify(fromSetting)}`);
      // Completion's skeletons and apiVersion values write a known version instead.
      const emptyUri = workspace.uri('empty.yaml');
      await workspace.open(emptyUri, '');
      const skeletons = await workspace.request<{ items: { insertText?: string; textEdit?: { newText: string } }[] }>('textDocument/completion', { textDocument: { uri: emptyUri }, position: { line: 0, character: 0 } });
      const inserted = skeletons.items.map((item) => item.textEdit?.newText ?? item.insertText ?? '');
      assert.ok(inserted.some((text) => text.includes('apiVersion: networking.istio.io/v1\n')), `a skeleton with the default version: ${inserted.join(' | ').slice(0, 500)}`);
      assert.ok(inserted.every((text) => !text.includes('Secret')), 'the setting is not written into the skeletons');
      workspace.client.settings = { istioMirror: {} };
      await workspace.client.notify('workspace/didChangeConfiguration', { settings: null });
    });
  });

  test('completion on a 1,000,000-space line and a 20,000-character line with 5,000 colons is answered', { timeout }, async () => {
    // The key pattern of the completion context (`[^:#]*?\s*:`) and the `…*$` word-start
    // patterns retried every split of a run of spaces: 26 s for one completion at the end of a
    // 200,000-space value, and every line above the cursor is scanned. (The 5,000 colons cost
    // 0.5 s per completion: the key before each colon was matched on a copy of the line so far.)
    const spaces = ' '.repeat(1_000_000);
    const colons = 'aaa:'.repeat(5000);
    const text = `${virtualServiceHead.replace('deep', 'reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 100${spaces}x\n    mirror: ${colons}\n    a${spaces}b\n    mirrorPercentage: {value: 5}${spaces}\n    \n`;
    await hostileCase({ 'vs.yaml': text, 'dr.yaml': normalDestinationRule }, async (workspace) => {
      const uri = workspace.uri('vs.yaml');
      const published = await workspace.open(uri, text);
      assertClear(text, published.diagnostics, 'vs.yaml');
      const lines = text.split('\n');
      const started = Date.now();
      const positions = [[10, 17], [10, 500_000], [10, lines[10].length], [11, 12], [11, 10_000], [11, lines[11].length], [12, 5], [12, lines[12].length], [13, lines[13].length], [14, 4], [9, 10], [3, 2]];
      const labels: string[][] = [];
      await within((async () => {
        for (const [line, character] of positions) {
          const list = await workspace.request<{ items: { label: string }[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
          labels.push((list?.items ?? []).map((item) => item.label));
        }
      })(), 120_000, 'completion on the long lines');
      console.log(`  ${positions.length} completions on the long lines: ${((Date.now() - started) / 1000).toFixed(2)} s`);
      workspace.sample('after completion on the long lines');
      // Below the long lines the context is still read: a new key of the route gets the route's keys.
      assert.ok(labels[9]!.includes('timeout'), `keys of an HTTP route on the line after the long ones: ${labels[9]!.slice(0, 20).join(', ')}`);
      await workspace.askEverything(uri, text, published.diagnostics);
    });
  });

  test('200,000 keys, 50,000 keys with a duplicate, 60,000 hosts: indexed and checked in linear time', { timeout }, async () => {
    // `yaml`'s uniqueKeys compared each key with every earlier one of its mapping, in every
    // parsed document (a kind-less mapping of 200,000 keys: over 5 minutes); the duplicate-host
    // check compared each host with every earlier one (60,000 hosts and a wildcard: 150 s).
    const keys = `${Array.from({ length: 200_000 }, (_, i) => `k${i}: v`).join('\n')}\n`;
    const ourKeys = `${virtualServiceHead.replace('deep', 'labelled').replace('  namespace: demo\n', '  namespace: demo\n  labels:\n')}`.replace('spec:\n', `${Array.from({ length: 50_000 }, (_, i) => `    k${i}: v`).join('\n')}\n    k7: again\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n`);
    const hosts = `${virtualServiceHead.replace('deep', 'many')}  hosts:\n${Array.from({ length: 60_000 }, (_, i) => `  - h${i}.example.com`).join('\n')}\n  - "*.example.com"\n  - h7.example.com\n  http:\n  - route:\n    - destination: {host: h1.example.com}\n`;
    await hostileCase({ 'keys.yaml': keys }, async (workspace) => {
      const published = await workspace.open(workspace.uri('keys.yaml'), keys);
      assert.deepEqual(published.diagnostics, [], 'a mapping that is no resource gets no diagnostics');
      await workspace.askEverything(workspace.uri('keys.yaml'), keys, [], 'middle');
    });
    await hostileCase({ 'labels.yaml': ourKeys, 'dr.yaml': normalDestinationRule }, async (workspace) => {
      const published = await workspace.open(workspace.uri('labels.yaml'), ourKeys);
      assert.deepEqual(published.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`), ['IM0001@50006:4'], 'the one duplicate key, where it is');
      assert.match(String(published.diagnostics[0]!.message), /Map keys must be unique/);
      await workspace.askEverything(workspace.uri('labels.yaml'), ourKeys, published.diagnostics, 'middle');
    });
    await hostileCase({ 'hosts.yaml': hosts }, async (workspace) => {
      const published = await workspace.open(workspace.uri('hosts.yaml'), hosts);
      const overlaps = published.diagnostics.filter((d) => d.code === 'IM2114');
      assert.deepEqual(overlaps.map((d) => `${d.range.start.line}: ${String(d.message).split(';')[0]!}`), [
        '60007: Host "*.example.com" overlaps "h0.example.com" listed before it',
        '60008: Host "h7.example.com" overlaps "h7.example.com" listed before it',
      ]);
      await workspace.askEverything(workspace.uri('hosts.yaml'), hosts, published.diagnostics, 'middle');
    });
  });

  test('two VirtualServices of one name in a file: after edits, the related locations are a fresh server\'s', { timeout }, async () => {
    // A finding cached in another file (IM3006, "also defined in …") holds the twins' index
    // entries; when an edit re-analysed one, it was looked up again by name and found the first
    // twin: both related locations pointed at it, where a fresh server points at each. The BOM in
    // a DestinationRule's subset name is the edit that makes the other file be published again.
    const routes = (name: string, host: string, subset: string): string => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: demo\nspec:\n  hosts: [${host}]\n  http:\n  - route:\n    - destination: {host: ${host}, subset: ${subset}}\n`;
    const rule = (subset: string): string => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ratings\n  namespace: demo\nspec:\n  host: ratings\n  subsets:\n  - name: ${subset}\n    labels: {version: v1}\n`;
    const edited = [routes('twin', 'reviews', 'v1'), rule('v1'), routes('twin', 'reviews', 'v1')].join('---\n');
    const other = [routes('twin', 'reviews', 'v1'), routes('user', 'ratings', 'v1')].join('---\n');
    const shape = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character} ${d.message} ${JSON.stringify(d.relatedInformation?.map((related) => `${related.location.uri.slice(related.location.uri.lastIndexOf('/') + 1)}@${related.location.range.start.line}`) ?? [])}`);
    let incremental: string[] = [];
    let finalText = edited;
    await hostileCase({ 'edited.yaml': edited, 'other.yaml': other }, async (workspace) => {
      const editedUri = workspace.uri('edited.yaml');
      const otherUri = workspace.uri('other.yaml');
      await workspace.open(otherUri, other);
      await workspace.open(editedUri, edited);
      const doc = TextDocument.create(editedUri, 'yaml', 1, edited);
      const change = async (offset: number, removed: number, inserted: string): Promise<void> => {
        const range = { start: doc.positionAt(offset), end: doc.positionAt(offset + removed) };
        TextDocument.update(doc, [{ range, text: inserted }], doc.version + 1);
        await workspace.change(editedUri, range, inserted);
      };
      // The second twin's subset typed over, then a BOM typed into the DestinationRule's subset name, then a lone surrogate.
      const second = edited.lastIndexOf('subset: v1}') + 'subset: v'.length;
      await change(second, 1, '2');
      const subsetName = edited.indexOf('- name: v1') + '- name: v'.length;
      await change(subsetName, 0, '\ufeff');
      const republished = await within(workspace.client.waitForDiagnostics(otherUri, (d) => d.diagnostics.some((diagnostic) => /not defined by DestinationRule/.test(String(diagnostic.message)))), 60_000, 'other.yaml published again');
      await change(subsetName + 1, 0, '\ud800');
      finalText = doc.getText();
      await sleep(500);
      incremental = shape(workspace.client.latest(otherUri) ?? republished.diagnostics);
    });
    await hostileCase({ 'edited.yaml': finalText, 'other.yaml': other }, async (workspace) => {
      await workspace.open(workspace.uri('edited.yaml'), finalText);
      const fresh = await workspace.open(workspace.uri('other.yaml'), other);
      assert.ok(fresh.diagnostics.some((d) => d.code === 'IM3006'), 'the twins are reported');
      assert.deepEqual(incremental, shape(fresh.diagnostics), 'the diagnostics of other.yaml after the edits equal a fresh server\'s');
    });
  });
});
