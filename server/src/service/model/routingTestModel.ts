// istio-mirror's own file format for routing expectations (`kind: RoutingTest`, schemas/
// routingTest.schema.json): requests and where each must go and be mirrored, run by
// `istio-mirror test` (features/routingTests.ts). The editor validates and completes these
// documents through the same schema machinery as the Istio kinds.

import type { ResourceIdentity } from './resourceModel';

export const routingTestKind = 'RoutingTest';
export const routingTestApiVersions: readonly string[] = ['istio-mirror.dev/v1alpha1'];

export function isRoutingTest(identity: ResourceIdentity): boolean {
  return identity.kind === routingTestKind && identity.apiVersion !== undefined && routingTestApiVersions.includes(identity.apiVersion);
}
