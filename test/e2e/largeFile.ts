// The 2,000-document file of the preview's performance test and measurement (the benchmark's
// generator: 400 VirtualServices among Deployments, Services and DestinationRules), written into
// the fixture workspace, and a place inside one of its VirtualServices to type at.

import * as vscode from 'vscode';
import { generateFile } from '../../scripts/bench/generate';
import { workspaceFile } from './helpers';

export async function writeLargeFile(name = 'large-2000.yaml'): Promise<{ uri: vscode.Uri; virtualServices: number }> {
  const generated = generateFile({ resources: 2000, errors: 0, seed: 11 });
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(generated.text));
  return { uri, virtualServices: generated.kinds.VirtualService ?? 0 };
}

/** The line of the `hosts:` key of the `n`-th VirtualService (0-based) of the document. */
export function virtualServiceLine(document: vscode.TextDocument, n: number): number {
  let seen = -1;
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text === 'kind: VirtualService' && ++seen === n) {
      for (let next = line; next < document.lineCount; next++) if (document.lineAt(next).text.startsWith('  hosts:')) return next;
    }
  }
  throw new Error(`no VirtualService #${n}`);
}
