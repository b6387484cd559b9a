// Completion: keys from the schemas (with structure inserted for objects and lists), values
// from enums and from the workspace (subsets of the destination's DestinationRule, known
// hosts, Gateway names, pod labels and Service ports: workloadCompletion.ts), and skeletons
// for new documents. The cursor context is read from the
// text (completionContext.ts) because half-typed YAML rarely parses into the intended tree.

import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-types';
import { identify, istioNetworkingVersions, namespaceOf, validatedKind, writableApiVersion } from '../model/resourceModel';
import { resolveHost } from '../model/hostNames';
import { cursorAt, dereference, expand, type SchemaCursor, type SchemaNode, type ValidatedKind } from '../schema/schemaNavigator';
import type { Position, Range } from '../types';
import { completionContext, type CompletionContext } from './completionContext';
import { documentContextAt, toFileRange, type DocumentContext } from './documentAt';
import type { FeatureContext } from './featureContext';
import { schemaDocumentation, typeSummary } from './schemaDocs';
import { backendRefItems, filterTypeItems, httpRouteSkeleton } from './gatewayApiCompletion';
import { markdownCode } from '../util/markdownText';
import { routingTestSkeleton, routingTestTopLevelValues, routingTestValueItems } from './routingTestCompletion';
import { destinationPortItems, isDestinationPortPath, isSubsetLabelsPath, subsetLabelKeyItems, subsetLabelValueItems } from './workloadCompletion';

const empty: CompletionList = { isIncomplete: false, items: [] };

/** Keys a platform engineer reaches for first in an HTTP route, in this order. */
const preferredKeys = ['match', 'route', 'mirror', 'mirrorPercentage', 'mirrors', 'timeout', 'retries'];

export function doComplete(context: FeatureContext, uri: string, position: Position): CompletionList {
  const file = context.index.getFile(uri);
  if (!file) return empty;
  const document = documentContextAt(file, position);
  if (!document) return empty;
  const local = { line: position.line - document.startLine, character: position.character };
  const cursor = completionContext(document.yaml.text, local);
  const identity = identify(document.yaml);
  const kind = validatedKind(identity);

  if (!identity.apiVersion && !identity.kind && cursor.path.length === 0) {
    return { isIncomplete: false, items: [...skeletons(context, document, cursor), ...topLevelKeys(cursor, context)] };
  }
  if (cursor.path.length === 0 || (cursor.mode === 'value' && cursor.path.length === 1 && (cursor.path[0] === 'apiVersion' || cursor.path[0] === 'kind'))) {
    if (cursor.mode === 'value') return list(topLevelValues(cursor, context, document));
    if (!kind) return list(topLevelKeys(cursor, context));
  }
  if (!kind) return empty; // not a VirtualService or DestinationRule: leave it to other tools

  const items = cursor.mode === 'key' ? keyItems(kind, cursor, context, document) : valueItems(kind, cursor, context, document);
  return list(items);
}

/** The answer; an item without a visible label (a resource with `hosts: [""]`, a blank subset name) is dropped. */
function list(items: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items: items.filter((item) => item.label.trim() !== '') };
}

function replaceRange(document: DocumentContext, cursor: CompletionContext): Range {
  return toFileRange(document, cursor.replace);
}

// ---------------------------------------------------------------------------------------
// Keys

function keyItems(kind: ValidatedKind, cursor: CompletionContext, context: FeatureContext, document: DocumentContext): CompletionItem[] {
  if (kind === 'DestinationRule' && isSubsetLabelsPath(cursor.path, 'key')) {
    const namespace = namespaceOf(identify(document.yaml), context.settings.defaultNamespace);
    return subsetLabelKeyItems(context, document.yaml, cursor, namespace, replaceRange(document, cursor));
  }
  const schema = cursorAt(kind, cursor.path);
  if (schema.nodes.length === 0) return [];
  // A list of scalars (`hosts:`, `gateways:`) takes values, not keys.
  if (isScalarSchema(schema.nodes)) return valueItems(kind, { ...cursor, mode: 'value' }, context, document);
  const items: CompletionItem[] = [];
  const inRoute = cursor.path.length === 3 && cursor.path[0] === 'spec' && cursor.path[1] === 'http';
  for (const [name, property] of schema.properties()) {
    if (cursor.siblings.has(name) || property.schema['x-deprecated']) continue;
    if (name === 'mirror' && cursor.siblings.has('mirrors')) continue;
    if (name === 'mirrors' && cursor.siblings.has('mirror')) continue;
    // The route-level percentage only applies to `mirror`, never to `mirrors`.
    if (name === 'mirrorPercentage' && cursor.siblings.has('mirrors')) continue;
    // A Gateway API mirror takes `percent` or `fraction`, not both.
    if ((name === 'percent' && cursor.siblings.has('fraction')) || (name === 'fraction' && cursor.siblings.has('percent'))) continue;
    const preferred = inRoute ? preferredKeys.indexOf(name) : -1;
    const required = schema.nodes.some((node) => requiredOf(node).includes(name));
    items.push({
      label: name,
      kind: CompletionItemKind.Property,
      detail: typeSummary(property),
      documentation: { kind: MarkupKind.Markdown, value: schemaDocumentation(name, property) },
      sortText: `${preferred >= 0 ? `0${preferred}` : required ? '1' : '2'}${name}`,
      filterText: name,
      textEdit: { range: replaceRange(document, cursor), newText: keySnippet(name, property, cursor, context) },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
    });
  }
  return items;
}

