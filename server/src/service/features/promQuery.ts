// Small builders for the PromQL the monitoring view writes: label matchers with Prometheus'
// string escaping, and the few expression shapes it needs (a summed rate, a ratio of rates, a
// histogram quantile). Strings only; the tests parse every result with Prometheus' own parser.

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A PromQL double-quoted string: backslash, quote and line breaks escaped. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** A value matched literally inside an RE2 regex (Prometheus anchors `=~` at both ends). */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function matcherText(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.label}${m.op}${promString(m.value)}`).join(', ')}}`;
}

/** `sum(rate(metric{…}[window]))`. */
export function summedRate(metric: string, matchers: readonly LabelMatcher[], window: string): string {
  return `sum(rate(${metric}${matcherText(matchers)}[${window}]))`;
}

/** `histogram_quantile(q, sum by (le) (rate(bucket{…}[window])))`. */
export function quantile(q: number, bucketMetric: string, matchers: readonly LabelMatcher[], window: string): string {
  return `histogram_quantile(${q}, sum by (le) (rate(${bucketMetric}${matcherText(matchers)}[${window}])))`;
}

/** A PromQL duration for `--window`: `30s`, `5m`, `1h30m`…; undefined when it is not one. */
export function isPromDuration(text: string): boolean {
  return /^(?:\d+(?:ms|[smhdwy]))+$/.test(text) && !/^(?:0+(?:ms|[smhdwy]))+$/.test(text);
}
