// Conformance with Istio's own validation test tables: every entry of TestValidateVirtualService,
// TestValidateHTTPRoute, TestValidateDestinationRule, TestValidateTrafficPolicy, TestValidateTLS,
// TestValidateLocalityLbSetting, … (istio/istio pkg/config/validation), turned into a YAML
// fixture with Istio's verdict by scripts/istioTables/extract.ts (test/fixtures/istio-tables/).
// Each document is checked alone and our verdict compared with Istio's:
//   error    — Istio rejects it: we report at least one error;
//   warning  — Istio admits it with a warning: no error, at least one of Istio's warnings;
//   valid    — Istio admits it without warnings: no error and none of Istio's warnings;
//   no-error — Istio admits it (the table does not check warnings): no error.
// Istio's warnings are the findings that mirror its webhook or analyzers (IST codes, rules with
// an istioctl code, deprecations); our own advice (IM2004–IM2009, IM2105) is not compared, and
// neither is IST0101, which needs other resources. Prints the agreement figure, the entries that
// cannot be written as YAML (unconvertible.tsv, with why) and every disagreement; fails on a
// disagreement that known-disagreements.tsv does not list with its reason, and on a listed one
// that now agrees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { ruleFor } from '../../server/src/service/checks/ruleTable';
import type { Problem } from '../../server/src/service/types';

const folder = join(__dirname, '..', 'fixtures', 'istio-tables');

type Verdict = 'error' | 'warning' | 'valid' | 'no-error';

interface TableEntry {
  table: string;
  name: string;
  verdict: Verdict;
  text: string;
}

function readEntries(): TableEntry[] {
  const entries: TableEntry[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.yaml')).sort()) {
    for (const document of readFileSync(join(folder, file), 'utf8').split(/^---$/m)) {
      const header = /^# (\S+) (".*")\n# istio-verdict: (error|warning|valid|no-error)$/m.exec(document);
      if (!header) continue;
      const text = document.replace(/<<repeat ("(?:[^"\\]|\\.)*") (\d+)>>/g, (_, unit: string, count: string) => (JSON.parse(unit) as string).repeat(Number(count)));
      entries.push({ table: header[1], name: JSON.parse(header[2]) as string, verdict: header[3] as Verdict, text });
    }
  }
  return entries;
}

/** Findings that stand for something Istio's webhook or analyzers say. */
function isIstioWarning(problem: Problem): boolean {
  if (problem.code === 'IST0101') return false;
  if (problem.code.startsWith('IST') || problem.code === 'IM1010') return true;
  return ruleFor(problem.code).istioctl !== undefined;
}

function readTsv(name: string): string[][] {
  const path = join(folder, name);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').slice(1).filter((line) => line.trim() !== '').map((line) => line.split('\t'));
}

test("agreement with Istio's validation test tables", (t) => {
  const entries = readEntries();
  assert.ok(entries.length > 300, `the fixtures hold Istio's table entries (found ${entries.length})`);
  const service = new IstioLanguageService();
  const known = new Map(readTsv('known-disagreements.tsv').map(([table, name, reason]) => [`${table} ${name}`, reason]));
  const byTable = new Map<string, { total: number; agree: number }>();
  const disagreements: string[] = [];
  const unexpected: string[] = [];
  const nowAgree: string[] = [];
  let agree = 0;
  entries.forEach((entry, index) => {
    const uri = `file:///istio-tables/${entry.table}/${index}.yaml`;
    service.setFile(uri, entry.text);
    const problems = service.getProblems(uri);
    service.removeFile(uri);
    const errors = problems.filter((problem) => problem.code !== 'IST0101' && service.severityOf(problem) === 'error');
    const warnings = problems.filter((problem) => service.severityOf(problem) === 'warning' && isIstioWarning(problem));
    const ours: Verdict = errors.length > 0 ? 'error' : warnings.length > 0 ? 'warning' : 'valid';
    const agrees = entry.verdict === 'no-error' ? ours !== 'error' : ours === entry.verdict;
    const figures = byTable.get(entry.table) ?? { total: 0, agree: 0 };
    figures.total += 1;
    const key = `${entry.table} ${entry.name}`;
    if (agrees) {
      agree += 1;
      figures.agree += 1;
      if (known.has(key)) nowAgree.push(key);
    } else {
      const found = [...errors, ...warnings].map((problem) => `${problem.code} ${problem.message.slice(0, 100)}`).join(' | ') || 'nothing';
      const line = `${key}: Istio ${entry.verdict}, we ${ours} (${found})`;
      disagreements.push(known.has(key) ? `${line} — known: ${known.get(key)}` : line);
      if (!known.has(key)) unexpected.push(line);
    }
    byTable.set(entry.table, figures);
  });
  const unconvertible = readTsv('unconvertible.tsv');
  const percent = ((100 * agree) / entries.length).toFixed(1);
  const lines = [
    `istio validation tables: ${agree} of ${entries.length} entries agree (${percent} %); ${unconvertible.length} entries cannot be written as YAML`,
    ...[...byTable].map(([table, figures]) => `  ${table}: ${figures.agree}/${figures.total}`),
    `cannot be written as YAML:`,
    ...unconvertible.map(([table, name, reason]) => `  ${table} "${name}": ${reason}`),
    `disagreements (${disagreements.length}):`,
    ...disagreements.map((line) => `  ${line}`),
  ];
  t.diagnostic(lines.join('\n'));
  console.log(lines.join('\n'));
  assert.deepEqual(unexpected, [], 'disagreements not listed in known-disagreements.tsv');
  assert.deepEqual(nowAgree, [], 'entries listed in known-disagreements.tsv that now agree (remove them)');
});
