// Where is the cursor, structurally, while the user is typing? Half-typed YAML often does not
// parse into the tree the user means (`    mirr` is a scalar, not a key), so completion reads
// the context from the text itself: indentation and `- ` markers for block style, and a small
// bracket scanner for flow style (`{host: reviews, su|}`). The result is the path of the
// mapping (or value) being completed, the keys already present beside it, and what is typed.

import type { Position, Range } from '../types';

export interface CompletionContext {
  /** Completing a key of the mapping at `path`, or the value of the key at `path`. */
  mode: 'key' | 'value';
  /** Key mode: path of the mapping. Value mode: path of the value (ends with the key, or an index for list items). */
  path: (string | number)[];
  /** Text typed so far at the cursor (a key prefix or a value prefix, quotes excluded). */
  prefix: string;
  /** Document-relative range to replace with the completion. */
  replace: Range;
  /** Sibling keys of the mapping with their (plain, single-line) values; keys after the cursor included. */
  siblings: Map<string, string>;
  /** Flow style (`{…}` or `[…]`) at the cursor: insert plain text, no new lines. */
  inFlow: boolean;
  /** Column where a new key of this mapping starts (block style), for indenting inserted structure. */
  keyColumn: number;
  /** True when the cursor is on a `- ` item line with nothing but the prefix (a list item being started). */
  listItem: boolean;
}

interface LineShape {
  indent: number;
  /** Columns of `- ` markers at the start of the line. */
  dashes: number[];
  /** Column where the content after the markers starts. */
  contentColumn: number;
  key?: string;
  /** Value text after `key:` (trimmed, comment removed), '' when none. */
  value?: string;
  blank: boolean;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * The key at the start of `rest` (`key:` followed by a blank or the end), and the length of
 * `key: ` — a scan to the first `:` or `#`, linear in the line (the regular expression it
 * replaces tried every split of a long run of spaces: quadratic).
 */
function keyAt(rest: string): { raw: string; length: number } | undefined {
  const first = rest[0];
  if (first === undefined) return undefined;
  let end: number;
  let raw: string;
  if (first === '"' || first === "'") {
    const quoted = (first === '"' ? /^"(?:[^"\\]|\\.)*"/ : /^'(?:[^']|'')*'/).exec(rest);
    if (!quoted) return undefined;
    raw = quoted[0];
    end = raw.length;
    while (isSpace(rest[end])) end++;
    if (rest[end] !== ':') return undefined;
  } else {
    if (isSpace(first) || '#\'"{[]},:'.includes(first)) return undefined;
    let from = 1;
    if (first === '-') {
      const second = rest[1];
      if (second === undefined || isSpace(second) || second === ':' || second === '#') return undefined;
      from = 2;
    }
    end = from;
    while (end < rest.length && rest[end] !== ':' && rest[end] !== '#') end++;
    if (rest[end] !== ':') return undefined;
    raw = rest.slice(0, end).trimEnd();
  }
  if (end + 1 < rest.length && !isSpace(rest[end + 1])) return undefined;
  return { raw, length: Math.min(rest.length, end + 2) };
}

/** `text` without its trailing ` # comment` (a `#` after a blank), found without backtracking. */
function withoutComment(text: string): string {
  for (let hash = text.indexOf('#', 1); hash !== -1; hash = text.indexOf('#', hash + 1)) {
    if (isSpace(text[hash - 1])) return text.slice(0, hash);
  }
  return text;
}

/** `key: value` of a flow entry (the key up to the first colon, trimmed), in one pass. */
function entryParts(entry: string): { key: string; value: string } | undefined {
  const colon = entry.indexOf(':');
  if (colon <= 0) return undefined;
  const key = entry.slice(0, colon).trim();
  return { key: key === '' ? ' ' : key, value: entry.slice(colon + 1).trimStart() };
}

/**
 * Where the word before the cursor starts: the longest suffix of `before` without the
 * characters in `stops` (blanks always stop), and with `quote` an opening quote before it —
 * a backward scan (a `…*$` pattern retried from every column would be quadratic).
 */
function suffixStart(before: string, stops: string, quote: boolean): number {
  let start = before.length;
  while (start > 0 && !isSpace(before[start - 1]) && !stops.includes(before[start - 1]!)) start--;
  if (quote && start > 0 && (before[start - 1] === '"' || before[start - 1] === "'")) start--;
  return start;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key.trim();
}

export function lineShape(line: string): LineShape {
  const text = line.replace(/\r$/, '');
  let column = 0;
  while (column < text.length && text[column] === ' ') column++;
  const indent = column;
  const dashes: number[] = [];
  while (text[column] === '-' && (column + 1 === text.length || text[column + 1] === ' ')) {
    dashes.push(column);
    column += 1;
    while (text[column] === ' ') column++;
  }
  const rest = text.slice(column);
  const blank = rest.trim() === '' && dashes.length === 0 || rest.startsWith('#') && dashes.length === 0;
  const shape: LineShape = { indent, dashes, contentColumn: column, blank };
  const match = keyAt(rest);
  if (match) {
    shape.key = unquote(match.raw);
    shape.value = withoutComment(rest.slice(match.length)).trim();
  }
  return shape;
}

