// Checks: Gateway API routes across resources (IM3501, IM3502)
//
// A backendRef (or a mirror's backendRef) to a Service the workspace holds but without that
// port, and a backendRef to another namespace that no ReferenceGrant in the workspace allows.
// Both ask the workspace queries (workspace/workspaceQueries.ts), the one place that answers
// host → Service questions. A Service the workspace does not hold is not reported: it may be
// applied from elsewhere.

import { backendHost, isServiceBackend, type BackendRefModel, type GatewayRouteModel } from '../model/gatewayApiRoutes';
import { grantAllows } from '../model/referenceGrants';
import type { Problem, RelatedLocation } from '../types';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { hostBackends } from '../workspace/workspaceQueries';
import { shiftRange } from '../util/lineRanges';


/** Problems of one route whose answer depends on other resources; ranges relative to the route's document. */
export function checkGatewayRouteReferences(model: GatewayRouteModel, namespace: string, index: WorkspaceIndex): Problem[] {
  const problems: Problem[] = [];
  const clusterDomain = index.analysisContext.clusterDomain;
  for (const rule of model.rules) {
    for (const backend of [...rule.backends, ...rule.mirrors]) {
      if (!backend.name || backend.name.value === '' || !isServiceBackend(backend) || backend.name.value.includes('.')) continue;
      const targetNamespace = backend.namespace?.value ?? namespace;
      const crossNamespace = targetNamespace !== namespace;
      if (crossNamespace && !granted(index, model.kind, namespace, backend, targetNamespace)) {
        problems.push(grantProblem(model.kind, backend, namespace, targetNamespace));
      }
      if (!backend.port) continue;
      const found = hostBackends(index, backendHost(backend, { clusterDomain }), namespace);
      const service = found.services[0];
      if (!service || service.model.ports.some((port) => port.number === backend.port?.value)) continue;
      const ports = service.model.ports.map((port) => port.number);
      const related: RelatedLocation[] = [{
        uri: service.uri,
        range: shiftRange(service.model.name?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, service.startLine),
        message: `Service ${service.namespace}/${service.model.name?.value ?? ''} exposes ${ports.length > 0 ? `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}` : 'no port'}`,
      }];
      const what = backend.role === 'mirror' ? 'mirror' : 'backend';
      const consequence = backend.role === 'mirror'
        ? (model.kind === 'GRPCRoute' ? 'Istio fails the whole rule' : 'nothing is mirrored')
        : 'requests sent to it fail';
      const suggestion = ports.length === 1 ? ` Use port ${ports[0]}.` : ports.length > 1 ? ` Use one of ${ports.join(', ')}.` : '';
      const problem: Problem = {
        code: 'IM3501',
        range: backend.port.range,
        message: `Service ${service.namespace}/${backend.name.value} has no port ${backend.port.value}, so this ${what} resolves to nothing and ${consequence}.${suggestion}`,
        related,
        data: ports.length === 1 ? { path: [...backend.path, 'port'], replacementValue: ports[0] } : { path: [...backend.path, 'port'] },
      };
      problems.push(problem);
    }
  }
  return problems;
}

function granted(index: WorkspaceIndex, routeKind: string, routeNamespace: string, backend: BackendRefModel, targetNamespace: string): boolean {
  return index.referenceGrants().some((grant) => grantAllows(grant.model, grant.namespace, {
    routeKind, routeNamespace, group: backend.group, kind: backend.kind, name: backend.name?.value ?? '', namespace: targetNamespace,
  }));
}

function grantProblem(kind: GatewayRouteModel['kind'], backend: BackendRefModel, namespace: string, targetNamespace: string): Problem {
  const consequence = backend.role === 'backend'
    ? 'Istio drops this backend and its share of requests fails'
    : kind === 'GRPCRoute' ? 'Istio fails the whole rule' : 'Istio drops this mirror';
  return {
    code: 'IM3502',
    range: backend.namespace?.range ?? backend.name?.range ?? backend.range,
    message: `No ReferenceGrant in the workspace lets ${kind}s of namespace ${namespace} refer to Service ${targetNamespace}/${backend.name?.value ?? ''}; without one (applied from elsewhere?) ${consequence}. Add a ReferenceGrant in namespace ${targetNamespace} (from: group gateway.networking.k8s.io, kind ${kind}, namespace ${namespace}; to: group "", kind Service).`,
    data: { path: [...backend.path, 'namespace'] },
  };
}
