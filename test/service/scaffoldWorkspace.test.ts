// The canary scaffold with a workspace (issue 10; issue 11 item 4): it offers the workspace's
// apps, takes its defaults from the app chosen (namespace, port, versions, images, the
// Service's selector) and writes only what is missing, saying what it reused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { replicasBehind } from '../../server/src/service/workspace/workspaceQueries';

const service = `apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: checkout
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

const stable = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-stable
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app.kubernetes.io/name: checkout, version: v1}
  template:
    metadata:
      labels: {app.kubernetes.io/name: checkout, version: v1}
    spec:
      containers:
      - name: checkout
        image: registry.example.com/shop/checkout:1.4.2
`;

const kindsOf = (text: string): string[] => [...text.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]!);

function workspace(): IstioLanguageService {
  const languageService = new IstioLanguageService();
  languageService.setFile('file:///repo/checkout/service.yaml', service);
  languageService.setFile('file:///repo/checkout/deployment.yaml', stable);
  return languageService;
}

test('the workspace app is offered and its facts are the defaults; only the missing pieces are written', () => {
  const languageService = workspace();
  const result = languageService.scaffoldCanary({});
  assert.deepEqual(result.apps, [{ name: 'checkout', namespace: 'shop', port: 80, versions: ['v1'], routed: false }]);
  const { options } = result;
  assert.deepEqual([options.app, options.namespace, options.port, options.containerPort], ['checkout', 'shop', 80, 8080]);
  assert.deepEqual([options.stableVersion, options.stableImage, options.canaryVersion, options.canaryImage], ['v1', 'registry.example.com/shop/checkout:1.4.2', 'v2', 'registry.example.com/shop/checkout:v2']);
  assert.deepEqual(result.reused, ['Deployment shop/checkout-stable (stable, version v1)', 'Service shop/checkout']);
  assert.deepEqual(kindsOf(result.text), ['Deployment', 'DestinationRule', 'VirtualService']);
  assert.match(result.text, /^# Already in the workspace, used as it is:\n# {3}Deployment shop\/checkout-stable \(stable, version v1\)\n# {3}Service shop\/checkout$/m);
  // The canary's pods carry the Service's selector, so the Service sends to them.
  assert.match(result.text, /labels:\n {8}app\.kubernetes\.io\/name: checkout\n {8}version: v2\n/);
  assert.match(result.text, /- containerPort: 8080/);

  languageService.setFile('file:///repo/checkout/canary.yaml', result.text);
  assert.deepEqual(languageService.getProblems('file:///repo/checkout/canary.yaml'), [], 'the written part checks clean with the rest of the workspace');
  const canary = replicasBehind(languageService.index, 'checkout', 'shop', 'v2');
  assert.deepEqual(canary.workloads.map((workload) => workload.model.name?.value), ['checkout-v2']);
  const stableReplicas = replicasBehind(languageService.index, 'checkout', 'shop', 'v1');
  assert.deepEqual(stableReplicas.workloads.map((workload) => workload.model.name?.value), ['checkout-stable']);

  // Now everything is there: nothing more to write, and the app is marked as routed.
  const again = languageService.scaffoldCanary({ app: 'checkout' });
  assert.deepEqual(kindsOf(again.text), []);
  assert.equal(again.apps[0]!.routed, true);
  assert.match(again.text, /VirtualService shop\/checkout already routes checkout: a second one for the same host would conflict, so none is written/);
  assert.deepEqual(languageService.scaffoldCanary({}).options.app, 'myapp', 'with every app routed, the default is a new app');
});

test('an existing DestinationRule without the canary subset is reused and the note says what to add', () => {
  const languageService = workspace();
  languageService.setFile('file:///repo/checkout/destinationrule.yaml', `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: checkout
  namespace: shop
spec:
  host: checkout.shop.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
`);
  const result = languageService.scaffoldCanary({ app: 'checkout', namespace: 'shop' });
  assert.deepEqual(kindsOf(result.text), ['Deployment', 'VirtualService']);
  assert.ok(result.reused.includes('DestinationRule shop/checkout'));
  assert.match(result.text, /# DestinationRule shop\/checkout has no subset v2: add it/);
});

test('a new app name, or the Gateway API, writes the whole setup as without a workspace', () => {
  const languageService = workspace();
  const fresh = languageService.scaffoldCanary({ app: 'payments' });
  assert.deepEqual(kindsOf(fresh.text), ['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
  assert.deepEqual([fresh.options.namespace, fresh.options.port, fresh.options.podLabels], ['default', 8080, { app: 'payments' }]);
  assert.deepEqual(fresh.reused, []);
  const gateway = languageService.scaffoldCanary({ api: 'gateway-api', app: 'checkout' });
  assert.deepEqual(gateway.reused, []);
  assert.ok(kindsOf(gateway.text).includes('HTTPRoute'));
});

test('values the scaffold would refuse are not taken from the workspace (found by the grammar-aware fuzzer)', () => {
  const languageService = new IstioLanguageService();
  // A Service whose port no cluster accepts, and one whose name is no Service name.
  languageService.setFile('file:///repo/checkout/service.yaml', service.replace('port: 80', 'port: 70000').replace('targetPort: 8080', 'targetPort: 99999'));
  languageService.setFile('file:///repo/checkout/deployment.yaml', stable.replace('image: registry.example.com/shop/checkout:1.4.2', 'image: "Registry/Checkout:1.4.2"'));
  languageService.setFile('file:///repo/ratings/service.yaml', service.replace(/checkout/g, 'Ratings'));
  const result = languageService.scaffoldCanary({});
  assert.deepEqual(result.apps.map((app) => app.name), ['checkout'], 'the Service named "Ratings" is not offered');
  const { options } = result;
  assert.deepEqual([options.app, options.port, options.containerPort, options.stableImage], ['checkout', 8080, 8080, 'registry.example.com/checkout:v1']);
});
