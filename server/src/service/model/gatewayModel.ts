// The model of an Istio Gateway (networking.istio.io): its servers' hosts (as written, with
// their optional `namespace/` prefix) and ports, and the gateway workloads it selects.

import type { ParsedNode } from 'yaml';
import { asSeq, child, numberValue, stringValue, type YamlDocument } from '../parse/yamlDocument';
import { locatedList, stringMap, type ModelBase } from './modelParts';

export interface GatewayServerModel {
  hosts: string[];
  port?: number;
  protocol?: string;
}

export interface GatewayModel extends ModelBase {
  kind: 'Gateway';
  /** Every server's hosts, in order. */
  hosts: string[];
  servers: GatewayServerModel[];
  selector: Record<string, string>;
}

export function buildGateway(yaml: YamlDocument, spec: ParsedNode | undefined, base: ModelBase): GatewayModel {
  const servers: GatewayServerModel[] = (asSeq(child(spec, 'servers'))?.items ?? []).map((server) => {
    const model: GatewayServerModel = { hosts: locatedList(yaml, child(server, 'hosts')).map((host) => host.value) };
    const port = numberValue(child(child(server, 'port'), 'number'));
    const protocol = stringValue(child(child(server, 'port'), 'protocol'));
    if (port !== undefined) model.port = port;
    if (protocol !== undefined) model.protocol = protocol;
    return model;
  });
  return { ...base, kind: 'Gateway', hosts: servers.flatMap((server) => server.hosts), servers, selector: stringMap(child(spec, 'selector')) };
}