function isScalarSchema(nodes: SchemaNode[]): boolean {
  const types = nodes.flatMap((node) => expand(node)).map((alternative) => alternative.schema.type).filter((type) => type !== undefined);
  return types.length > 0 && types.every((type) => type !== 'object' && type !== 'array' && !(Array.isArray(type) && type.includes('object')));
}

function schemaType(node: SchemaNode): string | undefined {
  for (const alternative of expand(node)) {
    const type = alternative.schema.type;
    if (typeof type === 'string') return type;
    if (Array.isArray(type)) return type.find((t) => t !== 'null');
  }
  return undefined;
}

function enumOf(node: SchemaNode): unknown[] | undefined {
  for (const alternative of expand(node)) if (alternative.schema.enum) return alternative.schema.enum;
  return undefined;
}

/** The text inserted for a key: structure for objects and lists, choices for enums and booleans. */
function keySnippet(name: string, property: SchemaNode, cursor: CompletionContext, context: FeatureContext): string {
  const type = schemaType(property);
  const choices = enumOf(property) ?? (type === 'boolean' ? ['true', 'false'] : undefined);
  if (choices) return `${name}: \${1|${choices.map(String).join(',')}|}`;
  if (cursor.inFlow) {
    if (type === 'object') return `${name}: {$1}`;
    if (type === 'array') return `${name}: [$1]`;
    return `${name}: $1`;
  }
  const indent = ' '.repeat(cursor.keyColumn);
  const unit = '  ';
  const body = structureLines(property, context, 1, { next: 1 });
  if (type === 'object' || type === 'array') {
    const lines = body.length > 0 ? body : [type === 'array' ? '- $1' : `${unit}$1`];
    return `${name}:\n${lines.map((line) => `${indent}${line}`).join('\n')}`;
  }
  const fallback = property.schema.default !== undefined ? `\${1:${String(property.schema.default)}}` : '$1';
  return `${name}: ${fallback}`;
}

/**
 * Lines (relative to the key's column) that give an object or list the structure it needs:
 * the required fields, recursively, with placeholders. Mirror targets get host and subset,
 * percentages get their value.
 */
function structureLines(node: SchemaNode, context: FeatureContext, depth: number, tab: { next: number }): string[] {
  const unit = '  ';
  const type = schemaType(node);
  const placeholder = (text = ''): string => (text ? `\${${tab.next++}:${text}}` : `\$${tab.next++}`);
  if (type === 'array') {
    const item = expand(node).map((alternative) => alternative.schema.items).find((items) => items !== undefined);
    if (!item) return ['- ' + placeholder()];
    const itemNode = { schema: item, file: node.file };
    const itemType = schemaType(resolveLoose(itemNode));
    if (itemType !== 'object') return ['- ' + placeholder()];
    const inner = structureLines(resolveLoose(itemNode), context, depth + 1, tab);
    if (inner.length === 0) return ['- ' + placeholder()];
    return inner.map((line, index) => (index === 0 ? `- ${line.slice(unit.length)}` : line));
  }
  if (type !== 'object' || depth > 3) return [];
  const definitions = new Set(expand(node).map((alternative) => alternative.definition).filter(Boolean));
  if (definitions.has('Percent')) return [`${unit}value: ${placeholder(String(context.settings.defaultMirrorPercentage))}`];
  if (definitions.has('Destination')) return [`${unit}host: ${placeholder()}`, `${unit}subset: ${placeholder()}`];
  const required = requiredOf(node);
  const properties = new Map<string, SchemaNode>();
  for (const alternative of expand(node)) {
    for (const [name, schema] of Object.entries(alternative.schema.properties ?? {})) properties.set(name, { schema, file: alternative.file });
  }
  const lines: string[] = [];
  for (const name of required) {
    const property = properties.get(name);
    if (!property) continue;
    const resolved = resolveLoose(property);
    const propertyType = schemaType(resolved);
    if (propertyType === 'object' || propertyType === 'array') {
      const inner = structureLines(resolved, context, depth + 1, tab);
      lines.push(`${unit}${name}:`, ...(inner.length > 0 ? inner : [`${unit}${unit}${placeholder()}`]).map((line) => `${unit}${line}`));
    } else {
      lines.push(`${unit}${name}: ${placeholder()}`);
    }
  }
  return lines;
}

