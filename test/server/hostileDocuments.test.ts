// Odd documents and odd paths of issue 12 through the real `istio-mirror-language-server --stdio`
// process: findings on multi-line nodes, NUL and `{{` in comments, YAML reached through
// symbolic links, empty host names in completion, Add Mirror on a route with `mirror` and an
// empty `mirrors: []`, workspace names in code lens titles, and Create DestinationRule on files
// ending in every way. Every file is generated here.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, CompletionList, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HostileWorkspace, assertClear, hostileCase, normalDestinationRule, timeout } from '../helpers/hostileWorkspace';

const head = (name: string): string => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: demo\nspec:\n`;
const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();

function applied(text: string, edit: WorkspaceEdit | null | undefined, uri: string): string {
  const edits = (edit?.changes?.[uri] ?? []) as TextEdit[];
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  for (const e of edits) {
    for (const end of [e.range.start, e.range.end]) {
      const back = doc.positionAt(doc.offsetAt(end));
      assert.deepEqual(back, end, `edit position ${JSON.stringify(end)} lies outside the document (${doc.lineCount} lines)`);
    }
  }
  return TextDocument.applyEdits(doc, edits);
}

describe('odd documents and paths through the language server (issue 12)', () => {
  test('findings on block scalars and multi-line flow values have one-line ranges', { timeout }, async () => {
    const text = `${head('reviews')}  hosts: [reviews]
  gateways:
  - >-
    bad gateway
    name
  http:
  - route:
    - destination:
        host: |
          reviews bad
          host
  - route:
    - destination: {host: reviews}
  - {route: [{destination: {host: reviews}}],
    name: flow}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: >-
    reviews bad
    x
