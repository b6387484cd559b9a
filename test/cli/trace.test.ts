// `istio-mirror trace` through the built CLI: every match condition of Istio's HTTPMatchRequest,
// each with a request that matches its rule and one that does not (and so falls through to the
// catch-all "default"), plus host and gateway selection, shares, mirrors, faults, redirects,
// direct responses, rewrites and the documented JSON shape.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runCliJson } from '../helpers/runCli';

interface Target { host: string; subset: string | null; percent: number; port: number | null }
interface Trace {
  virtualService: string | null;
  httpIndex: number | null;
  name: string | null;
  destinations: Target[];
  mirrors: (Target & { hostHeader: string })[];
  fault: { abort?: { httpStatus?: number; percent: number }; delay?: { fixedDelay: string; percent: number } } | null;
  redirect: { location: string; code: number } | null;
  directResponse: { status: number; body: string | null } | null;
  rewrite: { path: string; authority: string | null } | null;
  undecided: { httpIndex: number; reason: string }[];
  notes: string[];
}

const shop = 'test/fixtures/routing/matching';

function trace(...args: string[]): Trace {
  return runCliJson<Trace>(['trace', shop, '--namespace', 'web', '--port', '8080', ...args]);
}

// [condition, request that matches, request that does not]
const conditions: [string, string[], string[]][] = [
  ['uri-exact', ['--host', 'shop', '--path', '/exact'], ['--host', 'shop', '--path', '/exact/more']],
  ['uri-prefix', ['--host', 'shop', '--path', '/prefix/x'], ['--host', 'shop', '--path', '/pre']],
  ['uri-regex', ['--host', 'shop', '--path', '/items/42'], ['--host', 'shop', '--path', '/items/42/reviews']],
  ['ignore-uri-case', ['--host', 'shop', '--path', '/cASE'], ['--host', 'shop', '--path', '/Cases']],
  ['header-exact', ['--host', 'shop', '--header', 'X-User=jason'], ['--host', 'shop', '--header', 'x-user=Jason']],
  ['header-prefix', ['--host', 'shop', '--header', 'x-team: payments'], ['--host', 'shop', '--header', 'x-team=ops-pay']],
  ['header-regex', ['--host', 'shop', '--header', 'x-build=v12'], ['--host', 'shop', '--header', 'x-build=v12-rc']],
  ['header-present', ['--host', 'shop', '--header', 'x-debug='], ['--host', 'shop', '--header', 'x-debugging=1']],
  ['without-header', ['--host', 'shop', '--path', '/without', '--header', 'x-internal=no'], ['--host', 'shop', '--path', '/without', '--header', 'x-internal=yes']],
  ['query-param', ['--host', 'shop', '--path', '/list?version=v2&page=1'], ['--host', 'shop', '--query', 'version=v22']],
  ['port', ['--host', 'shop', '--path', '/port', '--port', '9090'], ['--host', 'shop', '--path', '/port']],
  ['method', ['--host', 'shop', '--path', '/method', '--method', 'post'], ['--host', 'shop', '--path', '/method']],
  ['source-labels', ['--host', 'shop', '--path', '/source', '--source-labels', 'app=frontend,version=v1'], ['--host', 'shop', '--path', '/source', '--source-labels', 'app=backend']],
  ['source-namespace', ['--host', 'shop', '--path', '/srcns', '--source-namespace', 'mobile'], ['--host', 'shop', '--path', '/srcns', '--source-namespace', 'web']],
  ['gateway-only', ['--host', 'shop.example.com', '--path', '/gw', '--gateway', 'istio-system/public'], ['--host', 'shop', '--path', '/gw']],
  ['authority', ['--host', 'shop.web', '--path', '/auth'], ['--host', 'shop', '--path', '/auth']],
  ['mesh-only', ['--host', 'shop', '--path', '/meshonly'], ['--host', 'shop.example.com', '--path', '/meshonly', '--gateway', 'istio-system/public']],
  ['blocks-ored', ['--host', 'shop', '--path', '/or2/x'], ['--host', 'shop', '--path', '/or3']],
  ['conditions-anded', ['--host', 'shop', '--path', '/and', '--header', 'x-and=1'], ['--host', 'shop', '--path', '/and']],
];

for (const [name, matching, other] of conditions) {
  test(`${name}: a matching request takes the rule, another falls through to the default`, () => {
    const hit = trace(...matching);
    assert.equal(hit.name, name, JSON.stringify(hit));
    assert.equal(hit.virtualService, 'web/shop');
    const miss = trace(...other);
    assert.equal(miss.name, 'default', JSON.stringify(miss));
  });
}

test('the JSON shape: destinations with relative shares, hosts as FQDNs', () => {
  const result = trace('--host', 'shop.web', '--path', '/');
  assert.deepEqual(
    { virtualService: result.virtualService, httpIndex: result.httpIndex, name: result.name, destinations: result.destinations, mirrors: result.mirrors, fault: result.fault, redirect: result.redirect, directResponse: result.directResponse },
    {
      virtualService: 'web/shop',
      httpIndex: 24,
      name: 'default',
      destinations: [{ host: 'shop.web.svc.cluster.local', subset: 'v1', percent: 75, port: null }, { host: 'shop.web.svc.cluster.local', subset: 'v2', percent: 25, port: null }],
      mirrors: [],
      fault: null,
      redirect: null,
      directResponse: null,
    },
  );
});

