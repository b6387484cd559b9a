// The workspace model behind every mirror: Services, workloads, ServiceEntries, Gateways and
// kustomizations, and the cross-resource queries (workspace/workspaceQueries.ts) every check
// and view asks. Also checks that the fast line reader workloads are modelled from reads
// every document of the shared corpus and the examples exactly as the full parser does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { readBlockYaml, unreadValue, type BlockValue } from '../../server/src/service/parse/blockYamlReader';
import { splitDocuments } from '../../server/src/service/parse/documentSlices';
import { buildWorkload, fullData, isWorkloadKind, workloadFromData } from '../../server/src/service/model/workloadModel';
import {
  boundGateways,
  candidateSubsetLabels,
  gatewayFor,
  hostBackends,
  isExternalHost,
  kustomizeRole,
  replicasBehind,
  workloadsForLabels,
  writeGuards,
} from '../../server/src/service/workspace/workspaceQueries';

const repo = join(__dirname, '..', '..');
const corpus = join(repo, '..', 'shared', 'corpus');

function yamlFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Plain data with the reader's unread values compared as "anything". */
function agrees(quick: BlockValue, full: unknown): boolean {
  if (quick === unreadValue) return true;
  if (Array.isArray(quick)) return Array.isArray(full) && full.length === quick.length && quick.every((item, i) => agrees(item, full[i]));
  if (quick !== null && typeof quick === 'object') {
    if (full === null || typeof full !== 'object' || Array.isArray(full)) return false;
    const keys = Object.keys(quick);
    return keys.length === Object.keys(full).length && keys.every((key) => agrees(quick[key], (full as Record<string, unknown>)[key]));
  }
  if (typeof quick === 'number' && Number.isNaN(quick)) return typeof full === 'number' && Number.isNaN(full);
  return quick === full;
}

