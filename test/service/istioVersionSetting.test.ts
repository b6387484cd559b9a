// The `istioMirror.istioVersion` setting: its default is the newest release the translation
// knows (the CLI's --istio-version default), and unusable values fall back to it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../../server/src/settings';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { defaultSettings } from '../../server/src/service/types';
import { newestIstioRelease, releaseText } from '../../server/src/service/model/istioReleases';

test('the default istioVersion is the newest release, in the settings and in package.json', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: string; enum: string[] }> } } };
  const setting = manifest.contributes.configuration.properties['istioMirror.istioVersion'];
  assert.equal(defaultSettings.istioVersion, releaseText(newestIstioRelease));
  assert.equal(setting.default, releaseText(newestIstioRelease));
  assert.equal(setting.enum[0], releaseText(newestIstioRelease));
});

test('a release is kept as X.Y; anything else is the newest', () => {
  assert.equal(parseSettings({ istioVersion: '1.27' }).service.istioVersion, '1.27');
  assert.equal(parseSettings({ istioVersion: 'v1.28.2' }).service.istioVersion, '1.28');
  for (const bad of ['latest', '1.12', 2, '', undefined]) assert.equal(parseSettings({ istioVersion: bad }).service.istioVersion, releaseText(newestIstioRelease), String(bad));
});

test('the traffic-split model gives each mirror its Envoy policy for the istioVersion setting', () => {
  const folder = join(__dirname, '..', 'fixtures', 'routing', 'translation');
  const mirrorsOf = (istioVersion: string): (string | undefined)[] => {
    const service = new IstioLanguageService({ istioVersion });
    for (const name of ['percentages.yaml', 'services.yaml']) service.setFile(`file:///w/${name}`, readFileSync(join(folder, name), 'utf8'));
    const vs = service.trafficSplit().virtualServices.find((candidate) => candidate.name === 'reviews');
    assert.ok(vs);
    return vs.routes.find((route) => route.name === 'fraction-0-57')?.mirrors.map((mirror) => mirror.envoy) ?? [];
  };
  assert.deepEqual(mirrorsOf('1.30'), ["Envoy (Istio 1.30): cluster outbound|9080|v2|reviews.demo.svc.cluster.local, runtimeFraction 5699/MILLION = 0.5699 % (written 0.57 %), copy's Host reviews (for a call to reviews), traceSampled false"]);
  assert.deepEqual(mirrorsOf('1.27'), ["Envoy (Istio 1.27): cluster outbound|9080|v2|reviews.demo.svc.cluster.local, runtimeFraction 5699/MILLION = 0.5699 % (written 0.57 %), copy's Host reviews-shadow (for a call to reviews), traceSampled false"]);
});
