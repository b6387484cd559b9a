// kustomize sets the `namespace:` of a kustomization on every resource it builds, through any
// chain of overlays (the outermost one that sets a namespace wins). A VirtualService in a base
// without metadata.namespace therefore lives in the overlay's namespace, and its short hosts
// resolve there (issue 10). A base shared by overlays of different namespaces has no one
// namespace: it keeps the default and the findings keep saying what they assumed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IstioLanguageService } from '../../server/src/service/languageService';
import { analyzeFile } from '../../server/src/service/workspace/workspaceIndex';

const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    mirror: {host: reviews, subset: v2}
`;

const destinationRule = (namespace: string, subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: ${namespace}
spec:
  host: reviews
  subsets:
${subsets.map((name) => `  - name: ${name}\n    labels: {version: ${name}}`).join('\n')}
`;

const base = 'file:///repo/base/';
const findings = (service: IstioLanguageService, uri: string): { code: string; severity: number | undefined; message: string }[] =>
  service.getDiagnostics(uri).filter((diagnostic) => diagnostic.code === 'IST0101').map((diagnostic) => ({ code: String(diagnostic.code), severity: diagnostic.severity, message: String(diagnostic.message) }));

function workspace(): IstioLanguageService {
  const service = new IstioLanguageService();
  service.setFile(`${base}virtualservice.yaml`, virtualService);
  service.setFile(`${base}kustomization.yaml`, 'resources:\n- virtualservice.yaml\n');
  // The rules of both namespaces: prod's lacks v2, default's has it.
  service.setFile('file:///repo/rules/prod.yaml', destinationRule('prod', ['v1']));
  service.setFile('file:///repo/rules/default.yaml', destinationRule('default', ['v1', 'v2']));
  return service;
}

test('a base without a namespace is checked in the namespace its overlay sets, once the overlay is indexed', () => {
  const service = workspace();
  const vsUri = `${base}virtualservice.yaml`;
  // No overlay yet: the VirtualService is in the default namespace, where v2 is defined.
  assert.deepEqual(findings(service, vsUri), []);

  const dependents = service.setFile('file:///repo/overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\n');
  assert.ok(dependents.has(vsUri), `the base's VirtualService is re-published: ${JSON.stringify([...dependents])}`);
  const [finding, ...rest] = findings(service, vsUri);
  assert.equal(rest.length, 0);
  assert.match(finding!.message, /^Subset "v2" is not defined by DestinationRule prod\/reviews for host reviews\.prod\.svc\.cluster\.local/);
  assert.doesNotMatch(finding!.message, /assumed/, 'the namespace comes from the kustomization, it is not assumed');
  assert.equal(finding!.severity, 1, 'an error: kustomize puts the VirtualService in prod for certain');
  assert.equal(service.index.resources('VirtualService').next().value?.namespace, 'prod');

  // The overlay's namespace edited to a placeholder: no namespace is known, back to the default.
  service.setFile('file:///repo/overlays/prod/kustomization.yaml', 'namespace: ${NAMESPACE}\nresources:\n- ../../base\n');
  assert.deepEqual(findings(service, vsUri), []);
  service.setFile('file:///repo/overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\n');
  assert.equal(findings(service, vsUri).length, 1);

  // The overlay removed: the default again.
  const afterRemoval = service.removeFile('file:///repo/overlays/prod/kustomization.yaml');
  assert.ok(afterRemoval.has(vsUri));
  assert.deepEqual(findings(service, vsUri), []);
});

test('an edit of the base keeps the overlay namespace; the overlay wins over the base\'s own namespace', () => {
  const service = workspace();
  const vsUri = `${base}virtualservice.yaml`;
  service.setFile(`${base}kustomization.yaml`, 'namespace: default\nresources:\n- virtualservice.yaml\n');
  service.setFile('file:///repo/overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\n');
  assert.equal(findings(service, vsUri).length, 1, 'prod (the overlay), not default (the base)');
  service.editFile(vsUri, virtualService.replace('subset: v2', 'subset: v1'), { start: virtualService.indexOf('subset: v2') + 9, end: virtualService.indexOf('subset: v2') + 10, insertedLength: 1 });
  assert.deepEqual(findings(service, vsUri), []);
  service.setFile(vsUri, virtualService);
  assert.equal(findings(service, vsUri).length, 1);
});

test('a base built into two namespaces keeps the default namespace and says it assumed it', () => {
  const service = workspace();
  const vsUri = `${base}virtualservice.yaml`;
  service.setFile('file:///repo/rules/default.yaml', destinationRule('default', ['v1']));
  service.setFile('file:///repo/overlays/prod/kustomization.yaml', 'namespace: prod\nresources:\n- ../../base\n');
  service.setFile('file:///repo/overlays/staging/kustomization.yaml', 'namespace: staging\nresources:\n- ../../base\n');
  assert.equal(service.index.resources('VirtualService').next().value?.namespace, 'default');
  for (const finding of findings(service, vsUri)) assert.match(finding.message, /namespace "default" assumed/);
});

test('the CLI path: files analysed before the index knew their kustomization are analysed again', () => {
  const service = new IstioLanguageService();
  const vsUri = `${base}virtualservice.yaml`;
  service.index.setAnalyzedFile(vsUri, analyzeFile(virtualService, service.index.analysisContext, undefined, vsUri));
  service.setFile(`${base}kustomization.yaml`, 'namespace: prod\nresources:\n- virtualservice.yaml\n');
  service.index.setAnalyzedFile('file:///repo/rules/prod.yaml', analyzeFile(destinationRule('prod', ['v1']), service.index.analysisContext));
  assert.equal(service.index.resources('VirtualService').next().value?.namespace, 'prod');
  assert.equal(findings(service, vsUri).length, 1);
});
