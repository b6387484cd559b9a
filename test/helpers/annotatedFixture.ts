// Annotated YAML fixtures: the test data format for diagnostics.
//
// A fixture is YAML whose comments state the expected diagnostics, with carets under the
// offending span of the nearest line above that is not an annotation:
//
//     mirrorPercantage: {value: 10}
//   # ^^^^^^^^^^^^^^^^ error IM1001 did you mean `mirrorPercentage`?
//
// After the code, optional text must appear in the message. Annotations are YAML comments, so
// they change neither the meaning nor the positions of the YAML they describe. A fixture may
// hold several files, each starting with a `# --- file: <name>` line (text before the first
// such line is `test.yaml`). A fixture without annotations expects no diagnostics at all.

import { IstioLanguageService } from '../../server/src/service/languageService';
import type { IstioSettings, SeverityName } from '../../server/src/service/types';

export interface FixtureFile {
  name: string;
  uri: string;
  text: string;
}

export interface Expectation {
  file: string;
  line: number;
  start: number;
  end: number;
  severity: SeverityName;
  code: string;
  messageIncludes?: string;
}

const fileHeader = /^# --- file: (\S+)\s*$/;
const annotation = /^(\s*)#(\s*)(\^+)\s+(error|warning|information|hint)\s+([A-Z]+[0-9]+)(?:\s+(.*?))?\s*$/;

export function parseFixture(text: string): { files: FixtureFile[]; expectations: Expectation[] } {
  const files: FixtureFile[] = [];
  const expectations: Expectation[] = [];
  let current: { name: string; lines: string[] } = { name: 'test.yaml', lines: [] };
  let lastTargetLine = -1;
  const finish = (): void => {
    if (current.lines.length > 0 || files.length === 0) {
      files.push({ name: current.name, uri: `file:///fixture/${current.name}`, text: current.lines.join('\n') + '\n' });
    }
  };
  for (const line of text.split('\n')) {
    const header = fileHeader.exec(line);
    if (header) {
      if (current.lines.length > 0) finish();
      current = { name: header[1], lines: [] };
      lastTargetLine = -1;
      continue;
    }
    const note = annotation.exec(line);
    if (note) {
      if (lastTargetLine < 0) throw new Error(`annotation without a line above it: ${line}`);
      const start = line.indexOf('^');
      const expectation: Expectation = {
        file: current.name,
        line: lastTargetLine,
        start,
        end: start + note[3].length,
        severity: note[4] as SeverityName,
        code: note[5],
      };
      if (note[6]) expectation.messageIncludes = note[6];
      expectations.push(expectation);
    } else {
      lastTargetLine = current.lines.length;
    }
    current.lines.push(line);
  }
  finish();
  return { files, expectations };
}

export interface ActualDiagnostic extends Expectation {
  message: string;
  endLine: number;
}

/** Runs the language service over the fixture's files and returns every diagnostic. */
export function diagnoseFixture(files: FixtureFile[], settings: Partial<IstioSettings> = {}): ActualDiagnostic[] {
  const service = new IstioLanguageService(settings);
  for (const file of files) service.setFile(file.uri, file.text);
  const actual: ActualDiagnostic[] = [];
  for (const file of files) {
    for (const problem of service.getProblems(file.uri)) {
      const severity = service.severityOf(problem);
      if (!severity) continue;
      actual.push({
        file: file.name,
        line: problem.range.start.line,
        start: problem.range.start.character,
        end: problem.range.end.character,
        endLine: problem.range.end.line,
        severity,
        code: problem.code,
        message: problem.message,
      });
    }
  }
  return actual;
}

export function render(d: Pick<Expectation, 'file' | 'line' | 'start' | 'end' | 'severity' | 'code'>): string {
  return `${d.file}:${d.line + 1}:${d.start + 1}-${d.end + 1} ${d.severity} ${d.code}`;
}
