// A VirtualService without metadata.namespace names its host short (`reviews`); the
// DestinationRule that defines its subsets may be written for `reviews.prod.svc.cluster.local`
// in another file. When that DestinationRule changes, the VirtualService's findings change too,
// so the service must name the VirtualService's file among the files to re-publish (issue 9).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';

const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    mirror: {host: reviews, subset: v3}
`;

const destinationRule = (subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: prod
spec:
  host: reviews.prod.svc.cluster.local
  subsets:
${subsets.map((name) => `  - name: ${name}\n    labels: {version: ${name}}`).join('\n')}
`;

const subsetFindings = (service: IstioLanguageService, uri: string): string[] =>
  service.getDiagnostics(uri).filter((diagnostic) => diagnostic.code === 'IST0101').map((diagnostic) => String(diagnostic.message));

test('a DestinationRule edit in another namespace re-publishes the namespace-less VirtualService that names its host short', () => {
  const service = new IstioLanguageService();
  const vsUri = 'file:///work/vs.yaml';
  const drUri = 'file:///work/dr.yaml';
  service.setFile(vsUri, virtualService);
  service.setFile(drUri, destinationRule(['v1']));
  const before = subsetFindings(service, vsUri);
  assert.equal(before.length, 1, `one finding for the mirror's subset v3: ${JSON.stringify(before)}`);
  assert.match(before[0]!, /Subset "v3"/);

  const dependents = service.setFile(drUri, destinationRule(['v1', 'v3']));
  assert.ok([...dependents].includes(vsUri), `the VirtualService's file is re-published: ${JSON.stringify([...dependents])}`);
  assert.deepEqual(subsetFindings(service, vsUri), [], 'v3 is now defined');

  const removed = service.setFile(drUri, destinationRule(['v1']));
  assert.ok([...removed].includes(vsUri), 'removing the subset again re-publishes it too');
  assert.equal(subsetFindings(service, vsUri).length, 1);
});
