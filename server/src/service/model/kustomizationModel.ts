// The model of a kustomization file (`kustomization.yaml`, `kustomization.yml` or
// `Kustomization`): the namespace and name prefix/suffix it gives its resources, which paths
// are resources (files or directories of full objects) and which are patches (partial objects
// merged into resources, or JSON patches). Paths are as written, relative to the file's folder.

import { isMap, type ParsedNode } from 'yaml';
import { asSeq, child, stringValue, type YamlDocument } from '../parse/yamlDocument';
import type { Located } from '../types';
import { located, type ModelBase } from './modelParts';

export interface KustomizationModel extends ModelBase {
  kind: 'Kustomization';
  /** `namespace:`: the namespace kustomize sets on every resource it builds. */
  targetNamespace?: Located;
  namePrefix?: string;
  nameSuffix?: string;
  /** `resources` (and the older `bases`): files or folders of complete objects. */
  resources: string[];
  /** Files named under `patches`, `patchesStrategicMerge` or `patchesJson6902`: partial objects. */
  patches: string[];
  /** `components`: folders of reusable kustomizations. */
  components: string[];
}

const kustomizationFile = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/;

/** True for a file kustomize reads as a kustomization. */
export function isKustomizationFile(uri: string): boolean {
  return kustomizationFile.test(uri);
}

export function buildKustomization(yaml: YamlDocument, base: ModelBase): KustomizationModel {
  const root = yaml.doc.contents as ParsedNode | null;
  const strings = (key: string): string[] => (asSeq(child(root, key))?.items ?? []).flatMap((item) => {
    const value = stringValue(item);
    return value === undefined ? [] : [value];
  });
  const patches: string[] = [...strings('patchesStrategicMerge')];
  for (const key of ['patches', 'patchesJson6902']) {
    for (const item of asSeq(child(root, key))?.items ?? []) {
      const path = isMap(item) ? stringValue(child(item, 'path')) : stringValue(item);
      if (path !== undefined) patches.push(path);
    }
  }
  const model: KustomizationModel = {
    apiVersion: base.apiVersion,
    kind: 'Kustomization',
    resources: [...strings('resources'), ...strings('bases')],
    patches,
    components: strings('components'),
  };
  if (base.name) model.name = base.name;
  const namespace = located(yaml, child(root, 'namespace'));
  if (namespace) model.targetNamespace = namespace;
  const prefix = stringValue(child(root, 'namePrefix'));
  const suffix = stringValue(child(root, 'nameSuffix'));
  if (prefix !== undefined) model.namePrefix = prefix;
  if (suffix !== undefined) model.nameSuffix = suffix;
  return model;
}
