// Completion in RoutingTest documents (istio-mirror's test format) beyond what its schema
// gives: hosts, subsets, VirtualService names and Gateways from the workspace, the format's
// apiVersion and kind, and a skeleton for a new file. Keys and enums come from
// schemas/routingTest.schema.json through completion.ts like every other kind.

import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { child } from '../parse/yamlDocument';
import { routingTestApiVersions, routingTestKind } from '../model/routingTestModel';
import type { Range } from '../types';
import type { CompletionContext } from './completionContext';
import type { DocumentContext } from './documentAt';
import type { FeatureContext } from './featureContext';

export interface WorkspaceValueItems {
  hosts(namespace: string, range: Range): CompletionItem[];
  subsets(cursor: CompletionContext, namespace: string, range: Range): CompletionItem[];
}

/** The namespace the document's short hosts resolve in: `spec.defaults.namespace`, else the default. */
export function routingTestNamespace(document: DocumentContext, defaultNamespace: string): string {
  const value = (child(child(child(document.yaml.doc.contents, 'spec'), 'defaults'), 'namespace') as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' && value !== '' ? value : defaultNamespace;
}

export function routingTestValueItems(cursor: CompletionContext, range: Range, context: FeatureContext, document: DocumentContext, workspace: WorkspaceValueItems): CompletionItem[] {
  const key = cursor.path[cursor.path.length - 1];
  const namespace = routingTestNamespace(document, context.settings.defaultNamespace);
  const items: CompletionItem[] = [];
  const add = (label: string, detail: string, sort: string, kind: CompletionItemKind = CompletionItemKind.Reference): void => {
    items.push({ label, kind, detail, sortText: `${sort}${label}`, textEdit: { range, newText: label } });
  };
  if (key === 'host') items.push(...workspace.hosts(namespace, range));
  else if (key === 'subset') items.push(...workspace.subsets(cursor, namespace, range));
  else if (key === 'virtualService') {
    for (const entry of context.index.resources('VirtualService')) {
      const name = entry.model.name?.value;
      if (name) add(`${entry.namespace}/${name}`, `hosts: ${entry.model.hosts.map((host) => host.value).join(', ')}`, '0');
    }
  } else if (key === 'gateway') {
    add('mesh', 'a sidecar in the mesh (the default)', '0', CompletionItemKind.Keyword);
    for (const entry of context.index.resources('Gateway')) {
      const name = entry.model.name?.value;
      if (name) add(`${entry.namespace}/${name}`, `Gateway ${entry.namespace}/${name}`, '1');
    }
  } else if (key === 'name' && cursor.path.includes('expect')) {
    const names = new Set<string>();
    for (const entry of context.index.resources('VirtualService')) for (const rule of entry.model.http) if (rule.name) names.add(rule.name);
    for (const name of [...names].sort()) add(name, 'http rule name', '0');
  } else if (key === 'namespace') {
    const namespaces = new Set<string>();
    for (const entry of context.index.resources('VirtualService')) namespaces.add(entry.namespace);
    for (const name of [...namespaces].sort()) add(name, 'namespace of a VirtualService', '0', CompletionItemKind.Folder);
  }
  return items;
}

/** `apiVersion` / `kind` values when the other field names the RoutingTest format. */
export function routingTestTopLevelValues(cursor: CompletionContext): string[] | undefined {
  const kind = (cursor.siblings.get('kind') ?? '').replace(/^["']|["']$/g, '');
  const apiVersion = (cursor.siblings.get('apiVersion') ?? '').replace(/^["']|["']$/g, '');
  if (kind !== routingTestKind && !apiVersion.startsWith('istio-mirror.dev/')) return undefined;
  return cursor.path[0] === 'apiVersion' ? [...routingTestApiVersions] : [routingTestKind];
}

/** A new RoutingTest document: one test for a host of the workspace. */
export function routingTestSkeleton(context: FeatureContext, range: Range): CompletionItem {
  const virtualService = [...context.index.resources('VirtualService')].find((entry) => entry.model.hosts.length > 0);
  const host = virtualService?.model.hosts[0]?.value ?? 'reviews';
  const namespace = virtualService?.namespace ?? context.settings.defaultNamespace;
  const text = [
    `apiVersion: ${routingTestApiVersions[0]}`,
    `kind: ${routingTestKind}`,
    'metadata:',
    '  name: ${1:routing}',
    'spec:',
    '  defaults:',
    `    namespace: \${2:${namespace}}`,
    '  tests:',
    '  - name: ${3:what this request must do}',
    '    request:',
    `      host: \${4:${host}}`,
    '      path: ${5:/}',
    '    expect:',
    `      destinations:`,
    `      - host: \${4:${host}}`,
    '      mirrors: []',
    '',
  ].join('\n');
  return {
    label: 'RoutingTest (istio-mirror test)',
    kind: CompletionItemKind.Snippet,
    detail: 'requests and where they must go and be mirrored',
    sortText: '0RoutingTest',
    filterText: 'RoutingTest',
    textEdit: { range, newText: text },
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    documentation: { kind: MarkupKind.Markdown, value: `\`\`\`yaml\n${text.replace(/\$\{\d+:([^}]*)\}/g, '$1')}\`\`\`` },
  };
}
