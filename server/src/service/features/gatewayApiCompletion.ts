// Completion for Gateway API routes beyond the schema: a filter `type` that brings the body of
// that type with it (`type: RequestMirror` + `requestMirror: {backendRef…}`), backendRef names
// from the workspace's Services and ports from the Service named, and a new HTTPRoute with a
// mirror for an empty document. Called by completion.ts for HTTPRoute and GRPCRoute documents.

import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { hostBackends } from '../workspace/workspaceQueries';
import type { Range } from '../types';
import type { CompletionContext } from './completionContext';
import type { FeatureContext } from './featureContext';
import { markdownCode } from '../util/markdownText';

/** The body each filter type needs, as snippet lines relative to the filter's key column. */
function filterBody(type: string, percent: number): string[] | undefined {
  switch (type) {
    case 'RequestMirror':
      return ['requestMirror:', '  backendRef:', '    name: ${1}', '    port: ${2}', `  percent: \${3:${percent}}`];
    case 'RequestHeaderModifier':
      return ['requestHeaderModifier:', '  set:', '  - name: ${1}', '    value: ${2}'];
    case 'ResponseHeaderModifier':
      return ['responseHeaderModifier:', '  set:', '  - name: ${1}', '    value: ${2}'];
    case 'RequestRedirect':
      return ['requestRedirect:', '  scheme: ${1|https,http|}', '  statusCode: ${2|301,302,303,307,308|}'];
    case 'URLRewrite':
      return ['urlRewrite:', '  path:', '    type: ${1|ReplacePrefixMatch,ReplaceFullPath|}', '    replacePrefixMatch: ${2:/}'];
    case 'CORS':
      return ['cors:', '  allowOrigins:', '  - ${1:https://example.com}'];
    case 'ExtensionRef':
      return ['extensionRef:', '  group: ${1}', '  kind: ${2}', '  name: ${3}'];
    default:
      return undefined;
  }
}

const bodyKeys = ['requestHeaderModifier', 'responseHeaderModifier', 'requestMirror', 'requestRedirect', 'urlRewrite', 'cors', 'extensionRef', 'externalAuth'];

function isFilterPath(path: readonly (string | number)[]): boolean {
  return path.length >= 2 && typeof path[path.length - 1] === 'number' && path[path.length - 2] === 'filters';
}

/**
 * Value items for a filter's `type`: each type with its body inserted on the lines below, when
 * the filter is written in block style and has no body yet. Undefined when this is not a filter type.
 */
export function filterTypeItems(types: readonly string[], cursor: CompletionContext, range: Range, context: FeatureContext): CompletionItem[] | undefined {
  if (cursor.mode !== 'value' || cursor.path[cursor.path.length - 1] !== 'type' || !isFilterPath(cursor.path.slice(0, -1))) return undefined;
  const hasBody = bodyKeys.some((key) => cursor.siblings.has(key));
  return types.map((type, index) => {
    const body = !cursor.inFlow && !hasBody ? filterBody(type, context.settings.defaultMirrorPercentage) : undefined;
    const indent = ' '.repeat(cursor.keyColumn);
    const item: CompletionItem = {
      label: type,
      kind: CompletionItemKind.EnumMember,
      detail: body ? `${type} filter with its ${body[0].replace(':', '')} body` : 'filter type',
      sortText: `${type === 'RequestMirror' ? '0' : '1'}${index}`,
      textEdit: { range, newText: body ? `${type}\n${body.map((line) => indent + line).join('\n')}` : type },
    };
    if (body) {
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.insertTextMode = InsertTextMode.asIs;
    }
    return item;
  });
}

/** Values for `name` and `port` of a backendRef (or a mirror's backendRef) from the workspace's Services. */
export function backendRefItems(cursor: CompletionContext, range: Range, context: FeatureContext, routeNamespace: string): CompletionItem[] {
  const key = cursor.path[cursor.path.length - 1];
  const owner = cursor.path[cursor.path.length - 2];
  const inBackend = owner === 'backendRef' || (typeof owner === 'number' && cursor.path[cursor.path.length - 3] === 'backendRefs');
  if (cursor.mode !== 'value' || !inBackend) return [];
  const kind = cursor.siblings.get('kind');
  const group = cursor.siblings.get('group');
  if ((kind !== undefined && kind !== 'Service') || (group !== undefined && group !== '' && group !== '""')) return [];
  const namespace = unquote(cursor.siblings.get('namespace')) ?? routeNamespace;
  const items: CompletionItem[] = [];
  if (key === 'name') {
    for (const entry of context.index.resources('Service')) {
      const name = entry.model.name?.value;
      if (!name || entry.namespace !== namespace) continue;
      const ports = entry.model.ports.map((port) => `${port.number}${port.name ? ` (${port.name})` : ''}`).join(', ');
      items.push({
        label: name,
        kind: CompletionItemKind.Reference,
        detail: `Service ${entry.namespace}/${name}`,
        documentation: { kind: MarkupKind.Markdown, value: `Service ${markdownCode(`${entry.namespace}/${name}`)}${ports ? `, ports ${markdownCode(ports)}` : ''}${entry.model.selector ? `; selects ${Object.entries(entry.model.selector).map(([k, v]) => markdownCode(`${k}=${v}`)).join(', ')}` : ''}.` },
        sortText: `0${name}`,
        textEdit: { range, newText: name },
      });
    }
  } else if (key === 'port') {
    const name = unquote(cursor.siblings.get('name'));
    if (!name) return [];
    const service = hostBackends(context.index, `${name}.${namespace}.svc.${context.index.analysisContext.clusterDomain}`, routeNamespace).services[0];
    for (const port of service?.model.ports ?? []) {
      items.push({
        label: String(port.number),
        kind: CompletionItemKind.Value,
        detail: `port of Service ${service?.namespace}/${name}${port.name ? ` (${port.name})` : ''}`,
        sortText: `0${String(port.number).padStart(5, '0')}`,
        textEdit: { range, newText: String(port.number) },
      });
    }
  }
  return items;
}

function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/^["']|["']$/g, '');
  return text === '' ? undefined : text;
}

/** A new HTTPRoute that mirrors, for an empty document. */
export function httpRouteSkeleton(context: FeatureContext, range: Range): CompletionItem {
  const percent = context.settings.defaultMirrorPercentage;
  const text = [
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    '  name: ${1:app}',
    '  namespace: ${2:default}',
    'spec:',
    '  parentRefs:',
    '  - group: ""',
    '    kind: Service',
    '    name: ${1:app}',
    '    port: ${3:80}',
    '  rules:',
    '  - filters:',
    '    - type: RequestMirror',
    '      requestMirror:',
    '        backendRef:',
    '          name: ${4:$1-canary}',
    '          port: ${3:80}',
    `        percent: \${5:${percent}}`,
    '    backendRefs:',
    '    - name: ${6:$1-stable}',
    '      port: ${3:80}',
    '',
  ].join('\n');
  return {
    label: 'HTTPRoute with RequestMirror',
    kind: CompletionItemKind.Snippet,
    detail: `Gateway API HTTPRoute (mesh): all requests to stable, ${percent} % mirrored to canary`,
    sortText: '0HTTPRoute',
    filterText: 'HTTPRoute with RequestMirror',
    textEdit: { range, newText: text },
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    documentation: { kind: MarkupKind.Markdown, value: 'A GAMMA HTTPRoute attached to the Service; each version has its own Service (HTTPRoute has no subsets).' },
  };
}
