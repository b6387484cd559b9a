// `istio-mirror monitor` as a user runs it (the built dist/cli.js in a child process), in its
// three formats on the examples and the monitor fixtures; every query it prints is parsed by
// Prometheus' PromQL parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matcherOf, parsePromQL } from '../helpers/promql';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonMonitor {
  virtualService: string;
  httpIndex: number;
  primary: { host: string; subset: string | null; labels: Record<string, string>; reportedAs: string };
  mirror: { host: string; subset: string | null; labels: Record<string, string>; reportedAs: string; selectedBy: string };
  percent: number;
  queries: { name: string; primary: string; mirror: string }[];
  commands: { description: string; command: string }[];
  notes: string[];
  file: string;
}

const allExamples = ['examples/basic-mirror', 'examples/multiple-mirrors', 'examples/header-conditional-mirror', 'examples/external-mirror', 'examples/canary-setup', 'examples/destinationrule-subsets', 'test/fixtures/monitor'];

function json(paths: string[], ...flags: string[]): JsonMonitor[] {
  const result = run(['monitor', ...paths, '--format', 'json', ...flags]);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout) as { mirrors: JsonMonitor[] };
  assert.deepEqual(Object.keys(output), ['mirrors']);
  return output.mirrors;
}

test('json: the documented shape, in the documented key order, for every mirror of the examples', () => {
  const mirrors = json(allExamples);
  assert.deepEqual(mirrors.map((m) => `${m.virtualService} #${m.httpIndex} ${m.mirror.host}${m.mirror.subset ? `/${m.mirror.subset}` : ''} ${m.percent}`), [
    'demo/httpbin #0 httpbin/v2 10',
    'demo/reviews #0 reviews/v2 20',
    'demo/reviews #0 reviews/v3 5',
    'demo/catalog #0 catalog/canary 100',
    'demo/search #0 shadow.example.com 5',
    'shop/checkout #0 checkout/canary 25',
    'bookinfo/ratings #0 ratings/next 50',
    'shop/cart #0 cart.shop.svc.cluster.local/next 1',
  ]);
  for (const mirror of mirrors) {
    assert.deepEqual(Object.keys(mirror).slice(0, 9), ['virtualService', 'httpIndex', 'primary', 'mirror', 'percent', 'queries', 'commands', 'notes', 'file']);
    assert.deepEqual(Object.keys(mirror.primary).slice(0, 3), ['host', 'subset', 'labels']);
    assert.deepEqual(Object.keys(mirror.mirror).slice(0, 3), ['host', 'subset', 'labels']);
    for (const query of mirror.queries) {
      assert.deepEqual(Object.keys(query).slice(0, 3), ['name', 'primary', 'mirror']);
      parsePromQL(query.primary);
      parsePromQL(query.mirror);
    }
    for (const command of mirror.commands) assert.deepEqual(Object.keys(command), ['description', 'command']);
    assert.ok(mirror.notes.length > 0);
  }
  const basic = mirrors[0];
  assert.deepEqual([basic.primary, basic.mirror].map((side) => [side.subset, side.labels, side.reportedAs]), [['v1', { version: 'v1' }, 'destination_version="v1"'], ['v2', { version: 'v2' }, 'destination_version="v2"']]);
  assert.equal(basic.file, 'examples/basic-mirror/virtualservice.yaml');
  const checkout = mirrors.find((m) => m.virtualService === 'shop/checkout')!;
  const rate = parsePromQL(checkout.queries.find((q) => q.name === 'requestRate')!.mirror)[0];
  assert.deepEqual([rate.metric, matcherOf(rate, 'reporter'), matcherOf(rate, 'destination_service_namespace'), matcherOf(rate, 'destination_version')], ['istio_requests_total', '=destination', '=shop', '=canary']);
  const external = mirrors.find((m) => m.virtualService === 'demo/search')!;
  assert.equal(external.mirror.selectedBy, 'envoyCluster');
  const ratings = mirrors.find((m) => m.virtualService === 'bookinfo/ratings')!;
  assert.equal(ratings.mirror.reportedAs, 'destination_canonical_revision="1.5.0-rc.1"');
});

