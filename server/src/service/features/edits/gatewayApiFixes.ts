// Quick fixes for Gateway API routes: a filter whose body does not match its type (IM2501), a
// mirror with both percent and fraction (IM2505), a Service backendRef without port (IM2507,
// the port from the workspace's Service), a RequestMirror inside a backendRef moved to the
// rule's filters (IM2508), a backend named by its DNS name (IM2509) and a port the Service does
// not expose (IM3501).

import { isMap, isScalar, isSeq, type ParsedNode, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, findPair, nodeAt, pairAt, stringValue } from '../../parse/yamlDocument';
import { namespaceOf } from '../../model/resourceModel';
import { hostBackends } from '../../workspace/workspaceQueries';
import { quickFix, type FixTarget, type QuickFix } from './quickFix';
import { copy, numberText, scalar, seq, text } from './snippets';
import { deleteItems, deletePairs, insertItem, insertPair, replaceNode } from './yamlEdits';

/** Each filter type and the field that carries its body. */
const filterBodies: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
  ExternalAuth: 'externalAuth',
};
const typeOfBody = new Map(Object.entries(filterBodies).map(([type, key]) => [key, type]));
/** Bodies for which an empty object is a valid filter, so adding `{}` is a complete fix. */
const emptyBodyAllowed = new Set(['requestHeaderModifier', 'responseHeaderModifier', 'urlRewrite', 'requestRedirect', 'cors']);

/** IM2501: set the type to the body written, or add the body the type needs. */
export function filterBodyFix(target: FixTarget): QuickFix[] {
  const { source, path } = target;
  const field = path[path.length - 1];
  const filter = asMap(nodeAt(source.root, path.slice(0, -1)));
  if (!filter) return [];
  const typeNode = child(filter, 'type');
  const declared = stringValue(typeNode);
  const bodies = filter.items.map((item) => (isScalar(item.key) ? String(item.key.value) : '')).filter((key) => typeOfBody.has(key));
  const fixes: QuickFix[] = [];
  if (field === 'type') {
    // The body of the declared type is missing: the type may be the mistake (one other body written) or the body.
    if (bodies.length === 1 && isScalar(typeNode)) {
      const type = typeOfBody.get(bodies[0]) as string;
      fixes.push(...quickFix(`Change \`type\` to ${type} (the body written)`, true, (edits) => replaceNode(source, edits, typeNode, type)));
    }
    const body = declared !== undefined ? filterBodies[declared] : undefined;
    if (body && emptyBodyAllowed.has(body)) {
      fixes.push(...quickFix(`Add \`${body}: {}\``, bodies.length === 0, (edits) => insertPair(source, edits, filter, body, text('{}'), 'last')));
    }
  } else if (typeof field === 'string' && typeOfBody.has(field)) {
    const type = typeOfBody.get(field) as string;
    const declaredBody = declared !== undefined ? filterBodies[declared] : undefined;
    // The type may be the mistake only when its own body is not written (and this is the only other body).
    const typeIsWrong = (declaredBody === undefined || !bodies.includes(declaredBody)) && bodies.length === 1;
    if (isScalar(typeNode) && typeIsWrong) {
      fixes.push(...quickFix(`Change \`type\` to ${type}`, true, (edits) => replaceNode(source, edits, typeNode, type)));
    }
    const pair = findPair(filter, field);
    if (pair) fixes.push(...quickFix(`Remove \`${field}\``, !typeIsWrong, (edits) => deletePairs(source, edits, filter, [pair])));
  }
  return fixes;
}

/** IM2505: keep `percent` or keep `fraction`. */
export function percentOrFractionFix(target: FixTarget): QuickFix[] {
  const { source, path } = target;
  const mirror = asMap(nodeAt(source.root, path.slice(0, -1)));
  if (!mirror) return [];
  const percent = findPair(mirror, 'percent');
  const fraction = findPair(mirror, 'fraction');
  if (!percent || !fraction) return [];
  const percentText = isScalar(percent.value) ? source.nodeText(percent.value) : '?';
  const numerator = stringValue(child(fraction.value, 'numerator')) ?? String(child(fraction.value, 'numerator') && (child(fraction.value, 'numerator') as { value?: unknown }).value);
  const denominator = child(fraction.value, 'denominator') ? String((child(fraction.value, 'denominator') as { value?: unknown }).value) : '100';
  return [
    ...quickFix(`Keep \`percent: ${percentText}\` (remove \`fraction\`)`, false, (edits) => deletePairs(source, edits, mirror, [fraction])),
    ...quickFix(`Keep \`fraction: ${numerator}/${denominator}\` (remove \`percent\`)`, false, (edits) => deletePairs(source, edits, mirror, [percent])),
  ];
}

