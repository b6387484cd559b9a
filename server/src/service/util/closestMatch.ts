// "Did you mean …?" suggestions: the closest candidate by edit distance, case-insensitively,
// counting a swap of two neighbouring letters as one edit (the commonest typo). Bounded work:
// long inputs and candidates get no suggestion and only so many candidates are compared.

/** Inputs and candidates longer than this get no suggestion (names and keys are short; DNS-1123 allows 253). */
export const maxSuggestionLength = 256;
/** At most this many candidates are compared with one input. */
export const maxSuggestionCandidates = 2000;

/**
 * Optimal-string-alignment distance between `a` and `b`, giving up above `limit`. Only the band
 * of cells within `limit` of the diagonal is computed, in three rolling rows: O(len × limit)
 * time and O(len) memory, whatever the lengths.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const band = Math.min(limit, Math.max(a.length, b.length));
  const over = band + 1;
  const cols = b.length + 1;
  let older = new Array<number>(cols).fill(over);
  let previous = new Array<number>(cols).fill(over);
  let current = new Array<number>(cols).fill(over);
  for (let j = 0; j <= Math.min(b.length, band); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    current.fill(over, Math.max(0, from - 2), Math.min(cols, to + 2));
    current[0] = i <= band ? i : over;
    let rowMin = current[0];
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, older[j - 2] + 1);
      current[j] = Math.min(value, over);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > limit) return limit + 1;
    [older, previous, current] = [previous, current, older];
  }
  return Math.min(previous[b.length], over) > limit ? limit + 1 : previous[b.length];
}

/**
 * The candidate most likely meant by `input`, or undefined when none is close enough.
 * Close enough: at most a third of the input's length in edits (at most four; none for inputs
 * shorter than four characters, where one edit already changes the meaning, as in v1 → v3),
 * or an exact match ignoring case, `_` and `-`.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > maxSuggestionLength) return undefined;
  const normalised = normalise(input);
  const limit = input.length < 4 ? 0 : Math.max(1, Math.min(4, Math.floor(input.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  let compared = 0;
  for (const candidate of candidates) {
    if (candidate.length > maxSuggestionLength) continue;
    if (++compared > maxSuggestionCandidates) break;
    const normalisedCandidate = normalise(candidate);
    if (normalisedCandidate === normalised) return candidate;
    const distance = editDistance(normalised, normalisedCandidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[_-]/g, '');
}

/** `mirror_percentage` → `mirrorPercentage`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
