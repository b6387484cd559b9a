// The `istioMirror.exclude` globs, matched without regular expressions. A repository's
// `.vscode/settings.json` can set them, so a pattern such as `**/*a*a*a*a*a*a*a*b` must not
// cost more than a few steps per character: minimatch compiles it to a backtracking regular
// expression that never finishes on a long file name. Here every `*` (within a segment) and
// `**` (across segments) is matched by the classic greedy algorithm that only ever returns to
// the last star, O(pattern × text) at worst.
//
// Supported: `*`, `?`, `[abc]`, `[a-z]`, `[!…]`/`[^…]`, `\` escapes, `**` segments, braces
// `{a,b}` (nested), a leading `!` (negation) and `#` (a comment, matches nothing), as minimatch
// reads them with `dot: true`. Patterns longer than 1,000 characters or with more than 256
// brace alternatives are rejected (reported, and left out).

type Token = { kind: 'star' } | { kind: 'char'; test: (c: string) => boolean };
type Segment = { kind: 'globstar' } | { kind: 'segment'; tokens: Token[] };

export const maxPatternLength = 1000;
export const maxAlternatives = 256;

/** A glob compiled to segments, or why it is rejected. */
export interface CompiledGlob {
  negated: boolean;
  alternatives: Segment[][];
}

export function compileGlob(pattern: string): CompiledGlob | { rejected: string } {
  if (pattern.length > maxPatternLength) return { rejected: `longer than ${maxPatternLength} characters` };
  if (pattern.startsWith('#')) return { negated: false, alternatives: [] };
  let negated = false;
  let body = pattern;
  while (body.startsWith('!')) {
    negated = !negated;
    body = body.slice(1);
  }
  const expanded = expandBraces(body);
  if (!expanded) return { rejected: `more than ${maxAlternatives} brace alternatives` };
  return { negated, alternatives: expanded.map((alternative) => {
    const segments = alternative.split('/').map(segment);
    // As in minimatch, `a/**` matches what is under `a` (and `a/`), not `a` itself: a trailing
    // `**` after other segments needs one more part, which may be the empty one of `a/`.
    if (segments.length > 1 && segments[segments.length - 1].kind === 'globstar') segments.splice(segments.length - 1, 0, { kind: 'segment', tokens: [{ kind: 'star' }] });
    return segments;
  }) };
}

/** A predicate over slash-separated relative paths; `onRejected` hears of each rejected pattern. */
export function globMatcher(patterns: readonly string[], onRejected?: (pattern: string, reason: string) => void): (path: string) => boolean {
  const compiled: CompiledGlob[] = [];
  for (const pattern of patterns) {
    const glob = compileGlob(pattern);
    if ('rejected' in glob) onRejected?.(pattern, glob.rejected);
    else compiled.push(glob);
  }
  return (path: string): boolean => {
    const parts = path.split('/');
    // A trailing slash is ignored once the pattern is used up (`*` matches `a/`), as in minimatch.
    const folder = parts.length > 1 && parts[parts.length - 1] === '' ? parts.slice(0, -1) : undefined;
    const matches = (alternative: Segment[]): boolean => matchSegments(alternative, parts) || (folder !== undefined && matchSegments(alternative, folder));
    return compiled.some((glob) => glob.alternatives.some(matches) !== glob.negated);
  };
}

/** `{a,b}x{c,d}` → `axc`, `axd`, `bxc`, `bxd`; undefined past `maxAlternatives`. A brace without a comma is literal. */
function expandBraces(pattern: string): string[] | undefined {
  let results = [''];
  let at = 0;
  while (at < pattern.length) {
    const c = pattern[at];
    if (c === '\\') {
      results = results.map((r) => r + pattern.slice(at, at + 2));
      at += 2;
      continue;
    }
    if (c === '{') {
      const group = braceGroup(pattern, at);
      if (group) {
        const options: string[] = [];
        for (const option of group.options) {
          const inner = expandBraces(option);
          if (!inner) return undefined;
          options.push(...inner);
        }
        if (results.length * options.length > maxAlternatives) return undefined;
        results = results.flatMap((r) => options.map((o) => r + o));
        at = group.end;
        continue;
      }
    }
    results = results.map((r) => r + c);
    at++;
  }
  return results;
}

/** The options of the brace group opening at `start` (split at top-level commas), or undefined when it is not one. */
function braceGroup(pattern: string, start: number): { options: string[]; end: number } | undefined {
  let depth = 0;
  let from = start + 1;
  const options: string[] = [];
  for (let i = start; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        options.push(pattern.slice(from, i));
        return options.length > 1 ? { options, end: i + 1 } : undefined;
      }
    } else if (c === ',' && depth === 1) {
      options.push(pattern.slice(from, i));
      from = i + 1;
    }
  }
  return undefined;
}

function segment(text: string): Segment {
  if (text === '**') return { kind: 'globstar' };
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'char', test: () => true });
    } else if (c === '\\' && i + 1 < text.length) {
      const literal = text[++i];
      tokens.push({ kind: 'char', test: (x) => x === literal });
    } else if (c === '[') {
      const parsed = characterClass(text, i);
      if (parsed) {
        tokens.push({ kind: 'char', test: parsed.test });
        i = parsed.end;
      } else {
        tokens.push({ kind: 'char', test: (x) => x === '[' });
      }
    } else {
      tokens.push({ kind: 'char', test: (x) => x === c });
    }
  }
  return { kind: 'segment', tokens };
}

/** `[…]` starting at `start`: its test and the index of its `]`, or undefined when unclosed. */
function characterClass(text: string, start: number): { test: (c: string) => boolean; end: number } | undefined {
  let i = start + 1;
  const negated = text[i] === '!' || text[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < text.length; i++) {
    let c = text[i];
    if (c === ']' && !first) {
      return { test: (x) => ranges.some(([low, high]) => x >= low && x <= high) !== negated, end: i };
    }
    first = false;
    if (c === '\\' && i + 1 < text.length) c = text[++i];
    if (text[i + 1] === '-' && i + 2 < text.length && text[i + 2] !== ']') {
      let high = text[i + 2];
      i += 2;
      if (high === '\\' && i + 1 < text.length) high = text[++i];
      ranges.push([c, high]);
    } else {
      ranges.push([c, c]);
    }
  }
  return undefined;
}

/** One segment against one path part: greedy, returning only to the last star (O(tokens × text)). */
function matchPart(tokens: Token[], text: string): boolean {
  let t = 0;
  let s = 0;
  let star = -1;
  let starFrom = 0;
  while (s < text.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      star = t++;
      starFrom = s;
    } else if (token?.kind === 'char' && token.test(text[s])) {
      t++;
      s++;
    } else if (star >= 0) {
      t = star + 1;
      s = ++starFrom;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/** Segments against path parts, `**` matching any number of parts, by the same greedy algorithm one level up. */
function matchSegments(segments: Segment[], parts: string[]): boolean {
  let g = 0;
  let p = 0;
  let star = -1;
  let starFrom = 0;
  while (p < parts.length) {
    const current = segments[g];
    if (current?.kind === 'globstar') {
      star = g++;
      starFrom = p;
    } else if (current?.kind === 'segment' && matchPart(current.tokens, parts[p])) {
      g++;
      p++;
    } else if (star >= 0) {
      g = star + 1;
      p = ++starFrom;
    } else {
      return false;
    }
  }
  while (segments[g]?.kind === 'globstar') g++;
  return g === segments.length;
}
