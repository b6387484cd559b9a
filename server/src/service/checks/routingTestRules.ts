// Checks: RoutingTest documents (istio-mirror's test format, IM2601)
//
// What the schema cannot say because `spec.defaults` may supply it: every test's request
// needs a host, its own or the defaults'.

import { isMap, type ParsedNode } from 'yaml';
import { asMap, asSeq, child, findPair } from '../parse/yamlDocument';
import type { DocumentProblems } from './documentProblems';

export function checkRoutingTest(spec: ParsedNode | null | undefined, out: DocumentProblems): void {
  const defaults = asMap(child(spec, 'defaults'));
  if (defaults && findPair(defaults, 'host')) return;
  asSeq(child(spec, 'tests'))?.items.forEach((item, index) => {
    const test = asMap(item);
    const request = test ? findPair(test, 'request') : undefined;
    if (!request || !isMap(request.value) || findPair(request.value, 'host')) return;
    out.atKey('IM2601', request, 'This request has no `host`, and `spec.defaults` gives none: the test cannot run. Add `host:` (the host the client calls, e.g. `reviews`).', { path: ['spec', 'tests', index, 'request'] });
  });
}
