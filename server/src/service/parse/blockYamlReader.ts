// A fast reader for the plain block-style YAML most Kubernetes manifests are written in:
// mappings and sequences by indentation, single-line plain and quoted scalars. It turns a
// document into plain data without building a syntax tree, which costs a fraction of a full
// parse, so that documents the service only reads a few values from (Deployments and other
// workloads, a large share of any manifest tree) stay cheap to identify and model.
//
// It never guesses. A value it does not read itself (a flow collection or a block scalar
// that fits on its own lines) becomes `unreadValue`, and callers that need such a value fall
// back to the full parser; anything that could change how the rest of the document reads
// (anchors, aliases, tags, merge keys, complex keys, multi-line scalars, tabs, duplicate keys)
// makes the whole document unreadable here (`undefined`).

import { setOwn } from '../util/ownProperty';

/** Stands for a value the reader left alone; a caller that needs it must parse the document fully. */
export const unreadValue: unique symbol = Symbol('unread YAML value');

export type BlockValue = string | number | boolean | null | BlockValue[] | { [key: string]: BlockValue } | typeof unreadValue;

interface Line {
  indent: number;
  content: string;
}

class Unreadable extends Error {}

/** The document as plain data, or undefined when it is not plain block YAML. */
export function readBlockYaml(text: string): BlockValue | undefined {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (line.slice(0, indent).includes('\t')) return undefined;
    if (indent === 0 && (content === '---' || content.startsWith('--- ') || content.startsWith('%'))) {
      if (lines.length > 0 || content !== '---' && !content.startsWith('%')) return undefined;
      continue;
    }
    if (indent === 0 && (content === '...' || content.startsWith('... '))) return undefined;
    lines.push({ indent, content: content.trimEnd() });
  }
  if (lines.length === 0) return null;
  try {
    const reader = new Reader(lines);
    const value = reader.node(lines[0].indent);
    if (reader.at < lines.length) return undefined;
    return value;
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}

class Reader {
  at = 0;
  constructor(private readonly lines: Line[]) {}

  node(indent: number): BlockValue {
    const line = this.lines[this.at];
    return isSequenceItem(line.content) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): BlockValue[] {
    const items: BlockValue[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      if (line.indent !== indent || !isSequenceItem(line.content)) break;
      const afterDash = line.content.slice(1).trimStart();
      const rest = afterDash.startsWith('#') ? '' : afterDash;
      if (rest === '') {
        this.at += 1;
        items.push(this.childOf(indent, false));
        continue;
      }
      // `- key: value` or `- - item`: the rest of the line starts a node indented past the dash.
      const offset = line.content.length - afterDash.length;
      if (isSequenceItem(rest) || keyOf(rest) !== undefined) {
        this.lines[this.at] = { indent: indent + offset, content: rest };
        items.push(this.node(indent + offset));
        continue;
      }
      this.at += 1;
      items.push(scalar(rest));
      this.noContinuation(indent);
    }
    return items;
  }

  private mapping(indent: number): { [key: string]: BlockValue } {
    const result: { [key: string]: BlockValue } = {};
    while (this.at < this.lines.length) {
      const line = this.lines[this.at];
      if (line.indent !== indent) break;
      if (isSequenceItem(line.content)) break;
      const key = keyOf(line.content);
      if (key === undefined || key.name === '<<' || Object.prototype.hasOwnProperty.call(result, key.name)) throw new Unreadable();
      this.at += 1;
      const rest = key.rest.startsWith('#') ? '' : key.rest;
      if (rest === '') {
        setOwn(result, key.name, this.childOf(indent, true));
      } else if (/^[|>]/.test(rest)) {
        // A block scalar: its lines are indented past the key; left unread.
        while (this.at < this.lines.length && this.lines[this.at].indent > indent) this.at += 1;
        setOwn(result, key.name, unreadValue);
      } else {
        setOwn(result, key.name, scalar(rest));
        this.noContinuation(indent);
      }
    }
    return result;
  }

  /** The value under a key or dash with nothing after it: a nested node, or null. */
  private childOf(indent: number, sequenceMayShareIndent: boolean): BlockValue {
    const next = this.lines[this.at];
    if (!next) return null;
    if (next.indent > indent) return this.node(next.indent);
    if (sequenceMayShareIndent && next.indent === indent && isSequenceItem(next.content)) return this.sequence(indent);
    return null;
  }

  /** A line indented past a scalar continues it (a multi-line scalar): not read here. */
  private noContinuation(indent: number): void {
    const next = this.lines[this.at];
    if (next && next.indent > indent) throw new Unreadable();
  }
}

function isSequenceItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

const plainKey = /^([^\s"'#&*!|>%@`{}[\],?:-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?:[ \t]+|$)/;
const quotedKey = /^(?:"([^"\\]*)"|'((?:[^']|'')*)')[ \t]*:(?:[ \t]+|$)/;

function keyOf(content: string): { name: string; rest: string } | undefined {
  const plain = plainKey.exec(content);
  if (plain) return { name: plain[1], rest: content.slice(plain[0].length) };
  const quoted = quotedKey.exec(content);
  if (quoted) return { name: quoted[1] ?? quoted[2].replace(/''/g, "'"), rest: content.slice(quoted[0].length) };
  if (content.startsWith('? ') || content === '?') throw new Unreadable();
  return undefined;
}

/** One scalar on one line, resolved by YAML 1.2's core schema as `yaml` does. */
function scalar(text: string): BlockValue {
  const first = text[0];
  if (first === '[' || first === '{') {
    if (!balanced(text)) throw new Unreadable();
    return unreadValue;
  }
  if (first === '&' || first === '*' || first === '!' || first === '@' || first === '`' || first === '|' || first === '>') throw new Unreadable();
  if (first === '"') {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.slice(1, end).includes('\\')) throw new Unreadable();
    if (!isTrailingComment(text.slice(end + 1))) throw new Unreadable();
    return text.slice(1, end);
  }
  if (first === "'") {
    const match = /^'((?:[^']|'')*)'(.*)$/.exec(text);
    if (!match || !isTrailingComment(match[2])) throw new Unreadable();
    return match[1].replace(/''/g, "'");
  }
  const comment = text.search(/[ \t]#/);
  const plain = (comment >= 0 ? text.slice(0, comment) : text).trimEnd();
  if (/:(?:[ \t]|$)/.test(plain)) throw new Unreadable();
  return resolvePlain(plain);
}

function isTrailingComment(rest: string): boolean {
  return /^[ \t]*(?:#.*)?$/.test(rest);
}

/** True when a one-line flow collection closes on its line (brackets outside quotes balance). */
function balanced(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) return isTrailingComment(text.slice(i + 1));
    } else if (c === '#' && /\s/.test(text[i - 1] ?? '')) return false;
  }
  return false;
}

/** A plain scalar's value by YAML 1.2's core schema, as `yaml` resolves it. */
export function resolvePlain(text: string): BlockValue {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  // Every number starts with a digit, a sign or a dot.
  const first = text.charCodeAt(0);
  if (!((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46)) return text;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}
