// The language service in-process, without the LSP transport: where the server's time goes.
// Times, on the same generated file as the benchmark, the steps the server runs for
// didOpen (WorkspaceIndex.setFile = split + per-document analysis + indexing) and didChange
// (TextDocument update, WorkspaceIndex.editFile on the change's offsets as the server calls it,
// getDiagnostics for the whole file), and completion. For profiles:
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/bench/inprocess.ts --size 5000 --edits 200
//
// (the profile then covers the service only; `node --cpu-prof dist/server.js --stdio` profiles the
// whole server under the benchmark's client.)

import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { splitDocuments } from '../../server/src/service/parse/documentSlices';
import { generateFile } from './generate';
import { stats } from './measure';
import { ms } from './report';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const size = option('--size', 5000);
const editCount = option('--edits', 100);
const only = args.includes('--edits-only');

// The same file as the benchmark's for this size (same seed and number of injected errors).
const file = generateFile({ resources: size, errors: Math.min(20, Math.max(4, Math.floor(size / 10))), seed: 20261126 + size });
const uri = 'file:///bench/istio.yaml';
const time = <T>(run: () => T): [T, number] => {
  const started = performance.now();
  const value = run();
  return [value, performance.now() - started];
};

const service = new IstioLanguageService();
// warm-up on a small file so that the parser and validators are compiled by the JIT
const small = generateFile({ resources: 50, errors: 4, seed: 1 });
service.setFile('file:///bench/warm.yaml', small.text);
service.getDiagnostics('file:///bench/warm.yaml');
service.removeFile('file:///bench/warm.yaml');

let document = TextDocument.create(uri, 'yaml', 1, file.text);
const report: string[] = [`${size} resources, ${file.lines} lines, ${(file.text.length / 1e6).toFixed(2)} MB`];
if (!only) {
  const [, parse] = time(() => parseAllDocuments(file.text));
  const [, split] = time(() => splitDocuments(file.text));
  const [, setFile] = time(() => service.setFile(uri, document.getText()));
  const [diagnostics, getDiagnostics] = time(() => service.getDiagnostics(uri));
  report.push(`open: parseAllDocuments (floor) ${ms(parse)}; service: splitDocuments ${ms(split)}, setFile ${ms(setFile)}, getDiagnostics ${ms(getDiagnostics)} (${diagnostics.length} diagnostics)`);
} else {
  service.setFile(uri, document.getText());
  service.getDiagnostics(uri);
}

// Edits: one character typed at the end of a value line, then deleted, spread over the file.
const lines = file.text.split('\n');
const editable = /^ +(?!kind:|apiVersion:)[A-Za-z][\w.-]*: [A-Za-z0-9][^\s:#"']*$/;
const steps = { update: [] as number[], getText: [] as number[], split: [] as number[], editFile: [] as number[], getDiagnostics: [] as number[], total: [] as number[] };
let version = 1;
for (let k = 0; k < editCount / 2; k++) {
  let line = Math.floor(((k + 0.5) * lines.length) / (editCount / 2));
  while (line < lines.length - 1 && !editable.test(lines[line])) line++;
  const character = lines[line].length;
  for (const change of [
    { range: { start: { line, character }, end: { line, character } }, text: 'x' },
    { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
  ]) {
    const started = performance.now();
    const start = document.offsetAt(change.range.start);
    const edit = { start, end: document.offsetAt(change.range.end), insertedLength: change.text.length };
    const [, update] = time(() => { document = TextDocument.update(document, [change], ++version); });
    const [text, getText] = time(() => document.getText());
    const [, split] = time(() => splitDocuments(text));
    const [, editFile] = time(() => service.editFile(uri, text, edit));
    const [, getDiagnostics] = time(() => service.getDiagnostics(uri));
    steps.total.push(performance.now() - started - split); // the extra split is only for the breakdown
    steps.update.push(update);
    steps.getText.push(getText);
    steps.split.push(split);
    steps.editFile.push(editFile);
    steps.getDiagnostics.push(getDiagnostics);
  }
}
const line = (name: string, samples: number[]): string => {
  const s = stats(samples);
  return `${name} ${ms(s.median)} (p95 ${ms(s.p95)})`;
};
report.push(`edit (n=${steps.total.length}, medians): ${line('total', steps.total)} = ${line('TextDocument.update', steps.update)} + ${line('getText', steps.getText)} + ${line('editFile', steps.editFile)} (of which splitDocuments alone ${line('', steps.split).trim()}) + ${line('getDiagnostics', steps.getDiagnostics)}`);

if (!only) {
  // Completion at a `subset:` value in the middle of the file.
  const subsetLine = lines.findIndex((text, index) => index > lines.length / 2 && /^ {8}subset: \S+$/.test(text));
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) samples.push(time(() => service.doComplete(uri, { line: subsetLine, character: 16 }))[1]);
  report.push(line('completion at subset:', samples));
}
console.log(report.join('\n'));
