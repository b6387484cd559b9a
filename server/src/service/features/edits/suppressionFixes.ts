// The quick fixes that write a suppression comment (checks/suppressions.ts) for a finding:
// above its line, indented like it, or at the top of the file. An existing directive right
// above the line gets the code added instead of a second comment.

import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { directiveCodes, disableFile, disableNextLine } from '../../checks/suppressions';
import type { IndexedFile } from '../../workspace/workspaceIndex';
import { documentIndexAt } from '../documentAt';

/** The text of file line `line` (without its line break), or undefined past the end. */
function lineText(file: IndexedFile, line: number): string | undefined {
  if (file.documents.length === 0) return undefined;
  const document = file.documents[documentIndexAt(file, line)]!;
  const lines = document.text.split('\n');
  const text = lines[line - document.slice.startLine];
  return text === undefined ? undefined : text.replace(/\r$/, '');
}

const directiveLine = (name: string) => new RegExp(`^([ \\t]*#[ \\t]*${name})(?=[ \\t]|$)(.*)$`);

export function suppressionActions(file: IndexedFile, diagnostic: Diagnostic): CodeAction[] {
  const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  // A YAML syntax error (IM0xxx) is never a judgement call: the API server rejects the file.
  if (!code || !/^(?:IM[1-9]\d{3}|IST\d{4})$/.test(code)) return [];
  const line = diagnostic.range.start.line;
  const text = lineText(file, line);
  if (text === undefined) return [];
  const actions: CodeAction[] = [];
  const uri = file.uri;
  const action = (title: string, edit: TextEdit): CodeAction => ({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } });

  const above = line > 0 ? lineText(file, line - 1) : undefined;
  const existing = above === undefined ? null : directiveLine(disableNextLine).exec(above);
  if (existing && !directiveCodes(existing[2]!).includes('*')) {
    const [list = '', ...reason] = existing[2]!.split('--');
    const updated = `${existing[1]} ${[...directiveCodes(list), code].join(', ')}${reason.length ? ` --${reason.join('--')}` : ''}`;
    actions.push(action(`Suppress ${code} on this line`, { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: above!.length } }, newText: updated }));
  } else if (!existing) {
    const indent = /^[ \t]*(?:- )?/.exec(text)![0].replace('- ', '  ');
    actions.push(action(`Suppress ${code} on this line`, { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# ${disableNextLine} ${code}\n` }));
  }
  actions.push(action(`Suppress ${code} in this file`, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# ${disableFile} ${code}\n` }));
  return actions;
}
