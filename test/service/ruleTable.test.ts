// The rule table is the single source of every diagnostic code: each rule's example must
// really produce its code (and nothing else), every code the checks emit must be in the table, and
// docs/rules.md must be the table's current rendering.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../server/src/service/checks/ruleTable';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { renderRulesDoc, rulesDocPath } from '../../scripts/rulesDoc';

test('codes and ids are unique and well-formed', () => {
  assert.equal(new Set(rules.map((rule) => rule.code)).size, rules.length);
  assert.equal(new Set(rules.map((rule) => rule.id)).size, rules.length);
  for (const rule of rules) {
    assert.match(rule.code, /^(IM\d{4}|IST\d{4})$/);
    assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  }
});

for (const rule of rules) {
  test(`example of ${rule.code} (${rule.id}) produces it`, () => {
    const service = new IstioLanguageService();
    service.setFile('file:///example.yaml', rule.example);
    const codes = [...new Set(service.getProblems('file:///example.yaml').map((problem) => problem.code))];
    // IM2109 (invalid subset name) cannot avoid the subset also being undefined; IM3001 (a route
    // to a subset that selects no pod) cannot avoid the DestinationRule's subset selecting none (IST0173).
    const allowed = rule.code === 'IM2109' ? [rule.code, 'IST0101'] : rule.code === 'IM3001' ? [rule.code, 'IST0173'] : [rule.code];
    assert.deepEqual(codes.filter((code) => !allowed.includes(code)), [], `example of ${rule.code} also produced other codes`);
    assert.ok(codes.includes(rule.code), `example produced ${JSON.stringify(codes)}`);
  });
}

test('every code used in the checks is in the rule table', () => {
  const known = new Set(rules.map((rule) => rule.code));
  const folder = join(__dirname, '..', '..', 'server', 'src', 'service');
  const used = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && entry.name !== 'ruleTable.ts') {
        for (const match of readFileSync(path, 'utf8').matchAll(/'((?:IM|IST)\d{4})'/g)) used.add(match[1]);
      }
    }
  };
  visit(folder);
  // The Gateway API CRD rules carry their codes as data in schemas/ (checks/celValidation.ts).
  const schemas = join(__dirname, '..', '..', 'schemas');
  for (const name of readdirSync(schemas).filter((file) => file.endsWith('.schema.json'))) {
    for (const match of readFileSync(join(schemas, name), 'utf8').matchAll(/"code": "((?:IM|IST)\d{4})"/g)) used.add(match[1]);
  }
  assert.deepEqual([...used].filter((code) => !known.has(code)), []);
  assert.deepEqual(rules.map((rule) => rule.code).filter((code) => !used.has(code)), [], 'rules no check emits');
});

test('docs/rules.md is generated from the rule table', () => {
  assert.equal(readFileSync(rulesDocPath, 'utf8'), renderRulesDoc(), 'run: node --import tsx scripts/rulesDoc.ts');
});
