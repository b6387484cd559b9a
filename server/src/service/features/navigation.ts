// Go to definition, find references and rename, for the names that tie Istio resources
// together:
// - a destination's `subset:` (route, `mirror`, `mirrors[].destination`) ↔ the subset's `name`
//   in the DestinationRule Istio applies to that destination's host;
// - a destination's `host:` → the DestinationRule(s), ServiceEntry and Kubernetes Service of
//   that host.
// Hosts are compared after short-name expansion with each resource's own namespace (a short
// `reviews` in namespace `demo` is never the `reviews` of `prod`). What is under the cursor and
// what refers to what is worked out in navTargets.ts; this file turns it into LSP answers.

import { parse } from 'yaml';
import type { Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { isDns1123Label, wildcardCovers } from '../model/hostNames';
import { namespaceOf } from '../model/resourceModel';
import type { Located, Position, Range } from '../types';
import { toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { declarationsFor, subsetGroup, targetAt, type SubsetSite } from './navTargets';

export function findDefinition(context: FeatureContext, uri: string, position: Position): Location[] {
  const target = targetAt(context, uri, position);
  if (!target) return [];
  switch (target.kind) {
    case 'subsetReference':
      return declarationsFor(context.index, target.host, target.namespace, target.site.located.value).map(locationOf);
    case 'subsetDeclaration':
      // Definition on a declaration answers itself; editors then offer its references instead.
      return [locationOf(target.site)];
    case 'host':
      return hostDefinitions(context, target.host, target.namespace);
  }
}

export function findReferences(context: FeatureContext, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const target = targetAt(context, uri, position);
  const group = target && subsetGroup(context, target);
  if (!group) return [];
  return [...(includeDeclaration ? group.declarations : []), ...group.references].map(locationOf);
}

export function prepareRename(context: FeatureContext, uri: string, position: Position): { range: Range; placeholder: string } | null {
  const target = targetAt(context, uri, position);
  if (!target || target.kind === 'host') return null;
  const site = target.site;
  return { range: toFileRange(site, valueRange(context, site).range), placeholder: site.located.value };
}

/**
 * Why `name` cannot be a subset name, or undefined when it can. Istio rejects subset names
 * that are not DNS-1123 labels; a rename to one would only trade one error for another. The
 * adapter can use this to explain a refused rename (the core cannot raise LSP errors).
 */
export function subsetNameProblem(name: string): string | undefined {
  if (isDns1123Label(name)) return undefined;
  return `"${name}" is not a valid subset name: Istio requires a DNS-1123 label (letters, digits and '-', starting and ending with a letter or digit, at most 63 characters).`;
}

/**
 * Renames a subset: its `name` in the DestinationRule(s) and every destination that uses it,
 * across files. Returns null when the cursor is not on a subset or the new name is not a
 * valid subset name (see `subsetNameProblem`).
 */
export function doRename(context: FeatureContext, uri: string, position: Position, newName: string): WorkspaceEdit | null {
  if (subsetNameProblem(newName) !== undefined) return null;
  const target = targetAt(context, uri, position);
  const group = target && subsetGroup(context, target);
  if (!group) return null;
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  for (const site of [...group.declarations, ...group.references]) {
    const edit = renameEdit(context, site, newName);
    const key = `${site.uri} ${edit.range.start.line}:${edit.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (changes[site.uri] ??= []).push(edit);
  }
  return { changes };
}

function locationOf(site: SubsetSite): Location {
  return { uri: site.uri, range: toFileRange(site, site.located.range) };
}

function located(uri: string, startLine: number, value: Located | undefined): Location[] {
  return value ? [{ uri, range: toFileRange({ startLine }, value.range) }] : [];
}

/**
 * Where a host is defined, most relevant first: the DestinationRule(s) Istio applies to it
 * (at their `host`), ServiceEntries listing it (exactly or by wildcard), and the Kubernetes
 * Service whose cluster name it is (at its `metadata.name`).
 */
function hostDefinitions(context: FeatureContext, host: string, namespace: string): Location[] {
  const { index, settings } = context;
  const resolved = index.resolveHost(host, namespace);
  const rules = index.destinationRulesFor(host, namespace).rules.flatMap((entry) => located(entry.uri, entry.startLine, entry.model.host ?? entry.model.name));
  const entries: Location[] = [];
  for (const entry of index.resources('ServiceEntry')) {
    const entryNamespace = namespaceOf(entry.model, settings.defaultNamespace);
    for (const candidate of entry.model.hosts) {
      const candidateHost = index.resolveHost(candidate.value, entryNamespace);
      if (candidateHost === resolved || wildcardCovers(candidateHost, resolved)) entries.push(...located(entry.uri, entry.startLine, candidate));
    }
  }
  const services: Location[] = [];
  for (const entry of index.resources('Service')) {
    const name = entry.model.name;
    if (name && `${name.value}.${namespaceOf(entry.model, settings.defaultNamespace)}.svc.${settings.clusterDomain}` === resolved) {
      services.push(...located(entry.uri, entry.startLine, name));
    }
  }
  return [...rules, ...entries, ...services];
}

/** The text of a document of the index. */
function documentText(context: FeatureContext, site: SubsetSite): string {
  return context.index.getFile(site.uri)?.documents[site.documentIndex]?.text ?? '';
}

/**
 * The part of a scalar that holds its value, document-relative: inside the quotes of a quoted
 * scalar (so a rename keeps the user's quoting), the whole scalar otherwise.
 */
function valueRange(context: FeatureContext, site: SubsetSite): { range: Range; quoted: boolean } {
  const { range, value } = site.located;
  if (range.start.line === range.end.line) {
    const line = documentText(context, site).split('\n')[range.start.line] ?? '';
    const source = line.slice(range.start.character, range.end.character);
    const quote = source[0];
    if ((quote === '"' || quote === "'") && source.length >= 2 && source.endsWith(quote) && source.slice(1, -1) === value) {
      return {
        range: { start: { line: range.start.line, character: range.start.character + 1 }, end: { line: range.end.line, character: range.end.character - 1 } },
        quoted: true,
      };
    }
  }
  return { range, quoted: false };
}

/**
 * True when `name` written plain would not be read as a string: a number, or a boolean/null
 * word in YAML 1.2 or in the YAML 1.1 that kubectl reads (`on`, `yes`, `no`, …).
 */
function needsQuotes(name: string): boolean {
  const read = (version: '1.1' | '1.2'): unknown => {
    try {
      return parse(name, { version });
    } catch {
      return undefined;
    }
  };
  return read('1.2') !== name || read('1.1') !== name;
}

function renameEdit(context: FeatureContext, site: SubsetSite, newName: string): TextEdit {
  const { range, quoted } = valueRange(context, site);
  const newText = quoted || !needsQuotes(newName) ? newName : `"${newName}"`;
  return { range: toFileRange(site, range), newText };
}
