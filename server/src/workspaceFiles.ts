// Node file-system access shared by the language server and the CLI: finding the YAML files
// under a folder (skipping excluded paths) and reading them as text. The language service
// itself never touches the disk; these functions feed it.

import { promises as fs, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';

export const yamlExtensions = /\.ya?ml$/i;

/** Files larger than this are not indexed from disk (they are still checked when opened). */
export const maxIndexedFileBytes = 20 * 1024 * 1024;

export function excludeMatcher(patterns: readonly string[]): (relativePath: string) => boolean {
  const matchers = patterns.map((pattern) => new Minimatch(pattern, { dot: true }));
  return (relativePath: string): boolean => {
    const normalised = relativePath.split(sep).join('/');
    return matchers.some((matcher) => matcher.match(normalised) || matcher.match(`${normalised}/`));
  };
}

/**
 * Lists the YAML files under `folder`, depth-first in name order, leaving out paths the
 * `excluded` predicate rejects (checked on folders too, so `node_modules` is never entered).
 * Folders that cannot be listed are skipped and passed to `unreadable`.
 */
export async function findYamlFiles(folder: string, excluded: (relativePath: string) => boolean, unreadable?: (path: string, failure: string) => void): Promise<string[]> {
  const found: string[] = [];
  const walk = async (directory: string): Promise<void> => {
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
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || excluded(rel)) continue;
        await walk(path);
      } else if (entry.isFile() && yamlExtensions.test(entry.name) && !excluded(rel)) {
        found.push(path);
      }
    }
  };
  await walk(folder);
  return found;
}

/** Reads a file as UTF-8 text; undefined when it cannot be read or is too large. */
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
