// Hostile and unusual input: every case must end with silence or a clear diagnostic, never
// an exception or a hang. (Times are measured by the benchmark, not asserted here; the
// generous per-test timeout only turns a hang into a failure.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';

const timeout = 120_000;

function check(text: string): { code: string; line: number; message: string }[] {
  const service = new IstioLanguageService();
  service.setFile('file:///input.yaml', text);
  return service.getProblems('file:///input.yaml').map((p) => ({ code: p.code, line: p.range.start.line, message: p.message }));
}

const virtualService = (name: string, extra = ''): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: demo
spec:
  hosts: [${name}]
  http:
  - route:
    - destination: {host: ${name}, subset: v1}
    mirror: {host: ${name}, subset: v2}
    mirrorPercentage: {value: 10}${extra}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: demo
spec:
  host: ${name}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
`;

test('empty and whitespace-only files are silent', { timeout }, () => {
  assert.deepEqual(check(''), []);
  assert.deepEqual(check('\n\n   \n# just a comment\n---\n---\n'), []);
});

test('binary bytes are silent', { timeout }, () => {
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  assert.deepEqual(check(bytes.toString('latin1')), []);
  assert.deepEqual(check(bytes.toString('utf8')), []);
});

test('broken YAML in an Istio document gets a syntax diagnostic at the break; in other YAML, silence', { timeout }, () => {
  const problems = check('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: x\nspec:\n  hosts: [a, b\n  http:\n  - route: ]]\n');
  assert.ok(problems.length > 0);
  assert.ok(problems.every((p) => p.code === 'IM0001'), JSON.stringify(problems));
  assert.ok(problems.every((p) => p.line >= 5), JSON.stringify(problems));
  assert.deepEqual(check('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [b\n'), []);
  assert.deepEqual(check(': : :\n\t- - -\n"unterminated\n'), []);
});

test('a broken document does not hide the findings of its healthy neighbours', { timeout }, () => {
  const text = `${virtualService('alpha', '\n    mirror_percent: 300')}---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: broken\nspec: {\n`;
  const codes = check(text).map((p) => p.code).sort();
  assert.ok(codes.includes('IM0001'), codes.join());
  assert.ok(codes.includes('IM2002'), codes.join());
});

test('Helm and Go templates are silent', { timeout }, () => {
  const template = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {{ include "app.fullname" . }}
spec:
  hosts:
  {{- range .Values.hosts }}
  - {{ . | quote }}
  {{- end }}
  http:
  - route:
    - destination:
        host: {{ .Values.service.name }}
        subset: {{ .Values.canary.subset }}
    mirrorPercentage: {value: {{ .Values.mirror.percent }}}
`;
  assert.deepEqual(check(template), []);
});

test('an alias bomb is reported once and not expanded; outside Istio documents it is silent', { timeout }, () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 9; level++) bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
  const istio = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\nspec:\n${bomb.map((line) => `  ${line}`).join('\n')}\n`;
  const problems = check(istio);
  assert.deepEqual(problems.map((p) => p.code), ['IM0002']);
  assert.deepEqual(check(`apiVersion: v1\nkind: ConfigMap\ndata:\n${bomb.map((line) => `  ${line}`).join('\n')}\n`), []);
});

test('a 10 MB file of many documents is checked completely', { timeout }, () => {
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < 10 * 1024 * 1024) {
    const part = virtualService(`svc-${i}`, i % 500 === 0 ? '\n    timeout: 0s' : '');
    parts.push(part);
    size += part.length;
    i += 1;
  }
  const problems = check(parts.join('---\n'));
  assert.equal(problems.length, Math.ceil(i / 500));
  assert.ok(problems.every((p) => p.code === 'IM2106'));
});

test('a 100,000-line single document is checked', { timeout }, () => {
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', '  name: huge', '  namespace: demo', 'spec:', '  host: huge', '  subsets:'];
  for (let i = 0; lines.length < 100_000; i++) lines.push(`  - name: s${i}`, `    labels: {version: s${i}}`);
  lines.push('  - name: s0', '    labels: {version: again}');
  const problems = check(`${lines.join('\n')}\n`);
  assert.deepEqual(problems.map((p) => p.code), ['IM2201']);
  assert.equal(problems[0].line, lines.length - 2);
});

test('deeply nested flow collections do not overflow the stack', { timeout }, () => {
  const depth = 5000;
  const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const result = check(`apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: deep}\nspec:\n  hosts: ${nested}\n`);
  assert.ok(Array.isArray(result));
});
