// The CI reports of `istio-mirror test`: JUnit XML (one testsuite per RoutingTest document,
// one testcase per test, a <failure> with the request, expected and actual for each failing
// one) and SARIF 2.1.0 (one result per failing test, at the test's line); the lines that
// explain a failure are shared with the text report.

import type { RoutingTestResult } from '../service/features/routingTests';
import { requestText, ruleText } from '../service/features/routingTests';
import { sarifLocation, sarifLog } from './reportFormats';

export function where(result: RoutingTestResult, fileOf: (uri: string) => string): string {
  return `${fileOf(result.test.uri)}:${result.test.range.start.line + 1}`;
}

/** The lines that explain one failure (shared by the text, JUnit and SARIF reports). */
export function failureLines(result: RoutingTestResult, fileOf: (uri: string) => string): string[] {
  const lines: string[] = [];
  if (result.test.request) lines.push(`request   ${requestText(result.test.request)}`);
  if (result.actual) {
    const rule = ruleText(result.actual);
    const location = result.actual.file !== null && result.actual.range ? `  ${fileOf(result.actual.file)}:${result.actual.range.start.line + 1}` : '';
    lines.push(`taken by  ${rule}${location}`);
  }
  for (const mismatch of result.mismatches) {
    lines.push(`${mismatch.field}`);
    lines.push(`  expected  ${mismatch.expected}`);
    lines.push(`  actual    ${mismatch.actual}`);
  }
  for (const note of result.actual?.notes ?? []) lines.push(`note      ${note}`);
  return lines;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function summary(result: RoutingTestResult): string {
  return result.mismatches.map((mismatch) => `${mismatch.field}: expected ${mismatch.expected}, actual ${mismatch.actual}`).join('; ');
}

export function formatTestJunit(results: readonly RoutingTestResult[], fileOf: (uri: string) => string): string {
  const suites = new Map<string, RoutingTestResult[]>();
  for (const result of results) {
    const key = `${result.test.uri}\n${result.test.suite ?? ''}`;
    suites.set(key, [...(suites.get(key) ?? []), result]);
  }
  const failures = results.filter((result) => !result.passed).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="istio-mirror test" tests="${results.length}" failures="${failures}">`];
  for (const members of suites.values()) {
    const file = fileOf(members[0].test.uri);
    const name = members[0].test.suite ?? file;
    lines.push(`  <testsuite name="${xml(name)}" tests="${members.length}" failures="${members.filter((result) => !result.passed).length}" errors="0" skipped="0" file="${xml(file)}">`);
    for (const result of members) {
      const open = `    <testcase name="${xml(result.test.name)}" classname="${xml(name)}" file="${xml(file)}" line="${result.test.range.start.line + 1}"`;
      if (result.passed) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      lines.push(`      <failure message="${xml(summary(result))}" type="RoutingTestFailure">${xml(failureLines(result, fileOf).join('\n'))}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}

export function formatTestSarif(results: readonly RoutingTestResult[], fileOf: (uri: string) => string, toolVersion: string): string {
  const rule = {
    id: 'routing-test',
    name: 'RoutingTestFailed',
    shortDescription: { text: 'A routing test fails' },
    fullDescription: { text: 'The request of a RoutingTest test is not taken by the expected rule, or does not go or is not mirrored where the test expects.' },
    defaultConfiguration: { level: 'error' },
  };
  return sarifLog(toolVersion, [rule], results.filter((result) => !result.passed).map((result) => ({
    ruleId: 'routing-test',
    ruleIndex: 0,
    level: 'error',
    message: { text: `${result.test.name}: ${summary(result)}` },
    locations: [sarifLocation(fileOf(result.test.uri), result.test.range)],
  })));
}
