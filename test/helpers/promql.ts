// PromQL checked by the Prometheus project's own parser (@prometheus-io/lezer-promql): a query
// must parse without error nodes, and its vector selectors are read back (metric name and label
// matchers with their unescaped values) so tests can assert what a query selects.

import assert from 'node:assert/strict';
import { parser } from '@prometheus-io/lezer-promql';

export interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
  /** The range of the matrix selector around it, e.g. `5m`. */
  range?: string;
}

/** Parses `query`, fails the test on any syntax error, and returns its vector selectors. */
export function parsePromQL(query: string): Selector[] {
  const tree = parser.parse(query);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  let current: Selector | undefined;
  let pendingRange: { from: number; range?: string } | undefined;
  let matcher: { label: string; op: string; value: string } | undefined;
  tree.iterate({
    enter: (node) => {
      const text = query.slice(node.from, node.to);
      if (node.type.isError) errors.push(`at ${node.from}: ${JSON.stringify(query.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      switch (node.type.name) {
        case 'MatrixSelector':
          pendingRange = { from: node.from, range: /\[([^\]]+)\]$/.exec(text)?.[1] };
          break;
        case 'VectorSelector':
          current = { metric: '', matchers: [] };
          if (pendingRange?.from === node.from && pendingRange.range) current.range = pendingRange.range;
          selectors.push(current);
          break;
        case 'Identifier':
          if (current && current.metric === '' && current.matchers.length === 0) current.metric = text;
          break;
        case 'UnquotedLabelMatcher':
          matcher = { label: '', op: '', value: '' };
          current?.matchers.push(matcher);
          break;
        case 'LabelName':
          if (matcher) matcher.label = text;
          break;
        case 'MatchOp':
          if (matcher) matcher.op = text;
          break;
        case 'StringLiteral':
          if (matcher) matcher.value = JSON.parse(text) as string;
          matcher = undefined;
          break;
      }
    },
  });
  assert.deepEqual(errors, [], `PromQL does not parse: ${query}`);
  assert.ok(tree.topNode.firstChild, `PromQL is empty: ${query}`);
  return selectors;
}

/** The value a selector matches `label` with (and the operator), or undefined. */
export function matcherOf(selector: Selector, label: string): string | undefined {
  const found = selector.matchers.find((m) => m.label === label);
  return found ? `${found.op}${found.value}` : undefined;
}
