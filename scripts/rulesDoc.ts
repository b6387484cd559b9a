// Generates docs/rules.md from the rule table (server/src/service/checks/ruleTable.ts).
// Run: node --import tsx scripts/rulesDoc.ts   (a test fails when docs/rules.md is stale)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../server/src/service/checks/ruleTable';

export const rulesDocPath = join(__dirname, '..', 'docs', 'rules.md');

export function renderRulesDoc(): string {
  const lines: string[] = [
    '# Diagnostics',
    '',
    '<!-- Generated from server/src/service/checks/ruleTable.ts by `node --import tsx scripts/rulesDoc.ts`. Do not edit. -->',
    '',
    'Every diagnostic istio-mirror reports has a stable code. Codes that mean the same as an `istioctl analyze`',
    'message reuse its IST code; the others are `IM` codes: IM0xxx YAML syntax, IM1xxx structure (the schema),',
    "IM2xxx Istio's own rules for one resource, IM3xxx findings across resources. Change a code's severity, or turn it off, with the",
    '`istioMirror.severity` setting, e.g. `"istioMirror.severity": {"IM2105": "off", "IST0131": "information"}`.',
    '',
    '| Code | Name | Default | Title | istioctl |',
    '|---|---|---|---|---|',
    ...rules.map((rule) => `| [${rule.code}](#${rule.code.toLowerCase()}) | \`${rule.id}\` | ${rule.severity} | ${rule.title.replace(/\|/g, '\\|')} | ${rule.istioctl ?? (rule.code.startsWith('IST') ? rule.code : '–')} |`),
    '',
  ];
  for (const rule of rules) {
    lines.push(`## ${rule.code}`, '', `**${rule.title}** · \`${rule.id}\` · default severity: ${rule.severity}`, '', rule.explanation, '', 'Example:', '', '```yaml', rule.example.trimEnd(), '```', '');
  }
  return lines.join('\n');
}

if (require.main === module) {
  writeFileSync(rulesDocPath, renderRulesDoc());
  console.log(`wrote ${rulesDocPath}`);
}
