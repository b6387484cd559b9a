// The Gateway API variant of the canary scaffold (`api: 'gateway-api'`): a complete setup that
// checks clean, whose preview routes everything to stable and mirrors the chosen share to canary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';

for (const [label, options, expected] of [
  ['every request', { app: 'checkout', namespace: 'shop', port: 8080, mirrorPercentage: 25 }, [['all requests', 'checkout-v1 100', 'checkout-v2 25']]],
  ['a fractional share', { app: 'checkout', mirrorPercentage: 0.5 }, [['all requests', 'checkout-v1 100', 'checkout-v2 0.5']]],
  ['tagged requests only', { app: 'checkout', mirrorHeader: { name: 'X-Mirror', value: 'true' } }, [['header x-mirror = true', 'checkout-v1 100', 'checkout-v2 10'], ['all other requests', 'checkout-v1 100', '']]],
] as const) {
  test(`the Gateway API canary scaffold (${label}) checks clean and mirrors as asked`, () => {
    const service = new IstioLanguageService();
    const result = service.scaffoldCanary({ ...options, api: 'gateway-api' });
    service.setFile('file:///scaffold.yaml', result.text);
    assert.deepEqual(service.getProblems('file:///scaffold.yaml'), [], result.text);
    assert.doesNotMatch(result.text, /kind: (VirtualService|DestinationRule)/);
    assert.match(result.text, /kind: HTTPRoute/);
    const [route] = service.trafficSplit(['file:///scaffold.yaml']).httpRoutes ?? [];
    assert.ok(route);
    assert.deepEqual(route.routes.map((rule) => [rule.match, rule.destinations.map((d) => `${d.host} ${d.percent}`).join(), rule.mirrors.map((m) => `${m.host} ${m.percent}`).join()]), expected);
    // Each version's Service selects exactly that version's Deployment.
    const versions = [...result.text.matchAll(/name: checkout-(v\d)\n {2}namespace: \S+\n {2}labels:\n {4}app: checkout\nspec:\n {2}selector:\n {4}app: checkout\n {4}version: (v\d)/g)];
    assert.deepEqual(versions.map((match) => [match[1], match[2]]), [['v1', 'v1'], ['v2', 'v2']]);
  });
}
