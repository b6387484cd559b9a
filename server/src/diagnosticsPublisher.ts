// Publishing diagnostics: changes queue the files whose diagnostics may differ, and one
// publish per file follows a burst of edits (coalesced on the next turn of the event loop).
// Open documents get theirs under the URI the client opened them with; indexed files that are
// not open go to ClosedFileDiagnostics (workspaceDiagnostics.ts).

import type { Connection } from 'vscode-languageserver/node';
import type { IstioLanguageService } from './service/languageService';
import type { OpenDocuments } from './openDocuments';
import { runSafe } from './runSafe';
import type { ClosedFileDiagnostics } from './workspaceDiagnostics';

export function diagnosticsScheduler(
  connection: Connection,
  service: IstioLanguageService,
  documents: OpenDocuments,
  closedFiles: ClosedFileDiagnostics,
  log: (message: string) => void,
): (uris: Iterable<string>) => void {
  const pending = new Set<string>();
  let flushScheduled = false;

  const publish = (uri: string): void => {
    const document = documents.get(uri);
    if (!document) {
      closedFiles.schedule([uri]); // a file of the index that is not open (workspaceDiagnostics.ts)
      return;
    }
    runSafe(log, `diagnostics for ${uri}`, () => {
      const diagnostics = service.hasFile(uri) ? service.getDiagnostics(uri) : [];
      void connection.sendDiagnostics(documents.toClient({ uri, version: document.version, diagnostics }));
    }, undefined);
  };

  return (uris) => {
    for (const uri of uris) pending.add(uri);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      const batch = [...pending];
      pending.clear();
      for (const uri of batch) publish(uri);
    });
  };
}
