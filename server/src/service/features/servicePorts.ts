// The service pilot's LookupService finds for a destination host when it names a cluster: the
// Kubernetes Service of that host, else a ServiceEntry declaring exactly that host (a wildcard
// entry is a service of the wildcard's name, so it does not give a concrete host its ports).
// Answered through the workspace queries; this only narrows them to pilot's exact lookup.

import { hostBackends } from '../workspace/workspaceQueries';
import type { FeatureContext } from './featureContext';

export interface ServiceFacts {
  kind: 'Service' | 'ServiceEntry';
  /** `namespace/name`. */
  id: string;
  ports: number[];
  /** An ExternalName Service: the cluster is named after this host instead. */
  externalName?: string;
}

/** The service a host (as written in a resource of `namespace`) names, when the workspace defines it. */
export function serviceForHost(context: FeatureContext, host: string, namespace: string): ServiceFacts | undefined {
  const backends = hostBackends(context.index, host, namespace);
  const service = backends.services[0];
  if (service) {
    const facts: ServiceFacts = { kind: 'Service', id: `${service.namespace}/${service.model.name?.value ?? '(unnamed)'}`, ports: service.model.ports.map((port) => port.number) };
    if (service.model.type === 'ExternalName' && service.model.externalName) facts.externalName = service.model.externalName;
    return facts;
  }
  const entry = backends.serviceEntries.find((candidate) => candidate.model.hosts.some((written) => context.index.resolveHost(written.value, candidate.namespace) === backends.resolved));
  if (!entry) return undefined;
  return { kind: 'ServiceEntry', id: `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`, ports: [...new Set(entry.model.ports.map((port) => port.number))] };
}
