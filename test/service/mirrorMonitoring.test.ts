// The monitoring of mirrors (issue 15) on the examples and the monitor fixtures: which label
// Istio reports for each side, the queries (every one parsed by Prometheus' PromQL parser and
// read back), the commands, the notes, and the Grafana dashboard built from them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IstioLanguageService } from '../../server/src/service/languageService';
import type { MirrorMonitor } from '../../server/src/service/features/mirrorMonitoring';
import { matcherOf, parsePromQL, type Selector } from '../helpers/promql';

const root = join(__dirname, '..', '..');

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => yamlFiles(join(path, name))).filter((file) => /\.ya?ml$/.test(file));
}

function serviceOf(paths: string[], settings: { defaultNamespace?: string } = {}): IstioLanguageService {
  const service = new IstioLanguageService(settings);
  for (const file of paths.flatMap((path) => yamlFiles(join(root, path)))) service.setFile(pathToFileURL(file).toString(), readFileSync(file, 'utf8'));
  return service;
}

function serviceOfText(text: string, settings: { defaultNamespace?: string } = {}): IstioLanguageService {
  const service = new IstioLanguageService(settings);
  service.setFile('file:///work/inline.yaml', text);
  return service;
}

function monitors(paths: string[], window = '5m'): MirrorMonitor[] {
  return serviceOf(paths).mirrorMonitoring({ window });
}

/** Every query of every monitor parses; returns the selectors of each side by query name. */
function selectorsOf(monitor: MirrorMonitor): Map<string, { primary: Selector[]; mirror: Selector[] }> {
  const result = new Map<string, { primary: Selector[]; mirror: Selector[] }>();
  for (const query of monitor.queries) result.set(query.name, { primary: parsePromQL(query.primary), mirror: parsePromQL(query.mirror) });
  return result;
}

const queryNames = ['requestRate', 'errorRatio5xx', 'latencyP50', 'latencyP99', 'requestRateNormalised'];