/** Fields always required (top-level and `allOf`), not those of `oneOf`/`anyOf` alternatives. */
function requiredOf(node: SchemaNode): string[] {
  const resolved = dereference(node);
  const nested = (resolved.schema.allOf ?? []).flatMap((branch) => requiredOf({ schema: branch, file: resolved.file }));
  return [...new Set([...(resolved.schema.required ?? []), ...nested])];
}

function resolveLoose(node: SchemaNode): SchemaNode {
  return expand(node)[0] ?? node;
}

// ---------------------------------------------------------------------------------------
// Values

function valueItems(kind: ValidatedKind, cursor: CompletionContext, context: FeatureContext, document: DocumentContext): CompletionItem[] {
  const schema: SchemaCursor = cursorAt(kind, cursor.path);
  const key = cursor.path[cursor.path.length - 1];
  const parentKey = cursor.path[cursor.path.length - 2];
  const range = replaceRange(document, cursor);
  const items: CompletionItem[] = [];
  const add = (label: string, detail: string | undefined, documentation?: string, kindOfItem: CompletionItemKind = CompletionItemKind.Value, sort = '1'): void => {
    const item: CompletionItem = { label, kind: kindOfItem, sortText: `${sort}${label}`, textEdit: { range, newText: quoteIfNeeded(label) } };
    if (detail) item.detail = detail;
    if (documentation) item.documentation = { kind: MarkupKind.Markdown, value: documentation };
    items.push(item);
  };

  const node = schema.nodes[0];
  const choices = node ? enumOf(node) : undefined;
  const gatewayApi = kind === 'HTTPRoute' || kind === 'GRPCRoute';
  const filterTypes = gatewayApi && choices ? filterTypeItems(choices.map(String), cursor, range, context) : undefined;
  if (filterTypes) items.push(...filterTypes);
  else if (choices) for (const choice of choices) add(String(choice), typeSummary(node), undefined, CompletionItemKind.EnumMember);
  if (node && schemaType(node) === 'boolean') for (const choice of ['true', 'false']) add(choice, 'boolean', undefined, CompletionItemKind.Keyword);

  const namespace = namespaceOf(identify(document.yaml), context.settings.defaultNamespace);
  if (gatewayApi) items.push(...backendRefItems(cursor, range, context, namespace));
  if (kind === 'RoutingTest') {
    items.push(...routingTestValueItems(cursor, range, context, document, {
      hosts: (testNamespace, testRange) => hostItems(context, testNamespace, testRange, 'destination'),
      subsets: (testCursor, testNamespace, testRange) => subsetItems(context, testCursor, testNamespace, testRange),
    }));
  } else if (kind === 'VirtualService' && key === 'subset') {
    items.push(...subsetItems(context, cursor, namespace, range));
  } else if (kind === 'VirtualService' && key === 'host') {
    items.push(...hostItems(context, namespace, range, 'destination'));
  } else if (kind === 'VirtualService' && isDestinationPortPath(cursor.path)) {
    items.push(...destinationPortItems(context, document.yaml, cursor.path, namespace, range));
  } else if (kind === 'DestinationRule' && typeof key === 'string' && isSubsetLabelsPath(cursor.path, 'value')) {
    items.push(...subsetLabelValueItems(context, document.yaml, key, namespace, range));
  } else if (kind === 'DestinationRule' && key === 'host' && cursor.path.length === 2) {
    items.push(...hostItems(context, namespace, range, 'rule'));
  } else if (typeof key === 'number' && parentKey === 'hosts' && kind === 'VirtualService') {
    items.push(...hostItems(context, namespace, range, 'virtualService'));
  } else if (typeof key === 'number' && parentKey === 'gateways') {
    add('mesh', 'every sidecar in the mesh', 'The reserved name for all sidecars. Leaving `gateways` out means `[mesh]`.', CompletionItemKind.Keyword, '0');
    for (const entry of context.index.resources('Gateway')) {
      const name = entry.model.name?.value;
      if (!name) continue;
      add(entry.namespace === namespace ? name : `${entry.namespace}/${name}`, `Gateway ${entry.namespace}/${name}`, entry.model.hosts.length > 0 ? `Hosts: ${entry.model.hosts.map((host) => markdownCode(String(host))).join(', ')}` : undefined, CompletionItemKind.Reference);
    }
  } else if (cursor.path.length === 2 && cursor.path[0] === 'metadata' && key === 'namespace') {
    const namespaces = new Set<string>();
    for (const entry of context.index.resources()) namespaces.add(entry.namespace);
    for (const name of [...namespaces].sort()) add(name, 'namespace used in the workspace', undefined, CompletionItemKind.Folder);
  }
  return dedupe(items);
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.label) && seen.add(item.label));
}

