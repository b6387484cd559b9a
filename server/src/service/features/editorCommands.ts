// The service side of the editor's commands: what the document under the cursor is (status
// item), and which mirror targets the route under the cursor can use. (The edits that add a
// mirror or create a DestinationRule live in edits/commandEdits.ts.)

import { identify, namespaceOf, validatedKind, type RouteRuleModel, type VirtualServiceModel } from '../model/resourceModel';
import type { Position, Range } from '../types';
import { documentContextAt, toFileRange, type DocumentContext } from './documentAt';
import type { FeatureContext } from './featureContext';

export interface ResourceInfo {
  /** `VirtualService`, `DestinationRule`, another kind, or undefined for non-Kubernetes YAML. */
  kind?: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  /** True for the kinds istio-mirror validates. */
  validated: boolean;
  /** Documents in the file, and how many of them are validated. */
  documents: number;
  validatedDocuments: number;
}

export function resourceInfo(context: FeatureContext, uri: string, position: Position): ResourceInfo {
  const file = context.index.getFile(uri);
  if (!file) return { validated: false, documents: 0, validatedDocuments: 0 };
  const documents = file.documents.filter((document) => document.text.trim() !== '' && document.text.trim() !== '---');
  const validatedDocuments = file.documents.filter((document) => document.analysis.validated).length;
  const document = documentContextAt(file, position);
  const identity = document ? identify(document.yaml) : {};
  const info: ResourceInfo = {
    validated: document ? validatedKind(identity) !== undefined : false,
    documents: documents.length,
    validatedDocuments,
  };
  if (identity.kind) info.kind = identity.kind;
  if (identity.apiVersion) info.apiVersion = identity.apiVersion;
  if (identity.name) info.name = identity.name.value;
  if (identity.namespace) info.namespace = identity.namespace.value;
  return info;
}

export interface MirrorTarget {
  host: string;
  subset?: string;
  /** e.g. "subset of DestinationRule demo/reviews, labels version=v2". */
  description: string;
}

export interface MirrorTargets {
  /** Undefined when the cursor is not in an HTTP route of a VirtualService. */
  route?: { index: number; name?: string; range: Range; hasMirror: boolean; hasMirrors: boolean };
  targets: MirrorTarget[];
  defaultPercentage: number;
}

/** The HTTP rule of a VirtualService that contains `position`, with its document. */
export function httpRuleAt(context: FeatureContext, uri: string, position: Position): { document: DocumentContext; model: VirtualServiceModel; rule: RouteRuleModel } | undefined {
  const file = context.index.getFile(uri);
  if (!file) return undefined;
  const document = documentContextAt(file, position);
  const model = document?.indexed.analysis.model;
  if (!document || model?.kind !== 'VirtualService') return undefined;
  const line = position.line - document.startLine;
  const rule = model.http.find((candidate) => candidate.fullRange.start.line <= line && line <= candidate.fullRange.end.line);
  return rule ? { document, model, rule } : undefined;
}

/**
 * Candidate mirror targets for the route under the cursor: every subset the DestinationRule
 * of each host the route sends to defines (its current destinations' subsets last), so the
 * usual choice — the canary subset of the same service — comes first.
 */
export function mirrorTargets(context: FeatureContext, uri: string, position: Position): MirrorTargets {
  const found = httpRuleAt(context, uri, position);
  const result: MirrorTargets = { targets: [], defaultPercentage: context.settings.defaultMirrorPercentage };
  if (!found) return result;
  const { document, model, rule } = found;
  result.route = {
    index: rule.index,
    range: toFileRange(document, rule.fullRange),
    hasMirror: rule.mirrors.some((mirror) => mirror.role === 'mirror'),
    hasMirrors: rule.mirrors.some((mirror) => mirror.role === 'mirrors'),
  };
  if (rule.name !== undefined) result.route.name = rule.name;
  const namespace = namespaceOf(model, context.settings.defaultNamespace);
  const hosts = [...new Set(rule.destinations.map((destination) => destination.host?.value).filter((host): host is string => !!host))];
  const used = new Set([...rule.destinations, ...rule.mirrors].map((destination) => `${destination.host?.value}|${destination.subset?.value ?? ''}`));
  const preferred: MirrorTarget[] = [];
  const others: MirrorTarget[] = [];
  for (const host of hosts) {
    for (const entry of context.index.destinationRulesFor(host, namespace).rules) {
      for (const subset of entry.model.subsets) {
        const labels = Object.entries(subset.labels).map(([key, value]) => `${key}=${value}`).join(', ');
        const target: MirrorTarget = {
          host,
          subset: subset.name.value,
          description: `subset of DestinationRule ${entry.namespace}/${entry.model.name?.value ?? '?'}${labels ? `, labels ${labels}` : ''}`,
        };
        (used.has(`${host}|${subset.name.value}`) ? others : preferred).push(target);
      }
    }
  }
  result.targets = [...preferred, ...others];
  return result;
}