test('basic mirror: v1 and v2 told apart by destination_version on the destination reporter', () => {
  const [monitor, ...rest] = monitors(['examples/basic-mirror']);
  assert.equal(rest.length, 0);
  assert.equal(monitor.virtualService, 'demo/httpbin');
  assert.equal(monitor.httpIndex, 0);
  assert.equal(monitor.percent, 10);
  assert.deepEqual([monitor.primary.host, monitor.primary.subset, monitor.primary.labels], ['httpbin', 'v1', { version: 'v1' }]);
  assert.deepEqual([monitor.mirror.host, monitor.mirror.subset, monitor.mirror.labels], ['httpbin', 'v2', { version: 'v2' }]);
  assert.equal(monitor.mirror.reportedAs, 'destination_version="v2"');
  assert.deepEqual(monitor.queries.map((query) => query.name), queryNames);
  for (const [name, sides] of selectorsOf(monitor)) {
    for (const [role, selectors] of [['primary', sides.primary], ['mirror', sides.mirror]] as const) {
      assert.ok(selectors.length > 0, name);
      for (const selector of selectors) {
        assert.match(selector.metric, /^istio_request(s_total|_duration_milliseconds_bucket)$/, `${name} ${role}`);
        assert.equal(matcherOf(selector, 'reporter'), '=destination');
        assert.equal(matcherOf(selector, 'destination_service_name'), '=httpbin');
        assert.equal(matcherOf(selector, 'destination_service_namespace'), '=demo');
        assert.equal(matcherOf(selector, 'destination_version'), role === 'primary' ? '=v1' : '=v2');
        assert.equal(selector.range, '5m');
      }
    }
  }
  const byName = new Map(monitor.queries.map((query) => [query.name, query]));
  assert.match(byName.get('errorRatio5xx')!.mirror, /response_code=~"5\.\."\}\[5m\]\)\) \/ sum\(rate\(istio_requests_total\{/);
  assert.match(byName.get('latencyP99')!.primary, /^histogram_quantile\(0\.99, sum by \(le\) \(rate\(istio_request_duration_milliseconds_bucket\{/);
  assert.match(byName.get('requestRateNormalised')!.mirror, /\) \/ 0\.1$/);
  assert.equal(byName.get('requestRateNormalised')!.primary, byName.get('requestRate')!.primary);
  const commands = monitor.commands.map((command) => command.command);
  assert.ok(commands.includes('kubectl logs -n demo -l app=httpbin,version=v2 --prefix --tail=100'), commands.join('\n'));
  assert.ok(commands.includes('kubectl get pods -n demo -l app=httpbin,version=v1 -o wide'));
  assert.ok(commands.includes('istioctl proxy-config routes <client-pod> -n <client-namespace> --name 8000 -o json'));
  assert.ok(monitor.commands.some((command) => command.description.includes('outbound|8000|v2|httpbin.demo.svc.cluster.local')));
  assert.ok(monitor.notes.some((note) => note.includes('reporter="source" queries show no mirror traffic')));
  assert.ok(monitor.notes.some((note) => note.includes('copy of 10 % of the requests') && note.includes('divides it by 0.1')));
});

test('mirrors: one monitor per target with its own percentage', () => {
  const found = monitors(['examples/multiple-mirrors']);
  assert.deepEqual(found.map((m) => [m.kind, m.mirrorIndex, m.mirror.subset, m.percent]), [['mirrors', 0, 'v2', 20], ['mirrors', 1, 'v3', 5]]);
  for (const monitor of found) {
    const rate = selectorsOf(monitor).get('requestRate')!;
    assert.equal(matcherOf(rate.mirror[0], 'destination_version'), `=${monitor.mirror.subset}`);
    assert.equal(matcherOf(rate.primary[0], 'destination_version'), '=v1');
  }
  assert.match(found[1].queries.find((q) => q.name === 'requestRateNormalised')!.mirror, /\/ 0\.05$/);
});

test('conditional mirror: the primary also serves the catch-all rule, so rates are not comparable', () => {
  const [monitor] = monitors(['examples/header-conditional-mirror']);
  assert.equal(monitor.percent, 100);
  assert.equal(monitor.ruleName, 'mirror-on-request');
  selectorsOf(monitor);
  assert.ok(monitor.notes.some((note) => note.startsWith('Other rules of this VirtualService also route to catalog/stable') && note.includes('(those matching it)')), monitor.notes.join('\n'));
  assert.equal(monitor.queries.find((q) => q.name === 'requestRateNormalised')!.mirror, monitor.queries.find((q) => q.name === 'requestRate')!.mirror);
});

test('external mirror: the caller\'s Envoy cluster statistics, and what cannot be measured', () => {
  const [monitor] = monitors(['examples/external-mirror']);
  assert.equal(monitor.mirror.selectedBy, 'envoyCluster');
  assert.equal(monitor.mirror.service, null);
  assert.equal(monitor.mirror.cluster, 'outbound|80||shadow.example.com');
  const sides = selectorsOf(monitor);
  assert.deepEqual(sides.get('requestRate')!.mirror.map((s) => [s.metric, matcherOf(s, 'cluster_name')]), [['envoy_cluster_upstream_rq_total', '=outbound|80||shadow.example.com']]);
  assert.deepEqual(sides.get('errorRatio5xx')!.mirror.map((s) => [s.metric, matcherOf(s, 'response_code_class') ?? null]), [['envoy_cluster_upstream_rq', '=5xx'], ['envoy_cluster_upstream_rq_total', null]]);
  assert.equal(sides.get('latencyP50')!.mirror[0].metric, 'envoy_cluster_upstream_rq_time_bucket');
  assert.equal(matcherOf(sides.get('requestRate')!.primary[0], 'destination_version'), '=v1');
  assert.ok(!monitor.commands.some((command) => command.command.includes('kubectl') && command.command.includes('shadow')), 'no pods to read logs from');
  assert.ok(monitor.notes.some((note) => note.includes('a ServiceEntry host') && note.includes('istio_requests_total has no series')));
  assert.ok(monitor.notes.some((note) => note.includes('proxyStatsMatcher.inclusionPrefixes') && note.includes('"cluster.outbound|80||shadow.example.com"')));
  assert.ok(monitor.notes.some((note) => note.startsWith('What cannot be measured')));
  assert.ok(!monitor.notes.some((note) => note.includes('reporter="source"')), 'the destination-reporter note is about in-mesh mirrors');
});

test('app.kubernetes.io/version subsets: destination_canonical_revision, not destination_version', () => {
  const [monitor] = monitors(['test/fixtures/monitor/app-version-labels']);
  assert.equal(monitor.primary.selectedBy, 'canonicalRevision');
  const rate = selectorsOf(monitor).get('requestRate')!;
  assert.equal(matcherOf(rate.primary[0], 'destination_canonical_revision'), '=1.4.0');
  assert.equal(matcherOf(rate.mirror[0], 'destination_canonical_revision'), '=1.5.0-rc.1');
  assert.equal(matcherOf(rate.mirror[0], 'destination_version'), undefined);
  assert.ok(monitor.commands.some((c) => c.command === 'kubectl get pods -n bookinfo -l app.kubernetes.io/name=ratings,app.kubernetes.io/version=1.5.0-rc.1 -o wide'));
  assert.ok(monitor.notes.some((note) => note.includes('destination_version only carries a `version` label')));
});

test('subsets by a label Istio does not report, without workloads: no queries, and why', () => {
  const [monitor] = monitors(['test/fixtures/monitor/workload-labels/cart.yaml']);
  assert.deepEqual(monitor.queries, []);
  assert.match(monitor.notes[0], /cannot tell the primary and the mirror apart/);
  assert.ok(monitor.notes.some((note) => note.includes('selects pods by track=next')));
  assert.ok(monitor.commands.some((c) => c.command === 'kubectl logs -n shop -l app=cart,track=next --prefix --tail=100'));
});

test('subsets by a label Istio does not report, with the Deployments in the workspace: destination_workload', () => {
  const [monitor] = monitors(['test/fixtures/monitor/workload-labels']);
  assert.deepEqual([monitor.primary.selectedBy, monitor.mirror.selectedBy], ['workload', 'workload']);
  for (const [name, sides] of selectorsOf(monitor)) {
    for (const selector of sides.primary) assert.deepEqual([matcherOf(selector, 'destination_workload'), matcherOf(selector, 'destination_workload_namespace')], ['=cart-main', '=shop'], name);
    for (const selector of sides.mirror) assert.deepEqual([matcherOf(selector, 'destination_workload'), matcherOf(selector, 'destination_workload_namespace')], ['=cart-next', '=shop'], name);
  }
  assert.ok(monitor.notes.some((note) => note.startsWith('The mirror cart.shop.svc.cluster.local/next is selected by its workloads')));
  assert.ok(!monitor.notes.some((note) => note.includes('cannot tell')));
});

const ownRevision = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: demo}
spec:
  selector: {app: api}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-1, namespace: demo}
spec:
  selector: {matchLabels: {app: api, app.kubernetes.io/version: "1"}}
  template:
    metadata:
      labels: {app: api, app.kubernetes.io/version: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-2, namespace: demo}
spec:
  selector: {matchLabels: {app: api, app.kubernetes.io/version: "2"}}
  template:
    metadata:
      labels: {app: api, app.kubernetes.io/version: "2", service.istio.io/canonical-revision: beta}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: api, namespace: demo}
