// The part of the index read from disk: every YAML file under the workspace folders (not
// excluded) is indexed at start-up and when folders or the index settings change; watched-file
// notifications keep it current; a closed document goes back to its content on disk. Open
// documents always keep their editor text. Nothing outside the workspace folders is read.

import { FileChangeType } from 'vscode-languageserver/node';
import { isUnderFolder, normalizeUri, pathFromUri, uriFromPath } from './documentUris';
import type { ServerContext } from './serverContext';
import { runSafe, runSafeAsync } from './runSafe';
import { excludeMatcher, findYamlFiles, readTextFile, readTextFileInside, yamlExtensions } from './workspaceFiles';

export interface WorkspaceIndexing {
  /** (Re)builds the index of YAML files on disk; open documents keep their editor text. */
  indexWorkspace(): Promise<void>;
  /** A document was closed: it goes back to its content on disk, or leaves the index. */
  documentClosed(uri: string): Promise<void>;
}

export function workspaceIndexing(ctx: ServerContext): WorkspaceIndexing {
  const { service, documents, log } = ctx;
  /** Files of the workspace index that were read from disk (as opposed to open in the editor). */
  const indexedFromDisk = new Set<string>();
  let indexGeneration = 0;

  const indexWorkspace = async (): Promise<void> => {
    const generation = ++indexGeneration;
    const previouslyIndexed = [...indexedFromDisk];
    for (const uri of indexedFromDisk) if (!documents.get(uri)) service.removeFile(uri);
    indexedFromDisk.clear();
    // Files no longer indexed (excluded now, or indexing turned off) lose their published findings.
    const forgetDropped = (): void => {
      for (const uri of previouslyIndexed) if (!indexedFromDisk.has(uri) && !documents.get(uri)) ctx.closedFiles.removed(uri);
    };
    if (!ctx.settings.indexWorkspace) {
      forgetDropped();
      ctx.schedule(documents.keys());
      return;
    }
    const started = Date.now();
    const progress = ctx.client.progress ? await ctx.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Istio: indexing YAML files', 0, 'listing files…', false);
    const files: string[] = [];
    const excluded = excludeMatcher(ctx.settings.exclude, (pattern, reason) => log(`istioMirror.exclude: the pattern ${JSON.stringify(pattern.slice(0, 100))}${pattern.length > 100 ? '…' : ''} is ignored: ${reason}`));
    for (const folder of ctx.workspaceFolders) {
      const folderPath = pathFromUri(folder.uri);
      if (folderPath !== undefined) files.push(...await findYamlFiles(folderPath, excluded));
    }
    let done = 0;
    for (const path of files) {
      if (generation !== indexGeneration) break; // a newer indexing run replaced this one
      const uri = uriFromPath(path);
      if (!documents.get(uri)) {
        const text = await readTextFile(path);
        // The editor may have opened the file while it was read: its text wins over the disk's.
        if (text !== undefined && !documents.get(uri)) {
          runSafe(log, `indexing ${path}`, () => service.setFile(uri, text), undefined);
          indexedFromDisk.add(uri);
        }
      }
      done += 1;
      if (progress && done % 200 === 0) progress.report(Math.round((done / files.length) * 100), `${done} of ${files.length} files`);
    }
    progress?.done();
    log(`indexed ${done} YAML files in ${Date.now() - started} ms`);
    if (generation === indexGeneration) forgetDropped();
    ctx.schedule(documents.keys());
    ctx.closedFiles.schedule(indexedFromDisk);
  };

  /** The text of an indexable file, read only when its real path (links resolved) is inside its workspace folder. */
  const readIndexable = async (uri: string): Promise<string | undefined> => {
    const path = pathFromUri(uri);
    const folder = ctx.workspaceFolders.find((candidate) => isUnderFolder(uri, candidate.uri));
    const folderPath = folder && pathFromUri(folder.uri);
    return path === undefined || folderPath === undefined ? undefined : readTextFileInside(path, folderPath);
  };

  /** True for a YAML file on disk, inside a workspace folder and not excluded: the files the index holds. */
  const indexable = (uri: string): boolean => {
    if (!ctx.settings.indexWorkspace || !uri.startsWith('file:') || !yamlExtensions.test(uri)) return false;
    const folder = ctx.workspaceFolders.find((candidate) => isUnderFolder(uri, candidate.uri));
    const path = pathFromUri(uri);
    const folderPath = folder && pathFromUri(folder.uri);
    if (path === undefined || folderPath === undefined) return false;
    const relativePath = path.slice(folderPath.replace(/[\\/]$/, '').length + 1);
    return !excludeMatcher(ctx.settings.exclude)(relativePath);
  };

  const documentClosed = async (uri: string): Promise<void> => {
    const onDisk = indexable(uri) ? await readIndexable(uri) : undefined;
    if (documents.get(uri)) return; // reopened meanwhile
    if (onDisk !== undefined) {
      ctx.updateFile(uri, onDisk);
      indexedFromDisk.add(uri);
    } else {
      ctx.removeFile(uri);
    }
  };

  ctx.connection.onDidChangeWatchedFiles((params) => {
    void runSafeAsync(log, 'watched file changes', async () => {
      for (const change of params.changes) {
        const uri = normalizeUri(change.uri);
        if (documents.get(uri) || !indexable(uri)) continue;
        const path = pathFromUri(uri);
        if (change.type === FileChangeType.Deleted || path === undefined) {
          indexedFromDisk.delete(uri);
          ctx.removeFile(uri);
        } else {
          const text = await readIndexable(uri);
          if (documents.get(uri)) continue; // opened while it was read: the editor's text wins
          if (text === undefined) {
            ctx.removeFile(uri);
          } else {
            indexedFromDisk.add(uri);
            ctx.updateFile(uri, text);
          }
        }
      }
    }, undefined);
  });

  return { indexWorkspace, documentClosed };
}