test('the block reader reads every document it accepts exactly as the full parser does', () => {
  const files = [...yamlFiles(corpus), ...yamlFiles(join(repo, 'examples'))];
  let accepted = 0;
  let documents = 0;
  const disagreements: string[] = [];
  for (const file of files) {
    for (const slice of splitDocuments(readFileSync(file, 'utf8'))) {
      if (slice.text.includes('{{')) continue;
      documents += 1;
      const quick = readBlockYaml(slice.text);
      if (quick === undefined) continue;
      accepted += 1;
      const full = fullData(slice.text);
      if (!agrees(quick, full)) disagreements.push(`${file}:${slice.startLine + 1}`);
    }
  }
  console.log(`block reader: ${accepted} of ${documents} documents read without a full parse; ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, []);
  if (files.length > 50) assert.ok(accepted > documents / 2, 'most real documents are plain block YAML');
});

test('workload models from the block reader equal those from the full parse', () => {
  const files = [...yamlFiles(corpus), ...yamlFiles(join(repo, 'examples'))];
  let workloads = 0;
  for (const file of files) {
    for (const slice of splitDocuments(readFileSync(file, 'utf8'))) {
      const kind = /^kind:\s*(\w+)/m.exec(slice.text)?.[1];
      if (!isWorkloadKind(kind) || slice.text.includes('{{')) continue;
      workloads += 1;
      const base = { apiVersion: 'apps/v1' };
      assert.deepEqual(buildWorkload(slice.text, kind, base), workloadFromData(fullData(slice.text), kind, base), `${file}:${slice.startLine + 1}`);
    }
  }
  console.log(`workload models compared: ${workloads}`);
});

test('block reader: what it leaves to the full parser', () => {
  assert.equal(readBlockYaml('a: &x 1\nb: *x\n'), undefined, 'anchors and aliases');
  assert.equal(readBlockYaml('a: !!str 1\n'), undefined, 'tags');
  assert.equal(readBlockYaml('a: b\n  c\n'), undefined, 'multi-line plain scalars');
  assert.equal(readBlockYaml('a: 1\na: 2\n'), undefined, 'duplicate keys');
  assert.equal(readBlockYaml('<<: {a: 1}\n'), undefined, 'merge keys');
  assert.equal(readBlockYaml('a: "x\n  y"\n'), undefined, 'multi-line quoted scalars');
  assert.equal(readBlockYaml('a: [1,\n  2]\n'), undefined, 'multi-line flow collections');
  assert.deepEqual(readBlockYaml('a: [1, 2]\nb: |\n  text\nc: d # note\n'), { a: unreadValue, b: unreadValue, c: 'd' });
  assert.deepEqual(readBlockYaml('l:\n- a: 1\n  b: "x"\n- - y\n- \'it\'\'s\'\n'), { l: [{ a: 1, b: 'x' }, ['y'], "it's"] });
  // A workload whose labels are written in flow style is modelled by the full parser.
  const flow = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata:\n      labels: {app: a, version: v2}\n';
  assert.deepEqual(buildWorkload(flow, 'Deployment', { apiVersion: 'apps/v1' }).podLabels, { app: 'a', version: 'v2' });
});

const canary = {
  'file:///ws/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    app: checkout
  ports:
  - name: http
    port: 8080
  - name: grpc
    port: 9090
`,
  'file:///ws/deployments.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-stable
  namespace: shop
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: checkout
        version: v1
    spec:
      containers:
      - name: checkout
        image: registry.example.com/checkout:1.4.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-canary
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: checkout
        version: v2.0
    spec:
      containers:
      - name: checkout
        image: registry.example.com/checkout:2.0.0-rc.1
        env:
        - name: DISABLE_WRITE
          value: "true"
        - name: LOG_LEVEL
          value: debug
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other-app
  namespace: shop
spec:
  replicas: 5
  template:
    metadata:
      labels: {app: other, version: v2.0}
`,
  'file:///ws/dr.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: checkout
  namespace: shop
spec:
  host: checkout
  subsets:
  - name: stable
    labels: {version: v1}
  - name: canary
    labels: {version: v2.0}
`,
  'file:///ws/external.yaml': `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments
  namespace: shop
spec:
  hosts: [api.payments.example.com]
  ports:
  - {number: 443, name: https, protocol: HTTPS}
  location: MESH_EXTERNAL
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: istio-ingress
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop/*"]
`,
};

function canaryWorkspace(): IstioLanguageService {
  const service = new IstioLanguageService();
  for (const [uri, text] of Object.entries(canary)) service.setFile(uri, text);
  return service;
}

test('host → Service or ServiceEntry, with ports', () => {
  const { index } = canaryWorkspace();
  const checkout = hostBackends(index, 'checkout', 'shop');
  assert.equal(checkout.resolved, 'checkout.shop.svc.cluster.local');
  assert.equal(checkout.services.length, 1);
  assert.deepEqual(checkout.ports.map((port) => [port.number, port.name]), [[8080, 'http'], [9090, 'grpc']]);
  assert.equal(checkout.external, false);
  // The same Service by its full name from another namespace, and not by its short name there.
  assert.equal(hostBackends(index, 'checkout.shop.svc.cluster.local', 'web').known, true);
  assert.equal(hostBackends(index, 'checkout', 'web').known, false);
  const payments = hostBackends(index, 'api.payments.example.com', 'shop');
  assert.equal(payments.serviceEntries.length, 1);
  assert.deepEqual(payments.ports.map((port) => port.number), [443]);
  assert.equal(payments.external, true);
  assert.equal(hostBackends(index, 'shadow.example.com', 'shop').known, false);
  assert.equal(isExternalHost('reviews.prod.svc.cluster.local', 'cluster.local'), false);
  assert.equal(isExternalHost('httpbin.org', 'cluster.local'), true);
  assert.equal(isExternalHost('reviews.prod', 'cluster.local'), false);
});

test('subset → workloads and replicas; candidate labels; write guards', () => {
  const { index } = canaryWorkspace();
  const canarySelection = workloadsForLabels(index, 'checkout', 'shop', { version: 'v2.0' });
  assert.equal(canarySelection.known, true);
  assert.deepEqual(canarySelection.serviceWorkloads.map((entry) => entry.model.name?.value), ['checkout-stable', 'checkout-canary']);
  assert.deepEqual(canarySelection.selected.map((entry) => entry.model.name?.value), ['checkout-canary'], 'other-app has the label but is not behind the Service');
  assert.deepEqual(workloadsForLabels(index, 'checkout', 'shop', { version: 'v3' }).selected, []);
  assert.equal(workloadsForLabels(index, 'ratings', 'shop', { version: 'v1' }).known, false, 'no Service: nothing can be said');

  assert.deepEqual(replicasBehind(index, 'checkout', 'shop', 'stable').replicas, 3);
  assert.deepEqual(replicasBehind(index, 'checkout', 'shop', 'canary').replicas, 1, 'replicas default to 1');
  assert.deepEqual(replicasBehind(index, 'checkout', 'shop').replicas, 4);
  assert.equal(replicasBehind(index, 'checkout', 'shop', 'nope').known, false);

  assert.deepEqual(candidateSubsetLabels(index, 'checkout', 'shop').map((choice) => choice.labels), [{ version: 'v1' }, { version: 'v2.0' }]);
  assert.deepEqual(candidateSubsetLabels(index, 'ratings', 'shop'), []);

  const guards = writeGuards(replicasBehind(index, 'checkout', 'shop', 'canary').workloads);
  assert.deepEqual(guards.map((guard) => [guard.variable, guard.value]), [['DISABLE_WRITE', 'true']]);
});

test('gateway references resolve as Istio resolves them', () => {
  const { index } = canaryWorkspace();
  assert.equal(gatewayFor(index, 'istio-ingress/public', 'shop').found.length, 1);
  assert.equal(gatewayFor(index, 'public.istio-ingress.svc.cluster.local', 'shop').found.length, 1);
  assert.equal(gatewayFor(index, 'public', 'shop').found.length, 0);
  assert.equal(gatewayFor(index, 'public', 'shop').workspaceHasGateways, true);
  assert.equal(gatewayFor(index, './public', 'istio-ingress').found.length, 1);
  assert.deepEqual(gatewayFor(index, 'istio-ingress/public', 'shop').gateway?.hosts, ['shop/*']);
  assert.equal(gatewayFor(index, 'mesh', 'shop').mesh, true);
});

// The version of what a subset query on the canary's labels reads (its scopes, recorded by trackReads).
const shopVersion = (service: IstioLanguageService): number => {
  const { scopes } = service.index.trackReads(() => workloadsForLabels(service.index, 'checkout', 'shop', { version: 'v2.0' }));
  return service.index.latestChange(scopes);
};

test('a Deployment edit changes what the queries answer and names the files that depend on it', () => {
  const service = canaryWorkspace();
  service.setFile('file:///ws/vs.yaml', `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: checkout, namespace: shop}
spec:
  hosts: [checkout]
  http:
  - route:
    - destination: {host: checkout, subset: stable, port: {number: 8080}}
`);
  const stamp = shopVersion(service);
  const text = canary['file:///ws/deployments.yaml'];
  const edited = text.replace('version: v2.0\n    spec', 'version: v2.1\n    spec');
  const at = text.indexOf('version: v2.0\n    spec') + 'version: v2.'.length;
  const dependents = service.editFile('file:///ws/deployments.yaml', edited, { start: at, end: at + 1, insertedLength: 1 });
  assert.deepEqual([...dependents].sort(), ['file:///ws/dr.yaml', 'file:///ws/vs.yaml']);
  assert.notEqual(shopVersion(service), stamp);
  assert.deepEqual(workloadsForLabels(service.index, 'checkout', 'shop', { version: 'v2.0' }).selected, []);
  // An edit that changes nothing findings read (a container image) names no file.
  const image = edited.replace('2.0.0-rc.1', '2.0.0-rc.2');
  const imageAt = edited.indexOf('rc.1') + 3;
  const after = shopVersion(service);
  assert.deepEqual([...service.editFile('file:///ws/deployments.yaml', image, { start: imageAt, end: imageAt + 1, insertedLength: 1 })], []);
  assert.equal(shopVersion(service), after);
  assert.equal(replicasBehind(service.index, 'checkout', 'shop').workloads[1].model.containers[0].image, 'registry.example.com/checkout:2.0.0-rc.2');
});

test('bound gateways and kustomize roles', () => {
  const service = new IstioLanguageService();
  service.setFile('file:///k/base/kustomization.yaml', 'resources:\n- vs.yaml\n- deployment.yaml\n');
  service.setFile('file:///k/overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\npatches:\n- path: vs-patch.yaml\npatchesStrategicMerge:\n- dr-patch.yaml\n');
  const { index } = service;
  assert.deepEqual(kustomizeRole(index, 'file:///k/overlays/prod/vs-patch.yaml'), { patch: true, built: true });
  assert.deepEqual(kustomizeRole(index, 'file:///k/overlays/prod/dr-patch.yaml').patch, true);
  assert.deepEqual(kustomizeRole(index, 'file:///k/base/vs.yaml'), { patch: false, built: true });
  assert.deepEqual(kustomizeRole(index, 'file:///elsewhere/vs.yaml'), { patch: false, built: false });
  assert.deepEqual(boundGateways({ gateways: [] } as never, 'shop'), ['mesh']);
  assert.deepEqual(boundGateways({ gateways: [{ value: 'public' }, { value: 'mesh' }, { value: 'ns/gw' }] } as never, 'shop'), ['shop/public', 'mesh', 'ns/gw']);
});
