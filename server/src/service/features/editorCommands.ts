// The service side of the editor's commands: what the document under the cursor is (status
// item), and which mirror targets the route under the cursor can use. (The edits that add a
// mirror or create a DestinationRule live in edits/commandEdits.ts.)

import { resolveHost } from '../model/hostNames';
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
  /** True when the document under the cursor is a Helm (Go) template: not YAML until rendered, so not checked. */
  template?: boolean;
  /** How many documents of the file are templates. */
  templateDocuments?: number;
}

export function resourceInfo(context: FeatureContext, uri: string, position: Position): ResourceInfo {
  const file = context.index.getFile(uri);
  if (!file) return { validated: false, documents: 0, validatedDocuments: 0 };
  const documents = file.documents.filter((document) => document.text.trim() !== '' && document.text.trim() !== '---');
  const validatedDocuments = file.documents.filter((document) => document.analysis.validated).length;
  const document = documentContextAt(file, position);
  const identity = document ? identify(document.yaml) : {};
  const template = document?.indexed.analysis.template === true;
  const templateDocuments = file.documents.filter((candidate) => candidate.analysis.template).length;
  const info: ResourceInfo = {
    validated: document && !template ? validatedKind(identity) !== undefined : false,
    documents: documents.length,
    validatedDocuments,
  };
  if (template) info.template = true;
  if (templateDocuments > 0) info.templateDocuments = templateDocuments;
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
  /**
   * `destination`: the route already sends its requests there (mirroring there is IM2007);
   * `mirror`: the route already mirrors there. Such targets come last.
   */
  usedAs?: 'destination' | 'mirror';
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
 * of each host the route sends to defines. Fresh targets come first (the usual choice, the
 * canary subset of the same service); targets the route already mirrors to follow, and the
 * route's own destinations come last, marked: mirroring there is IM2007.
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
  const { clusterDomain } = context.settings;
  const key = (host: string, subset: string | undefined): string => `${resolveHost(host, namespace, clusterDomain)}|${subset ?? ''}`;
  const hosts = [...new Set(rule.destinations.map((destination) => destination.host?.value).filter((host): host is string => !!host))];
  const destinations = new Set(rule.destinations.filter((destination) => destination.host).map((destination) => key(destination.host!.value, destination.subset?.value)));
  const mirrored = new Set(rule.mirrors.filter((mirror) => mirror.host).map((mirror) => key(mirror.host!.value, mirror.subset?.value)));
  const fresh: MirrorTarget[] = [];
  const alreadyMirrored: MirrorTarget[] = [];
  const own: MirrorTarget[] = [];
  const seen = new Set<string>();
  for (const host of hosts) {
    for (const entry of context.index.destinationRulesFor(host, namespace).rules) {
      for (const subset of entry.model.subsets) {
        const id = key(host, subset.name.value);
        if (seen.has(id)) continue;
        seen.add(id);
        const labels = Object.entries(subset.labels).map(([name, value]) => `${name}=${value}`).join(', ');
        const target: MirrorTarget = {
          host,
          subset: subset.name.value,
          description: `subset of DestinationRule ${entry.namespace}/${entry.model.name?.value ?? '?'}${labels ? `, labels ${labels}` : ''}`,
        };
        if (destinations.has(id)) own.push({ ...target, usedAs: 'destination' });
        else if (mirrored.has(id)) alreadyMirrored.push({ ...target, usedAs: 'mirror' });
        else fresh.push(target);
      }
    }
  }
  result.targets = [...fresh, ...alreadyMirrored, ...own];
  return result;
}
