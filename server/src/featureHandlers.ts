// The LSP editing features: every handler normalises the document URI once, answers from the
// service's current view of the document (which the document events keep in step with the
// editor), and hands back URIs in the client's spelling, all inside runSafe so a bad document
// never takes the server down.

import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import { normalizeUri } from './documentUris';
import { subsetNameProblem } from './service/features/navigation';
import type { ServerContext } from './serverContext';
import { runSafe } from './runSafe';

export function registerFeatureHandlers(ctx: ServerContext): void {
  const { connection, service, documents, log } = ctx;

  /** Runs `answer` for a known document (null for an unknown one or a cancelled request). */
  const answer = <T>(what: string, rawUri: string, token: CancellationToken | undefined, action: (uri: string) => T): T | null =>
    runSafe(log, what, () => {
      const uri = normalizeUri(rawUri);
      if (token?.isCancellationRequested || !service.hasFile(uri)) return null;
      return documents.toClient(action(uri));
    }, null);

  connection.onCompletion((params, token) => answer('completion', params.textDocument.uri, token, (uri) => service.doComplete(uri, params.position)));
  connection.onHover((params, token) => answer('hover', params.textDocument.uri, token, (uri) => service.doHover(uri, params.position)));
  connection.onCodeAction((params, token) => answer('code actions', params.textDocument.uri, token, (uri) => service.getCodeActions(uri, params.range, params.context.diagnostics)));
  connection.onDefinition((params, token) => answer('definition', params.textDocument.uri, token, (uri) => service.findDefinition(uri, params.position)));
  connection.onReferences((params, token) => answer('references', params.textDocument.uri, token, (uri) => service.findReferences(uri, params.position, params.context.includeDeclaration)));
  connection.onPrepareRename((params) => answer('prepare rename', params.textDocument.uri, undefined, (uri) => service.prepareRename(uri, params.position)));
  connection.onRenameRequest((params) => {
    // A name Istio would reject is refused with the reason, so the editor can show it.
    const problem = subsetNameProblem(params.newName);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
    return answer('rename', params.textDocument.uri, undefined, (uri) => service.doRename(uri, params.position, params.newName));
  });
  connection.onDocumentSymbol((params, token) => answer('document symbols', params.textDocument.uri, token, (uri) => service.findDocumentSymbols(uri)));
  connection.onFoldingRanges((params, token) => answer('folding ranges', params.textDocument.uri, token, (uri) => service.getFoldingRanges(uri)));
  connection.onSelectionRanges((params, token) => answer('selection ranges', params.textDocument.uri, token, (uri) => service.getSelectionRanges(uri, params.positions)));
  connection.onCodeLens((params, token) => answer('code lenses', params.textDocument.uri, token, (uri) => service.getCodeLenses(uri)));
}