test('json: --window changes every range; --namespace is the namespace of resources without one', () => {
  for (const mirror of json(['examples/basic-mirror'], '--window', '30s')) {
    for (const query of mirror.queries) for (const selector of [...parsePromQL(query.primary), ...parsePromQL(query.mirror)]) assert.equal(selector.range, '30s');
  }
  const [fromFiles] = json(['examples/basic-mirror'], '--namespace', 'elsewhere');
  assert.equal(fromFiles.virtualService, 'demo/httpbin', 'metadata.namespace wins');
});

test('text: each mirror with the reported labels, the query pairs, commands and notes', () => {
  const result = run(['monitor', 'examples/basic-mirror']);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], 'VirtualService demo/httpbin · http[0] "primary" · mirror  (examples/basic-mirror/virtualservice.yaml:19)');
  assert.match(lines[1], /^ {2}primary {2}httpbin\/v1 +destination_version="v1"$/);
  assert.match(lines[2], /^ {2}mirror {3}httpbin\/v2 +destination_version="v2" {2}· 10 % of the rule's requests copied$/);
  const queries = lines.filter((line) => /^ {4}(primary|mirror): {1,2}/.test(line)).map((line) => line.replace(/^ {4}(primary|mirror): +/, ''));
  assert.equal(queries.length, 10);
  for (const query of queries) parsePromQL(query);
  assert.ok(lines.includes('  commands:'));
  assert.ok(lines.includes('    kubectl logs -n demo -l app=httpbin,version=v2 --prefix --tail=100'));
  assert.ok(lines.includes('    istioctl proxy-config routes <client-pod> -n <client-namespace> --name 8000 -o json'));
  assert.ok(lines.includes('  notes:'));
});

test('text: an external mirror says what cannot be measured; no mirror at all says so', () => {
  const external = run(['monitor', 'examples/external-mirror']);
  assert.equal(external.status, 0);
  assert.match(external.stdout, /mirror {3}shadow\.example\.com +cluster_name="outbound\|80\|\|shadow\.example\.com" \(Envoy statistics of the caller\)/);
  assert.match(external.stdout, /- What cannot be measured from the mesh:/);
  const none = run(['monitor', 'examples/destinationrule-subsets']);
  assert.equal(none.status, 0);
  assert.equal(none.stdout.trim(), 'No mirror found (no VirtualService http rule has mirror or mirrors, no HTTPRoute or GRPCRoute rule a RequestMirror filter).');
});

test('grafana: an importable dashboard whose targets are the json queries', () => {
  const result = run(['monitor', ...allExamples, '--format', 'grafana']);
  assert.equal(result.status, 0, result.stderr);
  const dashboard = JSON.parse(result.stdout) as { title: string; uid: string; panels: { type: string; gridPos: object; targets?: { expr: string; datasource: { uid: string } }[] }[]; templating: { list: { name: string }[] } };
  assert.equal(typeof dashboard.title, 'string');
  assert.ok(dashboard.uid.length <= 40);
  const exprs = dashboard.panels.flatMap((panel) => panel.targets?.map((target) => target.expr) ?? []);
  assert.deepEqual(exprs, json(allExamples).flatMap((m) => m.queries.flatMap((q) => [q.primary, q.mirror])));
  for (const expr of exprs) parsePromQL(expr);
  for (const panel of dashboard.panels) for (const target of panel.targets ?? []) assert.equal(target.datasource.uid, '${datasource}');
  assert.equal(dashboard.panels.filter((panel) => panel.type === 'row').length, 8);
  assert.equal(dashboard.templating.list[0].name, 'datasource');
});

