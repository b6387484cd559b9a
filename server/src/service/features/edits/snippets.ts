// Small pieces of YAML that quick fixes write (a subset entry, a `mirrors` entry, a
// `percentage`), described as data and rendered either in block style at a given column or in
// flow style. Existing nodes can be copied in: their text is kept as written (comments
// included) and only re-indented, so a moved `mirror` target looks the way the user wrote it.

import { isMap, isScalar, isSeq, parse, type Node, type Pair } from 'yaml';
import { keyText } from '../../parse/yamlDocument';
import { isFlow, type Layout, type YamlSource } from './yamlSource';

export type Snippet =
  /** A scalar (already rendered, see `scalar`) or any text that fits on one line. */
  | { kind: 'text'; text: string }
  | { kind: 'map'; entries: [string, Snippet][]; flow: boolean }
  | { kind: 'seq'; items: Snippet[]; flow: boolean }
  /** An existing node, copied with its formatting. */
  | { kind: 'copy'; source: YamlSource; node: Node };

export const text = (value: string): Snippet => ({ kind: 'text', text: value });
export const map = (entries: [string, Snippet][], flow: boolean): Snippet => ({ kind: 'map', entries, flow });
export const seq = (items: Snippet[], flow: boolean): Snippet => ({ kind: 'seq', items, flow });
export const copy = (source: YamlSource, node: Node): Snippet => ({ kind: 'copy', source, node });

/**
 * A string as a YAML scalar: plain when it reads back as the same string in YAML 1.2 and in
 * the YAML 1.1 that Kubernetes tooling still uses (`on`, `yes` are booleans there), otherwise
 * double-quoted (a JSON string is a valid YAML double-quoted scalar).
 */
export function scalar(value: string): string {
  const plainSafe = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(value);
  if (plainSafe) {
    try {
      if (parse(value) === value) return value;
    } catch {
      // not plain-safe after all
    }
  }
  return JSON.stringify(value);
}

/** A number as YAML text. */
export function numberText(value: number): string {
  return String(value);
}

/** True when the snippet is written on the line of its key or dash (a scalar or a flow collection). */
function isInline(value: Snippet): boolean {
  switch (value.kind) {
    case 'text':
      return true;
    case 'map':
      return value.flow || value.entries.length === 0;
    case 'seq':
      return value.flow || value.items.length === 0;
    case 'copy':
      return !(isMap(value.node) || isSeq(value.node)) || isFlow(value.node) || (value.node as { items: unknown[] }).items.length === 0;
  }
}

/** The snippet in flow style, on one line where possible. */
export function flowText(value: Snippet): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'map':
      return `{${value.entries.map(([key, entry]) => `${key}: ${flowText(entry)}`).join(', ')}}`;
    case 'seq':
      return `[${value.items.map(flowText).join(', ')}]`;
    case 'copy':
      return copiedFlowText(value.source, value.node);
  }
}

/** An existing node in flow style: flow collections and scalars as written, block collections converted. */
function copiedFlowText(source: YamlSource, node: Node | null): string {
  if (!node) return '';
  if (isMap(node) && !node.flow) {
    const entries = node.items.map((item) => `${keyText(item as Pair) ?? ''}: ${copiedFlowText(source, item.value as Node | null)}`);
    return `{${entries.join(', ')}}`;
  }
  if (isSeq(node) && !node.flow) return `[${node.items.map((item) => copiedFlowText(source, item as Node | null)).join(', ')}]`;
  if (isScalar(node) && node.value === null) return 'null';
  return source.nodeText(node);
}

/**
 * `key: value` as lines for a key at `column`. The first line carries no indentation (the
 * caller puts it after existing text or indents it); the other lines are fully indented.
 */
export function pairLines(key: string, value: Snippet, column: number, layout: Layout): string[] {
  if (isInline(value)) return [`${key}: ${flowText(value)}`];
  return [`${key}:`, ...blockBody(value, column, layout)];
}

/** A sequence item `- value` as lines, its dash at `column`; the first line is not indented. */
export function itemLines(value: Snippet, column: number, layout: Layout): string[] {
  if (isInline(value)) return [`- ${flowText(value)}`];
  const content = column + 2;
  if (value.kind === 'map') {
    const lines = mapBody(value.entries, content, layout);
    return [`- ${lines[0].slice(content)}`, ...lines.slice(1)];
  }
  if (value.kind === 'copy' && isMap(value.node)) {
    const [first, ...rest] = copiedLines(value.source, value.node, content);
    return [`- ${first}`, ...rest];
  }
  // A block sequence directly inside a sequence is rare enough to be written in flow style.
  return [`- ${flowText(value)}`];
}

/** The indented lines of a block map or sequence that is the value of a key at `column`. */
function blockBody(value: Snippet, column: number, layout: Layout): string[] {
  if (value.kind === 'map') return mapBody(value.entries, column + layout.unit, layout);
  if (value.kind === 'seq') return seqBody(value.items, column + layout.seqIndent, layout);
  if (value.kind === 'copy') {
    const childColumn = column + (isSeq(value.node) ? layout.seqIndent : layout.unit);
    const [first, ...rest] = copiedLines(value.source, value.node, childColumn);
    return [' '.repeat(childColumn) + first, ...rest];
  }
  return [' '.repeat(column + layout.unit) + value.text];
}

/** Fully indented lines of block map entries at `column`. */
export function mapBody(entries: [string, Snippet][], column: number, layout: Layout): string[] {
  return entries.flatMap(([key, value]) => {
    const [first, ...rest] = pairLines(key, value, column, layout);
    return [' '.repeat(column) + first, ...rest];
  });
}

/** Fully indented lines of block sequence items with their dashes at `column`. */
export function seqBody(items: Snippet[], column: number, layout: Layout): string[] {
  return items.flatMap((item) => {
    const [first, ...rest] = itemLines(item, column, layout);
    return [' '.repeat(column) + first, ...rest];
  });
}

/**
 * An existing block node's lines (comments included) moved so that it starts at `column`: the first line without
 * indentation, every following line shifted by the same amount (blank lines stay blank).
 */
function copiedLines(source: YamlSource, node: Node, column: number): string[] {
  const start = source.start(node);
  const shift = column - source.column(start);
  // Through the end of the last line, so a comment after the last value moves with it.
  const lines = source.slice(start, source.lineEnd(source.end(node))).split(/\r?\n/);
  return [lines[0], ...lines.slice(1).map((line) => {
    if (line.trim() === '') return '';
    if (shift >= 0) return ' '.repeat(shift) + line;
    const removable = Math.min(-shift, line.length - line.trimStart().length);
    return line.slice(removable);
  })];
}
