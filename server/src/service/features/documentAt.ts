// The shared first step of every editing feature: find the YAML document of a file that
// contains a position, parse it (the index keeps only compact models, so the tree is rebuilt
// on demand; a small cache keeps the documents being edited), and locate the node under the
// cursor.

import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type ParsedNode } from 'yaml';
import { keyText, parseYamlDocument, type YamlDocument } from '../parse/yamlDocument';
import type { IndexedDocument, IndexedFile } from '../workspace/workspaceIndex';
import type { Position, Range } from '../types';
import { shiftRange } from '../util/lineRanges';

/** A document of a file, parsed, with the helpers to move between file and document positions. */
export interface DocumentContext {
  uri: string;
  documentIndex: number;
  indexed: IndexedDocument;
  yaml: YamlDocument;
  /** First line of the document in the file. */
  startLine: number;
}

const parseCache = new Map<string, YamlDocument>();
const parseCacheSize = 16;

/** Parses a document's text, reusing recent results (documents under the cursor are parsed again and again). */
export function parseCached(text: string): YamlDocument {
  const cached = parseCache.get(text);
  if (cached) {
    parseCache.delete(text);
    parseCache.set(text, cached);
    return cached;
  }
  const yaml = parseYamlDocument(text);
  parseCache.set(text, yaml);
  if (parseCache.size > parseCacheSize) parseCache.delete(parseCache.keys().next().value as string);
  return yaml;
}

export function documentIndexAt(file: IndexedFile, line: number): number {
  let low = 0;
  let high = file.documents.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (file.documents[middle].slice.startLine <= line) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function documentContext(file: IndexedFile, documentIndex: number): DocumentContext {
  const indexed = file.documents[documentIndex];
  return { uri: file.uri, documentIndex, indexed, yaml: parseCached(indexed.text), startLine: indexed.slice.startLine };
}

export function documentContextAt(file: IndexedFile, position: Position): DocumentContext | undefined {
  if (file.documents.length === 0) return undefined;
  return documentContext(file, documentIndexAt(file, position.line));
}

/** Document position → offset in the document text. */
export function offsetOf(context: DocumentContext, position: Position): number {
  const line = position.line - context.startLine;
  const starts = context.yaml.lineCounter.lineStarts;
  if (line < 0) return 0;
  if (line >= starts.length) return context.yaml.text.length;
  return Math.min(starts[line] + position.character, line + 1 < starts.length ? starts[line + 1] - 1 : context.yaml.text.length);
}

/** A document-relative range → file range. */
export function toFileRange(context: { startLine: number }, range: Range): Range {
  return shiftRange(range, context.startLine);
}

export interface NodeLocation {
  /** Path from the document root to the node (keys and indices). */
  path: (string | number)[];
  node: ParsedNode | null;
  /** The pair the node belongs to (as key or value), when it sits in a map. */
  pair?: Pair<ParsedNode, ParsedNode | null>;
  /** True when the offset is on the pair's key. */
  onKey: boolean;
  /** Ancestors from the root down to the node's parent collection. */
  ancestors: ParsedNode[];
}

function contains(node: Node | null | undefined, offset: number): boolean {
  return !!node?.range && node.range[0] <= offset && offset <= node.range[1];
}

/** The innermost node at `offset` (a scalar, or the collection when between entries). */
export function nodeAtOffset(yaml: YamlDocument, offset: number): NodeLocation | undefined {
  const root = yaml.doc.contents;
  if (!root) return undefined;
  const location: NodeLocation = { path: [], node: root, onKey: false, ancestors: [] };
  let current: ParsedNode | null = root;
  for (let depth = 0; depth < 256 && current; depth++) {
    if (isMap(current)) {
      const pair = current.items.find((item) => isPair(item) && (contains(item.key as Node, offset) || contains(item.value as Node, offset))) as Pair<ParsedNode, ParsedNode | null> | undefined;
      if (!pair) return location;
      const key = keyText(pair) ?? '';
      location.ancestors.push(current);
      location.path.push(key);
      location.pair = pair;
      if (contains(pair.key as Node, offset)) {
        location.node = pair.key;
        location.onKey = true;
        return location;
      }
      location.node = pair.value;
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => contains(item as Node, offset));
      if (index < 0) return location;
      location.ancestors.push(current);
      location.path.push(index);
      location.pair = undefined;
      location.onKey = false;
      current = current.items[index] as ParsedNode | null;
      location.node = current;
    } else {
      return location;
    }
    if (isScalar(current)) return location;
  }
  return location;
}
