// The service side of the editor commands: the canary scaffold validates clean, the status
// information, the mirror targets of a route, and the edits of "Add Mirror to Route" and
// "Create DestinationRule for Host" — applied to the text and re-validated.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { IstioLanguageService } from '../../server/src/service/languageService';

const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews
  subsets:
  - name: stable
    labels:
      version: v1
  - name: canary
    labels:
      version: v2
  - name: shadow
    labels:
      version: v3
`;

const vs = (extra: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts:
  - reviews
  http:
  - name: main
    route:
    - destination:
        host: reviews
        subset: stable
${extra}`;

function workspace(vsText: string, withRule = true): IstioLanguageService {
  const service = new IstioLanguageService();
  if (withRule) service.setFile('file:///dr.yaml', dr);
  service.setFile('file:///vs.yaml', vsText);
  return service;
}

function apply(service: IstioLanguageService, edit: WorkspaceEdit | null, texts: Record<string, string>): Record<string, string> {
  assert.ok(edit?.changes, 'an edit is expected');
  const result = { ...texts };
  for (const [uri, edits] of Object.entries(edit.changes)) {
    result[uri] = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, texts[uri]), edits);
    service.setFile(uri, result[uri]);
  }
  return result;
}

const mirrorsOf = (service: IstioLanguageService): string[] =>
  service.trafficSplit(['file:///vs.yaml']).virtualServices[0].routes[0].mirrors.map((m) => `${m.kind} ${m.host}/${m.subset} ${m.percent}`);