test('usage errors: bad format, bad window', () => {
  const format = run(['monitor', 'examples/basic-mirror', '--format', 'sarif']);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /unknown format "sarif" \(use text, json, grafana\)/);
  const window = run(['monitor', 'examples/basic-mirror', '--window', '5 minutes']);
  assert.equal(window.status, 2);
  assert.match(window.stderr, /--window needs a PromQL duration/);
});

// The issue's done-when cases, each in the three formats: the text names each side by the label
// Istio reports, the JSON carries the same selection, and the dashboard's targets are the JSON
// queries; every query of every format goes through the PromQL parser.
interface MonitorCase {
  title: string;
  paths: string[];
  /** Per mirror: the text's header line, the primary's and the mirror's reported label. */
  expected: { header: string; primary: string; mirror: string; selectedBy: string }[];
  /** Labels every mirror query selects on, with their matcher (`=v2`). */
  mirrorMatchers: Record<string, string>[];
}

const cases: MonitorCase[] = [
  {
    title: 'the basic mirror (subsets with `version`)',
    paths: ['examples/basic-mirror'],
    expected: [{ header: 'VirtualService demo/httpbin · http[0] "primary" · mirror  (examples/basic-mirror/virtualservice.yaml:19)', primary: 'destination_version="v1"', mirror: 'destination_version="v2"', selectedBy: 'version' }],
    mirrorMatchers: [{ reporter: '=destination', destination_service_name: '=httpbin', destination_service_namespace: '=demo', destination_version: '=v2' }],
  },
  {
    title: '`mirrors` (two targets of one rule)',
    paths: ['examples/multiple-mirrors'],
    expected: [
      { header: 'VirtualService demo/reviews · http[0] "v1-with-shadows" · mirrors[0]  (examples/multiple-mirrors/virtualservice.yaml:21)', primary: 'destination_version="v1"', mirror: 'destination_version="v2"', selectedBy: 'version' },
      { header: 'VirtualService demo/reviews · http[0] "v1-with-shadows" · mirrors[1]  (examples/multiple-mirrors/virtualservice.yaml:26)', primary: 'destination_version="v1"', mirror: 'destination_version="v3"', selectedBy: 'version' },
    ],
    mirrorMatchers: [{ destination_version: '=v2' }, { destination_version: '=v3' }],
  },
  {
    title: 'a conditional mirror (header match)',
    paths: ['examples/header-conditional-mirror'],
    expected: [{ header: 'VirtualService demo/catalog · http[0] "mirror-on-request" · mirror  (examples/header-conditional-mirror/virtualservice.yaml:27)', primary: 'destination_version="stable"', mirror: 'destination_version="canary"', selectedBy: 'version' }],
    mirrorMatchers: [{ reporter: '=destination', destination_version: '=canary' }],
  },
  {
    title: 'an external mirror (ServiceEntry host)',
    paths: ['examples/external-mirror'],
    expected: [{ header: 'VirtualService demo/search · http[0] "search-with-external-shadow" · mirror  (examples/external-mirror/virtualservice.yaml:23)', primary: 'destination_version="v1"', mirror: 'cluster_name="outbound|80||shadow.example.com" (Envoy statistics of the caller)', selectedBy: 'envoyCluster' }],
    mirrorMatchers: [{ cluster_name: '=outbound|80||shadow.example.com' }],
  },
  {
    title: 'subsets with app.kubernetes.io/version',
    paths: ['test/fixtures/monitor/app-version-labels'],
    expected: [{ header: 'VirtualService bookinfo/ratings · http[0] · mirror  (test/fixtures/monitor/app-version-labels/ratings.yaml:45)', primary: 'destination_canonical_revision="1.4.0"', mirror: 'destination_canonical_revision="1.5.0-rc.1"', selectedBy: 'canonicalRevision' }],
    mirrorMatchers: [{ reporter: '=destination', destination_canonical_revision: '=1.5.0-rc.1' }],
  },
  {
    title: 'subsets with neither, Deployments in the workspace',
    paths: ['test/fixtures/monitor/workload-labels'],
    expected: [{ header: 'VirtualService shop/cart · http[0] "cart" · mirror  (test/fixtures/monitor/workload-labels/cart.yaml:45)', primary: 'destination_workload="cart-main", destination_workload_namespace="shop"', mirror: 'destination_workload="cart-next", destination_workload_namespace="shop"', selectedBy: 'workload' }],
    mirrorMatchers: [{ reporter: '=destination', destination_workload: '=cart-next', destination_workload_namespace: '=shop' }],
  },
  {
    title: 'HTTPRoute and GRPCRoute RequestMirror filters (a Service per version)',
    paths: ['examples/gateway-api-mirroring'],
    expected: [
      { header: 'HTTPRoute bookinfo/reviews-public · rules[0] · RequestMirror filters[0]  (examples/gateway-api-mirroring/gateway-route.yaml:32)', primary: 'destination_version="v1"', mirror: 'destination_version="v2"', selectedBy: 'version' },
      { header: 'GRPCRoute bookinfo/greeter · rules[0] · RequestMirror filters[0]  (examples/gateway-api-mirroring/grpc-route.yaml:16)', primary: 'destination_version="v1"', mirror: 'destination_version="v2"', selectedBy: 'version' },
      { header: 'HTTPRoute bookinfo/reviews · rules[0] · RequestMirror filters[0]  (examples/gateway-api-mirroring/mesh-route.yaml:19)', primary: 'destination_version="v1"', mirror: 'destination_version="v2"', selectedBy: 'version' },
    ],
    mirrorMatchers: [
      { reporter: '=destination', destination_app: '=reviews', destination_workload_namespace: '=bookinfo', destination_version: '=v2', destination_service_name: '' },
      { reporter: '=destination', destination_app: '=greeter', destination_workload_namespace: '=bookinfo', destination_version: '=v2' },
      { reporter: '=destination', destination_app: '=reviews', destination_workload_namespace: '=bookinfo', destination_version: '=v2' },
    ],
  },
];

