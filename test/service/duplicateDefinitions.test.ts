// IM3006's message names each file that holds another copy once, with how many copies it holds.

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
