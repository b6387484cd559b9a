// What the traffic-split panel accepts from its webview (client/src/trafficSplit/messages.ts):
// only its own message shapes, with ranges of whole non-negative numbers; anything else is
// dropped before it reaches the editor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../client/src/trafficSplit/messages';

const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 11 } };

test('the page\'s messages are accepted, with only their own fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', uri: 'file:///a.yaml', range: { ...range, extra: true } }), { type: 'reveal', uri: 'file:///a.yaml', range });
  assert.deepEqual(parseWebviewMessage({ type: 'rendered', virtualServices: 1, routes: 4, targets: 8 }), { type: 'rendered', virtualServices: 1, routes: 4, targets: 8 });
});

test('anything else is dropped', () => {
  const bad: unknown[] = [
    undefined, null, 'reveal', 42, [], {}, { type: 'run', command: 'rm -rf /' }, { type: 'toString' }, { type: '__proto__' },
    { type: 'reveal', uri: 'file:///a.yaml' },
    { type: 'reveal', uri: 7, range },
    { type: 'reveal', uri: 'file:///a.yaml', range: { start: { line: -1, character: 0 }, end: range.end } },
    { type: 'reveal', uri: 'file:///a.yaml', range: { start: { line: 1.5, character: 0 }, end: range.end } },
    { type: 'reveal', uri: 'file:///a.yaml', range: { start: { line: '1', character: 0 }, end: range.end } },
    { type: 'reveal', uri: 'file:///a.yaml', range: { start: range.start, end: { line: Number.POSITIVE_INFINITY, character: 0 } } },
    { type: 'rendered', virtualServices: 1, routes: -1, targets: 0 },
  ];
  for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
});