test('facts the request does not give are reported as unknown, not guessed', () => {
  const result = trace('--host', 'shop', '--path', '/source');
  assert.equal(result.name, 'default');
  assert.deepEqual(result.undecided.map((entry) => [entry.httpIndex, entry.reason]), [[12, 'it needs a client with labels app=frontend (give --source-labels)']]);
  const noNamespace = trace('--host', 'shop', '--path', '/srcns');
  assert.equal(noNamespace.name, 'default');
  assert.deepEqual(noNamespace.undecided.map((entry) => [entry.httpIndex, entry.reason]), [[13, 'it needs a client in namespace mobile (give --source-namespace)']]);
  const noPort = runCliJson<Trace>(['trace', shop, '--namespace', 'web', '--host', 'shop', '--path', '/port']);
  assert.deepEqual(noPort.undecided.map((entry) => entry.reason), ["it needs port 9090 and the request's port is not known (give --port)"]);
  // A port in the host counts as the request's port.
  assert.equal(runCliJson<Trace>(['trace', shop, '--namespace', 'web', '--host', 'shop:9090', '--path', '/port']).name, 'port');
});

test('an abort at 100 % routes and mirrors nothing; a delay is reported with its share', () => {
  const aborted = trace('--host', 'shop', '--path', '/abort');
  assert.equal(aborted.name, 'aborted');
  assert.deepEqual(aborted.destinations, []);
  assert.deepEqual(aborted.mirrors, []);
  assert.deepEqual(aborted.fault, { abort: { percent: 100, httpStatus: 503 } });
  const delayed = trace('--host', 'shop', '--path', '/slow');
  assert.deepEqual(delayed.fault, { delay: { fixedDelay: '2s', percent: 50 } });
  assert.equal(delayed.destinations.length, 1);
});

test('redirects, direct responses and rewrites', () => {
  assert.deepEqual(trace('--host', 'shop', '--path', '/old/page?a=1').redirect, { location: 'http://shop/new?a=1', code: 302 });
  assert.deepEqual(trace('--host', 'shop', '--path', '/gone').directResponse, { status: 410, body: 'gone for good' });
  const rewritten = trace('--host', 'shop', '--path', '/api/orders?id=7');
  assert.equal(rewritten.name, 'rewritten');
  assert.deepEqual(rewritten.rewrite, { path: '/v2/orders?id=7', authority: 'backend.web' });
  // The copy carries the rewritten Host; 0.57 % is really 0.5699 %.
  assert.deepEqual(rewritten.mirrors.map(({ subset, percent, hostHeader }) => ({ subset, percent, hostHeader })), [{ subset: 'v1', percent: 0.5699, hostHeader: 'backend.web' }]);
  const before128 = runCliJson<Trace>(['trace', shop, '--namespace', 'web', '--host', 'shop', '--path', '/api/x', '--istio-version', '1.27']);
  assert.equal(before128.mirrors[0].hostHeader, 'backend.web-shadow');
});

test('host and gateway selection: mesh by default, a gateway only sees VirtualServices bound to it', () => {
  const viaGateway = trace('--host', 'shop.example.com', '--gateway', 'istio-system/public', '--path', '/x');
  assert.equal(viaGateway.name, 'default');
  const otherGateway = trace('--host', 'shop.example.com', '--gateway', 'istio-system/internal');
  assert.equal(otherGateway.virtualService, null);
  assert.match(otherGateway.notes[0], /no VirtualService on istio-system\/internal for this host: the gateway answers 404/);
  const unknownHost = trace('--host', 'elsewhere');
  assert.equal(unknownHost.virtualService, null);
  assert.deepEqual(unknownHost.destinations.map((destination) => destination.host), ['elsewhere.web.svc.cluster.local']);
  // A short name resolves in the client's namespace: from another namespace it is another host.
  assert.equal(runCliJson<Trace>(['trace', shop, '--namespace', 'mobile', '--host', 'shop']).virtualService, null);
  assert.equal(runCliJson<Trace>(['trace', shop, '--namespace', 'mobile', '--host', 'shop.web']).virtualService, 'web/shop');
});

test('text output and usage errors', () => {
  const result = runCli(['trace', 'examples/basic-mirror', '--host', 'httpbin.demo', '--path', '/get']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, [
    'GET httpbin.demo/get  →  VirtualService demo/httpbin http[0] "primary" (no match: takes all requests)  examples/basic-mirror/virtualservice.yaml:13',
    '  route     httpbin.demo.svc.cluster.local:8000 subset v1  100 %',
    '  mirror    httpbin.demo.svc.cluster.local:8000 subset v2  10 % of these requests copied, Host: httpbin.demo',
    '',
  ].join('\n'));
  assert.equal(runCli(['trace', 'examples']).status, 2, 'no --host');
  assert.equal(runCli(['trace', 'examples', '--host', 'a', '--header', 'novalue']).status, 2);
  assert.equal(runCli(['trace', 'examples', '--host', 'a', '--source-labels', 'app']).status, 2);
});
