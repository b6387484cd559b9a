// Gateway API routes in the features that are not fixture-driven: the outline and code lenses
// of an HTTPRoute (its rules in the VirtualService rule model), and the cross-file findings
// refreshed when the Service or ReferenceGrant they depend on changes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { parseFixture } from '../helpers/annotatedFixture';

const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'trafficSplit', 'gateway-api-httproute.yaml'), 'utf8');
const routeText = parseFixture(fixture).files.find((file) => file.name === 'route.yaml')?.text ?? '';

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((symbol) => [`${'  '.repeat(depth)}${symbol.name} — ${symbol.detail ?? ''} (${symbol.range.start.line}-${symbol.range.end.line})`, ...outline(symbol.children ?? [], depth + 1)]);
}

test('outline of an HTTPRoute: rules with their backends and mirrors and shares', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///route.yaml', routeText);
  assert.deepEqual(outline(service.findDocumentSymbols('file:///route.yaml')).slice(0, 7), [
    'HTTPRoute reviews — namespace demo (0-47)',
    '  #1 canary — reviews-v1 75 % · reviews-v2 25 % (9-26)',
    '    reviews-v1 — 75 % (24-24)',
    '    reviews-v2 — 25 % (25-25)',
    '    reviews-v2 — mirror 12.5 % (16-19)',
    '    reviews-v3.lab.svc.cluster.local — mirror 100 % (20-22)',
    '  #2 path = /old — redirect (27-31)',
  ]);
});

test('code lenses above each HTTPRoute rule say where its requests and copies go, and each RequestMirror has a Monitor lens', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///route.yaml', routeText);
  assert.deepEqual(service.getCodeLenses('file:///route.yaml').map((lens) => `${lens.range.start.line} ${lens.command?.title}`), [
    '9 #1 → reviews-v1 75 % · reviews-v2 25 % · mirror → reviews-v2 12.5 % · mirror → reviews-v3.lab.svc.cluster.local 100 %',
    '18 Monitor',
    '22 Monitor',
    '27 #2 → redirect',
    '32 #3 → direct response · mirror → reviews-v2 never (the rule does not forward)',
    '39 Monitor',
    '41 #4 → reviews-v1 100 % · mirror → reviews-v2 5 %',
    '44 Monitor',
  ]);
});

const service = (port: number): string => `apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  ports:\n  - {port: ${port}}\n`;
const grant = (namespace: string): string => `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: from-demo, namespace: ${namespace}}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: demo}]\n  to: [{group: "", kind: Service}]\n`;
const route = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: reviews, namespace: demo}\nspec:\n  rules:\n  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews, namespace: lab, port: 9080}\n    backendRefs:\n    - {name: reviews, port: 9080}\n`;

test('a Service change republishes the routes that send to it (IM3501 appears and goes)', () => {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///svc.yaml', service(9080));
  languageService.setFile('file:///grant.yaml', grant('lab'));
  languageService.setFile('file:///route.yaml', route);
  assert.deepEqual(languageService.getProblems('file:///route.yaml').map((problem) => problem.code), []);
  assert.deepEqual([...languageService.setFile('file:///svc.yaml', service(8080))], ['file:///route.yaml']);
  assert.deepEqual(languageService.getProblems('file:///route.yaml').map((problem) => problem.code), ['IM3501']);
  assert.deepEqual([...languageService.setFile('file:///svc.yaml', service(9080))], ['file:///route.yaml']);
  assert.deepEqual(languageService.getProblems('file:///route.yaml').map((problem) => problem.code), []);
});

test('a ReferenceGrant change republishes the routes (IM3502 appears when the grant moves away)', () => {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///grant.yaml', grant('lab'));
  languageService.setFile('file:///route.yaml', route);
  assert.deepEqual(languageService.getProblems('file:///route.yaml').map((problem) => problem.code), []);
  assert.ok(languageService.setFile('file:///grant.yaml', grant('elsewhere')).has('file:///route.yaml'));
  assert.deepEqual(languageService.getProblems('file:///route.yaml').map((problem) => problem.code), ['IM3502']);
});

test('other kinds of the Gateway API group and other versions are left alone', () => {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///other.yaml', `apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: GRPCRoute\nmetadata: {name: old}\nspec:\n  rules:\n  - filters:\n    - type: Bogus\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: public}\nspec:\n  bogus: true\n---\napiVersion: example.com/v1\nkind: HTTPRoute\nmetadata: {name: other}\nspec: {bogus: true}\n`);
  assert.deepEqual(languageService.getProblems('file:///other.yaml'), []);
});
