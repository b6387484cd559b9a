// WorkspaceIndex.editFile re-splits and re-analyses only the documents an edit touches. After
// every one of many seeded random edits (inserting and deleting `---` separators, comments,
// whole resources, single characters, carriage returns), the file must be exactly what a
// fresh analysis of the same text gives: the same documents at the same positions, and the
// same problems, here and in the other file that depends on its DestinationRules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { fileTextOf } from '../../server/src/service/workspace/workspaceIndex';
import { generateFile } from '../../scripts/bench/generate';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const resource = (i: number): string => i % 2 === 0
  ? `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r${i}, namespace: demo}\nspec:\n  host: svc${i % 6}\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n`
  : `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs${i}, namespace: demo}\nspec:\n  hosts: [svc${i % 6}]\n  http:\n  - route:\n    - destination: {host: svc${(i + 1) % 6}, subset: v1}\n    mirror: {host: svc${(i + 1) % 6}, subset: v${i % 4}}\n    mirrorPercentage: {value: ${(i * 37) % 130}}\n`;

const fragments = ['---\n', '\n---\n', '# comment\n', '---', '-', '\n', ' ', 'x', ':', '  subset: v3\n', '\r', '\r\n', 'kind: VirtualService\n', '...\n', resource(101), resource(102), '{', ']'];

test('incremental edits give exactly what a fresh analysis gives', () => {
  const next = random(20261126);
  const uri = 'file:///edited.yaml';
  const other = 'file:///other.yaml';
  let text = Array.from({ length: 24 }, (_, i) => resource(i)).join('---\n');
  const service = new IstioLanguageService();
  service.setFile(uri, text);
  service.setFile(other, `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: o, namespace: demo}\nspec:\n  hosts: [o]\n  http:\n  - route:\n    - destination: {host: svc1, subset: v2}\n`);
  for (let step = 0; step < 600; step++) {
    const start = Math.floor(next() * (text.length + 1));
    const remove = next() < 0.5 ? Math.floor(next() * Math.min(80, text.length - start + 1)) : 0;
    const insert = next() < 0.7 ? fragments[Math.floor(next() * fragments.length)] : '';
    text = text.slice(0, start) + insert + text.slice(start + remove);
    service.editFile(uri, text, { start, end: start + remove, insertedLength: insert.length });

    const fresh = new IstioLanguageService();
    fresh.setFile(uri, text);
    fresh.setFile(other, fileTextOf(service.index.getFile(other)!));
    const shape = (s: IstioLanguageService): unknown => s.index.getFile(uri)?.documents.map((d) => ({ ...d.slice, text: d.text }));
    assert.deepEqual(shape(service), shape(fresh), `documents after step ${step}`);
    assert.deepEqual(service.getDiagnostics(uri), fresh.getDiagnostics(uri), `diagnostics after step ${step}`);
    assert.deepEqual(service.getDiagnostics(other), fresh.getDiagnostics(other), `diagnostics of the other file after step ${step}`);
  }
});

