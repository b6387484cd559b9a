// Which Service or ServiceEntry in the workspace a resolved host names, and its ports — what
// pilot's LookupService answers when it builds a cluster name. Kubernetes Services are named
// `name.namespace.svc.<domain>`; ServiceEntry hosts are taken literally and looked up exactly
// (a wildcard entry is a service of that literal name).

import { asSeq, child, numberValue } from '../parse/yamlDocument';
import { resolveHost } from '../model/hostNames';
import { parseCached } from './documentAt';
import type { FeatureContext } from './featureContext';

export interface ServiceFacts {
  kind: 'Service' | 'ServiceEntry';
  /** `namespace/name`. */
  id: string;
  ports: number[];
}

function serviceEntryPorts(context: FeatureContext, uri: string, documentIndex: number): number[] {
  const document = context.index.getFile(uri)?.documents[documentIndex];
  if (!document) return [];
  const spec = child(parseCached(document.text).doc.contents, 'spec');
  return (asSeq(child(spec, 'ports'))?.items ?? []).map((port) => numberValue(child(port, 'number'))).filter((port): port is number => port !== undefined);
}

/** The service a resolved host names, when the workspace defines it. */
export function serviceForHost(context: FeatureContext, host: string): ServiceFacts | undefined {
  for (const entry of context.index.resources('Service')) {
    if (entry.model.name && resolveHost(entry.model.name.value, entry.namespace, context.settings.clusterDomain) === host) {
      return { kind: 'Service', id: `${entry.namespace}/${entry.model.name.value}`, ports: entry.model.ports };
    }
  }
  for (const entry of context.index.resources('ServiceEntry')) {
    if (entry.model.hosts.some((candidate) => candidate.value === host)) {
      return { kind: 'ServiceEntry', id: `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`, ports: serviceEntryPorts(context, entry.uri, entry.documentIndex) };
    }
  }
  return undefined;
}
