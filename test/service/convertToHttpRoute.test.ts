// Istio: Convert to HTTPRoute, tested by converting and re-validating: every healthy example's
// VirtualService converts to an HTTPRoute plus per-version Services that check clean in the
// same workspace and preview the same split and mirror shares; what has no Gateway API
// equivalent is listed, not dropped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { mirrorShare } from '../../server/src/service/features/convertToHttpRoute';

const examples = join(__dirname, '..', '..', 'examples');

function workspaceOf(folder: string): { service: IstioLanguageService; vsUri: string; vsLine: number } {
  const service = new IstioLanguageService();
  let vsUri = '';
  let vsLine = 0;
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml'))) {
    const text = readFileSync(join(folder, name), 'utf8');
    service.setFile(`file:///workspace/${name}`, text);
    const line = text.split('\n').findIndex((candidate) => candidate === 'kind: VirtualService');
    if (line >= 0) {
      vsUri = `file:///workspace/${name}`;
      vsLine = line;
    }
  }
  return { service, vsUri, vsLine };
}

/** Destinations and mirrors of every rule, as the preview computes them, without hosts' spelling. */
function shares(routes: { destinations: { percent: number }[]; mirrors: { percent: number }[] }[]): string[] {
  return routes.map((route) => `${route.destinations.map((d) => Math.round(d.percent * 100) / 100).join('/')} | ${route.mirrors.map((m) => Math.round(m.percent * 10000) / 10000).join('/')}`);
}

for (const example of ['basic-mirror', 'destinationrule-subsets', 'canary-setup', 'header-conditional-mirror', 'multiple-mirrors', 'external-mirror']) {
  test(`convert ${example}: the HTTPRoute and Services check clean and split and mirror the same`, () => {
    const { service, vsUri, vsLine } = workspaceOf(join(examples, example));
    const before = service.trafficSplit([vsUri]).virtualServices[0];
    const result = service.convertToHttpRoute(vsUri, { line: vsLine, character: 0 });
    assert.ok(result, 'a VirtualService converts');
    assert.equal(parseAllDocuments(result.text).filter((document) => document.errors.length > 0).length, 0);
    service.setFile('file:///workspace/converted.yaml', result.text);
    const problems = service.getProblems('file:///workspace/converted.yaml').map((problem) => `${problem.code} ${problem.message}`);
    assert.deepEqual(problems, [], result.text);
    const [route] = service.trafficSplit(['file:///workspace/converted.yaml']).httpRoutes ?? [];
    assert.ok(route, 'the HTTPRoute is previewed');
    assert.deepEqual(shares(route.routes), shares(before.routes));
    for (const line of result.notConverted) assert.ok(result.text.includes(`#   - ${line}`), 'every item not converted is listed in the text');
  });
}

test('convert canary-setup: parent Service, mirror filter, per-version Services with subset labels', () => {
  const { service, vsUri, vsLine } = workspaceOf(join(examples, 'canary-setup'));
  const result = service.convertToHttpRoute(vsUri, { line: vsLine, character: 0 });
  assert.ok(result);
  const [route, ...services] = parseAllDocuments(result.text).map((document) => document.toJS());
  assert.deepEqual(route.spec.parentRefs, [{ group: '', kind: 'Service', name: 'checkout' }]);
  assert.deepEqual(route.spec.rules[0].filters, [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'checkout-canary', port: 8080 }, percent: 25 } }]);
  assert.deepEqual(route.spec.rules[0].backendRefs, [{ name: 'checkout-stable', port: 8080 }]);
  assert.deepEqual(services.map((svc) => [svc.metadata.name, svc.spec.selector]), [
    ['checkout-stable', { app: 'checkout', version: 'stable' }],
    ['checkout-canary', { app: 'checkout', version: 'canary' }],
  ]);
  assert.equal(result.fileName, 'checkout-httproute.yaml');
  assert.equal(result.notConverted.length, 2, result.notConverted.join('\n'));
  assert.ok(result.notConverted.some((line) => /^http\[0\] "checkout-primary": retries/.test(line)), result.notConverted.join('\n'));
  assert.ok(result.notConverted.some((line) => /^DestinationRule shop\/checkout \(host checkout\) sets a trafficPolicy, which does not apply to the new Services checkout-stable, checkout-canary/.test(line)), result.notConverted.join('\n'));
});

test('what has no HTTPRoute equivalent is listed, the rest converted', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///vs.yaml', `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: demo}
spec:
  hosts: [web.example.com]
  gateways: [istio-system/public]
  http:
  - match:
    - uri: {prefix: /api}
      headers:
        x-tenant: {prefix: beta}
      sourceLabels: {app: tester}
    rewrite: {uri: /v2/api}
    fault:
      abort: {httpStatus: 503, percentage: {value: 1}}
    route:
    - destination: {host: web, port: {number: 80}}
    mirror: {host: web-shadow, port: {number: 80}}
    mirrorPercentage: {value: 0.5}
  - match:
    - uri: {exact: /old}
    redirect: {uri: /new, redirectCode: 301}
  tcp:
  - route:
    - destination: {host: web, port: {number: 9000}}
`);
  const result = service.convertToHttpRoute('file:///vs.yaml', { line: 1, character: 0 });
  assert.ok(result);
  const route = parse(result.text.split('\n---\n')[0]);
  assert.deepEqual(route.spec.parentRefs, [{ name: 'public', namespace: 'istio-system' }]);
  assert.deepEqual(route.spec.hostnames, ['web.example.com']);
  assert.deepEqual(route.spec.rules[0].matches, [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'RegularExpression', name: 'x-tenant', value: 'beta.*' }] }]);
  assert.deepEqual(route.spec.rules[0].filters, [
    { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-shadow', port: 80 }, fraction: { numerator: 5, denominator: 1000 } } },
    { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2/api' } } },
  ]);
  assert.deepEqual(route.spec.rules[1].filters, [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } }]);
  const listed = result.notConverted.join('\n');
  for (const expected of ['`sourceLabels` has no HTTPRoute match equivalent', 'fault injection', 'tcp rule(s): TCPRoute is not converted', 'is an Istio Gateway', 'Rule order', 'matches whole path segments']) {
    assert.ok(listed.includes(expected), `"${expected}" should be listed:\n${listed}`);
  }
});

test('mirror shares: whole percent as percent, fractions in lowest powers of ten', () => {
  assert.deepEqual(mirrorShare(10), { percent: 10 });
  assert.deepEqual(mirrorShare(0.5), { fraction: { numerator: 5, denominator: 1000 } });
  assert.deepEqual(mirrorShare(12.5), { fraction: { numerator: 125, denominator: 1000 } });
  assert.deepEqual(mirrorShare(0.0001), { fraction: { numerator: 1, denominator: 1000000 } });
});
