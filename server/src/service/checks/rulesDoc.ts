// docs/rules.md, rendered from the rule table: every code with its explanation and an example.
// The file ships with the extension and the CLI, and every diagnostic links to its code's
// section in it (LSP `codeDescription`), so the explanation is readable offline.
// scripts/rulesDoc.ts writes it; a test checks it is current.

import { rules } from './ruleTable';

/** Very long example lines (a 100 KiB body) are cut in the docs; the table keeps the real example. */
function shortened(example: string): string {
  return example.split('\n').map((line) => (line.length > 200 ? `${line.slice(0, 80)}…" # ${line.length - 80} more characters` : line)).join('\n');
}

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
    'To accept one finding where it is, put a comment on the line before it, or anywhere in the file for',
    'every finding of a code in that file (the quick fixes write them; the CLI honours them too):',
    '',
    '```yaml',
    '# istio-mirror-disable-file IM2105',
    '    mirror:',
    '      # istio-mirror-disable-next-line IM2007 -- the shadow pods are meant to get the copies',
    '      host: reviews',
    '```',
    '',
    'Several codes are separated by commas; text after `--` is a reason. A directive without codes silences every code.',
    '',
    '| Code | Name | Default | Title | istioctl |',
    '|---|---|---|---|---|',
    ...rules.map((rule) => `| [${rule.code}](#${rule.code.toLowerCase()}) | \`${rule.id}\` | ${rule.severity} | ${rule.title.replace(/\|/g, '\\|')} | ${rule.istioctl ?? (rule.code.startsWith('IST') ? rule.code : '–')} |`),
    '',
  ];
  for (const rule of rules) {
    lines.push(`## ${rule.code}`, '', `**${rule.title}** · \`${rule.id}\` · default severity: ${rule.severity}`, '', rule.explanation, '', 'Example:', '', '```yaml', shortened(rule.example.trimEnd()), '```', '');
  }
  return lines.join('\n');
}

let lines: Map<string, number> | undefined;

/** The 0-based line of the heading of `code`'s section in docs/rules.md. */
export function ruleDocLine(code: string): number | undefined {
  if (!lines) {
    lines = new Map();
    renderRulesDoc().split('\n').forEach((line, index) => {
      if (line.startsWith('## ')) lines!.set(line.slice(3), index);
    });
  }
  return lines.get(code);
}
