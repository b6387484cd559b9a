// Completion from what runs behind a host: the label keys and values of the pods a
// DestinationRule's Service selects (for `subsets[].labels`), and the ports the Service or
// ServiceEntry exposes (for a VirtualService destination's or mirror's `port.number`). Answered
// through the workspace queries; silent when the workspace does not hold the Service.

import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { isScalar } from 'yaml';
import type { YamlDocument } from '../parse/yamlDocument';
import { replicaCount, type WorkloadModel } from '../model/workloadModel';
import type { IndexedResource } from '../workspace/workspaceIndex';
import { hostBackends, resourceName, serviceForHost, workloadsOfService } from '../workspace/workspaceQueries';
import { hasPlaceholder } from '../model/hostNames';
import type { Range } from '../types';
import type { CompletionContext } from './completionContext';
import type { FeatureContext } from './featureContext';
import { markdownCode } from './workloadHover';

type Path = readonly (string | number)[];


/** `spec.subsets[i].labels` (key mode) or one of its keys (value mode). */
export function isSubsetLabelsPath(path: Path, mode: 'key' | 'value'): boolean {
  const labelsAt = mode === 'key' ? path.length - 1 : path.length - 2;
  return labelsAt === 3 && path[0] === 'spec' && path[1] === 'subsets' && typeof path[2] === 'number' && path[3] === 'labels';
}

/** `….destination.port.number` or `….mirror.port.number` of a VirtualService. */
export function isDestinationPortPath(path: Path): boolean {
  const n = path.length;
  return n >= 3 && path[n - 1] === 'number' && path[n - 2] === 'port' && (path[n - 3] === 'destination' || path[n - 3] === 'mirror');
}

function scalarAt(yaml: YamlDocument, path: Path): string | undefined {
  const node = yaml.doc.getIn(path, true);
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** The pods behind a DestinationRule's host: the workloads its Service selects. */
function podsBehindRule(context: FeatureContext, yaml: YamlDocument, namespace: string): { workloads: IndexedResource<WorkloadModel>[]; selectorKeys: Set<string> } | undefined {
  const host = scalarAt(yaml, ['spec', 'host']);
  if (!host || hasPlaceholder(host)) return undefined;
  const service = serviceForHost(context.index, host, namespace);
  if (!service) return undefined;
  const workloads = workloadsOfService(context.index, service);
  return workloads.length > 0 ? { workloads, selectorKeys: new Set(Object.keys(service.model.selector ?? {})) } : undefined;
}

function podSummary(entry: IndexedResource<WorkloadModel>): string {
  const replicas = replicaCount(entry.model);
  return `${entry.model.kind} ${resourceName(entry)}${replicas === undefined ? '' : ` (${replicas} ${replicas === 1 ? 'replica' : 'replicas'})`}`;
}

/** Label keys of the pods behind the rule's host; the keys beyond the Service's selector first. */
export function subsetLabelKeyItems(context: FeatureContext, yaml: YamlDocument, cursor: CompletionContext, namespace: string, range: Range): CompletionItem[] {
  const pods = podsBehindRule(context, yaml, namespace);
  if (!pods) return [];
  const values = new Map<string, Set<string>>();
  for (const entry of pods.workloads) {
    for (const [key, value] of Object.entries(entry.model.podLabels)) {
      if (cursor.siblings.has(key) || hasPlaceholder(value)) continue;
      let set = values.get(key);
      if (!set) values.set(key, (set = new Set()));
      set.add(value);
    }
  }
  return [...values].map(([key, seen]) => {
    const inSelector = pods.selectorKeys.has(key);
    return {
      label: key,
      kind: CompletionItemKind.Property,
      detail: `pod label: ${[...seen].join(', ')}`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: inSelector
          ? `Every pod of the Service carries ${markdownCode(key)} (it is in the Service's selector), so it does not tell versions apart.`
          : `Carried by the pods of ${pods.workloads.filter((entry) => entry.model.podLabels[key] !== undefined).map((entry) => markdownCode(resourceName(entry))).join(', ')}.`,
      },
      sortText: `${inSelector ? '1' : '0'}${key}`,
      textEdit: { range, newText: `${key}: ` },
    };
  });
}

/** Values of one label key on the pods behind the rule's host, each with the workloads that carry it. */
export function subsetLabelValueItems(context: FeatureContext, yaml: YamlDocument, key: string, namespace: string, range: Range): CompletionItem[] {
  const pods = podsBehindRule(context, yaml, namespace);
  if (!pods) return [];
  const byValue = new Map<string, IndexedResource<WorkloadModel>[]>();
  for (const entry of pods.workloads) {
    const value = entry.model.podLabels[key];
    if (value === undefined || hasPlaceholder(value)) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), entry]);
  }
  return [...byValue].map(([value, workloads]) => ({
    label: value,
    kind: CompletionItemKind.Value,
    detail: `selects ${workloads.map(podSummary).join(', ')}`,
    sortText: `0${value}`,
    textEdit: { range, newText: /^[\w.-]+$/.test(value) && !/^(true|false|null|~|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(value) ? value : JSON.stringify(value) },
  }));
}

/** Ports of the destination's (or mirror's) host, from its Service or ServiceEntries. */
export function destinationPortItems(context: FeatureContext, yaml: YamlDocument, path: Path, namespace: string, range: Range): CompletionItem[] {
  const host = scalarAt(yaml, [...path.slice(0, -2), 'host']);
  if (!host || hasPlaceholder(host)) return [];
  const backends = hostBackends(context.index, host, namespace);
  const owner = backends.services[0] ?? backends.serviceEntries[0];
  if (!owner) return [];
  const ownerName = `${owner.model.kind} ${resourceName(owner)}`;
  return backends.ports.map((port) => ({
    label: String(port.number),
    kind: CompletionItemKind.Value,
    detail: `port of ${ownerName}${port.name ? ` (${port.name})` : ''}`,
    sortText: `0${String(port.number).padStart(5, '0')}`,
    textEdit: { range, newText: String(port.number) },
  }));
}
