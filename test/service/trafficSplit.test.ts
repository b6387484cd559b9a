// Traffic-split model tests as data: each fixture in test/fixtures/trafficSplit/ is YAML (one
// or more files, `# --- file:` sections) followed by `# expect:` lines; the model of every
// VirtualService is rendered one line per rule and per destination/mirror and compared:
//
//   # expect: demo/reviews #1 "name" [header x-canary = true] reachable
//   # expect:   → reviews/v1 77.8 %
//   # expect:   ⇢ mirror reviews/v3 25 % ✗ subset "v3" is not in DestinationRule demo/reviews (it has v1, v2)
//   # expect: per 1000: reviews/v1 0–777.8 requests, reviews/v3 0–250 dropped · unmatched 0–1000
//
// Figures are ranges where a rule's match decides how many requests it takes (trafficTotals).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { trafficTotals, type Amount, type TrafficSplitModel } from '../../server/src/service/features/trafficSplit';
import { parseFixture } from '../helpers/annotatedFixture';

const folder = join(__dirname, '..', 'fixtures', 'trafficSplit');

const percent = (value: number): string => `${Math.round(value * 10) / 10} %`;
const target = (host: string, subset?: string): string => (subset ? `${host}/${subset}` : host);
const round = (value: number): number => Math.round(value * 10) / 10;
const amount = (value: Amount): string => (round(value.min) === round(value.max) ? `${round(value.min)}` : `${round(value.min)}–${round(value.max)}`);

export function render(model: TrafficSplitModel): string[] {
  const lines: string[] = [];
  // Gateway API routes have the same entry shape; their lines start with the kind.
  const entries = [
    ...model.virtualServices.map((entry) => ({ entry, kind: '' })),
    ...(model.httpRoutes ?? []).map((entry) => ({ entry, kind: 'HTTPRoute ' })),
    ...(model.grpcRoutes ?? []).map((entry) => ({ entry, kind: 'GRPCRoute ' })),
  ];
  for (const { entry: vs, kind } of entries) {
    for (const route of vs.routes) {
      const fault = route.fault ? ` fault: abort ${route.fault.abortStatus ?? '-'} ${percent(route.fault.abortPercent)}, delay ${route.fault.delay ?? '-'} ${percent(route.fault.delayPercent)}; forwarded ${percent(route.forwardedPercent)}` : '';
      lines.push(`${kind}${vs.namespace}/${vs.name} ${route.protocol === 'http' ? '' : `${route.protocol} `}${route.label} [${route.match}] ${route.reachable ? 'reachable' : `unreachable: ${route.unreachableReason}`}${route.action === 'route' ? '' : ` (${route.action})`}${fault}`);
      for (const d of route.destinations) lines.push(`  → ${target(d.host, d.subset)} ${percent(d.percent)}${d.servedPercent !== d.percent ? ` (served ${percent(d.servedPercent)})` : ''}${d.problem ? ` ✗ ${d.problem}` : ''}`);
      for (const m of route.mirrors) lines.push(`  ⇢ ${m.kind} ${target(m.host, m.subset)} ${percent(m.percent)}${m.copiedPercent !== m.percent ? ` (copied ${percent(m.copiedPercent)})` : ''}${m.problem ? ` ✗ ${m.problem}` : ''}`);
    }
    for (const group of trafficTotals(vs, 1000)) {
      const totals = group.targets.map((t) => [
        `${t.target} ${amount(t.requests)} requests`,
        t.failed.max > 0 ? ` + ${amount(t.failed)} failing` : '',
        t.mirroredCopies.max > 0 ? ` + ${amount(t.mirroredCopies)} copies` : '',
        t.droppedCopies.max > 0 ? ` + ${amount(t.droppedCopies)} dropped` : '',
      ].join(''));
      const others = [
        group.answered.max > 0 ? `answered ${amount(group.answered)}` : '',
        group.delegated.max > 0 ? `delegated ${amount(group.delegated)}` : '',
        group.unmatched.max > 0 ? `unmatched ${amount(group.unmatched)}` : '',
      ].filter(Boolean);
      lines.push(`per 1000${group.protocol === 'http' ? '' : ` ${group.protocol}`}: ${totals.join(', ')}${others.length > 0 ? ` · ${others.join(', ')}` : ''}`);
    }
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
