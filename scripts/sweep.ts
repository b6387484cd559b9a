// A sweep over real repositories: runs the checker over every YAML file and every ```yaml block
// of the Markdown files under the folders given, all in one workspace (as an editor would see a
// checkout), and reports the errors it finds, by code, with file and line. Used to hunt false
// alarms (issue 9); nothing is written.
//
//   node --import tsx scripts/sweep.ts <folder>… [--warnings]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IstioLanguageService } from '../server/src/service/languageService';

const args = process.argv.slice(2);
const showWarnings = args.includes('--warnings');
const folders = args.filter((arg) => !arg.startsWith('--'));
if (folders.length === 0) {
  console.error('usage: sweep.ts <folder>… [--warnings]');
  process.exit(2);
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(ya?ml|md|sh)$/.test(entry.name) && statSync(path).size < 2_000_000) yield path;
  }
}

/** Heredoc bodies (`cat <<EOF | kubectl apply -f -`) that look like Kubernetes YAML, with the line each starts on. */
function heredocs(text: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?/.exec(lines[i]);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() !== open[1]) body.push(lines[j++]);
    // Only bodies that are manifests (not scripts that happen to mention `kind:`).
    const first = body.find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    if (first !== undefined && /^\s*(apiVersion:|kind:|---\s*$)/.test(first) && body.some((line) => /^\s*kind:/.test(line))) {
      const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)![0].length));
      found.push({ line: i + 2, text: body.map((line) => line.slice(indent)).join('\n') + '\n' });
    }
    i = j;
  }
  return found;
}

/** The ```yaml fenced blocks of a Markdown file, with the line each starts on. */
function markdownBlocks(text: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```|~~~)\s*ya?ml\b/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*(```|~~~)\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    blocks.push({ line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

const service = new IstioLanguageService();
const sources = new Map<string, { path: string; lineOffset: number }>();
let yamlFiles = 0;
let blocks = 0;
for (const folder of folders) {
  for (const path of walk(folder)) {
    const text = readFileSync(path, 'utf8');
    if (path.endsWith('.md') || path.endsWith('.sh')) {
      for (const block of [...(path.endsWith('.md') ? markdownBlocks(text) : []), ...heredocs(text)]) {
        const uri = `file://${path}#${block.line}`;
        service.setFile(uri, block.text);
        sources.set(uri, { path, lineOffset: block.line - 1 });
        blocks++;
      }
    } else {
      const uri = `file://${path}`;
      service.setFile(uri, text);
      sources.set(uri, { path, lineOffset: 0 });
      yamlFiles++;
    }
  }
}

let resources = 0;
for (const uri of sources.keys()) {
  for (const document of service.index.getFile(uri)?.documents ?? []) if (document.analysis.validated) resources++;
}

const byCode = new Map<string, number>();
const lines: string[] = [];
let errors = 0;
let warnings = 0;
for (const [uri, source] of sources) {
  for (const problem of service.getProblems(uri)) {
    const severity = service.severityOf(problem);
    if (severity === 'error') errors++;
    else if (severity === 'warning') warnings++;
    else continue;
    if (severity === 'warning' && !showWarnings) continue;
    const key = `${problem.code} (${severity})`;
    byCode.set(key, (byCode.get(key) ?? 0) + 1);
    const where = `${relative(process.cwd(), source.path)}:${problem.range.start.line + 1 + source.lineOffset}`;
    lines.push(`${severity} ${problem.code} ${where}: ${problem.message}`);
  }
}
console.log(lines.sort().join('\n'));
console.log(`\nsweep: ${yamlFiles} YAML files and ${blocks} YAML blocks or heredocs from Markdown and shell files, ${resources} VirtualServices/DestinationRules/routes checked; ${errors} errors, ${warnings} warnings`);
console.log(`by code: ${[...byCode].map(([code, count]) => `${code} ×${count}`).join(', ') || 'none'}`);
