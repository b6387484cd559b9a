// The model of a Gateway API ReferenceGrant: which kinds in which namespaces may refer to which
// objects in the grant's own namespace. Routes need one to send to (or mirror to) a backend in
// another namespace; Istio drops such a backend (or mirror) without it.

import { asSeq, child, stringValue, type YamlDocument } from '../parse/yamlDocument';
import type { Located } from '../types';
import type { ResourceIdentity } from './resourceModel';
import { gatewayApiGroup } from './gatewayApiRoutes';

const grantVersions = [`${gatewayApiGroup}/v1`, `${gatewayApiGroup}/v1beta1`, `${gatewayApiGroup}/v1alpha2`];

export interface ReferenceGrantModel {
  kind: 'ReferenceGrant';
  apiVersion: string;
  name?: Located;
  namespace?: Located;
  from: { group: string; kind: string; namespace: string }[];
  /** `name` absent: every object of that group and kind. */
  to: { group: string; kind: string; name?: string }[];
}

export function buildReferenceGrant(yaml: YamlDocument, identity: ResourceIdentity): ReferenceGrantModel | undefined {
  if (identity.kind !== 'ReferenceGrant' || !identity.apiVersion || !grantVersions.includes(identity.apiVersion)) return undefined;
  const spec = child(yaml.doc.contents, 'spec');
  const from = (asSeq(child(spec, 'from'))?.items ?? []).map((node) => ({
    group: stringValue(child(node, 'group')) ?? '',
    kind: stringValue(child(node, 'kind')) ?? '',
    namespace: stringValue(child(node, 'namespace')) ?? '',
  }));
  const to = (asSeq(child(spec, 'to'))?.items ?? []).map((node) => {
    const target: ReferenceGrantModel['to'][number] = { group: stringValue(child(node, 'group')) ?? '', kind: stringValue(child(node, 'kind')) ?? '' };
    const name = stringValue(child(node, 'name'));
    if (name !== undefined) target.name = name;
    return target;
  });
  return { kind: 'ReferenceGrant', apiVersion: identity.apiVersion, name: identity.name, namespace: identity.namespace, from, to };
}

/**
 * True when `grant` (living in `grantNamespace`) lets a route of `routeKind` in `routeNamespace`
 * refer to the object `group`/`kind`/`name` in the grant's namespace.
 */
export function grantAllows(
  grant: ReferenceGrantModel,
  grantNamespace: string,
  reference: { routeKind: string; routeNamespace: string; group: string; kind: string; name: string; namespace: string },
): boolean {
  if (grantNamespace !== reference.namespace) return false;
  const fromOk = grant.from.some((from) => from.group === gatewayApiGroup && from.kind === reference.routeKind && from.namespace === reference.routeNamespace);
  const toOk = grant.to.some((to) => to.group === reference.group && to.kind === reference.kind && (to.name === undefined || to.name === '' || to.name === reference.name));
  return fromOk && toOk;
}
