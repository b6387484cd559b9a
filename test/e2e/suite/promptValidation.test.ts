/// <reference types="mocha" />
// The checks behind the commands' input boxes (client/src/prompts/validation.ts). They need no
// VS Code, but they are the client's, and the client's tests run here.

import * as assert from 'node:assert/strict';
import { validateDnsLabel, validateHeaderName, validateHeaderValue, validateHostName, validateImage, validatePercentage, validatePort, validateServiceName, type Validator } from '../../../client/src/prompts/validation';

function check(validate: Validator, accepted: string[], rejected: string[], warned: string[] = []): void {
  for (const value of accepted) assert.equal(validate(value), undefined, `"${value}" is accepted`);
  for (const value of rejected) assert.equal(validate(value)?.severity, 'error', `"${value}" is rejected`);
  for (const value of warned) assert.equal(validate(value)?.severity, 'warning', `"${value}" is accepted with a warning`);
}

suite('prompt validation', () => {
  test('DNS-1123 labels (namespaces, versions) and Service names', () => {
    check(validateDnsLabel, ['shop', 'v2', 'v2-rc1', '1a', 'a'.repeat(63)], ['Shop', 'v2_rc', '-a', 'a-', 'a.b', 'a'.repeat(64), ' a']);
    check(validateServiceName, ['checkout', 'a1'], ['1checkout', 'Checkout']);
  });

  test('host names', () => {
    check(validateHostName, ['reviews', 'reviews.shop.svc.cluster.local', 'shadow.example.com'], ['Reviews', 'a..b', 'a_b.com', `${'a'.repeat(64)}.com`]);
  });

  test('image references', () => {
    check(validateImage, ['nginx', 'nginx:1.27', 'registry.example.com/team/app:v2', 'localhost:5000/app', 'REGISTRY.example.com/app', 'app@sha256:abc'], ['my app', 'Team/App', 'app:', 'app:-x']);
  });

  test('ports and percentages', () => {
    check(validatePort, ['1', '8080', '65535'], ['0', '65536', '80.5', '-1', 'http']);
    check(validatePercentage, ['0', '0.5', '10', '100'], ['100.1', '-1', 'ten', '1e2']);
  });

  test('header names and values', () => {
    check(validateHeaderName, ['x-mirror', 'x-canary_test'], ['x mirror', 'x:mirror', ':authority', ''], ['X-Mirror']);
    check(validateHeaderValue, ['true', 'a b'], ['', 'a\nb']);
  });
});