/**
 * Finds the ancestors of a mapping whose keys start at `column`, scanning upwards from
 * `fromLine`. Returns the path of that mapping and its sibling keys (above the cursor).
 */
function blockAncestors(lines: string[], fromLine: number, column: number, itemDash: number | undefined): { path: (string | number)[]; siblings: Map<string, string> } {
  const path: (string | number)[] = [];
  const siblings = new Map<string, string>();
  // What we are inside: a mapping whose keys are at `col`, or a sequence whose dashes are at `col`.
  let target: { kind: 'map' | 'seq'; col: number } = itemDash !== undefined ? { kind: 'seq', col: itemDash } : { kind: 'map', col: column };
  let collecting = itemDash === undefined;
  let itemIndex = 0;
  for (let line = Math.min(fromLine, lines.length - 1); line >= 0; line--) {
    const shape = lineShape(lines[line]);
    if (shape.blank || (shape.key === undefined && shape.dashes.length === 0)) {
      if (/^\s*(---|\.\.\.)\s*$/.test(lines[line])) break;
      continue;
    }
    const lastDash = shape.dashes[shape.dashes.length - 1];
    if (target.kind === 'map') {
      if (shape.contentColumn === target.col && shape.key !== undefined) {
        if (collecting) siblings.set(shape.key, shape.value ?? '');
        if (lastDash !== undefined) {
          target = { kind: 'seq', col: lastDash };
          itemIndex = 0;
          collecting = false;
        }
        continue;
      }
      if (shape.contentColumn === target.col && shape.key === undefined && lastDash !== undefined) {
        // `- ` followed by the item's first key on the next lines.
        target = { kind: 'seq', col: lastDash };
        itemIndex = 0;
        collecting = false;
        continue;
      }
      if (shape.indent >= target.col) continue; // deeper content of an earlier sibling
      if (shape.key === undefined) continue;
      path.unshift(shape.key);
      collecting = false;
      target = lastDash !== undefined ? { kind: 'seq', col: lastDash } : { kind: 'map', col: shape.contentColumn };
      itemIndex = 0;
      continue;
    }
    // target: a sequence with dashes at target.col
    if (shape.indent > target.col) continue;
    if (shape.indent === target.col && shape.dashes[0] === target.col) {
      itemIndex += 1;
      continue;
    }
    if (shape.key === undefined) continue;
    path.unshift(itemIndex);
    path.unshift(shape.key);
    target = lastDash !== undefined ? { kind: 'seq', col: lastDash } : { kind: 'map', col: shape.contentColumn };
    itemIndex = 0;
  }
  if (target.kind === 'seq') path.unshift(itemIndex);
  return { path, siblings };
}

/** Keys below the cursor at the same column, until the mapping ends. */
function siblingsBelow(lines: string[], fromLine: number, column: number, into: Map<string, string>): void {
  for (let line = fromLine; line < lines.length; line++) {
    const shape = lineShape(lines[line]);
    if (/^\s*(---|\.\.\.)\s*$/.test(lines[line])) return;
    if (shape.blank || (shape.key === undefined && shape.dashes.length === 0)) continue;
    if (shape.indent < column && !(shape.indent === column - 2 && shape.dashes.length > 0 && shape.contentColumn > column)) return;
    if (shape.dashes.length > 0 && shape.contentColumn === column) return; // next list item
    if (shape.contentColumn === column && shape.key !== undefined && !into.has(shape.key)) into.set(shape.key, shape.value ?? '');
  }
}

interface FlowFrame {
  kind: '{' | '[';
  /** The key whose value this collection is (for `{` inside `{`), or the index in the parent `[`. */
  owner?: string | number;
  keys: Map<string, string>;
  index: number;
  /** Text of the current entry so far. */
  entry: string;
  entryStart: number;
}

/** Scans flow collections on the text before the cursor; undefined when the cursor is not inside one. */
function flowFrames(before: string, startColumn: number): FlowFrame[] | undefined {
  const frames: FlowFrame[] = [];
  let quote: string | undefined;
  let pendingKey: string | undefined;
  for (let i = startColumn; i < before.length; i++) {
    const c = before[i];
    const frame = frames[frames.length - 1];
    if (quote) {
      if (c === quote) quote = undefined;
      if (frame) frame.entry += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      if (frame) frame.entry += c;
      continue;
    }
    if (c === '{' || c === '[') {
      let owner: string | number | undefined;
      if (frame?.kind === '[') owner = frame.index;
      else if (frame?.kind === '{') {
        const parts = entryParts(frame.entry);
        owner = parts && parts.value.trim() === '' ? parts.key : undefined;
      }
      else owner = pendingKey;
      frames.push({ kind: c, owner, keys: new Map(), index: 0, entry: '', entryStart: i + 1 });
      continue;
    }
    if (c === '}' || c === ']') {
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) parent.entry += '…';
      continue;
    }
    if (!frame) {
      // Block part of the line: remember the key whose value the first bracket opens. (Only at
      // a colon: matching on every character would make long lines quadratic.)
      if (c === ':') {
        // The word before the colon (blanks between allowed), scanned backwards: each scan ends
        // at the previous colon at the latest, so the whole line is linear.
        let end = i;
        while (end > startColumn && isSpace(before[end - 1])) end--;
        let start = end;
        while (start > startColumn && !isSpace(before[start - 1]) && !':{[]},'.includes(before[start - 1]!)) start--;
        if (start < end) pendingKey = before.slice(start, end);
      }
      continue;
    }
    if (c === ',') {
      if (frame.kind === '{') {
        const entry = entryParts(frame.entry);
        if (entry) frame.keys.set(unquote(entry.key), entry.value.trim());
      }
      frame.index += 1;
      frame.entry = '';
      frame.entryStart = i + 1;
      continue;
    }
    frame.entry += c;
  }
  return frames.length > 0 ? frames : undefined;
}

