// WorkspaceIndex.editFile re-splits and re-analyses only the documents an edit touches. After
// every one of many seeded random edits (inserting and deleting `---` separators, comments,
// whole resources, single characters, carriage returns), the file must be exactly what a
// fresh analysis of the same text gives: the same documents at the same positions, and the
// same problems, here and in the other file that depends on its DestinationRules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { fileTextOf } from '../../server/src/service/workspace/workspaceIndex';

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
