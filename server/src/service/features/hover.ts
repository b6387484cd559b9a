// Hover: field documentation from the schemas, plus what the field means here at runtime —
// the share of requests a mirror receives, the normalised split of a route, the
// DestinationRule and labels a subset resolves to (or why it resolves to none), the pods behind
// it and the load a mirror puts on them (workloadHover.ts), and what a host name expands to.

import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { isScalar } from 'yaml';
import { resolveHost } from '../model/hostNames';
import { identify, namespaceOf, validatedKind, type DestinationModel, type RouteRuleModel, type VirtualServiceModel } from '../model/resourceModel';
import { formatPercent, normalisedShares } from '../model/trafficShares';
import { nodeRange } from '../parse/yamlDocument';
import { cursorAt } from '../schema/schemaNavigator';
import type { Position } from '../types';
import { documentContextAt, nodeAtOffset, offsetOf, toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { schemaDocumentation } from './schemaDocs';
import { mirrorSubsetMonitoringHover } from './mirrorMonitoringHover';
import { gatewayRouteHover } from './gatewayApiHover';
import { markdownCode, markdownText } from '../util/markdownText';
import { destinationPodsHover, mirrorLoadHover, ruleSubsetPodsHover } from './workloadHover';
import { ignoredMirrorsNote, mirrorPolicyMarkdown, mirrorPolicyViews } from './mirrorPolicyView';
import { virtualServiceSpec } from './virtualServiceSpecs';
import { releaseOfSetting } from '../model/istioReleases';

/**
 * `onProblem`: one of our diagnostics covers the position. VS Code then shows its message and
 * its quick fixes in the same hover, so ours says nothing the message already says (no subset
 * or host lookup, no monitoring notes) and keeps to the field's one-line summary: the quick
 * fixes stay in view without scrolling.
 */
export function doHover(context: FeatureContext, uri: string, position: Position, onProblem = false): Hover | null {
  const file = context.index.getFile(uri);
  if (!file) return null;
  const document = documentContextAt(file, position);
  if (!document) return null;
  const kind = validatedKind(identify(document.yaml));
  if (!kind) return null;
  const location = nodeAtOffset(document.yaml, offsetOf(document, position));
  if (!location || location.path.length === 0) return null;
  const path = location.path;
  const key = [...path].reverse().find((step): step is string => typeof step === 'string');
  if (key === undefined) return null;

  const sections: string[] = [];
  const model = document.indexed.analysis.model;
  const namespace = namespaceOf(identify(document.yaml), context.settings.defaultNamespace);
  const onValue = !location.onKey && isScalar(location.node);
  const last = path[path.length - 1];

  if (onProblem) {
    // Only the field's summary line, and the Envoy mirror policy Istio sends (no message says
    // that): the diagnostic above the hover carries the other facts.
    // On a mirror's percentage, not on a destination (whose finding is about its host or subset).
    if (model?.kind === 'VirtualService' && path[1] === 'http' && typeof path[2] === 'number' && !destinationAt(model, path)) {
      const policy = envoyMirrorPolicyHover(context, document.uri, document.documentIndex, path, undefined);
      if (policy) sections.push(policy);
    }
  } else if (model?.kind === 'VirtualService') {
    const destination = destinationAt(model, path);
    const rule = ruleAt(model, path);
    const load = (): void => {
      const text = rule && destination && destination.role !== 'route' ? mirrorLoadHover(context, rule, destination, namespace) : undefined;
      if (text) sections.push(text);
    };
    if (destination && last === 'subset' && onValue) {
      sections.push(subsetHover(context, destination, namespace));
      const pods = destinationPodsHover(context, destination, namespace);
      if (pods) sections.push(pods);
      load();
      if (destination.role !== 'route') {
        const monitoring = mirrorSubsetMonitoringHover(context, destination, namespace);
        if (monitoring) sections.push(monitoring);
      }
    }
    if (destination && last === 'host' && onValue) {
      sections.push(hostHover(context, destination.host?.value ?? '', namespace));
      load();
    }
    if (rule && !onValue) {
      const runtime = ruleRuntimeHover(rule, path);
      if (runtime) sections.push(runtime);
    }
    if (rule && path[1] === 'http' && typeof path[2] === 'number') {
      const policy = envoyMirrorPolicyHover(context, document.uri, document.documentIndex, path, destination);
      if (policy) sections.push(policy);
    }
  } else if (model?.kind === 'HTTPRoute' || model?.kind === 'GRPCRoute') {
    const runtime = gatewayRouteHover(context, model, path, namespace);
    if (runtime) sections.push(runtime);
  } else if (model?.kind === 'DestinationRule' && path.length === 2 && last === 'host' && onValue) {
    sections.push(hostHover(context, model.host?.value ?? '', namespace));
  } else if (model?.kind === 'DestinationRule' && path[0] === 'spec' && path[1] === 'subsets' && typeof path[2] === 'number' && (path[3] === 'name' || path[3] === 'labels')) {
    const subset = model.subsets[path[2]];
    const pods = subset ? ruleSubsetPodsHover(context, model.host?.value, subset, namespace) : undefined;
    if (pods) sections.push(pods);
  }

  const schema = cursorAt(kind, path);
  const node = schema.nodes[0];
  if (node && typeof last === 'string') sections.push(onProblem ? schemaDocumentation(last, node).split('\n')[0]! : schemaDocumentation(last, node));
  if (sections.length === 0) return null;
  const target = location.onKey ? location.pair?.key : location.node;
  const range = target ? toFileRange(document, nodeRange(document.yaml, target)) : undefined;
  const hover: Hover = { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
  if (range && range.start.line === range.end.line) hover.range = range;
  return hover;
}

/**
 * The Envoy mirror policy of the mirror under the cursor (a `mirror`/`mirrors` entry, or the
 * rule's `mirrorPercentage`), or of every `mirrors` entry on the `mirrors` key.
 */
function envoyMirrorPolicyHover(context: FeatureContext, uri: string, documentIndex: number, path: (string | number)[], destination: DestinationModel | undefined): string | undefined {
  const field = path[3];
  let wanted: { role: 'mirror' | 'mirrors'; position?: number } | undefined;
  if (destination && destination.role !== 'route') wanted = destination.role === 'mirror' ? { role: 'mirror' } : { role: 'mirrors', position: destination.entryIndex };
  else if (field === 'mirror' || field === 'mirrorPercentage' || field === 'mirrorPercent' || field === 'mirror_percent') wanted = { role: 'mirror' };
  else if (field === 'mirrors') wanted = typeof path[4] === 'number' ? { role: 'mirrors', position: path[4] } : { role: 'mirrors' };
  if (!wanted) return undefined;
  const entry = [...context.index.resources('VirtualService')].find((candidate) => candidate.uri === uri && candidate.documentIndex === documentIndex);
  if (!entry) return undefined;
  const spec = virtualServiceSpec(context, entry);
  const release = releaseOfSetting(context.settings.istioVersion);
  const httpIndex = path[2] as number;
  if (wanted.role === 'mirrors') {
    const ignored = ignoredMirrorsNote(spec, httpIndex, release);
    if (ignored) return `**Envoy mirror policy:** ${ignored}`;
  }
  const views = mirrorPolicyViews(context, spec, httpIndex, release).filter((view) => view.role === wanted.role && (wanted.position === undefined || view.position === wanted.position));
  return views.length > 0 ? views.map(mirrorPolicyMarkdown).join('\n\n') : undefined;
}

function rulesOf(model: VirtualServiceModel, protocol: unknown): RouteRuleModel[] | undefined {
  return protocol === 'http' || protocol === 'tcp' || protocol === 'tls' ? model[protocol] : undefined;
}

function ruleAt(model: VirtualServiceModel, path: (string | number)[]): RouteRuleModel | undefined {
  if (path[0] !== 'spec' || typeof path[2] !== 'number') return undefined;
  return rulesOf(model, path[1])?.[path[2]];
}

/** The destination (route entry, mirror or mirrors entry) whose field `path` points into. */
function destinationAt(model: VirtualServiceModel, path: (string | number)[]): DestinationModel | undefined {
  const rule = ruleAt(model, path);
  if (!rule) return undefined;
  const within = (destination: DestinationModel): boolean =>
    destination.path.length < path.length && destination.path.every((step, index) => path[index] === step);
  return [...rule.destinations, ...rule.mirrors].find(within);
}

function target(destination: DestinationModel): string {
  const host = destination.host?.value ?? '(no host)';
  return destination.subset ? `${markdownText(host)} subset ${markdownText(destination.subset.value)}` : markdownText(host);
}

function ruleRuntimeHover(rule: RouteRuleModel, path: (string | number)[]): string | undefined {
  const field = path[3];
  if (field === 'mirrorPercentage' || field === 'mirrorPercent' || field === 'mirror_percent' || field === 'mirror') {
    const mirror = rule.mirrors.find((candidate) => candidate.role === 'mirror');
    if (!mirror) return field === 'mirror' ? undefined : '**In this route:** there is no `mirror`, so this percentage does nothing (with `mirrors`, each entry has its own `percentage`).';
    return `**In this route:** ${formatPercent(mirror.percent ?? 100)} of the requests this rule handles are also copied to ${target(mirror)}. The copy is fire-and-forget: its response is discarded and cannot affect the caller. Leaving \`mirrorPercentage\` out means 100 %; \`mirrorPercentage: {}\` means 0 %.`;
  }
  if (field === 'mirrors') {
    const mirrors = rule.mirrors.filter((candidate) => candidate.role === 'mirrors');
    if (mirrors.length === 0) return undefined;
    return `**In this route:** ${mirrors.map((mirror) => `${formatPercent(mirror.percent ?? 100)} copied to ${target(mirror)}`).join('; ')}. Each target is sampled independently; responses are discarded.`;
  }
  if (field === 'route') {
    if (rule.destinations.length === 0) return undefined;
    const shares = normalisedShares(rule.destinations.map((destination) => destination.weight));
    const lines = rule.destinations.map((destination, index) => `- ${target(destination)}: **${formatPercent(shares[index] ?? 0)}**${destination.weight !== undefined ? ` (weight ${destination.weight})` : ''}`);
    const note = rule.destinations.length > 1 ? 'Weights are relative: each destination gets weight ÷ sum of weights.' : 'A single destination receives every request.';
    return `**Traffic split of this rule:**\n\n${lines.join('\n')}\n\n${note}${rule.unreachableReason ? `\n\n⚠ This rule is never used: ${markdownText(rule.unreachableReason)}.` : ''}`;
  }
  return undefined;
}

function subsetHover(context: FeatureContext, destination: DestinationModel, namespace: string): string {
  const subset = destination.subset?.value ?? '';
  const host = destination.host?.value;
  if (!host) return `Subset ${markdownCode(String(subset))}: this destination has no \`host\`, so no DestinationRule can define it.`;
  const resolved = resolveHost(host, namespace, context.settings.clusterDomain);
  const lookup = context.index.destinationRulesFor(host, namespace);
  if (lookup.match === 'none') {
    return `Subset ${markdownCode(String(subset))} of ${markdownCode(String(resolved))}: **no DestinationRule** in the workspace has this host, so the subset is undefined${destination.role === 'route' ? ' (requests would fail with 503)' : ' (every mirrored copy would be dropped silently)'}.`;
  }
  for (const entry of lookup.rules) {
    const found = entry.model.subsets.find((candidate) => candidate.name.value === subset);
    if (found) {
      const labels = Object.entries(found.labels).map(([k, v]) => `${markdownCode(`${k}=${v}`)}`).join(', ');
      return `Subset ${markdownCode(String(subset))} of ${markdownCode(String(resolved))}, defined by DestinationRule ${markdownCode(`${entry.namespace}/${entry.model.name?.value ?? '?'}`)}${lookup.match === 'wildcard' ? ` (wildcard host ${markdownCode(`${entry.model.host?.value}`)})` : ''}: selects pods with ${labels || 'any labels (the subset has none)'}.`;
    }
  }
  const defined = lookup.rules.flatMap((entry) => entry.model.subsets.map((s) => `${markdownCode(String(s.name.value))}`));
  return `Subset ${markdownCode(String(subset))} of ${markdownCode(String(resolved))}: **not defined** by DestinationRule ${lookup.rules.map((entry) => `${markdownCode(`${entry.namespace}/${entry.model.name?.value ?? '?'}`)}`).join(', ')}, which defines ${defined.join(', ') || 'no subsets'}.`;
}

function hostHover(context: FeatureContext, host: string, namespace: string): string {
  const resolved = resolveHost(host, namespace, context.settings.clusterDomain);
  const sources: string[] = [];
  for (const entry of context.index.resources('Service')) {
    if (entry.model.name && resolveHost(entry.model.name.value, entry.namespace, context.settings.clusterDomain) === resolved) {
      sources.push(`Service ${markdownCode(`${entry.namespace}/${entry.model.name.value}`)}${entry.model.ports.length > 0 ? ` (ports ${entry.model.ports.map((port) => port.name ? `${port.number} ${markdownText(port.name)}` : String(port.number)).join(', ')})` : ''}`);
    }
  }
  for (const entry of context.index.resources('ServiceEntry')) {
    if (entry.model.hosts.some((candidate) => candidate.value === resolved || candidate.value === host)) sources.push(`ServiceEntry ${markdownCode(`${entry.namespace}/${entry.model.name?.value ?? '?'}`)}`);
  }
  const rules = context.index.destinationRulesFor(host, namespace).rules;
  for (const entry of rules) sources.push(`DestinationRule ${markdownCode(`${entry.namespace}/${entry.model.name?.value ?? '?'}`)} (subsets: ${entry.model.subsets.map((s) => markdownText(s.name.value)).join(', ') || 'none'})`);
  const expansion = resolved === host ? `${markdownCode(String(host))}` : `${markdownCode(String(host))} → ${markdownCode(String(resolved))} (short names expand with the namespace of this resource, ${markdownCode(String(namespace))})`;
  return `**Host** ${expansion}\n\n${sources.length > 0 ? sources.map((source) => `- ${source}`).join('\n') : 'No Service, ServiceEntry or DestinationRule for this host in the workspace (it may live elsewhere in the cluster).'}`;
}