for (const monitorCase of cases) {
  test(`three formats: ${monitorCase.title}`, () => {
    const text = run(['monitor', ...monitorCase.paths]);
    assert.equal(text.status, 0, text.stderr);
    const blocks = text.stdout.split(/\n\n(?=\S)/);
    assert.equal(blocks.length, monitorCase.expected.length);
    blocks.forEach((block, index) => {
      const expected = monitorCase.expected[index];
      const lines = block.split('\n');
      assert.equal(lines[0], expected.header);
      if (expected.primary) assert.ok(lines[1].endsWith(`  ${expected.primary}`), lines[1]);
      assert.ok(lines[2].includes(`  ${expected.mirror}  · `), lines[2]);
      const queries = lines.filter((line) => /^ {4}(primary|mirror): {1,2}/.test(line)).map((line) => line.replace(/^ {4}(primary|mirror): +/, ''));
      assert.ok(queries.length >= 10);
      for (const query of queries) parsePromQL(query);
    });

    const mirrors = json(monitorCase.paths);
    assert.equal(mirrors.length, monitorCase.expected.length);
    mirrors.forEach((mirror, index) => {
      assert.equal(mirror.mirror.selectedBy, monitorCase.expected[index].selectedBy);
      assert.equal(mirror.mirror.reportedAs, monitorCase.expected[index].mirror);
      for (const query of mirror.queries) {
        parsePromQL(query.primary);
        for (const selector of parsePromQL(query.mirror)) {
          for (const [label, matcher] of Object.entries(monitorCase.mirrorMatchers[index])) {
            assert.equal(matcherOf(selector, label) ?? '', matcher, `${query.name}: ${label} in ${query.mirror}`);
          }
        }
      }
    });

    const grafana = run(['monitor', ...monitorCase.paths, '--format', 'grafana']);
    assert.equal(grafana.status, 0, grafana.stderr);
    const dashboard = JSON.parse(grafana.stdout) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets?.map((target) => target.expr) ?? []);
    assert.deepEqual(exprs, mirrors.flatMap((m) => m.queries.flatMap((q) => [q.primary, q.mirror])));
    for (const expr of exprs) parsePromQL(expr);
    assert.equal(dashboard.panels.filter((panel) => panel.type === 'row').length, monitorCase.expected.length);
  });
}

