// Go's time.ParseDuration, which Istio uses for every Duration field: a sequence of
// decimal numbers, each with a unit (ns, us, µs, ms, s, m, h); "0" alone is allowed.

const unitNanos: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Nanoseconds in `text`, or undefined when it is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text.trim();
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  part.lastIndex = 0;
  let consumed = 0;
  while (consumed < rest.length) {
    part.lastIndex = consumed;
    const match = part.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * unitNanos[match[2]];
    consumed = part.lastIndex;
  }
  return sign * total;
}
