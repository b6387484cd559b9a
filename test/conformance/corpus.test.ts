// Conformance over the shared corpus of real, public Istio YAML (../shared/corpus, see its
// README and MANIFEST.tsv): non-Istio files get no diagnostics, valid files no errors (apart
// from true IST0101 findings: subsets that no corpus file defines, counted and listed apart),
// invalid files are flagged, and the analyzer codes istio-mirror implements are found on the
// resources `istioctl analyze` reports them for. Prints its figures; skips when the corpus is
// absent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IstioLanguageService } from '../../server/src/service/languageService';
import type { Problem } from '../../server/src/service/types';

const corpus = join(__dirname, '..', '..', '..', 'shared', 'corpus');
const present = existsSync(join(corpus, 'MANIFEST.tsv'));

interface Row {
  path: string;
  expected: 'valid' | 'invalid' | 'analyze' | 'non-istio';
  messages: string;
  notes: string;
}

function readManifest(): Row[] {
  const [, ...lines] = readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const cells = line.split('\t');
    return { path: cells[0], expected: cells[4] as Row['expected'], messages: cells[5] ?? '', notes: cells[6] ?? '' };
  });
}

/** The `Kind ns/name` of the resource each problem belongs to. */
function resourceOf(service: IstioLanguageService, uri: string, problem: Problem): string {
  const file = service.index.getFile(uri);
  const document = file?.documents.find((d) => problem.range.start.line >= d.slice.startLine && problem.range.start.line < d.slice.startLine + Math.max(1, d.slice.lineCount));
  const identity = document?.analysis.identity;
  const namespace = identity?.namespace?.value;
  return `${identity?.kind ?? '?'} ${namespace ? `${namespace}/` : ''}${identity?.name?.value ?? '?'}`;
}

/**
 * Files the corpus labels valid that Istio's webhook rejects, by its source (istio/istio
 * pkg/config/validation at the corpus commit), with the code we report for them. They are
 * counted apart and must get exactly that finding.
 */
const labelledValidButRejected = new Map<string, { code: string; why: string }>([
  ['valid/argo-rollouts/docs/getting-started/istio/multipleVirtualsvc.yaml', {
    code: 'IM2125',
    why: 'validateSniHost: SNI hosts reviews.bookinfo.com and localhost are not a subset of the VirtualService host rollouts-demo-vsvc1.local',
  }],
]);

/** Codes istio-mirror implements, and for IST0101 only the subset analyzer (hosts and gateways are not checked by design). */
function implementedExpectation(group: string, code: string): boolean {
  if (code === 'IST0130' || code === 'IST0131') return true;
  if (code === 'IST0101') return group.includes('DestinationRuleAnalyzer') || group === '';
  return false;
}