/** Keys written after the cursor inside the innermost flow mapping. */
function flowKeysAfter(after: string, into: Map<string, string>): void {
  let depth = 0;
  let entry = '';
  for (const c of after) {
    if (c === '{' || c === '[') depth++;
    if ((c === '}' || c === ']') && depth-- === 0) break;
    if (c === ',' && depth === 0) {
      const match = entryParts(entry);
      if (match) into.set(unquote(match.key), match.value.trim());
      entry = '';
      continue;
    }
    entry += c;
  }
  const match = entryParts(entry);
  if (match) into.set(unquote(match.key), match.value.trim());
}

/** The column of the `- ` that starts the item this line's content belongs to, if the line starts one. */
function itemDashOf(shape: LineShape): number | undefined {
  return shape.dashes.length > 0 ? shape.dashes[shape.dashes.length - 1] : undefined;
}

/** The completion context at `position` in a document's text (positions relative to the document). */
export function completionContext(text: string, position: Position): CompletionContext {
  const lines = text.split('\n');
  const lineText = (lines[position.line] ?? '').replace(/\r$/, '');
  const before = lineText.slice(0, position.character);
  const after = lineText.slice(position.character);
  const shape = lineShape(before);
  const range = (start: number): Range => {
    const tail = /^[^\s,:}\]]*/.exec(after)?.[0].length ?? 0;
    return { start: { line: position.line, character: start }, end: { line: position.line, character: position.character + tail } };
  };

  // Flow style: the innermost open bracket before the cursor decides.
  const frames = flowFrames(before, shape.contentColumn);
  if (frames) {
    const blockKeyColumn = shape.contentColumn;
    const lineKey = /^([^\s:{[]+)\s*:/.exec(before.slice(blockKeyColumn))?.[1];
    const above = blockAncestors(lines, position.line - 1, blockKeyColumn, itemDashOf(shape));
    const path: (string | number)[] = [...above.path];
    if (lineKey) path.push(lineKey);
    for (const frame of frames.slice(1)) if (frame.owner !== undefined) path.push(frame.owner);
    const innermost = frames[frames.length - 1];
    const entry = innermost.entry;
    if (innermost.kind === '{') {
      const siblings = new Map(innermost.keys);
      flowKeysAfter(after, siblings);
      const valueMatch = entryParts(entry);
      if (valueMatch) {
        const key = unquote(valueMatch.key);
        siblings.delete(key);
        const prefix = valueMatch.value.replace(/^["']/, '');
        return { mode: 'value', path: [...path, key], prefix, replace: range(suffixStart(before, ':{,["\'', true)), siblings, inFlow: true, keyColumn: blockKeyColumn, listItem: false };
      }
      const prefix = entry.trim();
      siblings.delete(prefix);
      return { mode: 'key', path, prefix, replace: range(suffixStart(before, '{,', false)), siblings, inFlow: true, keyColumn: blockKeyColumn, listItem: false };
    }
    return { mode: 'value', path: [...path, innermost.index], prefix: entry.trim().replace(/^["']/, ''), replace: range(suffixStart(before, '[,"\'', true)), siblings: new Map(), inFlow: true, keyColumn: blockKeyColumn, listItem: false };
  }

  const itemDash = itemDashOf(shape);
  if (shape.key !== undefined) {
    // `key: value|` → value of `key`.
    const { path, siblings } = blockAncestors(lines, position.line - 1, shape.contentColumn, itemDash);
    siblingsBelow(lines, position.line + 1, shape.contentColumn, siblings);
    siblings.delete(shape.key);
    const prefix = (shape.value ?? '').replace(/^["']/, '');
    return { mode: 'value', path: [...path, shape.key], prefix, replace: range(suffixStart(before, ':"\'', true)), siblings, inFlow: false, keyColumn: shape.contentColumn, listItem: false };
  }
  // A bare word (or nothing): a new key of the mapping at this column, or a list item value.
  const prefix = before.slice(shape.contentColumn).trim();
  const column = shape.contentColumn;
  const { path, siblings } = blockAncestors(lines, position.line - 1, column, itemDash);
  siblingsBelow(lines, position.line + 1, column, siblings);
  siblings.delete(prefix);
  return { mode: 'key', path, prefix, replace: range(suffixStart(before, '-', false)), siblings, inFlow: false, keyColumn: column, listItem: itemDash !== undefined };
}