spec:
  host: api
  subsets:
  - {name: one, labels: {app.kubernetes.io/version: "1"}}
  - {name: two, labels: {app.kubernetes.io/version: "2"}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: demo}
spec:
  hosts: [api]
  http:
  - route: [{destination: {host: api, subset: one}}]
    mirror: {host: api, subset: two}
`;

test('app.kubernetes.io/version subsets checked against the pods: their own canonical revision wins; a port named without http', () => {
  const [monitor] = serviceOfText(ownRevision).mirrorMonitoring({ window: '5m' });
  assert.equal(monitor.primary.reportedAs, 'destination_canonical_revision="1"');
  assert.ok(!monitor.notes.some((note) => note.includes('assuming its pods')), 'confirmed by the Deployment');
  assert.equal(monitor.mirror.reportedAs, 'destination_workload="api-2", destination_workload_namespace="demo"', 'its pods report canonical revision "beta"');
  const routes = monitor.commands.find((command) => command.command.startsWith('istioctl proxy-config routes'))!;
  assert.equal(routes.command, 'istioctl proxy-config routes <client-pod> -n <client-namespace> --name api.demo.svc.cluster.local:80 -o json');
  assert.match(routes.description, /port "web" does not declare HTTP by its name/);
  for (const query of monitor.queries) [query.primary, query.mirror].forEach(parsePromQL);
});

const noNamespace = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: web
spec:
  host: web
  subsets:
  - name: a
    labels: {version: "a\\"b"}
  - name: b
    labels: {version: b}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  hosts: [web]
  http:
  - match: [{uri: {prefix: /off}}]
    redirect: {uri: /}
    mirror: {host: web, subset: b}
  - match: [{uri: {prefix: /zero}}]
    route:
    - destination: {host: web, subset: a}
    mirrorPercentage: {}
    mirror: {host: web, subset: b}
  - route:
    - destination: {host: web, subset: a}
      weight: 3
    - destination: {host: web.prod.svc.cluster.local}
      weight: 1
    mirror: {host: web, subset: b}
`;

