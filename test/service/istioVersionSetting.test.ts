// The `istioMirror.istioVersion` setting: its default is the newest release the translation
// knows (the CLI's --istio-version default), and unusable values fall back to it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../../server/src/settings';
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