function quoteIfNeeded(value: string): string {
  return value === '*' || /^[\s&*!|>'"%@`#,[\]{}]|: | #|:$/.test(value) ? `"${value}"` : value;
}

/** Subsets of the DestinationRule that applies to the destination's host. */
function subsetItems(context: FeatureContext, cursor: CompletionContext, namespace: string, range: Range): CompletionItem[] {
  const host = cursor.siblings.get('host')?.replace(/^["']|["']$/g, '');
  const items: CompletionItem[] = [];
  const entries = host
    ? context.index.destinationRulesFor(host, namespace).rules
    : [...context.index.resources('DestinationRule')].map((entry) => ({ ...entry, resolvedHost: entry.model.host?.value ?? '' }));
  for (const entry of entries) {
    for (const subset of entry.model.subsets) {
      const labels = Object.entries(subset.labels).map(([k, v]) => `${k}=${v}`).join(', ');
      items.push({
        label: subset.name.value,
        kind: CompletionItemKind.EnumMember,
        detail: labels ? `labels: ${labels}` : 'no labels (selects every pod)',
        documentation: {
          kind: MarkupKind.Markdown,
          value: `Subset of DestinationRule ${markdownCode(`${entry.namespace}/${entry.model.name?.value ?? '?'}`)} for host ${markdownCode(entry.model.host?.value ?? '?')}${labels ? `; selects pods with ${markdownCode(labels)}` : ''}.`,
        },
        sortText: `0${subset.name.value}`,
        textEdit: { range, newText: quoteIfNeeded(subset.name.value) },
      });
    }
  }
  return items;
}

/** Hosts known in the workspace, in the short form (same namespace) and as FQDN. */
function hostItems(context: FeatureContext, namespace: string, range: Range, purpose: 'destination' | 'rule' | 'virtualService'): CompletionItem[] {
  const domain = context.settings.clusterDomain;
  const items: CompletionItem[] = [];
  const add = (label: string, detail: string, sort: string): void => {
    items.push({ label, kind: CompletionItemKind.Reference, detail, sortText: `${sort}${label}`, textEdit: { range, newText: quoteIfNeeded(label) } });
  };
  for (const entry of context.index.resources('Service')) {
    const name = entry.model.name?.value;
    if (!name) continue;
    const fqdn = `${name}.${entry.namespace}.svc.${domain}`;
    if (entry.namespace === namespace) add(name, `Service ${entry.namespace}/${name}`, '0');
    add(fqdn, `Service ${entry.namespace}/${name}`, '1');
  }
  for (const entry of context.index.resources('ServiceEntry')) {
    for (const host of entry.model.hosts) add(host.value, `ServiceEntry ${entry.namespace}/${entry.model.name?.value ?? '?'}`, '0');
  }
  if (purpose !== 'rule') {
    for (const entry of context.index.resources('DestinationRule')) {
      const host = entry.model.host?.value;
      if (!host || host.startsWith('*')) continue;
      const resolved = resolveHost(host, entry.namespace, domain);
      if (entry.namespace === namespace) add(host, `DestinationRule ${entry.namespace}/${entry.model.name?.value ?? '?'}`, '0');
      add(resolved, `DestinationRule ${entry.namespace}/${entry.model.name?.value ?? '?'}`, '1');
    }
  }
  for (const entry of context.index.resources('VirtualService')) {
    for (const host of entry.model.hosts) {
      // A short name means a different service in another namespace.
      if (host.value.startsWith('*') || (!host.value.includes('.') && entry.namespace !== namespace)) continue;
      add(host.value, `VirtualService ${entry.namespace}/${entry.model.name?.value ?? '?'}`, '2');
    }
  }
  return dedupe(items);
}

// ---------------------------------------------------------------------------------------
// Top level and new documents

function topLevelKeys(cursor: CompletionContext, context: FeatureContext): CompletionItem[] {
  const present = cursor.siblings;
  const items: CompletionItem[] = [];
  const add = (label: string, text: string, detail: string): void => {
    if (present.has(label)) return;
    items.push({ label, kind: CompletionItemKind.Property, detail, sortText: `1${label}`, insertText: text, insertTextFormat: InsertTextFormat.Snippet, insertTextMode: InsertTextMode.asIs });
  };
  add('apiVersion', `apiVersion: \${1|${[writableApiVersion(context.settings.defaultApiVersion), ...istioNetworkingVersions.filter((v) => v !== writableApiVersion(context.settings.defaultApiVersion))].join(',')}|}`, 'API group and version');
  add('kind', 'kind: ${1|VirtualService,DestinationRule|}', 'resource kind');
  add('metadata', 'metadata:\n  name: $1\n  namespace: $2', 'name and namespace');
  add('spec', 'spec:\n  $1', 'the resource specification');
  return items;
}

function topLevelValues(cursor: CompletionContext, context: FeatureContext, document: DocumentContext): CompletionItem[] {
  const range = replaceRange(document, cursor);
  // Gateway API routes (issue 13): their group's versions and kinds when the other field says so.
  const gatewayApi = /^["']?(HTTPRoute|GRPCRoute)["']?$/.test(cursor.siblings.get('kind') ?? '') || (cursor.siblings.get('apiVersion') ?? '').replace(/^["']/, '').startsWith('gateway.networking.k8s.io/');
  const routingTest = routingTestTopLevelValues(cursor);
  const values = routingTest ?? (cursor.path[0] === 'apiVersion'
    ? gatewayApi ? ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'] : [writableApiVersion(context.settings.defaultApiVersion), ...istioNetworkingVersions.filter((v) => v !== writableApiVersion(context.settings.defaultApiVersion))]
    : gatewayApi ? ['HTTPRoute', 'GRPCRoute'] : ['VirtualService', 'DestinationRule']);
  return values.map((value, index) => ({ label: value, kind: CompletionItemKind.EnumMember, sortText: `${index}`, textEdit: { range, newText: value } }));
}

/** Complete resources for a new, empty document. */
function skeletons(context: FeatureContext, document: DocumentContext, cursor: CompletionContext): CompletionItem[] {
  if (cursor.siblings.size > 0 || cursor.keyColumn > 0) return [];
  const apiVersion = writableApiVersion(context.settings.defaultApiVersion);
  const percent = context.settings.defaultMirrorPercentage;
  const range = replaceRange(document, cursor);
  const virtualService = [
    `apiVersion: ${apiVersion}`,
    'kind: VirtualService',
    'metadata:',
    '  name: ${1:app}',
    '  namespace: ${2:default}',
    'spec:',
    '  hosts:',
    '  - ${3:$1}',
    '  http:',
    '  - route:',
    '    - destination:',
    '        host: ${3:$1}',
    '        subset: ${4:stable}',
    '    mirror:',
    '      host: ${3:$1}',
    '      subset: ${5:canary}',
    '    mirrorPercentage:',
    `      value: \${6:${percent}}`,
    '',
  ].join('\n');
  const destinationRule = [
    `apiVersion: ${apiVersion}`,
    'kind: DestinationRule',
    'metadata:',
    '  name: ${1:app}',
    '  namespace: ${2:default}',
    'spec:',
    '  host: ${3:$1}',
    '  subsets:',
    '  - name: ${4:stable}',
    '    labels:',
    '      version: ${4:stable}',
    '  - name: ${5:canary}',
    '    labels:',
    '      version: ${5:canary}',
    '',
  ].join('\n');
  const item = (label: string, text: string, detail: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Snippet,
    detail,
    sortText: `0${label}`,
    filterText: label,
    textEdit: { range, newText: text },
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    documentation: { kind: MarkupKind.Markdown, value: `\`\`\`yaml\n${text.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '')}\`\`\`` },
  });
  return [
    item('VirtualService with mirror', virtualService, `VirtualService: all traffic to stable, ${percent} % mirrored to canary`),
    item('DestinationRule with stable and canary subsets', destinationRule, 'DestinationRule with two subsets'),
    httpRouteSkeleton(context, range),
    routingTestSkeleton(context, range),
  ];
}

