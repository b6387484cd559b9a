// How kustomize reads the workspace: which files are patches (partial objects merged into a
// resource: checked for what they say, never for what they leave out, and not resources of
// their own), and which files and folders kustomize builds (a name defined in two of them is
// an overlay's business, not a duplicate), and the namespace kustomize gives each file's
// resources. Worked out from the kustomization files' models; paths are resolved against each
// kustomization's folder on URIs, with no file system.

import { hasPlaceholder } from '../model/hostNames';
import type { KustomizationModel } from '../model/kustomizationModel';
import { pushTo } from '../util/multiMap';

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
  /** For each kustomization, the kustomizations that list its folder as a resource or component. */
  private readonly parents = new Map<KustomizationSource, KustomizationSource[]>();
  private readonly builtNamespaces = new Map<KustomizationSource, ReadonlySet<string | null>>();

  constructor(kustomizations: readonly KustomizationSource[]) {
    const inFolder = new Map<string, KustomizationSource[]>();
    for (const source of kustomizations) pushTo(inFolder, folderOf(source.uri), source);
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
          for (const child of inFolder.get(target) ?? []) pushTo(this.parents, child, source);
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

  /**
   * The namespace kustomize gives the resources of `uri`: the `namespace:` of the outermost
   * kustomization that builds the file and sets one (an overlay's wins over its base's).
   * Undefined when none sets one, or when the file is built into more than one namespace (a base
   * shared by overlays of different namespaces), or when the namespace is a placeholder.
   */
  namespaceFor(uri: string): string | undefined {
    const namespaces = new Set<string | null>();
    for (const reader of this.kustomizationsOf(uri)) for (const namespace of this.namespacesBuilt(reader, new Set())) namespaces.add(namespace);
    const [only] = namespaces;
    return namespaces.size === 1 && only !== null ? only : undefined;
  }

  /** The namespaces a kustomization's resources end up in, through every chain of overlays above it (`null`: none set). */
  private namespacesBuilt(source: KustomizationSource, visiting: Set<KustomizationSource>): ReadonlySet<string | null> {
    const known = this.builtNamespaces.get(source);
    if (known) return known;
    const written = source.model.targetNamespace?.value;
    const own = written !== undefined && written !== '' && !hasPlaceholder(written) ? written : null;
    const parents = visiting.has(source) ? [] : this.parents.get(source) ?? [];
    visiting.add(source);
    const result = new Set<string | null>();
    if (parents.length === 0) result.add(own);
    for (const parent of parents) for (const namespace of this.namespacesBuilt(parent, visiting)) result.add(namespace ?? own);
    visiting.delete(source);
    this.builtNamespaces.set(source, result);
    return result;
  }

  /** True when no kustomization is in the workspace (nothing to look up). */
  get empty(): boolean {
    return this.builtFolders.size === 0;
  }

  private addReader(key: string, source: KustomizationSource): void {
    pushTo(this.readers, key, source);
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