`;
    await hostileCase({ 'vs.yaml': text }, async (workspace) => {
      const published = await workspace.open(workspace.uri('vs.yaml'), text);
      assertClear(text, published.diagnostics, 'vs.yaml');
      assert.deepEqual(codes(published.diagnostics), ['IM2108@14', 'IM2116@8', 'IM2204@28', 'IST0130@17', 'IST0130@20']);
      for (const d of published.diagnostics) assert.equal(d.range.end.line, d.range.start.line, `${String(d.code)} spans ${JSON.stringify(d.range)}`);
      const gateway = published.diagnostics.find((d) => d.code === 'IM2116')!;
      assert.deepEqual(gateway.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 6 } }, 'the block scalar indicator `>-` on its first line');
    });
  });

  test('a NUL or `{{` in a comment does not silence the document; `{{` in a value does', { timeout }, async () => {
    const routes = `${head('reviews')}  hosts: [reviews]\n  http: # COMMENT\n  - route:\n    - destination: {host: reviews, subset: v9}\n`;
    const files = {
      'dr.yaml': normalDestinationRule,
      'nul.yaml': routes.replace('COMMENT', 'saved by a broken editor: \0').replace('name: reviews', 'name: nul').replace('hosts: [reviews]', 'hosts: [nul-front]'),
      'helm-comment.yaml': routes.replace('COMMENT', 'rendered from {{ .Values.reviews.host }}').replace('name: reviews', 'name: comment').replace('hosts: [reviews]', 'hosts: [comment-front]'),
      'helm-value.yaml': routes.replace('subset: v9', 'subset: "{{ .Values.subset }}"').replace('name: reviews', 'name: value').replace('hosts: [reviews]', 'hosts: [value-front]'),
      'quoted-hash.yaml': routes.replace("http: # COMMENT", "http: # it's {{ .Values.x }} 'a # b'").replace('name: reviews', 'name: quoted').replace('hosts: [reviews]', 'hosts: [quoted-front]'),
    };
    await hostileCase(files, async (workspace) => {
      const nul = await workspace.open(workspace.uri('nul.yaml'), files['nul.yaml']);
      assert.deepEqual(codes(nul.diagnostics), ['IM0004@7', 'IST0101@9'], 'the missing subset is still reported, and the NUL, which Kubernetes rejects');
      assert.match(String(nul.diagnostics.find((d) => d.code === 'IM0004')!.message), /^Control character U\+0000/);
      const comment = await workspace.open(workspace.uri('helm-comment.yaml'), files['helm-comment.yaml']);
      assert.deepEqual(codes(comment.diagnostics), ['IST0101@9'], 'a comment mentioning a Helm value does not make a template');
      const quoted = await workspace.open(workspace.uri('quoted-hash.yaml'), files['quoted-hash.yaml']);
      assert.deepEqual(codes(quoted.diagnostics), ['IST0101@9']);
      const value = await workspace.open(workspace.uri('helm-value.yaml'), files['helm-value.yaml']);
      assert.deepEqual(value.diagnostics, [], 'a template action in a value: a Helm template, left alone');
      // The NUL typed into an open document: the document is still checked.
      const typed = await workspace.change(workspace.uri('helm-comment.yaml'), { start: { line: 7, character: 9 }, end: { line: 7, character: 9 } }, '\0');
      assert.deepEqual(codes(typed.diagnostics), ['IM0004@7', 'IST0101@9']);
    });
  });

  test('YAML reached through symbolic links inside the workspace is indexed once; links out of it, dangling links and loops are not followed', { timeout }, async () => {
    const outside = mkdtempSync(join(tmpdir(), 'istio-mirror-outside-'));
    const routes = `${head('reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n    mirror: {host: ratings, subset: v1}\n`;
    const ratingsRule = normalDestinationRule.replace(/reviews/g, 'ratings');
    const workspace = new HostileWorkspace({ 'vs.yaml': routes }, { exclude: ['vendor/**'] });
    try {
      mkdirSync(join(workspace.root, 'vendor'));
      writeFileSync(join(workspace.root, 'vendor', 'reviews-dr.yaml'), normalDestinationRule);
      symlinkSync(join('vendor', 'reviews-dr.yaml'), join(workspace.root, 'dr.yaml'));
      symlinkSync('vendor', join(workspace.root, 'linked'), 'dir'); // the excluded folder again, by a link
      symlinkSync('.', join(workspace.root, 'loop'), 'dir');
      symlinkSync('missing.yaml', join(workspace.root, 'dangling.yaml'));
      writeFileSync(join(outside, 'ratings-dr.yaml'), ratingsRule);
      symlinkSync(join(outside, 'ratings-dr.yaml'), join(workspace.root, 'ratings-dr.yaml'));
      symlinkSync(outside, join(workspace.root, 'outside'), 'dir');
      await workspace.start();
      assert.ok(workspace.logs.some((line) => /indexed 2 YAML files/.test(line)), `vs.yaml and dr.yaml (linked/reviews-dr.yaml is the same file as dr.yaml, listed by its first path; loop/ is the workspace again): ${workspace.logs.filter((line) => /indexed/.test(line)).join('; ')}`);
      const published = await workspace.open(workspace.uri('vs.yaml'), routes);
      const found = published.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line} ${String(d.message).slice(0, 60)}`);
      assert.ok(!found.some((line) => /^IST0101@9 /.test(line)), `subset v1 of reviews is defined by the DestinationRule behind dr.yaml: ${found.join('; ')}`);
      assert.ok(found.some((line) => /^IST0101@10 .*cannot be checked/.test(line)), `the ratings DestinationRule outside the workspace is not read, so the mirror's subset cannot be checked: ${found.join('; ')}`);
    } finally {
      await workspace.dispose();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('host completion offers no item with an empty label', { timeout }, async () => {
    const blank = `${head('blank')}  hosts: [""]\n  http:\n  - route:\n    - destination: {host: reviews}\n`;
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: "", namespace: demo}\nspec:\n  ports: [{port: 80}]\n';
    const editing = `${head('editing')}  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: \n`;
    await hostileCase({ 'blank.yaml': blank, 'svc.yaml': service, 'dr.yaml': normalDestinationRule.replace('host: reviews', 'host: " "') }, async (workspace) => {
      const uri = workspace.uri('editing.yaml');
      await workspace.open(uri, editing);
      const list = await workspace.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 10, character: 14 } });
      assert.ok(list.items.length > 0, 'some hosts are offered');
      assert.deepEqual(list.items.filter((item) => item.label.trim() === '').map((item) => item.detail), [], 'no item without a visible label');
    });
  });

  test('Add Mirror on a route with `mirror` and an empty `mirrors: []` writes one `mirrors` list and keeps the comment', { timeout }, async () => {
    const block = `${head('reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n    mirror: # the shadow copy\n      host: ratings\n    mirrorPercentage: {value: 10}\n    mirrors: []\n`;
    const flow = block.replace('mirror: # the shadow copy\n      host: ratings\n', 'mirror: {host: ratings} # the shadow copy\n');
    await hostileCase({ 'block.yaml': block, 'flow.yaml': flow }, async (workspace) => {
      for (const [name, text] of [['block.yaml', block], ['flow.yaml', flow]] as const) {
        const uri = workspace.uri(name);
        await workspace.open(uri, text);
        const edit = await workspace.request<WorkspaceEdit | null>('istio/addMirror', { uri, position: { line: 8, character: 4 }, target: { host: 'details' }, percentage: 5 });
        const result = applied(text, edit, uri);
        assert.equal(result.match(/^\s*mirrors:/gm)?.length, 1, `${name}: one mirrors key\n${result}`);
        assert.match(result, /^ {4}mirrors: # the shadow copy$/m, `${name}: the comment stays on the list's line\n${result}`);
        assert.equal(result.match(/# the shadow copy/g)?.length, 1, `${name}: the comment once\n${result}`);
        const after = await workspace.change(uri, { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } }, result);
        assert.deepEqual(after.diagnostics.filter((d) => String(d.code).startsWith('IM0')), [], `${name}: valid YAML after the edit`);
        assert.match(result, /host: ratings[\s\S]*value: 10[\s\S]*host: details[\s\S]*value: 5/, `${name}: both targets with their shares\n${result}`);
      }
    });
  });

  test('code lens titles show workspace names as written: `$(…)` escaped, one line, capped', { timeout }, async () => {
    const text = `${head('reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: "$(alert)\\n$(zap)"}\n      weight: 50\n    - destination: {host: reviews, subset: ${'x'.repeat(5000)}}\n      weight: 50\n`;
    await hostileCase({ 'vs.yaml': text }, async (workspace) => {
      const uri = workspace.uri('vs.yaml');
      await workspace.open(uri, text);
      const lenses = await workspace.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      const title = lenses[0]?.command?.title ?? '';
      assert.match(title, /\\\$\(alert\) \\\$\(zap\)/, title.slice(0, 200));
      assert.doesNotMatch(title.replace(/\\\$\(/g, ''), /\$\(/, 'no unescaped icon syntax');
      assert.doesNotMatch(title, /[\n\r\u0000-\u001f]/, 'one line');
      assert.ok(title.replace(/\\\$\(/g, '$(').length <= 300, `capped: ${title.length} characters`);
    });
  });

  test('Create DestinationRule on files ending in every way: every edit lies inside the document', { timeout }, async () => {
    const routes = `${head('reviews')}  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}`;
    const endings: Record<string, string> = {
      'plain.yaml': `${routes}\n`, 'no-newline.yaml': routes, 'crlf.yaml': `${routes}\n`.replace(/\n/g, '\r\n'), 'cr.yaml': `${routes}\n`.replace(/\n/g, '\r'),
      'end-marker.yaml': `${routes}\n...`, 'separator.yaml': `${routes}\n---`, 'comment.yaml': `${routes}\n# end`, 'bom.yaml': `\ufeff${routes}\n`, 'blank-lines.yaml': `${routes}\n\n  \n`,
    };
    await hostileCase({ 'placeholder.txt': '' }, async (workspace) => {
      for (const [name, text] of Object.entries(endings)) {
        const uri = workspace.uri(name);
        await workspace.open(uri, text);
        for (const position of [{ line: 9, character: 20 }, { line: 0, character: 0 }, { line: 40, character: 0 }]) {
          const result = await workspace.request<{ edit: WorkspaceEdit } | null>('istio/createDestinationRule', { uri, position });
          const after = applied(text, result?.edit, uri);
          if (result) assert.match(after, /kind: DestinationRule/, `${name}: the rule is appended`);
        }
      }
    });
  });
});
