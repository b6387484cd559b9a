// The `istio-mirror` CLI as a user runs it (the built dist/cli.js in a child process): the
// three output formats, exit codes, cross-file checks across the given paths, and SARIF
// output validated against the official SARIF 2.1.0 schema.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('text format: compiler-style lines for the broken examples, exit 1', () => {
  const result = run(['check', 'examples/broken']);
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.ok(lines.includes('examples/broken/typo-field.yaml:29:5 error IM1001 Unknown field `mirrorPercantage`: did you mean `mirrorPercentage`? (in `http[0]`)'), result.stdout);
  assert.ok(lines.some((line) => line.startsWith('examples/broken/missing-subset.yaml:30:15 error IST0101 Subset "v3"')), result.stdout);
  for (const line of lines) assert.match(line, /^examples\/broken\/[\w.-]+\.yaml:\d+:\d+ (error|warning|information|hint) (IM|IST)\d{4} \S/);
  assert.match(result.stderr, /files checked: \d+ errors?, \d+ warnings?/);
});

test('healthy examples: no errors, exit 0', () => {
  for (const folder of ['basic-mirror', 'destinationrule-subsets', 'canary-setup', 'header-conditional-mirror', 'multiple-mirrors', 'external-mirror', 'gateway-api-mirroring']) {
    const result = run(['check', join('examples', folder)]);
    assert.equal(result.status, 0, `${folder}: ${result.stdout}`);
    assert.equal(result.stdout.trim(), '', `${folder} should have no findings at all`);
  }
});

test('json format: the documented shape with LSP ranges', () => {
  const result = run(['check', 'examples/broken/missing-subset.yaml', 'examples/broken/missing-subset-dr.yaml', '--format', 'json']);
  assert.equal(result.status, 1);
  const output = JSON.parse(result.stdout) as { diagnostics: Record<string, unknown>[] };
  assert.deepEqual(output.diagnostics, [
    {
      file: 'examples/broken/missing-subset.yaml',
      range: { start: { line: 29, character: 14 }, end: { line: 29, character: 16 } },
      severity: 'error',
      code: 'IST0101',
      message: output.diagnostics[0]?.message,
      source: 'istio-mirror',
    },
  ]);
  assert.match(String(output.diagnostics[0].message), /^Subset "v3" is not defined by DestinationRule broken\/checkout/);
});

test('cross-file: a subset is only found when the file defining it is among the given paths', () => {
  const alone = JSON.parse(run(['check', 'examples/basic-mirror/virtualservice.yaml', '--format=json']).stdout) as { diagnostics: { code: string }[] };
  assert.deepEqual(alone.diagnostics.map((d) => d.code), ['IST0101', 'IST0101']);
  const together = run(['check', 'examples/basic-mirror/virtualservice.yaml', 'examples/basic-mirror/destinationrule.yaml', '--format=json']);
  assert.equal(together.status, 0);
  assert.deepEqual(JSON.parse(together.stdout), { diagnostics: [] });
});

