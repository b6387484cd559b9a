// What every CLI command starts from: the YAML files under the paths the user gave, analysed
// (in worker threads for large trees) and indexed into one fresh language service, and the
// usage error the commands throw for bad arguments.

import { promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IstioLanguageService } from '../service/languageService';
import { defaultExclude } from '../settings';
import { excludeMatcher, findYamlFiles } from '../workspaceFiles';
import { analyzeFiles } from './parallelAnalysis';
import { terminalSafe } from './terminalText';
import { workloadKinds } from '../service/model/workloadModel';

/** A mistake in the command line: reported with the usage text, exit status 2. */
export class UsageError extends Error {}

/** The files to check, with their sizes: each argument as given, folders expanded, each path listed once. Folders that cannot be listed go to `unreadable`. */
async function collectFiles(paths: string[], unreadable: Map<string, string>): Promise<{ file: string; size: number }[]> {
  const files: { file: string; size: number }[] = [];
  const seen = new Set<string>();
  const excluded = excludeMatcher(defaultExclude);
  for (const path of paths) {
    let stat;
    try {
      stat = await fs.stat(path);
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    const found = stat.isDirectory() ? (await findYamlFiles(path, excluded, (folder, failure) => unreadable.set(folder, failure))).map((file) => join(path, relative(path, file))) : [path];
    const fresh = found.filter((file) => !seen.has(file));
    for (const file of fresh) seen.add(file);
    // Sizes (to share the files out between workers) are read all at once, not one await at a time.
    const sizes = await Promise.all(fresh.map((file) => (file === path ? stat.size : fs.stat(file).then((entry) => entry.size, () => 0))));
    fresh.forEach((file, i) => files.push({ file, size: sizes[i] }));
  }
  return files;
}

/** What `check` and `preview` read: the routes and what their checks across files consult (Services, ServiceEntries, Gateways, workloads, ReferenceGrants). */
export const checkKinds: readonly string[] = ['VirtualService', 'DestinationRule', 'HTTPRoute', 'GRPCRoute', 'Service', 'ReferenceGrant', 'ServiceEntry', 'Gateway', ...workloadKinds, 'RoutingTest'];

/** What the routing views (routes, trace, test) read: the routes, their subsets, and the services and gateways behind them. */
export const routingKinds: readonly string[] = ['VirtualService', 'DestinationRule', 'HTTPRoute', 'GRPCRoute', 'Service', 'ServiceEntry', 'Gateway', 'ReferenceGrant'];

/** What `test` reads: the routing views' kinds and the RoutingTest documents. */
export const routingTestKinds: readonly string[] = [...routingKinds, 'RoutingTest'];

export interface LoadedWorkspace {
  service: IstioLanguageService;
  /** URI → path as given on the command line. */
  uris: Map<string, string>;
  /** The files read and analysed. */
  files: string[];
  /** Files and folders that could not be read, with the reason: nothing in them was checked. */
  unreadable: Map<string, string>;
}

/**
 * Tells the user which files could not be read (on stderr, one line each: path and reason);
 * true when there were any, and the command then exits with status 2.
 */
export function reportUnreadable(workspace: LoadedWorkspace): boolean {
  for (const [path, failure] of workspace.unreadable) process.stderr.write(`istio-mirror: cannot read ${terminalSafe(path)}: ${terminalSafe(failure)}; it was not checked\n`);
  return workspace.unreadable.size > 0;
}

/**
 * Loads every file under `paths` into a fresh service. Only documents of `kinds` are parsed and
 * modelled; by default what the checks and the preview need: VirtualServices, DestinationRules,
 * the Gateway API routes, and what the routes' checks across files consult (Services,
 * ReferenceGrants).
 */
export async function loadWorkspace(paths: string[], namespace: string | undefined, kinds: readonly string[] = checkKinds): Promise<LoadedWorkspace> {
  const unreadable = new Map<string, string>();
  const files = await collectFiles(paths, unreadable);
  const service = new IstioLanguageService(namespace ? { defaultNamespace: namespace } : {});
  // The routing views parse VirtualServices again, so they need the document texts.
  const { analyses, unreadable: unreadableFiles } = await analyzeFiles(files, { ...service.index.analysisContext, kinds }, kinds === routingKinds || kinds === routingTestKinds);
  for (const [file, failure] of unreadableFiles) unreadable.set(file, failure);
  const uris = new Map<string, string>();
  // Indexed in the order found, so the output does not depend on which worker finished first.
  for (const { file } of files) {
    const documents = analyses.get(file);
    if (!documents) continue;
    const uri = pathToFileURL(file).toString();
    uris.set(uri, file);
    service.index.setAnalyzedFile(uri, documents);
  }
  return { service, uris, files: files.map(({ file }) => file).filter((file) => !unreadable.has(file)), unreadable };
}
