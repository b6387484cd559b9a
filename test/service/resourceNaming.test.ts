// How findings and traces name resources and rules: IM3006 names each file once with its number of
// copies; a request trace names a rule by its path.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IstioLanguageService } from '../../server/src/service/languageService';

const rule = (host: string): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: ${host}
`;

test('IM3006 names each file once, with the number of copies it holds', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///ws/a.yaml', [rule('reviews'), rule('reviews'), rule('reviews')].join('---\n'));
  service.setFile('file:///ws/b.yaml', rule('reviews'));
  const messages = service.getProblems('file:///ws/b.yaml').filter((problem) => problem.code === 'IM3006').map((problem) => problem.message);
  assert.equal(messages.length, 1);
  assert.match(messages[0], /^DestinationRule demo\/reviews is also defined in a\.yaml \(3 times\): it is one object/);
  const inA = service.getProblems('file:///ws/a.yaml').filter((problem) => problem.code === 'IM3006').map((problem) => problem.message);
  assert.equal(inA.length, 3);
  for (const message of inA) assert.match(message, /is also defined in this file \(2 times\), b\.yaml: /);
});

test('a request trace names a delegating rule by its path, http[N]', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///ws/root.yaml', `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: root
  namespace: demo
spec:
  hosts: [shop.example.com]
  gateways: [demo/public]
  http:
  - match:
    - uri: {prefix: /api}
    route:
    - destination: {host: api}
  - match:
    - uri: {prefix: /cart}
    delegate:
      name: cart
      namespace: demo
`);
  const result = service.traceRequest({ host: 'shop.example.com', path: '/cart/items', gateway: 'demo/public' });
  assert.ok(result.notes.some((note) => note.startsWith('http[1] of demo/root delegates to demo/cart')), result.notes.join('\n'));
});