test('sarif format: valid SARIF 2.1.0 with rule metadata and regions', () => {
  const result = run(['check', 'examples/broken', '--format', 'sarif']);
  assert.equal(result.status, 1);
  const log = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
  const schema = JSON.parse(readFileSync(join(root, 'node_modules/@microsoft/sarif-matcher-utils/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const run0 = log.runs[0];
  assert.ok(run0.results.length > 5);
  for (const item of run0.results) assert.equal(run0.tool.driver.rules[item.ruleIndex].id, item.ruleId);
  const typo = run0.results.find((item) => item.ruleId === 'IM1001');
  assert.deepEqual(typo?.locations[0].physicalLocation.region && { line: typo.locations[0].physicalLocation.region.startLine, column: typo.locations[0].physicalLocation.region.startColumn }, { line: 29, column: 5 });
});

test('exit codes: 0 for warnings only, 2 for usage errors', () => {
  assert.equal(run(['check', 'examples/broken/deprecated-mirror-percent.yaml', 'examples/broken/destinationrules.yaml']).status, 0);
  assert.equal(run(['check', '--format', 'xml', 'examples']).status, 2);
  assert.equal(run(['check', 'no/such/path']).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
  assert.equal(run(['check', '--bogus']).status, 2);
  assert.equal(run(['--help']).status, 0);
});

test('files of any content are handled: binary, empty, non-Istio and templates give silence', () => {
  const folder = mkdtempSync(join(tmpdir(), 'istio-mirror-cli-'));
  try {
    writeFileSync(join(folder, 'binary.yaml'), Buffer.from([0, 159, 146, 150, 0, 10, 255]));
    writeFileSync(join(folder, 'empty.yaml'), '');
    writeFileSync(join(folder, 'values.yaml'), 'replicaCount: 2\nimage:\n  tag: "1.0"\n');
    writeFileSync(join(folder, 'template.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {{ .Release.Name }}\n');
    const result = run(['check', folder]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /4 files checked: 0 errors/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('preview: text table and the documented JSON model', () => {
  const text = run(['preview', 'examples/destinationrule-subsets']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /VirtualService demo\/payments/);
  assert.match(text.stdout, /→ payments\/stable +90 % +█{18}··/);
  const json = run(['preview', '--format', 'json', 'examples/multiple-mirrors']);
  assert.equal(json.status, 0);
  const model = JSON.parse(json.stdout) as { virtualServices: { name: string; namespace: string; file: string; hosts: string[]; routes: { index: number; name: string | null; match: string; reachable: boolean; destinations: { host: string; subset: string | null; weight: number | null; percent: number }[]; mirrors: { host: string; subset: string | null; percent: number }[] }[] }[] };
  const [vs] = model.virtualServices;
  assert.deepEqual({ name: vs.name, namespace: vs.namespace, file: vs.file, hosts: vs.hosts }, { name: 'reviews', namespace: 'demo', file: 'examples/multiple-mirrors/virtualservice.yaml', hosts: ['reviews'] });
  const route = vs.routes[0];
  assert.deepEqual(
    { index: route.index, match: route.match, reachable: route.reachable, destinations: route.destinations.map(({ host, subset, weight, percent }) => ({ host, subset, weight, percent })), mirrors: route.mirrors.map(({ host, subset, percent }) => ({ host, subset, percent })) },
    { index: 0, match: 'all requests', reachable: true, destinations: [{ host: 'reviews', subset: 'v1', weight: null, percent: 100 }], mirrors: [{ host: 'reviews', subset: 'v2', percent: 20 }, { host: 'reviews', subset: 'v3', percent: 5 }] },
  );
  assert.equal(run(['preview', '--per', 'zero', 'examples']).status, 2);
});

test('preview: the replicas behind each target and the load a mirror puts on them, from the workspace\'s Deployments', () => {
  const text = run(['preview', 'examples/canary-setup']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /→ checkout\/stable .* · 3 replicas/);
  assert.match(text.stdout, /load: canary: 1 replica receives copies of 25 % of this rule's requests that 3 replicas of stable serve: 0\.75× the per-replica load of stable/);
  assert.match(text.stdout, /writes: .*READ_ONLY_MODE=true \(shop\/checkout-canary\)/);
  const json = JSON.parse(run(['preview', '--format', 'json', 'examples/canary-setup']).stdout) as { virtualServices: { routes: { destinations: { replicas?: number }[]; mirrors: { replicas?: number; load?: string; writes?: string }[] }[] }[] };
  const [route] = json.virtualServices[0].routes;
  assert.equal(route.destinations[0].replicas, 3);
  assert.equal(route.mirrors[0].replicas, 1);
  assert.match(route.mirrors[0].load ?? '', /0\.75×/);
  // Without the Deployments, nothing is said of replicas or load.
  const bare = run(['preview', 'examples/canary-setup/virtualservice.yaml', 'examples/canary-setup/destinationrule.yaml', 'examples/canary-setup/service.yaml']);
  assert.doesNotMatch(bare.stdout, /replica|load:/);
});

test('preview: HTTPRoutes and GRPCRoutes in their own JSON arrays, with the VirtualService entry shape', () => {
  const json = run(['preview', '--format', 'json', 'examples/gateway-api-mirroring']);
  assert.equal(json.status, 0, json.stderr);
  type Entry = { name: string; namespace: string; file: string; routes: { match: string; destinations: { host: string; percent: number }[]; mirrors: { host: string; percent: number }[] }[] };
  const model = JSON.parse(json.stdout) as { virtualServices: Entry[]; httpRoutes: Entry[]; grpcRoutes: Entry[] };
  assert.deepEqual(model.virtualServices, []);
  const summary = (entry: Entry): unknown => ({
    name: `${entry.namespace}/${entry.name}`,
    file: entry.file,
    routes: entry.routes.map((route) => ({ match: route.match, to: route.destinations.map(({ host, percent }) => `${host} ${percent}`), mirrors: route.mirrors.map(({ host, percent }) => `${host} ${percent}`) })),
  });
  assert.deepEqual(model.httpRoutes.map(summary), [
    { name: 'bookinfo/reviews-public', file: 'examples/gateway-api-mirroring/gateway-route.yaml', routes: [{ match: 'path prefix /api/reviews', to: ['reviews-v1 100'], mirrors: ['reviews-v2 0.5'] }] },
    { name: 'bookinfo/reviews', file: 'examples/gateway-api-mirroring/mesh-route.yaml', routes: [{ match: 'all requests', to: ['reviews-v1 100'], mirrors: ['reviews-v2 10'] }] },
  ]);
  assert.deepEqual(model.grpcRoutes.map(summary), [
    { name: 'bookinfo/greeter', file: 'examples/gateway-api-mirroring/grpc-route.yaml', routes: [{ match: 'service helloworld.Greeter', to: ['greeter 100'], mirrors: ['greeter-canary 25'] }] },
  ]);
  const text = run(['preview', 'examples/gateway-api-mirroring']);
  assert.match(text.stdout, /^HTTPRoute bookinfo\/reviews +\(examples\/gateway-api-mirroring\/mesh-route\.yaml:6\)\n +parents: Service reviews:9080$/m);
  assert.match(text.stdout, /⇢ mirror greeter-canary +25 % +░{5}·{15} +copies of requests with service helloworld.Greeter, responses discarded/);
  assert.match(text.stdout, /per 1,000 requests to this GRPCRoute \(ranges: /);
  assert.match(text.stdout, /greeter-canary: 0–250 mirrored copies/);
});

test('check --preview (the README\'s first command) prints the findings, then the traffic split', () => {
  const result = run(['check', '--preview', 'examples/basic-mirror']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^\nTraffic split \(istio-mirror preview\):\n\nVirtualService demo\/httpbin/);
  assert.match(result.stdout, /⇢ mirror httpbin\/v2 +10 %/);
});

test('a large tree is analysed in worker threads with the same result as in one thread', () => {
  const folder = mkdtempSync(join(tmpdir(), 'istio-mirror-cli-workers-'));
  try {
    const examples = ['basic-mirror', 'multiple-mirrors', 'broken'].flatMap((name) => {
      const dir = join(root, 'examples', name);
      return readdirSync(dir).filter((file) => file.endsWith('.yaml')).map((file) => join(dir, file));
    });
    // 40 files: the examples' YAML copied into one namespace per copy, so cross-file references
    // resolve within each copy.
    for (let copy = 0; copy < 3; copy++) {
      for (const source of examples) {
        const text = readFileSync(source, 'utf8').replace(/namespace: (demo|broken)/g, `namespace: team-${copy}`);
        writeFileSync(join(folder, `${copy}-${source.split('/').slice(-2).join('-')}`), text);
      }
    }
    const parallel = spawnSync(process.execPath, [cli, 'check', folder, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ISTIO_MIRROR_WORKERS: '2' } });
    const sequential = spawnSync(process.execPath, [cli, 'check', folder, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ISTIO_MIRROR_WORKERS: '1' } });
    assert.equal(parallel.status, 1, parallel.stderr);
    assert.equal(parallel.stdout, sequential.stdout);
    assert.ok((JSON.parse(parallel.stdout) as { diagnostics: unknown[] }).diagnostics.length >= 27);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
