// `istio-mirror test` through the built CLI: RoutingTest files run against the VirtualServices
// given with them (test/fixtures/routing/matching/shop.yaml), each expectation field met
// (passing.yaml) and missed (failing.yaml), the failing request with expected and actual in
// the text report, JUnit XML and SARIF for CI, the exit statuses, and the example of examples/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/runCli';

const shop = 'test/fixtures/routing/matching';
const passing = 'test/fixtures/routing/tests/passing.yaml';
const failing = 'test/fixtures/routing/tests/failing.yaml';

test('every test of passing.yaml passes: exit 0, one PASS line per test and the summary', () => {
  const run = runCli(['test', shop, passing]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.filter((line) => line.startsWith('PASS  test/fixtures/routing/tests/passing.yaml:')).length, 9, run.stdout);
  assert.ok(lines.includes('PASS  test/fixtures/routing/tests/passing.yaml:33  the mirror copies what Envoy represents, 0.5699 % for 0.57'), run.stdout);
  assert.equal(lines[lines.length - 1], '9 tests: 9 passed, 0 failed');
});

test('a failing test prints the request, the rule that took it, expected and actual; exit 1', () => {
  const run = runCli(['test', shop, failing]);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const blocks = run.stdout.split(/\n(?=PASS|FAIL|\d+ tests)/);
  const block = (name: string): string => blocks.find((entry) => entry.includes(`  ${name}\n`)) ?? assert.fail(`no block for ${name}:\n${run.stdout}`);
  assert.equal(block('0.57 % is not what Envoy mirrors'), [
    'FAIL  test/fixtures/routing/tests/failing.yaml:11  0.57 % is not what Envoy mirrors',
    '      request   GET shop:8080/api/orders',
    '      taken by  VirtualService web/shop http[23] "rewritten"  test/fixtures/routing/matching/shop.yaml:169',
    '      mirrors',
    '        expected  shop subset v1 0.57 %',
    '        actual    shop.web.svc.cluster.local subset v1 0.5699 %',
  ].join('\n'));
  const wrongRule = block('the wrong rule');
  assert.match(wrongRule, /request {3}PUT shop:8080\/prefix\/x {2}headers x-user=bob\n/);
  assert.match(wrongRule, /httpIndex\n {8}expected {2}0\n {8}actual {4}1\n/);
  assert.match(wrongRule, /name\n {8}expected {2}uri-exact\n {8}actual {4}uri-prefix/);
  assert.doesNotMatch(wrongRule, /virtualService/, 'a met expectation is not listed');
  assert.match(block('a destination missing from the expectation'), /destinations\n {8}expected {2}shop subset v1\n {8}actual {4}shop\.web\.svc\.cluster\.local subset v1 75 %, shop\.web\.svc\.cluster\.local subset v2 25 %/);
  assert.match(block("an earlier rule needs the client's labels"), /might take it first: it needs a client with labels app=frontend \(set request\.sourceLabels\)/);
  assert.match(block('no host'), /actual {4}the request has no host/);
  assert.match(block('the wrong redirect'), /expected {2}\{"code":301\}\n {8}actual {4}\{"location":"http:\/\/shop\/new","code":302\}/);
  assert.match(run.stdout, /\n6 tests: 0 passed, 6 failed\n?$/);
});

test('--format junit: one testsuite per RoutingTest document, a <failure> per failing test', () => {
  const run = runCli(['test', shop, passing, failing, '--format', 'junit']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="istio-mirror test" tests="15" failures="6">/);
  assert.match(run.stdout, /<testsuite name="shop-passing" tests="9" failures="0" errors="0" skipped="0" file="test\/fixtures\/routing\/tests\/passing\.yaml">/);
  assert.match(run.stdout, /<testsuite name="shop-failing" tests="6" failures="6"/);
  assert.match(run.stdout, /<testcase name="the catch-all splits 3 to 1" classname="shop-passing" file="test\/fixtures\/routing\/tests\/passing\.yaml" line="26"\/>/);
  assert.match(run.stdout, /<testcase name="the wrong rule" classname="shop-failing" file="test\/fixtures\/routing\/tests\/failing\.yaml" line="17">\n {6}<failure message="httpIndex: expected 0, actual 1; name: expected uri-exact, actual uri-prefix" type="RoutingTestFailure">request {3}PUT/);
  assert.match(run.stdout, /taken by {2}VirtualService web\/shop http\[1\] &quot;uri-prefix&quot;/, 'XML-escaped');
  assert.equal((run.stdout.match(/<failure /g) ?? []).length, 6);
  assert.match(run.stdout, /<\/testsuites>\n$/);
});

test('--format sarif: one error result per failing test, at the test\'s line', () => {
  const run = runCli(['test', shop, passing, failing, '--format', 'sarif']);
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
  assert.equal(log.version, '2.1.0');
  const [run0] = log.runs;
  assert.deepEqual(run0.tool.driver.rules.map((rule) => rule.id), ['routing-test']);
  assert.deepEqual(run0.results.map((result) => [result.ruleId, result.level, result.locations[0].physicalLocation.artifactLocation.uri, result.locations[0].physicalLocation.region.startLine]), [
    ['routing-test', 'error', failing, 11],
    ['routing-test', 'error', failing, 17],
    ['routing-test', 'error', failing, 27],
    ['routing-test', 'error', failing, 32],
    ['routing-test', 'error', failing, 35],
    ['routing-test', 'error', failing, 38],
  ]);
  assert.equal(run0.results[0].message.text, '0.57 % is not what Envoy mirrors: mirrors: expected shop subset v1 0.57 %, actual shop.web.svc.cluster.local subset v1 0.5699 %');
});

test('no RoutingTest under the paths is a usage error (exit 2); an unknown format too', () => {
  const none = runCli(['test', shop]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^istio-mirror: no routing tests \(kind: RoutingTest\) under test\/fixtures\/routing\/matching\n/);
  const format = runCli(['test', shop, passing, '--format', 'json']);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /unknown format "json" \(use text, junit, sarif\)/);
});

test('the example of examples/header-conditional-mirror passes', () => {
  const run = runCli(['test', 'examples/header-conditional-mirror']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /\n3 tests: 3 passed, 0 failed\n$/);
});

test('check reports RoutingTest files (IM2601 for the test without host), and the example checks clean', () => {
  const run = runCli(['check', failing]);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, 'test/fixtures/routing/tests/failing.yaml:36:5 error IM2601 This request has no `host`, and `spec.defaults` gives none: the test cannot run. Add `host:` (the host the client calls, e.g. `reviews`).\n');
  const example = runCli(['check', 'examples/header-conditional-mirror']);
  assert.equal(example.status, 0, example.stdout);
  assert.equal(example.stdout, '');
});
