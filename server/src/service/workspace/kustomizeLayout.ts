// How kustomize reads the workspace: which files are patches (partial objects merged into a
// resource: checked for what they say, never for what they leave out, and not resources of
// their own), and which files and folders kustomize builds (a name defined in two of them is
// an overlay's business, not a duplicate). Worked out from the kustomization files' models;
// paths are resolved against each kustomization's folder on URIs, with no file system.

import type { KustomizationModel } from '../model/kustomizationModel';

export interface KustomizationSource {
  uri: string;
  model: KustomizationModel;
}

export class KustomizeLayout {
  private readonly patchFiles = new Set<string>();
  private readonly builtFiles = new Set<string>();
  private readonly builtFolders = new Set<string>();
  /** For each file or folder a kustomization reads, the kustomizations that read it. */
  private readonly readers = new Map<string, KustomizationSource[]>();

  constructor(kustomizations: readonly KustomizationSource[]) {
    for (const source of kustomizations) {
      const folder = folderOf(source.uri);
      this.builtFolders.add(folder);
      this.addReader(folder, source);
      for (const path of source.model.patches) {
        const uri = resolvePath(folder, path);
        if (uri) this.patchFiles.add(uri);
      }
      for (const path of [...source.model.resources, ...source.model.components]) {
        const uri = resolvePath(folder, path);
        if (!uri) continue;
        if (/\.(?:ya?ml|json)$/i.test(path)) {
          this.builtFiles.add(uri);
          this.addReader(uri, source);
        } else {
          const target = uri.endsWith('/') ? uri : `${uri}/`;
          this.builtFolders.add(target);
        }
      }
    }
  }

  /** True for a file named as a patch by some kustomization. */
  isPatch(uri: string): boolean {
    return this.patchFiles.has(uri);
  }

  /** True for a file kustomize builds: listed as a resource, or in a folder with a kustomization or listed as one. */
  isBuilt(uri: string): boolean {
    return this.patchFiles.has(uri) || this.builtFiles.has(uri) || this.builtFolders.has(folderOf(uri));
  }

  /** The kustomizations that list this file or sit in its folder. */
  kustomizationsOf(uri: string): readonly KustomizationSource[] {
    return [...(this.readers.get(uri) ?? []), ...(this.readers.get(folderOf(uri)) ?? [])];
  }

  /** True when no kustomization is in the workspace (nothing to look up). */
  get empty(): boolean {
    return this.builtFolders.size === 0;
  }

  private addReader(key: string, source: KustomizationSource): void {
    const list = this.readers.get(key);
    if (list) list.push(source);
    else this.readers.set(key, [source]);
  }
}

/** `file:///a/b/c.yaml` → `file:///a/b/`. */
export function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}

/**
 * `path` (as a kustomization writes it, relative to its folder) as a URI; undefined for remote
 * resources (URLs, `github.com/…`) and absolute paths outside the URI's scheme.
 */
export function resolvePath(folderUri: string, path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(path) || path.includes('?ref=')) return undefined;
  const root = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(\/.*)$/i.exec(folderUri);
  if (!root) return undefined;
  const segments = path.startsWith('/') ? [] : root[2].split('/').filter((segment) => segment !== '');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeURIComponent(segment));
  }
  return `${root[1]}/${segments.join('/')}${path.endsWith('/') ? '/' : ''}`;
}
