// The preview's window on a file (server/src/service/features/trafficSplitWindow.ts): every
// VirtualService up to the limit; past it, only the one under the cursor (or the last before it).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';

const vs = (name: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: demo
spec:
  hosts: [${name}]
  http:
  - route:
    - destination: {host: ${name}}
`;
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
// Ten lines per VirtualService; a ConfigMap (three lines) between the second and the third.
const text = [vs('a'), vs('b'), configMap, vs('c'), vs('d')].join('---\n');

test('up to the limit: every VirtualService, with the one under the cursor and its rule', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///f.yaml', text);
  const window = service.trafficSplitWindow('file:///f.yaml', { line: 20, character: 0 }, 10);
  assert.deepEqual(window.virtualServices.map((v) => v.name), ['a', 'b', 'c', 'd']);
  assert.equal(window.totalVirtualServices, 4);
  assert.equal(window.firstIndex, 0);
  assert.equal(window.activeIndex, 1);
  assert.equal(window.activeRoute, 0);
});

test('past the limit: only the VirtualService under the cursor, or the last one before it', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///f.yaml', text);
  const under = service.trafficSplitWindow('file:///f.yaml', { line: 27, character: 0 }, 2);
  assert.deepEqual(under.virtualServices.map((v) => v.name), ['c']);
  assert.deepEqual([under.totalVirtualServices, under.firstIndex, under.activeIndex], [4, 2, 0]);
  // On the ConfigMap (lines 22–24): the VirtualService before it, not marked as under the cursor.
  const between = service.trafficSplitWindow('file:///f.yaml', { line: 23, character: 0 }, 2);
  assert.deepEqual(between.virtualServices.map((v) => v.name), ['b']);
  assert.equal(between.activeIndex, undefined);
  const none = service.trafficSplitWindow('file:///f.yaml', undefined, 2);
  assert.deepEqual(none.virtualServices.map((v) => v.name), ['a']);
});
