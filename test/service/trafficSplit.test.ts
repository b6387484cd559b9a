// Traffic-split model tests as data: each fixture in test/fixtures/trafficSplit/ is YAML (one
// or more files, `# --- file:` sections) followed by `# expect:` lines; the model of every
// VirtualService is rendered one line per rule and per destination/mirror and compared:
//
//   # expect: demo/reviews #0 "name" [header x-canary = true] reachable
//   # expect:   → reviews/v1 77.8 %
//   # expect:   ⇢ mirror reviews/v3 25 % ✗ subset "v3" is not in DestinationRule demo/reviews (it has v1, v2)
//   # expect: per 1000: reviews/v1 777.8 requests, reviews/v3 250 copies

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { targetTotals, type TrafficSplitModel } from '../../server/src/service/features/trafficSplit';
import { parseFixture } from '../helpers/annotatedFixture';

const folder = join(__dirname, '..', 'fixtures', 'trafficSplit');

const percent = (value: number): string => `${Math.round(value * 10) / 10} %`;
const target = (host: string, subset?: string): string => (subset ? `${host}/${subset}` : host);

function render(model: TrafficSplitModel): string[] {
  const lines: string[] = [];
  // Gateway API routes have the same entry shape; their lines start with the kind.
  const entries = [
    ...model.virtualServices.map((entry) => ({ entry, kind: '' })),
    ...(model.httpRoutes ?? []).map((entry) => ({ entry, kind: 'HTTPRoute ' })),
    ...(model.grpcRoutes ?? []).map((entry) => ({ entry, kind: 'GRPCRoute ' })),
  ];
  for (const { entry: vs, kind } of entries) {
    for (const route of vs.routes) {
      const name = route.name !== undefined ? ` "${route.name}"` : '';
      lines.push(`${kind}${vs.namespace}/${vs.name} ${route.protocol === 'http' ? '' : `${route.protocol} `}#${route.index}${name} [${route.match}] ${route.reachable ? 'reachable' : `unreachable: ${route.unreachableReason}`}${route.action === 'route' ? '' : ` (${route.action})`}`);
      for (const d of route.destinations) lines.push(`  → ${target(d.host, d.subset)} ${percent(d.percent)}${d.problem ? ` ✗ ${d.problem}` : ''}`);
      for (const m of route.mirrors) lines.push(`  ⇢ ${m.kind} ${target(m.host, m.subset)} ${percent(m.percent)}${m.problem ? ` ✗ ${m.problem}` : ''}`);
    }
    const totals = targetTotals(vs, 1000).map((t) => `${t.target} ${Math.round(t.requests * 10) / 10} requests${t.mirroredCopies > 0 ? ` + ${Math.round(t.mirroredCopies * 10) / 10} copies` : ''}`);
    lines.push(`per 1000: ${totals.join(', ')}`);
  }
  return lines;
}

for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort()) {
  test(`traffic split ${name}`, () => {
    const text = readFileSync(join(folder, name), 'utf8');
    const expected = [...text.matchAll(/^# expect: (.*)$/gm)].map((match) => match[1]);
    assert.ok(expected.length > 0, 'a fixture must state expectations');
    const service = new IstioLanguageService();
    const { files } = parseFixture(text);
    for (const file of files) service.setFile(file.uri, file.text);
    const vsFile = files.filter((file) => /kind:\s*(?:VirtualService|HTTPRoute|GRPCRoute)/.test(file.text)).map((file) => file.uri);
    assert.deepEqual(render(service.trafficSplit(vsFile)), expected);
  });
}
