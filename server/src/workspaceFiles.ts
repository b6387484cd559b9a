// Node file-system access shared by the language server and the CLI: finding the YAML files
// under a folder (skipping excluded paths) and reading them as text. The language service
// itself never touches the disk; these functions feed it.

import { promises as fs, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { globMatcher } from './excludeGlobs';

export const yamlExtensions = /\.ya?ml$/i;

/** Files larger than this are not indexed from disk (they are still checked when opened). */
export const maxIndexedFileBytes = 20 * 1024 * 1024;

/**
 * The exclude globs as a predicate over paths relative to a workspace folder (a folder matches
 * with or without its trailing slash). Matched by excludeGlobs.ts, never by a backtracking
 * regular expression; a pattern it rejects is passed to `onRejected` and left out.
 */
export function excludeMatcher(patterns: readonly string[], onRejected?: (pattern: string, reason: string) => void): (relativePath: string) => boolean {
  const matches = globMatcher(patterns, onRejected);
  return (relativePath: string): boolean => {
    const normalised = relativePath.split(sep).join('/');
    return matches(normalised) || matches(`${normalised}/`);
  };
}

/**
 * Lists the YAML files under `folder`, depth-first in name order, leaving out paths the
 * `excluded` predicate rejects (checked on folders too, so `node_modules` is never entered).
 * Symbolic links are followed when their target is inside `folder` (a link out of it is never
 * read, a dangling one is skipped); a folder reached twice (a link loop, or a link to a folder
 * already listed) is listed once, and a file reached by two paths is listed once, under the
 * first path in name order. Folders that cannot be listed are skipped and passed to `unreadable`.
 */
export async function findYamlFiles(folder: string, excluded: (relativePath: string) => boolean, unreadable?: (path: string, failure: string) => void): Promise<string[]> {
  const found: string[] = [];
  const root = await fs.realpath(folder).catch(() => folder);
  const inside = (real: string): boolean => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  const listed = new Set<string>([root]);
  const seenFiles = new Set<string>();
  const walk = async (directory: string, realDirectory: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      unreadable?.(directory, readFailure(error)); // skipped, not fatal; the CLI reports it
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(directory, entry.name);
      const rel = relative(folder, path);
      let real = join(realDirectory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          real = await fs.realpath(path);
          const target = await fs.stat(real);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // dangling, or a loop the system refuses to resolve
        }
        if (!inside(real)) continue;
      }
      if (isDirectory) {
        if (entry.name === 'node_modules' || excluded(rel) || listed.has(real)) continue;
        listed.add(real);
        await walk(path, real);
      } else if (isFile && yamlExtensions.test(entry.name) && !excluded(rel) && !seenFiles.has(real)) {
        seenFiles.add(real);
        found.push(path);
      }
    }
  };
  await walk(folder, root);
  return found;
}

/** Reads a file as UTF-8 text; undefined when it cannot be read or is too large. */
/**
 * `readTextFile` for a path inside `folder` (a workspace folder): undefined, without reading,
 * when the path resolves outside the folder — a symbolic link (of the file or of a folder on
 * the way) to a target elsewhere is not followed, as `findYamlFiles` does not follow it.
 */
export async function readTextFileInside(path: string, folder: string, limit = maxIndexedFileBytes): Promise<string | undefined> {
  try {
    const [real, root] = await Promise.all([fs.realpath(path), fs.realpath(folder).catch(() => folder)]);
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    return await readTextFile(real, limit);
  } catch {
    return undefined;
  }
}

export async function readTextFile(path: string, limit = maxIndexedFileBytes): Promise<string | undefined> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile() || stat.size > limit) return undefined;
    return await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Why a file could not be read, in words: `permission denied (EACCES)`. */
export function readFailure(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words = String(message ?? error).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return code ? `${words} (${code})` : words;
}

/**
 * `readTextFile` without the event loop, for the CLI's batch reads: a tree of thousands of small
 * files is read several times faster than by awaiting one asynchronous read after another. A
 * file that cannot be read gives the reason instead of its text.
 */
export function readTextFileSync(path: string, limit = maxIndexedFileBytes): { text: string } | { failure: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { failure: 'not a regular file' };
    if (stat.size > limit) return { failure: `larger than ${limit} bytes` };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { failure: readFailure(error) };
  }
}
