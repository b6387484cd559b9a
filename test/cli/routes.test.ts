// `istio-mirror routes` through the built CLI: the Envoy route actions Istio's pilot generates,
// with its numbers exactly (route.go: translatePercentToFractionalPercent truncates value × 10,000
// of a MILLION; the deprecated integer is of a HUNDRED; no percentage is 100 of a HUNDRED; an
// explicit 0 sends no policy), mirror policies in order, cluster names from BuildSubsetKey with
// ports from one- and multi-port Services and a ServiceEntry, and the shadow-host default by release.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runCliJson } from '../helpers/runCli';

interface Fraction { numerator: number; denominator: string }
interface MirrorPolicy { cluster: string; runtimeFraction: { defaultValue: Fraction }; traceSampled: boolean; disableShadowHostSuffixAppend: boolean }
interface RouteEntry {
  virtualService: string;
  file: string;
  httpIndex: number;
  name: string | null;
  listenerPort: number | null;
  generated: boolean;
  match: Record<string, unknown>[];
  route: { cluster?: string; weightedClusters?: { clusters: { name: string; weight: number }[] }; timeout: string; retryPolicy?: Record<string, unknown>; requestMirrorPolicies?: MirrorPolicy[]; prefixRewrite?: string; hostRewriteLiteral?: string } | null;
  redirect: Record<string, unknown> | null;
  directResponse: Record<string, unknown> | null;
  fault: Record<string, unknown> | null;
  notes: string[];
}

const translation = 'test/fixtures/routing/translation';

function routes(...extra: string[]): RouteEntry[] {
  return runCliJson<{ routes: RouteEntry[] }>(['routes', translation, ...extra]).routes;
}

function rule(all: RouteEntry[], virtualService: string, name: string | null, listenerPort?: number): RouteEntry {
  const found = all.find((entry) => entry.virtualService === virtualService && entry.name === name && (listenerPort === undefined || entry.listenerPort === listenerPort));
  assert.ok(found, `no route ${virtualService} ${name} ${listenerPort ?? ''}`);
  return found;
}

function fractions(entry: RouteEntry): Fraction[] {
  return (entry.route?.requestMirrorPolicies ?? []).map((policy) => policy.runtimeFraction.defaultValue);
}

const reviews = (subset: string): string => `outbound|9080|${subset}|reviews.demo.svc.cluster.local`;

test('mirrorPercentage 0.57 becomes 5699 of a MILLION (truncated), 12.5 becomes 125000, 100 becomes 1000000', () => {
  const all = routes();
  assert.deepEqual(fractions(rule(all, 'demo/reviews', 'fraction-0-57')), [{ numerator: 5699, denominator: 'MILLION' }]);
  assert.deepEqual(fractions(rule(all, 'demo/reviews', 'fraction-12-5')), [{ numerator: 125000, denominator: 'MILLION' }]);
  assert.deepEqual(fractions(rule(all, 'demo/reviews', 'full')), [{ numerator: 1000000, denominator: 'MILLION' }]);
});

test('an explicit 0 sends no mirror policy; the deprecated integer is of a HUNDRED; no percentage is 100 of a HUNDRED', () => {
  const all = routes();
  const zero = rule(all, 'demo/reviews', 'zero');
  assert.equal(zero.route?.requestMirrorPolicies, undefined);
  assert.deepEqual(zero.notes, ['mirror: the percentage is 0, so pilot sends no mirror policy']);
  assert.deepEqual(fractions(rule(all, 'demo/reviews', 'deprecated-integer')), [{ numerator: 30, denominator: 'HUNDRED' }]);
  assert.deepEqual(fractions(rule(all, 'demo/reviews', 'no-percentage')), [{ numerator: 100, denominator: 'HUNDRED' }]);
});

test('a mirror policy: its cluster, traceSampled false, and the shadow-host default of the newest release', () => {
  const [policy] = rule(routes(), 'demo/reviews', 'fraction-12-5').route?.requestMirrorPolicies ?? [];
  assert.deepEqual(policy, { cluster: reviews('v2'), runtimeFraction: { defaultValue: { numerator: 125000, denominator: 'MILLION' } }, traceSampled: false, disableShadowHostSuffixAppend: true });
});

test('DISABLE_SHADOW_HOST_SUFFIX: copies keep their Host from 1.28 and get -shadow before', () => {
  for (const [version, disabled] of [['1.28', true], ['1.30', true], ['1.27', false], ['1.20.3', false]] as const) {
    const policies = rule(routes('--istio-version', version), 'demo/reviews', 'full').route?.requestMirrorPolicies ?? [];
    assert.equal(policies[0]?.disableShadowHostSuffixAppend, disabled, version);
  }
  const text = runCli(['routes', translation, '--istio-version', '1.27']).stdout;
  assert.match(text, /Istio 1\.27/);
  assert.match(text, /outbound\|9080\|v2\|reviews\.demo\.svc\.cluster\.local {2}12\.5 % \(125000\/MILLION\) {2}traceSampled false, Host gets -shadow/);
});

