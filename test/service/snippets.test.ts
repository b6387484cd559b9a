// Every contributed snippet, expanded the way VS Code inserts it when the user accepts each
// default, must be valid for our own validator: a snippet that produces a diagnostic is a bug.
// Fragments (no `kind:`) are pasted into a minimal valid route first. The DestinationRules the
// snippets' subsets need are supplied here, as a workspace would have them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';

const root = join(__dirname, '..', '..');

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes?: { snippets?: { language: string; path: string }[] };
};
const contributed = manifest.contributes?.snippets ?? [];
const snippetFiles = contributed.filter((entry) => entry.language === 'yaml').map((entry) => join(root, entry.path));

/** The subsets the snippets' defaults refer to (host `reviews` in namespace `default`). */
const destinationRules = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: default
spec:
  host: reviews
  subsets:
  - name: stable
    labels:
      version: v1
  - name: canary
    labels:
      version: v2
  - name: next
    labels:
      version: v3
`;

/** A complete route for fragments, which go at the level of its `route:` key. */
function routeWith(fragment: string): string {
  const indented = fragment.split('\n').map((line) => (line === '' ? line : `    ${line}`)).join('\n');
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: fragment-host
  namespace: default
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: stable
${indented}`;
}

/**
 * Expands a snippet body as if every placeholder kept its default and every choice its first
 * option (TextMate snippet grammar as VS Code implements it). Variables are rejected: their
 * value depends on the editor, so a test could not know what the user gets.
 */
function expandSnippet(body: string): { text: string; defaults: Map<number, string> } {
  const defaults = new Map<number, string>();
  let position = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${position} of ${JSON.stringify(body)}`);
  };
  const parseNumber = (): number => {
    const match = /^\d+/.exec(body.slice(position)) ?? fail('expected a tabstop number');
    position += match[0].length;
    return Number(match[0]);
  };
  const record = (tabstop: number, value: string): void => {
    const previous = defaults.get(tabstop);
    // VS Code mirrors one value into every occurrence; two different defaults would be a typo.
    if (previous !== undefined && previous !== value && value !== '') fail(`tabstop ${tabstop} has two defaults (${JSON.stringify(previous)}, ${JSON.stringify(value)})`);
    if (previous === undefined || previous === '') defaults.set(tabstop, value);
  };
  // Reads text until one of `stops` (unescaped) at this nesting level.
  const parseText = (stops: string): string => {
    let out = '';
    while (position < body.length && !stops.includes(body[position]!)) {
      const char = body[position]!;
      if (char === '\\' && position + 1 < body.length && '$}\\,|'.includes(body[position + 1]!)) {
        out += body[position + 1];
        position += 2;
      } else if (char === '$') {
        out += parseDollar();
      } else {
        out += char;
        position += 1;
      }
    }
    return out;
  };
  const parseDollar = (): string => {
    position += 1; // '$'
    if (/\d/.test(body[position] ?? '')) {
      const tabstop = parseNumber();
      record(tabstop, '');
      return marker(tabstop);
    }
    if (body[position] !== '{') return fail('variables are not allowed in snippets');
    position += 1;
    if (!/\d/.test(body[position] ?? '')) return fail('variables are not allowed in snippets');
    const tabstop = parseNumber();
    let value = '';
    if (body[position] === ':') {
      position += 1;
      value = parseText('}');
    } else if (body[position] === '|') {
      position += 1;
      const first = parseText(',|');
      while (body[position] === ',') {
        position += 1;
        parseText(',|');
      }
      if (body[position] !== '|') fail('unterminated choice');
      position += 1;
      value = first;
    }
    if (body[position] !== '}') fail('expected }');
    position += 1;
    record(tabstop, value);
    return marker(tabstop);
  };
  // Every occurrence of a tabstop shows the same value (VS Code mirrors the placeholder), wherever
  // the default was written, so occurrences are markers resolved once the whole body is read.
  const marker = (tabstop: number): string => `\u0000${tabstop}\u0000`;
  const resolve = (text: string): string => text.replace(/\u0000(\d+)\u0000/g, (_, tabstop: string) => resolve(defaults.get(Number(tabstop)) ?? ''));
  const text = resolve(parseText(''));
  return { text, defaults };
}

test('the manifest contributes the snippet file for yaml', () => {
  assert.deepEqual(contributed.map((entry) => entry.language), ['yaml']);
  assert.equal(snippetFiles.length, 1);
});

test('snippet expansion understands placeholders, choices, mirrors and escapes', () => {
  assert.equal(expandSnippet('host: ${1:reviews}\nsame: $1\nmode: ${2|SIMPLE,MUTUAL|}\ncost: \\$5$0').text, 'host: reviews\nsame: reviews\nmode: SIMPLE\ncost: $5');
  assert.equal(expandSnippet('a: ${1:outer ${2:inner}}').text, 'a: outer inner');
  assert.throws(() => expandSnippet('name: $TM_FILENAME'), /variables/);
  assert.throws(() => expandSnippet('a: ${1:x} b: ${1:y}'), /two defaults/);
});

for (const file of snippetFiles) {
  const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Snippet>;
  for (const [name, snippet] of Object.entries(snippets)) {
    test(`snippet "${name}" expands to valid Istio YAML`, () => {
      assert.ok(snippet.prefix.length > 0 && snippet.description.length > 0, 'prefix and description are required');
      const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
      assert.doesNotMatch(body, /\t/, 'YAML forbids tabs for indentation');
      const { text } = expandSnippet(body);
      const isFragment = !/^kind:/m.test(text);
      const document = isFragment ? routeWith(text) : text;
      if (!isFragment) assert.match(text, /^apiVersion: (networking\.istio\.io|gateway\.networking\.k8s\.io)\/v1$/m, 'snippets default to networking.istio.io/v1 (Gateway API: gateway.networking.k8s.io/v1)');

      const service = new IstioLanguageService();
      // A DestinationRule snippet stands in for the workspace's own (the same object twice is IM3006).
      if (!/^kind: DestinationRule$/m.test(document)) service.setFile('file:///workspace/destinationrules.yaml', destinationRules);
      service.setFile('file:///workspace/snippet.yaml', document);
      const diagnostics = service.getDiagnostics('file:///workspace/snippet.yaml');
      const rendered = diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
      assert.deepEqual(rendered, [], `diagnostics for:\n${document}`);
      // The snippet must really be recognised, not silently ignored as non-Istio YAML.
      assert.ok(service.resourceInfo('file:///workspace/snippet.yaml', { line: document.split('\n').findIndex((l) => /^kind: (VirtualService|DestinationRule|HTTPRoute|GRPCRoute)$/.test(l)), character: 0 }).validated);
    });
  }
}
