// "Did you mean …?" suggestions: the closest candidate by edit distance, case-insensitively,
// counting a swap of two neighbouring letters as one edit (the commonest typo).

/** Optimal-string-alignment distance between `a` and `b`, giving up above `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2][j - 2] + 1);
      d[i][j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
  }
  return d[a.length][b.length];
}

/**
 * The candidate most likely meant by `input`, or undefined when none is close enough.
 * Close enough: at most a third of the input's length in edits (at most four; none for inputs
 * shorter than four characters, where one edit already changes the meaning, as in v1 → v3),
 * or an exact match ignoring case, `_` and `-`.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const normalised = normalise(input);
  const limit = input.length < 4 ? 0 : Math.max(1, Math.min(4, Math.floor(input.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
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