test('conformance over the shared corpus', (t) => {
  if (!present) {
    t.skip(`corpus not found at ${corpus}`);
    return;
  }
  const rows = readManifest();
  const service = new IstioLanguageService();
  const uriOf = (row: Row): string => `file:///corpus/${row.path}`;
  for (const row of rows) service.setFile(uriOf(row), readFileSync(join(corpus, row.path), 'utf8'));
  const problemsOf = (row: Row): Problem[] => service.getProblems(uriOf(row)).filter((problem) => service.severityOf(problem) !== undefined);

  const failures: string[] = [];
  const figures: string[] = [];

  // non-istio: silence.
  const nonIstio = rows.filter((row) => row.expected === 'non-istio');
  const noisy = nonIstio.filter((row) => problemsOf(row).length > 0);
  for (const row of noisy) failures.push(`non-istio ${row.path}: ${problemsOf(row).map((p) => `${p.code}@${p.range.start.line + 1}`).join(', ')}`);
  figures.push(`non-istio: ${nonIstio.length} files, ${noisy.length} with diagnostics`);

  // valid: no errors, except subsets no corpus file defines (true IST0101 findings).
  const valid = rows.filter((row) => row.expected === 'valid');
  const trueSubsetFindings: string[] = [];
  const warningsByCode = new Map<string, number>();
  let validWithErrors = 0;
  for (const row of valid) {
    const problems = problemsOf(row);
    const errors = problems.filter((problem) => service.severityOf(problem) === 'error');
    for (const problem of problems) {
      const severity = service.severityOf(problem);
      if (severity !== 'error') warningsByCode.set(`${problem.code} (${severity})`, (warningsByCode.get(`${problem.code} (${severity})`) ?? 0) + 1);
    }
    const subsetErrors = errors.filter((problem) => problem.code === 'IST0101');
    for (const problem of subsetErrors) trueSubsetFindings.push(`${row.path}:${problem.range.start.line + 1} ${problem.data?.host}+${problem.data?.subset}`);
    const otherErrors = errors.filter((problem) => problem.code !== 'IST0101');
    const rejected = labelledValidButRejected.get(row.path);
    if (rejected) {
      const codes = [...new Set(otherErrors.map((problem) => problem.code))];
      if (codes.join() !== rejected.code) failures.push(`valid ${row.path} (rejected by Istio: ${rejected.why}): expected only ${rejected.code} errors, found ${codes.join(', ') || 'none'}`);
      continue;
    }
    if (otherErrors.length > 0) {
      validWithErrors += 1;
      failures.push(`valid ${row.path}: ${otherErrors.map((p) => `${p.code}@${p.range.start.line + 1} ${p.message}`).join(' | ')}`);
    }
  }
  figures.push(`valid: ${valid.length} files, ${validWithErrors} with errors; ${trueSubsetFindings.length} true IST0101 findings (subset defined by no corpus file) listed apart; ${labelledValidButRejected.size} labelled valid that Istio's webhook rejects (${[...labelledValidButRejected.values()].map((entry) => entry.code).join(', ')}), counted apart`);
  figures.push(`valid: non-error findings by code: ${[...warningsByCode].map(([code, count]) => `${code} ×${count}`).join(', ') || 'none'}`);

  // invalid: at least one error each.
  const invalid = rows.filter((row) => row.expected === 'invalid');
  const missed = invalid.filter((row) => !problemsOf(row).some((problem) => service.severityOf(problem) === 'error'));
  for (const row of missed) failures.push(`invalid ${row.path} not flagged (${row.messages})`);
  figures.push(`invalid: ${invalid.length} files, ${invalid.length - missed.length} flagged with an error`);

  // analyze: the expected codes we implement, on the same resources.
  const analyze = rows.filter((row) => row.expected === 'analyze');
  let expectedCount = 0;
  let foundCount = 0;
  const notImplemented = new Map<string, number>();
  for (const row of analyze) {
    // Analyzer test inputs are analysed on their own, as in Istio's tests.
    const alone = new IstioLanguageService();
    alone.setFile(uriOf(row), readFileSync(join(corpus, row.path), 'utf8'));
    const found = alone.getProblems(uriOf(row)).map((problem) => `${problem.code} @ ${resourceOf(alone, uriOf(row), problem)}`);
    let group = '';
    for (const part of row.messages.split(/;\s*/)) {
      const groupMatch = /^\[(.*?)\]\s*/.exec(part);
      if (groupMatch) group = groupMatch[1];
      const message = /(IST\d{4}) \w+ @ (\w+) (\S+)/.exec(part);
      if (!message) continue;
      const [, code, kind, name] = message;
      if (kind !== 'VirtualService' && kind !== 'DestinationRule') continue;
      if (!implementedExpectation(group, code)) {
        notImplemented.set(code, (notImplemented.get(code) ?? 0) + 1);
        continue;
      }
      expectedCount += 1;
      if (found.includes(`${code} @ ${kind} ${name}`)) foundCount += 1;
      else failures.push(`analyze ${row.path}: expected ${code} @ ${kind} ${name}; found ${found.join(', ') || 'nothing'}`);
    }
  }
  figures.push(`analyze: ${analyze.length} files; ${foundCount} of ${expectedCount} expected IST0101 (subset) / IST0130 / IST0131 findings on the right resource`);
  figures.push(`analyze: expectations of analyzers istio-mirror does not implement: ${[...notImplemented].map(([code, count]) => `${code} ×${count}`).join(', ')}`);

  t.diagnostic(figures.join('\n'));
  t.diagnostic(`true IST0101 findings in valid/:\n  ${trueSubsetFindings.join('\n  ')}`);
  console.log(`corpus conformance:\n  ${figures.join('\n  ')}`);
  assert.deepEqual(failures, []);
});