test('mirrors: one policy per entry in order, 0 % entries left out, a ServiceEntry host takes its only port; ignored before 1.20', () => {
  const entry = rule(routes(), 'demo/reviews', 'several-mirrors');
  assert.deepEqual(entry.route?.requestMirrorPolicies?.map((policy) => [policy.cluster, policy.runtimeFraction.defaultValue]), [
    [reviews('v3'), { numerator: 50000, denominator: 'MILLION' }],
    [reviews('v2'), { numerator: 100, denominator: 'HUNDRED' }],
    ['outbound|443||api.partner.example', { numerator: 10000, denominator: 'MILLION' }],
  ]);
  assert.deepEqual(entry.notes, ['mirrors[2]: the percentage is 0, so pilot sends no mirror policy']);
  const old = rule(routes('--istio-version', '1.19'), 'demo/reviews', 'several-mirrors');
  assert.equal(old.route?.requestMirrorPolicies, undefined);
  assert.deepEqual(old.notes, ['mirrors: Istio releases before 1.20 ignore this field']);
});

test('mirror and mirrors together: the mirror policy first, then each mirrors entry', () => {
  const all = runCliJson<{ routes: RouteEntry[] }>(['routes', 'examples/broken/mirror-and-mirrors.yaml', 'examples/broken/services.yaml']).routes;
  assert.deepEqual(all[0].route?.requestMirrorPolicies?.map((policy) => policy.cluster), ['outbound|8080|v2|orders.broken.svc.cluster.local', 'outbound|8080|v3|orders.broken.svc.cluster.local']);
});

test('weighted clusters drop 0 weights; timeout and retries in Envoy form; rules after a catch-all are not sent', () => {
  const all = routes();
  const split = rule(all, 'demo/reviews', 'split');
  assert.deepEqual(split.match, [{ prefix: '/' }]);
  assert.deepEqual(split.route?.weightedClusters, { clusters: [{ name: reviews('v1'), weight: 90 }, { name: reviews('v2'), weight: 10 }] });
  assert.equal(split.route?.timeout, '1.500s');
  assert.deepEqual(split.route?.retryPolicy, {
    retryOn: '5xx,retriable-status-codes',
    numRetries: 3,
    retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
    hostSelectionRetryMaxAttempts: '5',
    perTryTimeout: '0.500s',
    retriableStatusCodes: [503],
  });
  const after = rule(all, 'demo/reviews', 'after-catch-all');
  assert.equal(after.generated, false);
  assert.deepEqual(after.notes, ['not sent: rule "split" before it takes every request']);
});

test('ports: a one-port Service names its port; a multi-port Service gets one route configuration per listener port', () => {
  const all = routes();
  assert.equal(rule(all, 'demo/reviews', 'full').listenerPort, 9080);
  const on9080 = rule(all, 'demo/ratings', 'everything', 9080);
  const on9090 = rule(all, 'demo/ratings', 'everything', 9090);
  assert.equal(on9080.route?.cluster, 'outbound|9080||ratings.demo.svc.cluster.local');
  assert.equal(on9080.generated, true);
  // The mirror target has one port, whatever the listener.
  assert.equal(on9080.route?.requestMirrorPolicies?.[0].cluster, reviews(''));
  assert.equal(on9090.route?.cluster, 'outbound|9090||ratings.demo.svc.cluster.local');
  // On 9090 the port-only match of the first rule takes every request.
  assert.equal(on9090.generated, false);
  const admin9080 = rule(all, 'demo/ratings', 'admin-only', 9080);
  assert.equal(admin9080.generated, false);
  assert.deepEqual(admin9080.match, []);
  assert.equal(rule(all, 'demo/ratings', 'admin-only', 9090).route?.cluster, 'outbound|9090||ratings.demo.svc.cluster.local');
});

