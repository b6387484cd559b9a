// The model of an Istio ServiceEntry: the hosts it adds to the mesh's registry, their ports,
// where they live (MESH_EXTERNAL / MESH_INTERNAL), how they resolve, the namespaces that see
// them and the workloads it selects, if any.

import type { ParsedNode } from 'yaml';
import { asSeq, child, numberValue, scalarText, stringValue, type YamlDocument } from '../parse/yamlDocument';
import type { Located } from '../types';
import { locatedList, stringMap, type ModelBase } from './modelParts';

export interface ServiceEntryPortModel {
  number: number;
  name?: string;
  protocol?: string;
}

export interface ServiceEntryModel extends ModelBase {
  kind: 'ServiceEntry';
  hosts: Located[];
  ports: ServiceEntryPortModel[];
  /** `MESH_EXTERNAL` when not written. */
  location: string;
  /** `NONE` when not written. */
  resolution: string;
  /** As written; empty means every namespace. */
  exportTo: string[];
  /** `workloadSelector.labels`, when the entry selects pods. */
  workloadSelector?: Record<string, string>;
}

export function buildServiceEntry(yaml: YamlDocument, spec: ParsedNode | undefined, base: ModelBase): ServiceEntryModel {
  const ports: ServiceEntryPortModel[] = [];
  for (const item of asSeq(child(spec, 'ports'))?.items ?? []) {
    const number = numberValue(child(item, 'number'));
    if (number === undefined) continue;
    const port: ServiceEntryPortModel = { number };
    const name = scalarText(child(item, 'name'));
    const protocol = stringValue(child(item, 'protocol'));
    if (name !== undefined) port.name = name;
    if (protocol !== undefined) port.protocol = protocol;
    ports.push(port);
  }
  const model: ServiceEntryModel = {
    ...base,
    kind: 'ServiceEntry',
    hosts: locatedList(yaml, child(spec, 'hosts')),
    ports,
    location: stringValue(child(spec, 'location')) ?? 'MESH_EXTERNAL',
    resolution: stringValue(child(spec, 'resolution')) ?? 'NONE',
    exportTo: locatedList(yaml, child(spec, 'exportTo')).map((entry) => entry.value),
  };
  const selector = child(child(spec, 'workloadSelector'), 'labels');
  if (selector) model.workloadSelector = stringMap(selector);
  return model;
}
