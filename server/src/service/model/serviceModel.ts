// The model of a core Kubernetes Service (apiVersion v1): the ports it exposes (number and
// name), the pod labels it selects, its type (ExternalName Services have no pods) and the
// namespaces Istio makes it visible in (`networking.istio.io/exportTo`). Istio turns every
// Service into a mesh service whose host is `<name>.<namespace>.svc.<cluster domain>`.

import type { ParsedNode } from 'yaml';
import { asMap, asSeq, child, numberValue, scalarText, stringValue, type YamlDocument } from '../parse/yamlDocument';
import { stringMap, type ModelBase } from './modelParts';

export interface ServicePortModel {
  number: number;
  name?: string;
  /** `TCP` when not written, as Kubernetes defaults it. */
  protocol: string;
  /** As written: a number or the name of a container port. */
  targetPort?: string;
}

export interface ServiceModel extends ModelBase {
  kind: 'Service';
  /** `ClusterIP` when not written. */
  type: string;
  externalName?: string;
  ports: ServicePortModel[];
  /** Undefined when the Service has no selector: its endpoints are managed by hand, so it selects no pod by labels. */
  selector?: Record<string, string>;
  /** The `networking.istio.io/exportTo` annotation split at commas; empty means every namespace. */
  exportTo: string[];
}

export function buildService(yaml: YamlDocument, spec: ParsedNode | undefined, base: ModelBase): ServiceModel {
  const ports: ServicePortModel[] = [];
  for (const item of asSeq(child(spec, 'ports'))?.items ?? []) {
    const number = numberValue(child(item, 'port'));
    if (number === undefined) continue;
    const port: ServicePortModel = { number, protocol: stringValue(child(item, 'protocol')) ?? 'TCP' };
    const name = scalarText(child(item, 'name'));
    const targetPort = scalarText(child(item, 'targetPort'));
    if (name !== undefined) port.name = name;
    if (targetPort !== undefined) port.targetPort = targetPort;
    ports.push(port);
  }
  const model: ServiceModel = { ...base, kind: 'Service', type: stringValue(child(spec, 'type')) ?? 'ClusterIP', ports, exportTo: [] };
  const selector = child(spec, 'selector');
  if (asMap(selector)) model.selector = stringMap(selector);
  const externalName = stringValue(child(spec, 'externalName'));
  if (externalName !== undefined) model.externalName = externalName;
  const annotation = stringValue(child(child(child(yaml.doc.contents, 'metadata'), 'annotations'), 'networking.istio.io/exportTo'));
  if (annotation !== undefined) model.exportTo = annotation.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return model;
}

/** The port a destination without `port` uses: the only one, when the Service has exactly one. */
export function onlyPort(model: { ports: readonly { number: number }[] }): number | undefined {
  return model.ports.length === 1 ? model.ports[0].number : undefined;
}
