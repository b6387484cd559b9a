// The shape of a file for the editor: the outline (document symbols), folding ranges and
// selection ranges.
// - The outline comes from the models: one symbol per resource document; under a
//   VirtualService its rules with their traffic split, destinations and mirrors; under a
//   DestinationRule its host and subsets. Symbol kinds: VirtualService and DestinationRule are
//   Class (they have members), other resources Object; rules Method, route destinations Field,
//   mirrors Event (a copy fired off, its answer ignored), the DR host Property, subsets
//   EnumMember (the named variants of one service).
// - Folding and selection ranges come from the YAML tree of each document (`parseCached`),
//   since they are about the text's structure, not its meaning.
// Outline entries and folds are computed per document, document-relative, and kept as long as
// the document's analysis is (the index reuses it while the text is unchanged, and replaces
// it when the namespace or cluster-domain settings change): in a file of thousands of
// documents an edit then re-parses one document, not all of them. All ranges leave here in
// file coordinates.

import { isMap, isPair, isScalar, isSeq, type Node, type ParsedNode } from 'yaml';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type SelectionRange } from 'vscode-languageserver-types';
import { resolveHost } from '../model/hostNames';
import { formatPercent } from '../model/trafficShares';
import { namespaceOf, type DestinationModel, type DestinationRuleModel, type RouteRuleModel, type VirtualServiceModel } from '../model/resourceModel';
import { child, nodeAt, nodeRange, offsetsToRange, pairAt, pairRange, type YamlDocument } from '../parse/yamlDocument';
import type { Position, Range } from '../types';
import type { AnalyzedDocument } from '../documentAnalysis';
import type { IndexedDocument } from '../workspace/workspaceIndex';
import { documentContext, documentIndexAt, offsetOf, parseCached, toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { contentEnd, documentSpan, nodeSpan, rangeContains, trimRange, wholeDocumentRange } from './structureRanges';
import { destinationLabel, destinationShares, mirrorPercentText, partSeparator, routeSplitText, ruleTitle } from './structureTraffic';

// ---------------------------------------------------------------------------------------------
// Outline

/** The structure of one document, document-relative: its outline entry (null: none) and folds (first line, last line). */
interface DocumentStructure {
  symbol: DocumentSymbol | null;
  folds: [number, number][];
}

/** Keyed by analysis: an unchanged document keeps its analysis object, so its entry too. */
const structureCache = new WeakMap<AnalyzedDocument, DocumentStructure>();

/** Outline and folds are computed together: editors ask for both, and parsing is the cost. */
function structureOf(context: FeatureContext, document: IndexedDocument): DocumentStructure {
  let structure = structureCache.get(document.analysis);
  if (!structure) {
    structure = { symbol: documentSymbol(context, document) ?? null, folds: documentFolds(document) };
    structureCache.set(document.analysis, structure);
  }
  return structure;
}

/**
 * Beyond this many documents in one file, the outline lists the resources only and folding
 * covers whole documents: both then come from the index without parsing every document again
 * (a 10 MB file of 25,000 resources would otherwise take tens of seconds the first time).
 */
export const detailedStructureLimit = 2000;

/** A resource's outline entry from its identity alone (large files). */
function plainDocumentSymbol(document: IndexedDocument): DocumentSymbol | undefined {
  const { model, identity } = document.analysis;
  const kind = model?.kind ?? identity.kind;
  if (!kind) return undefined;
  const lastLine = Math.max(0, document.slice.lineCount - 1);
  const range = { start: { line: 0, character: 0 }, end: { line: lastLine, character: 0 } };
  const symbol: DocumentSymbol = {
    name: `${kind} ${identity.name?.value ?? '(unnamed)'}`,
    kind: kind === 'VirtualService' || kind === 'DestinationRule' ? SymbolKind.Class : SymbolKind.Object,
    range,
    selectionRange: identity.name?.range ?? { start: range.start, end: range.start },
    children: [],
  };
  if (identity.namespace) symbol.detail = `namespace ${identity.namespace.value}`;
  return symbol;
}

export function findDocumentSymbols(context: FeatureContext, uri: string): DocumentSymbol[] {
  const file = context.index.getFile(uri);
  if (!file) return [];
  if (file.documents.length > detailedStructureLimit) {
    return file.documents.flatMap((document) => {
      const symbol = plainDocumentSymbol(document);
      return symbol ? [shiftSymbol(symbol, document.slice.startLine)] : [];
    });
  }
  return file.documents.flatMap((document) => {
    const { symbol } = structureOf(context, document);
    return symbol ? [shiftSymbol(symbol, document.slice.startLine)] : [];
  });
}

/** A copy of a document-relative symbol tree in file coordinates (the cached tree is never handed out). */
function shiftSymbol(symbol: DocumentSymbol, startLine: number): DocumentSymbol {
  const place = { startLine };
  return {
    ...symbol,
    range: toFileRange(place, symbol.range),
    selectionRange: toFileRange(place, symbol.selectionRange),
    children: symbol.children?.map((child) => shiftSymbol(child, startLine)),
  };
}

/**
 * An outline name with something to read: `(empty)` for none, and a name of blanks only (spaces,
 * tabs, a BOM, no-break spaces) quoted with the blanks escaped, `"\ufeff"`.
 */
function visibleName(name: string): string {
  if (name === '') return '(empty)';
  if (name.trim() !== '') return name;
  return JSON.stringify(name).replace(/[\s\ufeff]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Builds the symbols of one document from model ranges, trimmed to their content. */
class SymbolBuilder {
  constructor(readonly yaml: YamlDocument) {}

  symbol(name: string, detail: string, kind: SymbolKind, range: Range, selection: Range | undefined, children: DocumentSymbol[] = []): DocumentSymbol {
    const full = trimRange(this.yaml, range);
    let selectionRange = selection ?? full;
    // Editors reject a selection outside the symbol's range; point at its start instead.
    if (!rangeContains(full, selectionRange)) selectionRange = { start: full.start, end: full.start };
    const symbol: DocumentSymbol = { name: visibleName(name), kind, range: full, selectionRange, children };
    if (detail) symbol.detail = detail;
    return symbol;
  }
}

function documentSymbol(context: FeatureContext, document: IndexedDocument): DocumentSymbol | undefined {
  const { model, identity } = document.analysis;
  const kind = model?.kind ?? identity.kind;
  if (!kind) return undefined;
  const yaml = parseCached(document.text);
  const builder = new SymbolBuilder(yaml);
  const kindNode = child(yaml.doc.contents, 'kind');
  const selection = identity.name?.range ?? (kindNode ? nodeRange(yaml, kindNode) : undefined);
  const name = `${kind} ${identity.name?.value ?? '(unnamed)'}`;
  const detail = identity.namespace ? `namespace ${identity.namespace.value}` : '';
  let children: DocumentSymbol[] = [];
  if (model?.kind === 'VirtualService') children = virtualServiceChildren(builder, model);
  else if (model?.kind === 'DestinationRule') children = destinationRuleChildren(context, builder, model);
  // Gateway API routes: their rules as converted to the VirtualService rule model.
  else if (model?.kind === 'HTTPRoute' || model?.kind === 'GRPCRoute') children = model.rules.map((rule) => ruleSymbol(builder, rule.route));
  const symbolKind = model?.kind === 'VirtualService' || model?.kind === 'DestinationRule' ? SymbolKind.Class : SymbolKind.Object;
  return builder.symbol(name, detail, symbolKind, documentSpan(yaml), selection, children);
}

function virtualServiceChildren(builder: SymbolBuilder, model: VirtualServiceModel): DocumentSymbol[] {
  return [...model.http, ...model.tcp, ...model.tls].map((rule) => ruleSymbol(builder, rule));
}

function ruleSymbol(builder: SymbolBuilder, rule: RouteRuleModel): DocumentSymbol {
  // HTTP rules are the usual case; TCP and TLS rules say what they are.
  // Numbered as everywhere else (ruleLabel): #N from 1 in its list; TCP and TLS rules say what they are.
  const name = `${rule.protocol === 'http' ? '' : `${rule.protocol} `}#${rule.index + 1} ${ruleTitle(rule)}`;
  const detail = rule.unreachableReason !== undefined ? `never used${partSeparator}${routeSplitText(rule)}` : routeSplitText(rule);
  const shares = destinationShares(rule);
  const children = [
    ...shares.map(({ destination, percent }) => destinationSymbol(builder, rule, destination, formatPercent(percent), SymbolKind.Field)),
    ...rule.mirrors.map((mirror) => destinationSymbol(builder, rule, mirror, `mirror ${mirrorPercentText(mirror)}`, SymbolKind.Event)),
  ];
  return builder.symbol(name, detail, SymbolKind.Method, rule.fullRange, rule.range, children);
}

function destinationSymbol(builder: SymbolBuilder, rule: RouteRuleModel, destination: DestinationModel, share: string, kind: SymbolKind): DocumentSymbol {
  const label = destinationLabel(destination, rule);
  // The host is worth repeating when the label shows only the subset.
  const detail = destination.host && label !== destination.host.value && !label.includes('/') ? `${share}${partSeparator}${destination.host.value}` : share;
  const selection = destination.subset?.range ?? destination.host?.range;
  return builder.symbol(label, detail, kind, entryRange(builder.yaml, destination), selection);
}

/**
 * The whole entry a destination is written in, so the symbol covers what belongs to it: the
 * `route` or `mirrors` item (with its `weight` or `percentage`), or the `mirror:` pair. The
 * model keeps only the destination object's range; the entry is found again by its path.
 */
function entryRange(yaml: YamlDocument, destination: DestinationModel): Range {
  const root = yaml.doc.contents;
  if (destination.role === 'mirror') {
    const pair = pairAt(root, destination.path);
    return pair ? pairRange(yaml, pair) : destination.range;
  }
  // The list entry holding the destination: `route[i]` / `mirrors[i]` of a VirtualService; for a
  // Gateway API route the backendRef itself, or the RequestMirror filter holding the mirror's backendRef.
  const path = destination.path;
  const last = path[path.length - 1];
  const entry = nodeAt(root, typeof last === 'number' ? path : last === 'backendRef' ? path.slice(0, -2) : path.slice(0, -1));
  return entry ? nodeRange(yaml, entry) : destination.range;
}

function destinationRuleChildren(context: FeatureContext, builder: SymbolBuilder, model: DestinationRuleModel): DocumentSymbol[] {
  const children: DocumentSymbol[] = [];
  if (model.host) {
    const resolved = resolveHost(model.host.value, namespaceOf(model, context.settings.defaultNamespace), context.settings.clusterDomain);
    const detail = resolved === model.host.value ? 'host' : `host${partSeparator}${resolved}`;
    children.push(builder.symbol(model.host.value, detail, SymbolKind.Property, model.host.range, model.host.range));
  }
  for (const subset of model.subsets) {
    const labels = Object.entries(subset.labels).map(([key, value]) => `${key}=${value}`).join(', ');
    children.push(builder.symbol(subset.name.value, labels || 'no labels', SymbolKind.EnumMember, subset.range, subset.name.range));
  }
  return children;
}

// ---------------------------------------------------------------------------------------------
// Folding

/**
 * Every document, and every map value or sequence item that spans several lines, folds. A
 * pair folds from its key's line (folding `spec:` hides the whole spec), so ranges come from
 * pairs and sequence items rather than from the collections themselves.
 */
export function getFoldingRanges(context: FeatureContext, uri: string): FoldingRange[] {
  const file = context.index.getFile(uri);
  if (!file) return [];
  const folds: FoldingRange[] = [];
  const large = file.documents.length > detailedStructureLimit;
  for (const document of file.documents) {
    const offset = document.slice.startLine;
    if (large) {
      if (document.slice.lineCount > 1) folds.push({ startLine: offset, endLine: offset + document.slice.lineCount - 1 });
      continue;
    }
    for (const [start, end] of structureOf(context, document).folds) folds.push({ startLine: start + offset, endLine: end + offset });
  }
  return folds;
}

function documentFolds(document: IndexedDocument): [number, number][] {
  if (document.analysis.template) return []; // a template's YAML tree is not its structure
  // One fold per first line (editors keep one anyway): the longest.
  const endByStart = new Map<number, number>();
  const add = (start: number, end: number): void => {
    if (end > start && end > (endByStart.get(start) ?? -1)) endByStart.set(start, end);
  };
  const yaml = parseCached(document.text);
  const span = documentSpan(yaml);
  add(span.start.line, span.end.line);
  collectFolds(yaml, yaml.doc.contents, add);
  return [...endByStart].sort(([a], [b]) => a - b);
}

function collectFolds(yaml: YamlDocument, node: ParsedNode | null | undefined, add: (start: number, end: number) => void, depth = 0): void {
  if (!node || depth > 256) return;
  const lineOf = (offset: number): number => offsetsToRange(yaml, offset, offset).start.line;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const value = pair.value as ParsedNode | null;
      const span = nodeSpan(yaml, value);
      if (key?.range && span) add(lineOf(key.range[0]), lineOf(span[1]));
      collectFolds(yaml, value, add, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items as (ParsedNode | null)[]) {
      const span = nodeSpan(yaml, item);
      if (span) add(lineOf(span[0]), lineOf(span[1]));
      collectFolds(yaml, item, add, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Selection

/** For each position: scalar → pair → collection → pair → … → the document's content → the whole document. */
export function getSelectionRanges(context: FeatureContext, uri: string, positions: Position[]): SelectionRange[] {
  const file = context.index.getFile(uri);
  return positions.map((position) => {
    if (!file || file.documents.length === 0) return { range: { start: position, end: position } };
    const document = documentContext(file, documentIndexAt(file, position.line));
    const yaml = document.yaml;
    const offset = offsetOf(document, position);
    const ranges = [wholeDocumentRange(yaml), documentSpan(yaml), ...nodeChain(yaml, offset)]
      .map((range) => toFileRange(document, range));
    return nest(ranges, position);
  });
}

/** Ranges of the nodes and pairs containing `offset`, outermost first (document-relative). */
function nodeChain(yaml: YamlDocument, offset: number): Range[] {
  const ranges: Range[] = [];
  const push = (start: number, end: number): void => {
    ranges.push(offsetsToRange(yaml, start, end));
  };
  const contains = (start: number, end: number): boolean => start <= offset && offset <= end;
  let node: ParsedNode | null | undefined = yaml.doc.contents;
  for (let depth = 0; node && depth < 256; depth++) {
    const span = nodeSpan(yaml, node);
    if (!span || !contains(span[0], span[1])) break;
    push(span[0], span[1]);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && pairContains(yaml, item.key as Node | null, item.value as Node | null, contains));
      if (!pair) break;
      const key = pair.key as Node | null;
      const value = pair.value as ParsedNode | null;
      const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
      const valueSpan = nodeSpan(yaml, value);
      push(start, valueSpan ? valueSpan[1] : (key?.range?.[1] ?? start));
      if (key?.range && contains(key.range[0], key.range[1])) {
        push(key.range[0], key.range[1]);
        break;
      }
      node = value;
    } else if (isSeq(node)) {
      node = (node.items as (ParsedNode | null)[]).find((item) => {
        const itemSpan = nodeSpan(yaml, item);
        return itemSpan !== undefined && contains(itemSpan[0], itemSpan[1]);
      });
    } else {
      break; // a scalar (or alias): innermost
    }
    if (isScalar(node) && node.range) {
      push(node.range[0], contentEnd(yaml.text, node.range[0], node.range[1]));
      break;
    }
  }
  return ranges;
}

function pairContains(yaml: YamlDocument, key: Node | null, value: Node | null, contains: (start: number, end: number) => boolean): boolean {
  const start = key?.range?.[0] ?? value?.range?.[0];
  if (start === undefined) return false;
  const end = nodeSpan(yaml, value)?.[1] ?? key?.range?.[1] ?? start;
  return contains(start, end);
}

/** Links ranges (outermost first) into a SelectionRange chain, dropping repeats and ranges that do not nest. */
function nest(ranges: Range[], position: Position): SelectionRange {
  let current: SelectionRange | undefined;
  for (const range of ranges) {
    // Editors require every range of the chain to contain the position.
    if (!rangeContains(range, { start: position, end: position })) continue;
    if (current && (sameRange(current.range, range) || !rangeContains(current.range, range))) continue;
    current = current ? { range, parent: current } : { range };
  }
  return current ?? { range: { start: position, end: position } };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
