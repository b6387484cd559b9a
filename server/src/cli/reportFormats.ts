// Renders CLI findings as compiler-style text, JSON, or SARIF 2.1.0.

import { rules } from '../service/checks/ruleTable';
import type { Range, SeverityName } from '../service/types';

export interface Finding {
  /** Path as found under the argument the user gave. */
  file: string;
  range: Range;
  severity: SeverityName;
  code: string;
  message: string;
  source: string;
}

export function formatText(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`)
    .join('\n');
}

export function formatJson(findings: readonly Finding[]): string {
  return JSON.stringify({ diagnostics: findings.map(({ file, range, severity, code, message, source }) => ({ file, range, severity, code, message, source })) }, null, 2);
}

const sarifLevel: Record<SeverityName, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * A path as a SARIF `artifactLocation.uri`, which must be a valid URI reference: each segment
 * percent-encoded (`100%.yaml` → `100%25.yaml`, `a b#c.yaml` → `a%20b%23c.yaml`, and `:`, which
 * in a first segment would read as a scheme), absolute paths as `file:` URIs.
 */
export function sarifUri(path: string): string {
  const slashed = path.split('\\').join('/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  const rest = drive ? slashed.slice(2) : slashed;
  // A lone surrogate cannot be percent-encoded (encodeURIComponent throws): U+FFFD instead.
  const wellFormed = rest.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const encoded = wellFormed.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  if (drive) return `file:///${drive[1]}:${encoded}`;
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

/** A SARIF 2.1.0 log of one istio-mirror run with these rule descriptors and results. */
export function sarifLog(toolVersion: string, ruleDescriptors: readonly object[], results: readonly object[]): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'istio-mirror',
            version: toolVersion,
            informationUri: 'https://github.com/istio-mirror/istio-mirror',
            rules: ruleDescriptors,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

/** A SARIF `locations` entry: the file as a URI reference and the range, 1-based. */
export function sarifLocation(file: string, range: Range): object {
  return {
    physicalLocation: {
      artifactLocation: { uri: sarifUri(file) },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}

export function formatSarif(findings: readonly Finding[], toolVersion: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  const descriptors = rules.map((rule) => ({
    id: rule.code,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.title.replace(/`/g, '') },
    fullDescription: { text: rule.explanation.replace(/`/g, '') },
    help: { text: rule.explanation.replace(/`/g, ''), markdown: rule.explanation },
    defaultConfiguration: { level: sarifLevel[rule.severity] },
    properties: rule.istioctl ? { istioctl: rule.istioctl } : {},
  }));
  const results = findings.map((finding) => ({
    ruleId: finding.code,
    ...(ruleIndex.has(finding.code) ? { ruleIndex: ruleIndex.get(finding.code) } : {}),
    level: sarifLevel[finding.severity],
    message: { text: finding.message },
    locations: [sarifLocation(finding.file, finding.range)],
  }));
  return sarifLog(toolVersion, descriptors, results);
}