test('the canary scaffold is a complete setup with zero diagnostics, with and without a header', () => {
  const service = new IstioLanguageService();
  for (const options of [{}, { app: 'checkout', namespace: 'shop', port: 9090, mirrorPercentage: 25, mirrorHeader: { name: 'X-Mirror', value: 'true' }, disableCanaryWrites: false }]) {
    const result = service.scaffoldCanary(options);
    service.setFile('file:///scaffold.yaml', result.text);
    assert.deepEqual(service.getProblems('file:///scaffold.yaml'), []);
    const kinds = [...result.text.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]);
    assert.deepEqual(kinds, ['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
  }
  const split = service.trafficSplit(['file:///scaffold.yaml']).virtualServices[0];
  assert.deepEqual(split.routes.map((route) => [route.match, route.destinations.map((d) => `${d.subset} ${d.percent}`), route.mirrors.map((m) => `${m.subset} ${m.percent}`)]), [
    ['header x-mirror = true', ['v1 100'], ['v2 25']],
    ['all other requests', ['v1 100'], []],
  ]);
  // In an empty workspace (the one above now holds myapp, which the scaffold would reuse).
  assert.match(new IstioLanguageService().scaffoldCanary({}).text, /READ_ONLY_MODE/);
  assert.doesNotMatch(new IstioLanguageService().scaffoldCanary({ disableCanaryWrites: false }).text, /READ_ONLY_MODE/);
});

test('resource information for the status item', () => {
  const service = workspace(vs(''));
  service.setFile('file:///other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
  assert.deepEqual(service.resourceInfo('file:///vs.yaml', { line: 3, character: 0 }), {
    validated: true, documents: 1, validatedDocuments: 1, kind: 'VirtualService', apiVersion: 'networking.istio.io/v1', name: 'reviews', namespace: 'demo',
  });
  assert.equal(service.resourceInfo('file:///other.yaml', { line: 0, character: 0 }).validated, false);
});

test('mirror targets: the subsets of the route host, unused ones first', () => {
  const targets = workspace(vs('')).mirrorTargets('file:///vs.yaml', { line: 12, character: 8 });
  assert.equal(targets.route?.index, 0);
  assert.deepEqual(targets.targets.map((target) => target.subset), ['canary', 'shadow', 'stable']);
  assert.equal(workspace(vs('')).mirrorTargets('file:///vs.yaml', { line: 1, character: 0 }).route, undefined);
});

test('mirror targets: the route\'s own destination comes last and is marked, also when every subset is in use', () => {
  // The route sends to stable and already mirrors to canary and shadow: no fresh target is left,
  // and the first one offered must not be stable (mirroring there is IM2007).
  const text = vs('    mirrors:\n    - destination:\n        host: reviews\n        subset: canary\n    - destination:\n        host: reviews.demo.svc.cluster.local\n        subset: shadow\n');
  const targets = workspace(text).mirrorTargets('file:///vs.yaml', { line: 12, character: 8 }).targets;
  assert.deepEqual(targets.map((target) => `${target.subset} ${target.usedAs ?? 'fresh'}`), ['canary mirror', 'shadow mirror', 'stable destination']);
  const fresh = workspace(vs('')).mirrorTargets('file:///vs.yaml', { line: 12, character: 8 }).targets;
  assert.deepEqual(fresh.map((target) => `${target.subset} ${target.usedAs ?? 'fresh'}`), ['canary fresh', 'shadow fresh', 'stable destination']);
});

test('add mirror: mirror + mirrorPercentage on a route without one', () => {
  const service = workspace(vs(''));
  const texts = apply(service, service.addMirror('file:///vs.yaml', { line: 12, character: 8 }, { host: 'reviews', subset: 'canary' }, 5), { 'file:///vs.yaml': vs('') });
  assert.match(texts['file:///vs.yaml'], /    mirror:\n      host: reviews\n      subset: canary\n    mirrorPercentage:\n      value: 5\n/);
  assert.deepEqual(service.getProblems('file:///vs.yaml'), []);
  assert.deepEqual(mirrorsOf(service), ['mirror reviews/canary 5']);
});

test('add mirror: an existing mirror and the new target become a mirrors list with their shares', () => {
  const text = vs('    mirror:\n      host: reviews\n      subset: canary\n    mirrorPercentage:\n      value: 20\n');
  const service = workspace(text);
  apply(service, service.addMirror('file:///vs.yaml', { line: 12, character: 8 }, { host: 'reviews', subset: 'shadow' }, 1), { 'file:///vs.yaml': text });
  assert.deepEqual(service.getProblems('file:///vs.yaml'), []);
  assert.deepEqual(mirrorsOf(service), ['mirrors reviews/canary 20', 'mirrors reviews/shadow 1']);
});

test('add mirror: appended to an existing mirrors list', () => {
  const text = vs('    mirrors:\n    - destination: {host: reviews, subset: canary}\n      percentage: {value: 10}\n');
  const service = workspace(text);
  apply(service, service.addMirror('file:///vs.yaml', { line: 12, character: 8 }, { host: 'reviews', subset: 'shadow' }, 2.5), { 'file:///vs.yaml': text });
  assert.deepEqual(service.getProblems('file:///vs.yaml'), []);
  assert.deepEqual(mirrorsOf(service), ['mirrors reviews/canary 10', 'mirrors reviews/shadow 2.5']);
});

test('create DestinationRule: a new document with the subsets the VirtualService uses, which resolves them', () => {
  const text = vs('    mirror: {host: reviews, subset: canary}\n');
  const service = workspace(text, false);
  assert.deepEqual(service.getProblems('file:///vs.yaml').map((p) => p.code), ['IST0101', 'IST0101']);
  const result = service.createDestinationRule('file:///vs.yaml', { line: 12, character: 8 });
  assert.equal(result?.host, 'reviews');
  assert.deepEqual(result?.subsets, ['stable', 'canary']);
  const texts = apply(service, result?.edit ?? null, { 'file:///vs.yaml': text });
  assert.match(texts['file:///vs.yaml'], /\n---\napiVersion: networking.istio.io\/v1\nkind: DestinationRule\n/);
  assert.deepEqual(service.getProblems('file:///vs.yaml'), []);
});

test('create DestinationRule when one exists in another file: the missing subsets are added to it, with the pods\' labels; nothing missing goes to it', () => {
  const existing = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: demo\nspec:\n  host: reviews\n  subsets:\n  - name: stable\n    labels:\n      track: stable\n';
  const workloads = ['stable', 'canary'].map((track) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-${track}, namespace: demo}\nspec:\n  selector: {matchLabels: {app: reviews, track: ${track}}}\n  template:\n    metadata:\n      labels: {app: reviews, track: ${track}}\n    spec:\n      containers: [{name: reviews, image: reviews}]\n`).join('---\n');
  const serviceYaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  selector: {app: reviews}\n  ports: [{name: http, port: 9080}]\n';
  const text = vs('    mirror: {host: reviews, subset: canary}\n');
  const service = new IstioLanguageService();
  service.setFile('file:///dr.yaml', existing);
  service.setFile('file:///apps.yaml', `${workloads}---\n${serviceYaml}`);
  service.setFile('file:///vs.yaml', text);
  const result = service.createDestinationRule('file:///vs.yaml', { line: 12, character: 8 });
  assert.equal(result?.outcome, 'added');
  assert.deepEqual(result?.subsets, ['canary']);
  assert.equal(result?.target?.uri, 'file:///dr.yaml');
  assert.deepEqual(Object.keys(result?.edit.changes ?? {}), ['file:///dr.yaml'], 'no second DestinationRule in the VirtualService file');
  const texts = apply(service, result?.edit ?? null, { 'file:///dr.yaml': existing, 'file:///vs.yaml': text });
  assert.match(texts['file:///dr.yaml'], /  - name: canary\n    labels:\n      track: canary\n/);
  assert.deepEqual(service.getProblems('file:///vs.yaml').map((p) => p.code), []);
  // Again: nothing is missing now, so the command goes to the rule and edits nothing.
  const again = service.createDestinationRule('file:///vs.yaml', { line: 12, character: 8 });
  assert.equal(again?.outcome, 'existing');
  assert.deepEqual(again?.edit.changes, {});
  assert.equal(again?.target?.name, 'demo/reviews');
});

test('create DestinationRule for a host outside the cluster without subsets: a ServiceEntry instead', () => {
  const text = vs('    mirror: {host: shadow.example.com, port: {number: 8080}}\n');
  const service = workspace(text);
  const position = { line: 14, character: 20 };
  assert.match(text.split('\n')[14] ?? '', /shadow\.example\.com/);
  const result = service.createDestinationRule('file:///vs.yaml', position);
  assert.equal(result?.outcome, 'serviceEntry');
  const texts = apply(service, result?.edit ?? null, { 'file:///vs.yaml': text });
  assert.match(texts['file:///vs.yaml'], /\n---\napiVersion: networking.istio.io\/v1\nkind: ServiceEntry\n[\s\S]*  hosts:\n  - shadow\.example\.com\n  location: MESH_EXTERNAL\n  ports:\n  - number: 8080\n[\s\S]*  resolution: DNS\n/);
});