test('json: a Gateway API route\'s mirror names the route (virtualService null, httpRoute/grpcRoute), the gRPC error ratio, the callers\' routes', () => {
  const mirrors = json(['examples/gateway-api-mirroring']) as (JsonMonitor & { httpRoute?: string; grpcRoute?: string; kind: string; mirrorIndex: number })[];
  assert.deepEqual(mirrors.map((m) => [m.virtualService, m.httpRoute, m.grpcRoute, m.httpIndex, m.kind, m.mirrorIndex, m.primary.host, m.mirror.host, m.percent]), [
    [null, 'bookinfo/reviews-public', undefined, 0, 'requestMirror', 0, 'reviews-v1', 'reviews-v2', 0.5],
    [null, undefined, 'bookinfo/greeter', 0, 'requestMirror', 0, 'greeter', 'greeter-canary', 25],
    [null, 'bookinfo/reviews', undefined, 0, 'requestMirror', 0, 'reviews-v1', 'reviews-v2', 10],
  ]);
  for (const mirror of mirrors) {
    assert.deepEqual(Object.keys(mirror).slice(0, 9), ['virtualService', 'httpIndex', 'primary', 'mirror', 'percent', 'queries', 'commands', 'notes', 'file']);
    assert.deepEqual(mirror.mirror.labels, mirror.mirror.host === 'greeter-canary' ? { app: 'greeter', version: 'v2' } : { app: 'reviews', version: 'v2' });
    assert.ok(mirror.notes.some((note) => note.startsWith(`Each backend of a ${mirror.grpcRoute ? 'GRPCRoute' : 'HTTPRoute'} is a Service of its own`)), mirror.notes.join('\n'));
  }
  const [gateway, grpc, mesh] = mirrors;
  assert.deepEqual(grpc.queries.map((q) => q.name), ['requestRate', 'errorRatio5xx', 'grpcErrorRatio', 'latencyP50', 'latencyP99', 'requestRateNormalised']);
  assert.deepEqual(mesh.queries.map((q) => q.name), ['requestRate', 'errorRatio5xx', 'latencyP50', 'latencyP99', 'requestRateNormalised']);
  const failed = parsePromQL(grpc.queries.find((q) => q.name === 'grpcErrorRatio')!.mirror)[0];
  assert.equal(matcherOf(failed, 'grpc_response_status'), '!=0');
  assert.equal(mesh.queries.find((q) => q.name === 'requestRateNormalised')!.mirror.endsWith(' / 0.1'), true);
  assert.ok(mesh.commands.some((c) => c.command === 'istioctl proxy-config routes <client-pod> -n <client-namespace> --name 9080 -o json'));
  assert.ok(mesh.commands.some((c) => c.command === 'kubectl logs -n bookinfo -l app=reviews,version=v2 --prefix --tail=100'));
  assert.ok(grpc.commands.some((c) => c.command === 'istioctl proxy-config routes <client-pod> -n <client-namespace> --name 50051 -o json'));
  assert.ok(gateway.commands.some((c) => c.description.startsWith('Envoy routes of the gateway pods (bookinfo/public)')));
  assert.ok(!gateway.commands.some((c) => c.command.startsWith('istioctl proxy-config routes <client-pod>')), 'a route bound to a Gateway only is not in the callers\' sidecars');
});

test('the README shows the real output of `monitor examples/basic-mirror`', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const command = '$ node dist/cli.js monitor examples/basic-mirror\n';
  const start = readme.indexOf(command);
  assert.ok(start >= 0, 'the README has the example');
  const shown = readme.slice(start + command.length, readme.indexOf('```', start));
  const result = run(['monitor', 'examples/basic-mirror']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(shown, result.stdout);
});