// The findings against Services and workloads are cached per document under the scopes their
// checks read (a Service by host, a namespace's workloads by pod label; WorkspaceIndex.trackReads),
// and a file's placed list is reused while nothing changed. Edits that change what those checks
// read — pod labels, replicas, selectors, ports, names, subsets, hosts, whole documents — in
// files of their own must leave every file's diagnostics, related locations included, exactly
// what a fresh service gives on the same texts.
test('edits of Services and workloads in other files give what a fresh analysis gives', () => {
  const next = random(20261203);
  const generated = generateFile({ resources: 150, errors: 8, seed: 7 });
  const byKind = new Map<string, string[]>();
  for (const document of generated.text.split(/^---\n/m)) {
    const kind = /^kind: (\w+)/m.exec(document)?.[1] ?? 'other';
    const group = kind === 'Deployment' ? 'workloads' : kind === 'Service' ? 'services' : 'routing';
    byKind.set(group, [...(byKind.get(group) ?? []), document]);
  }
  const texts = new Map([...byKind].map(([group, documents]) => [`file:///ws/${group}.yaml`, documents.join('---\n')]));
  const service = new IstioLanguageService();
  for (const [uri, text] of texts) service.setFile(uri, text);
  const mutations: [RegExp, (match: string) => string][] = [
    [/^( +version: )v\d/m, (line) => line.replace(/v\d$/, `v${Math.floor(next() * 3) + 1}`)],
    [/^( +track: )canary/m, (line) => line.replace('canary', 'stable')],
    [/^( +replicas: )\d+/m, (line) => line.replace(/\d+$/, String(Math.floor(next() * 3)))],
    [/^( +app: )\S+/m, (line) => `${line}x`],
    [/^( +port: )\d+/m, (line) => line.replace(/\d+$/, next() < 0.5 ? '81' : '9090')],
    [/^( +number: )\d+/m, (line) => line.replace(/\d+$/, next() < 0.5 ? '9090' : '81')],
    [/^( {2}name: )\S+/m, (line) => `${line}-b`],
    [/^( +subset: )\S+/m, (line) => line.replace(/\S+$/, ['v1', 'v2', 'canary', 'v7'][Math.floor(next() * 4)])],
    [/^( +host: )\S+/m, (line) => `${line}z`],
    [/^( {2}type: )ClusterIP/m, (line) => line.replace('ClusterIP', 'ExternalName')],
    [/^( {2}namespace: )\S+/m, (line) => line.replace(/\S+$/, 'shop')],
    [/^\n/m, () => '\n# moved down\n'],
  ];
  const uris = [...texts.keys()];
  for (let step = 0; step < 400; step++) {
    const uri = uris[Math.floor(next() * uris.length)];
    const text = texts.get(uri)!;
    const [pattern, mutate] = mutations[Math.floor(next() * mutations.length)];
    // The n-th match of the pattern, n at random.
    const global = new RegExp(pattern.source, 'gm');
    const matches = [...text.matchAll(global)];
    if (matches.length === 0) continue;
    const match = matches[Math.floor(next() * matches.length)];
    const start = match.index;
    const replacement = mutate(match[0]);
    const edited = text.slice(0, start) + replacement + text.slice(start + match[0].length);
    texts.set(uri, edited);
    if (step % 50 === 49) service.setFile(uri, edited);
    else service.editFile(uri, edited, { start, end: start + match[0].length, insertedLength: replacement.length });
    // Diagnostics are asked of some files only, as an editor does; all are compared now and then.
    const asked = step % 10 === 0 ? uris : [uri, uris[Math.floor(next() * uris.length)]];
    const fresh = new IstioLanguageService();
    for (const [other, otherText] of texts) fresh.setFile(other, otherText);
    for (const each of asked) assert.deepEqual(service.getDiagnostics(each), fresh.getDiagnostics(each), `diagnostics of ${each} after step ${step} (${pattern.source} in ${uri})`);
  }
});

// Thousands of edits: the log of recent scope changes is trimmed (gatherings older than it check
// every document again) and the per-file readers are rebuilt; both must keep the answers exact.
test('long runs of edits past the change log and the readers rebuild give what a fresh analysis gives', () => {
  const next = random(42);
  const generated = generateFile({ resources: 40, errors: 4, seed: 3 });
  const rules = 'file:///ws/rules.yaml';
  const routes = 'file:///ws/routes.yaml';
  const documents = generated.text.split(/^---\n/m);
  const texts = new Map([
    [rules, documents.filter((document) => /^kind: (DestinationRule|Service|Deployment)/m.test(document)).join('---\n')],
    [routes, documents.filter((document) => /^kind: VirtualService/m.test(document)).join('---\n')],
  ]);
  const service = new IstioLanguageService();
  for (const [uri, text] of texts) service.setFile(uri, text);
  const edit = (pattern: RegExp, replace: (value: string) => string, which = (count: number): number => Math.floor(next() * count)): void => {
    const text = texts.get(rules)!;
    const matches = [...text.matchAll(pattern)];
    const match = matches[which(matches.length)];
    const start = match.index + match[1].length;
    const value = replace(match[2]);
    const edited = text.slice(0, start) + value + text.slice(start + match[2].length);
    texts.set(rules, edited);
    service.editFile(rules, edited, { start, end: start + match[2].length, insertedLength: value.length });
  };
  const compare = (step: number): void => {
    const fresh = new IstioLanguageService();
    for (const [uri, each] of texts) fresh.setFile(uri, each);
    for (const uri of texts.keys()) assert.deepEqual(service.getDiagnostics(uri), fresh.getDiagnostics(uri), `diagnostics of ${uri} after step ${step}`);
  };
  // 1,000 edits of subset names and pod versions, the rules file gathered after each (its
  // readers grow until they are rebuilt), the routes after some.
  for (let step = 0; step < 1000; step++) {
    edit(/^( +(?:- name|version): )(v1|v2|v3)$/gm, (value) => (value === 'v3' ? 'v1' : 'v3'));
    service.getDiagnostics(rules);
    if (next() < 0.2) service.getDiagnostics(routes);
    if (step % 250 === 249) compare(step);
  }
  // A subset of the first DestinationRule renamed, then 5,000 edits of the last one only (which
  // the first one's VirtualService does not read), and only then the routes gathered: the log no
  // longer reaches back to the rename.
  edit(/^( {2}- name: )(v1|v2|v3)$/gm, () => 'v9', () => 0);
  for (let step = 1000; step < 6000; step++) edit(/^( {2}- name: )(v\d)$/gm, (value) => (value === 'v7' ? 'v8' : 'v7'), (count) => count - 1);
  compare(6000);
});