test('--port picks one listener; without a known listener the cluster says so', () => {
  const picked = routes('--port', '9090').filter((entry) => entry.virtualService === 'demo/ratings');
  assert.deepEqual(picked.map((entry) => entry.listenerPort), [9090, 9090]);
  const alone = runCliJson<{ routes: RouteEntry[] }>(['routes', `${translation}/ports.yaml`]).routes;
  const everything = rule(alone, 'demo/ratings', 'everything');
  assert.equal(everything.listenerPort, null);
  assert.equal(everything.route?.cluster, 'outbound|<listener port>||ratings.demo.svc.cluster.local');
  assert.match(everything.notes.join('\n'), /the cluster port is the listener's/);
});

test('a percentage below 0.0001 % truncates to 0 of a MILLION: pilot still sends the policy, and it never mirrors', () => {
  const partner = rule(routes(), 'demo/partner', null);
  assert.equal(partner.route?.cluster, 'outbound|443||api.partner.example');
  assert.deepEqual(partner.route?.requestMirrorPolicies?.[0], { cluster: 'outbound|8443|sandbox|api.partner.example', runtimeFraction: { defaultValue: { numerator: 0, denominator: 'MILLION' } }, traceSampled: false, disableShadowHostSuffixAppend: true });
});

test('matches, redirects, direct responses, faults and rewrites in Envoy form', () => {
  const all = runCliJson<{ routes: RouteEntry[] }>(['routes', 'test/fixtures/routing/matching', '--port', '8080']).routes;
  const byName = (name: string): RouteEntry => rule(all, 'web/shop', name);
  assert.deepEqual(byName('uri-exact').match, [{ path: '/exact', caseSensitive: true }]);
  assert.deepEqual(byName('uri-regex').match, [{ safeRegex: { regex: '/items/[0-9]+' }, caseSensitive: true }]);
  assert.deepEqual(byName('ignore-uri-case').match, [{ path: '/Case', caseSensitive: false }]);
  assert.deepEqual(byName('header-present').match, [{ prefix: '/', caseSensitive: true, headers: [{ name: 'x-debug', presentMatch: true }] }]);
  assert.deepEqual(byName('without-header').match, [{ prefix: '/without', caseSensitive: true, headers: [{ name: 'x-internal', stringMatch: { exact: 'yes' }, invertMatch: true, treatMissingHeaderAsEmpty: true }] }]);
  assert.deepEqual(byName('method').match, [{ prefix: '/method', caseSensitive: true, headers: [{ name: ':method', stringMatch: { exact: 'POST' } }] }]);
  assert.deepEqual(byName('query-param').match, [{ prefix: '/', caseSensitive: true, queryParameters: [{ name: 'version', stringMatch: { exact: 'v2' } }] }]);
  assert.deepEqual(byName('port').match, [], 'the port-9090 match is not sent on listener 8080');
  assert.deepEqual(byName('moved').redirect, { pathRedirect: '/new', responseCode: 'FOUND' });
  assert.equal(byName('moved').route, null);
  assert.deepEqual(byName('gone').directResponse, { status: 410, body: { inlineString: 'gone for good' } });
  assert.deepEqual(byName('aborted').fault, { abort: { percentage: { numerator: 1000000, denominator: 'MILLION' }, httpStatus: 503 } });
  assert.deepEqual(byName('delayed').fault, { delay: { fixedDelay: '2s', percentage: { numerator: 500000, denominator: 'MILLION' } } });
  const rewritten = byName('rewritten').route;
  assert.equal(rewritten?.prefixRewrite, '/v2/');
  assert.equal(rewritten?.hostRewriteLiteral, 'backend.web');
  assert.deepEqual(fractions(byName('rewritten')), [{ numerator: 5699, denominator: 'MILLION' }]);
});

test('text output: one block per VirtualService and listener; usage errors exit 2', () => {
  const result = runCli(['routes', 'examples/multiple-mirrors']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, [
    'VirtualService demo/reviews  (examples/multiple-mirrors/virtualservice.yaml)  Istio 1.30, listener port 9080',
    '  http[0] "v1-with-shadows"',
    '    match     prefix /',
    '    cluster   outbound|9080|v1|reviews.demo.svc.cluster.local',
    '    mirror    outbound|9080|v2|reviews.demo.svc.cluster.local  20 % (200000/MILLION)  traceSampled false, Host unchanged',
    '    mirror    outbound|9080|v3|reviews.demo.svc.cluster.local  5 % (50000/MILLION)  traceSampled false, Host unchanged',
    '    timeout   0s (none)',
    '',
  ].join('\n'));
  assert.equal(runCli(['routes', '--istio-version', 'latest', 'examples']).status, 2);
  assert.equal(runCli(['routes', '--port', '0', 'examples']).status, 2);
  assert.equal(runCli(['routes', '--format', 'sarif', 'examples']).status, 2);
});

test('preview: under each mirror, the Envoy policy Istio sends for it (the newest release)', () => {
  const result = runCli(['preview', translation]);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const after = (rule: string): string[] => lines.slice(lines.findIndex((line) => /^ {2}rule #\d+ "/.test(line) && line.includes(`"${rule}"`)) + 1).filter((line) => line.includes('Envoy (Istio')).slice(0, 3);
  assert.equal(after('fraction-0-57')[0], "          Envoy (Istio 1.30): cluster outbound|9080|v2|reviews.demo.svc.cluster.local, runtimeFraction 5699/MILLION = 0.5699 % (written 0.57 %), copy's Host reviews (for a call to reviews), traceSampled false");
  assert.equal(after('deprecated-integer')[0], "          Envoy (Istio 1.30): cluster outbound|9080|v2|reviews.demo.svc.cluster.local, runtimeFraction 30/HUNDRED = 30 %, copy's Host reviews (for a call to reviews), traceSampled false");
  assert.match(lines.find((line) => line.includes('no mirror policy')) ?? '', /Envoy \(Istio 1\.30\): no mirror policy — the percentage is 0, so pilot sends no mirror policy and nothing is copied/);
});