/** The namespace of the route the fix works in. */
function routeNamespace(target: FixTarget): string {
  const model = target.document.indexed.analysis.model;
  return model ? namespaceOf(model, target.context.settings.defaultNamespace) : target.context.settings.defaultNamespace;
}

/** IM2507: add the port of the Service the workspace holds (one fix per port when it has several). */
export function backendPortFix(target: FixTarget): QuickFix[] {
  const { source, path, context } = target;
  const backend = asMap(nodeAt(source.root, path.slice(0, -1)));
  const name = stringValue(child(backend, 'name'));
  if (!backend || !name) return [];
  const namespace = stringValue(child(backend, 'namespace')) ?? routeNamespace(target);
  const service = hostBackends(context.index, `${name}.${namespace}.svc.${context.index.analysisContext.clusterDomain}`, routeNamespace(target)).services[0];
  const ports = service?.model.ports ?? [];
  return ports.flatMap((port) => quickFix(
    `Add \`port: ${port.number}\`${port.name ? ` (${port.name})` : ''} of Service ${service?.namespace}/${name}`,
    ports.length === 1,
    (edits) => insertPair(source, edits, backend, 'port', text(numberText(port.number)), 'last'),
  ));
}

/** IM2508: move the RequestMirror filter from the backendRef to the rule's filters. */
export function moveMirrorToRuleFix(target: FixTarget): QuickFix[] {
  const { source, path } = target;
  // path: spec, rules, r, backendRefs, b, filters, f, type
  if (path.length < 8) return [];
  const filterIndex = path[6];
  const rule = asMap(nodeAt(source.root, path.slice(0, 3)));
  const backend = asMap(nodeAt(source.root, path.slice(0, 5)));
  const backendFilters = asSeq(nodeAt(source.root, path.slice(0, 6)));
  const filter = nodeAt(source.root, path.slice(0, 7));
  if (!rule || !backend || !backendFilters || typeof filterIndex !== 'number' || !filter || !isMap(filter)) return [];
  const ruleFilters = findPair(rule, 'filters');
  return quickFix("Move the RequestMirror filter to the rule's `filters`", true, (edits) => {
    const removed = backendFilters.items.length === 1
      ? deletePairs(source, edits, backend, [pairAt(source.root, path.slice(0, 6)) as NonNullable<ReturnType<typeof pairAt>>])
      : deleteItems(source, edits, backendFilters, [filterIndex]);
    if (!removed) return false;
    const moved = copy(source, filter as ParsedNode);
    if (ruleFilters && isSeq(ruleFilters.value) && ruleFilters.value.items.length > 0) return insertItem(source, edits, ruleFilters.value, moved, 'last');
    if (ruleFilters) return false;
    return insertPair(source, edits, rule as YAMLMap, 'filters', seq([moved], false), 'first');
  });
}

/** IM2509: the Service name instead of its DNS name (and its namespace when the name says it). */
export function backendNameFix(target: FixTarget): QuickFix[] {
  const { source, node, path } = target;
  const service = target.data.replacementValue;
  if (!isScalar(node) || typeof service !== 'string') return [];
  const written = String(node.value);
  const backend = asMap(nodeAt(source.root, path.slice(0, -1)));
  const labels = written.split('.');
  const namespace = /^[^.]+\.[^.]+(?:\.svc(?:\..*)?)?$/.test(written) ? labels[1] : undefined;
  const addNamespace = namespace !== undefined && backend !== undefined && !findPair(backend, 'namespace');
  return quickFix(`Change the name to \`${service}\`${addNamespace ? ` with \`namespace: ${namespace}\`` : ''}`, true, (edits) => {
    if (!replaceNode(source, edits, node, scalar(service))) return false;
    return !addNamespace || insertPair(source, edits, backend as YAMLMap, 'namespace', text(scalar(namespace as string)), 'last');
  });
}

/** IM3501: the Service's only port. */
export function servicePortFix(target: FixTarget): QuickFix[] {
  const { source, node } = target;
  const port = target.data.replacementValue;
  if (!isScalar(node) || typeof port !== 'number') return [];
  return quickFix(`Change \`port: ${source.nodeText(node)}\` to \`port: ${port}\` (the Service's port)`, true, (edits) => replaceNode(source, edits, node, numberText(port)));
}