test('assumed namespaces become the namespace variable; escaping; weighted primary; mirrors that never run', () => {
  const service = serviceOfText(noNamespace, { defaultNamespace: 'staging' });
  const plain = service.mirrorMonitoring({ window: '1m' });
  assert.equal(plain.length, 3);
  const [redirect, zero, first] = plain;
  assert.equal(first.virtualService, 'staging/web');
  assert.equal(first.primary.namespaceAssumed, true);
  assert.equal(first.primaryShare, 75);
  const rate = selectorsOf(first).get('requestRate')!;
  assert.equal(matcherOf(rate.primary[0], 'destination_version'), '=a"b');
  assert.equal(matcherOf(rate.primary[0], 'destination_service_namespace'), '=staging');
  assert.equal(rate.primary[0].range, '1m');
  assert.match(first.queries.find((q) => q.name === 'requestRateNormalised')!.primary, /\/ 0\.75$/);
  assert.ok(first.notes.some((note) => note.includes('web.prod.svc.cluster.local part of its requests')));
  assert.ok(first.notes.some((note) => note.includes('namespace "staging" is assumed')));
  assert.deepEqual([redirect.queries, redirect.percent, zero.queries, zero.percent], [[], 0, [], 0]);
  assert.match(redirect.notes[0], /answers with redirect, so it never mirrors/);
  assert.match(zero.notes[0], /0 %: Istio generates no mirror policy/);

  const variable = service.mirrorMonitoring({ window: '1m', namespaceVariable: '$namespace' });
  const selectors = selectorsOf(variable[2]).get('latencyP50')!;
  assert.equal(matcherOf(selectors.mirror[0], 'destination_service_namespace'), '=$namespace');
  const pods = variable[2].commands.find((c) => c.command.startsWith('kubectl get pods'));
  assert.equal(pods?.command, `kubectl get pods -n staging -l 'version=a"b' -o wide`, 'commands name the namespace, not the variable');
  assert.match(pods?.description ?? '', /Service's selector is not in the workspace/);
});

test('Grafana dashboard: a row per mirror, primary and mirror side by side, the same queries', () => {
  const service = serviceOf(['examples/basic-mirror', 'examples/multiple-mirrors', 'examples/external-mirror']);
  const expected = service.mirrorMonitoring({ window: '5m' });
  const dashboard = service.grafanaDashboard({ window: '5m' }) as { title: string; uid: string; schemaVersion: number; panels: { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: { expr: string; refId: string }[] }[]; templating: { list: { name: string; type: string }[] } };
  assert.match(dashboard.uid, /^istio-mirror-[0-9a-f]{8}$/);
  assert.ok(dashboard.schemaVersion >= 36);
  assert.deepEqual(dashboard.templating.list.map((v) => v.name), ['datasource'], 'every namespace is written in these examples');
  const rows = dashboard.panels.filter((panel) => panel.type === 'row');
  assert.equal(rows.length, expected.length);
  const ids = dashboard.panels.map((panel) => panel.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const series = dashboard.panels.filter((panel) => panel.type === 'timeseries');
  assert.equal(series.length, expected.reduce((sum, m) => sum + m.queries.length * 2, 0));
  for (let i = 0; i < series.length; i += 2) {
    const [left, right] = [series[i], series[i + 1]];
    assert.deepEqual([left.gridPos.x, right.gridPos.x, left.gridPos.y === right.gridPos.y, left.gridPos.w + right.gridPos.w], [0, 12, true, 24]);
    assert.match(left.title, / · primary /);
    assert.match(right.title, / · mirror /);
  }
  const exprs = series.flatMap((panel) => panel.targets!.map((target) => target.expr));
  assert.deepEqual(exprs, expected.flatMap((m) => m.queries.flatMap((q) => [q.primary, q.mirror])));
  for (const expr of exprs) parsePromQL(expr);
  // Panels never overlap: sorted by y, each starts at or below the previous one's bottom in its column.
  const bottom = new Map<number, number>();
  for (const panel of dashboard.panels) {
    for (let x = panel.gridPos.x; x < panel.gridPos.x + panel.gridPos.w; x += 12) {
      assert.ok(panel.gridPos.y >= (bottom.get(x) ?? 0), `panel ${panel.id} overlaps`);
      bottom.set(x, panel.gridPos.y + panel.gridPos.h);
    }
  }
});

test('Grafana dashboard: namespaces the files do not state are the $namespace variable', () => {
  const dashboard = serviceOfText(noNamespace).grafanaDashboard({ window: '5m' }) as { templating: { list: { name: string; type: string; query: string }[] }; panels: { type: string; targets?: { expr: string }[] }[] };
  const variable = dashboard.templating.list.find((v) => v.name === 'namespace');
  assert.deepEqual(variable && [variable.type, variable.query], ['textbox', 'default']);
  const exprs = dashboard.panels.flatMap((panel) => panel.targets?.map((target) => target.expr) ?? []);
  assert.ok(exprs.length > 0);
  for (const expr of exprs) {
    assert.ok(expr.includes('destination_service_namespace="$namespace"'), expr);
    parsePromQL(expr);
  }
});

test('the Monitor code lenses sit exactly on the monitors\' ranges, file by file, on every example', () => {
  const service = serviceOf(['examples', 'test/fixtures/monitor']);
  let lensCount = 0;
  for (const file of ['examples', 'test/fixtures/monitor'].flatMap((path) => yamlFiles(join(root, path)))) {
    const uri = pathToFileURL(file).toString();
    const lenses = service.getCodeLenses(uri).filter((lens) => lens.command?.command === 'istioMirror.showMirrorMonitor');
    const expected = service.mirrorMonitoring({ window: '5m', uris: [uri] }).map((monitor) => [uri, monitor.range.start.line, monitor.range.start.character]);
    assert.deepEqual(lenses.map((lens) => lens.command?.arguments), expected, file);
    assert.ok(lenses.every((lens) => lens.command?.title === 'Monitor'));
    lensCount += lenses.length;
  }
  assert.ok(lensCount >= 10, `${lensCount} Monitor lenses`);
});
