// `istio-mirror test [paths…] [--format text|junit|sarif] [--namespace NS]`: runs every
// RoutingTest document under the paths against the VirtualServices under the same paths
// (features/routingTests.ts) and exits 1 when any test fails, 2 when there is no test at all or
// a file cannot be read.

import type { RoutingTestResult } from '../service/features/routingTests';
import { loadWorkspace, reportUnreadable, routingTestKinds, UsageError } from './cliWorkspace';
import { formatOption, parseCommandLine } from './commandLine';
import { failureLines, formatTestJunit, formatTestSarif, where } from './testReports';

export const testSynopsis = 'istio-mirror test [paths…] [--format text|junit|sarif] [--namespace NS]';

export const testUsage = `test     Runs the routing tests (kind: RoutingTest, schemas/routingTest.schema.json)
         found under the paths against the VirtualServices under the same paths: each
         request must be taken by the expected rule and go, and be mirrored, where the
         test says. Prints each failing request with the expected and the actual result;
         exit status 1 when a test fails, 2 when no test is found.
  --format F      test: text (default), junit (JUnit XML) or sarif (SARIF 2.1.0, failures)`;

export const testOptions = { '--format': 'value', '--namespace': 'value' } as const;

export async function runTest(args: string[], write: (text: string) => void, version: string): Promise<number> {
  const parsed = parseCommandLine(args, testOptions);
  const format = formatOption(parsed, ['text', 'junit', 'sarif'] as const);
  const workspace = await loadWorkspace(parsed.paths, parsed.values.get('--namespace'), routingTestKinds);
  const { service, uris } = workspace;
  const results = service.routingTests([...uris.keys()]);
  if (results.length === 0) throw new UsageError(`no routing tests (kind: RoutingTest) under ${parsed.paths.join(', ')}`);
  const fileOf = (uri: string): string => uris.get(uri) ?? uri;
  if (format === 'junit') write(formatTestJunit(results, fileOf));
  else if (format === 'sarif') write(formatTestSarif(results, fileOf, version));
  else write(formatTestText(results, fileOf));
  // A file that cannot be read may hold tests or the routes they test: the run proves nothing.
  if (reportUnreadable(workspace)) return 2;
  return results.every((result) => result.passed) ? 0 : 1;
}

export function formatTestText(results: readonly RoutingTestResult[], fileOf: (uri: string) => string): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.passed ? 'PASS' : 'FAIL'}  ${where(result, fileOf)}  ${result.test.name}`);
    if (!result.passed) for (const line of failureLines(result, fileOf)) lines.push(`      ${line}`);
  }
  const failed = results.filter((result) => !result.passed).length;
  lines.push(`${results.length} test${results.length === 1 ? '' : 's'}: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n');
}
