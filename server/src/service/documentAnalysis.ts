// Everything the service knows about one YAML document that depends on that document alone:
// parse → identify → model → local checks. The result is small and immutable, so it is cached
// by document text and reused across edits of other documents in the same file.

import { visit, type Node, type ParsedNode } from 'yaml';
import { addDuplicateKeyErrors, documentData, parseYamlDocument, type YamlDocument } from './parse/yamlDocument';
import { maxAliasCount, nestingLimitCode } from './parse/yamlDocument';
import { buildModel, identify, modelledKinds, namespaceOf, validatedKind, type ResourceIdentity, type ResourceModel } from './model/resourceModel';
import { DocumentProblems } from './checks/documentProblems';
import { checkStructure } from './checks/structure';
import { checkVirtualService } from './checks/virtualServiceRules';
import { checkDestinationRule } from './checks/destinationRuleRules';
import { buildGatewayRoute } from './model/gatewayApiRoutes';
import { buildReferenceGrant } from './model/referenceGrants';
import { checkGatewayRoute } from './checks/gatewayApiRules';
import { checkCelRules } from './checks/celValidation';
import { asMap, asSeq, child, keyText } from './parse/yamlDocument';
import { buildWorkload, isWorkloadApiVersion, isWorkloadKind } from './model/workloadModel';
import { buildKustomization } from './model/kustomizationModel';
import { routingTestKind } from './model/routingTestModel';
import { checkRoutingTest } from './checks/routingTestRules';
import type { Located, Problem } from './types';

export interface AnalysisContext {
  defaultNamespace: string;
  clusterDomain: string;
  /**
   * When set, only documents of these kinds are parsed and modelled, and other documents are
   * known by their kind alone. By default every kind with a model is parsed and the others are
   * identified from their top-level lines (the editor's outline lists them). The CLI needs only
   * VirtualService and DestinationRule (Services and the like serve completion and hover).
   */
  kinds?: readonly string[];
  /**
   * The `namespace:` of the kustomization that builds this file (workspace/kustomizeLayout.ts):
   * kustomize sets it on every resource, written or not, so it replaces metadata.namespace.
   */
  kustomizeNamespace?: string;
}

export interface AnalyzedDocument {
  identity: ResourceIdentity;
  /** Present for the kinds the service models (VS, DR, ServiceEntry, Service, Gateway, workloads, kustomizations). */
  model?: ResourceModel;
  /** True for VirtualService and DestinationRule documents, the ones that get diagnostics. */
  validated: boolean;
  /** True when the document is a template (Helm, Go templates): it is left alone. */
  template: boolean;
  /** Problems found in this document alone; ranges relative to the document's first line. */
  problems: Problem[];
}

const istioApiVersionLine = /^apiVersion:[ \t]*["']?networking\.istio\.io\/v(?:1|1beta1|1alpha3)["']?[ \t]*(?:#.*)?$/m;
const gatewayApiVersionLine = /^apiVersion:[ \t]*["']?gateway\.networking\.k8s\.io\/v1(?:beta1)?["']?[ \t]*(?:#.*)?$/m;
const istioKindLine = /^kind:[ \t]*["']?(?:VirtualService|DestinationRule)\b/m;
const gatewayKindLine = /^kind:[ \t]*["']?(?:HTTPRoute|GRPCRoute)\b/m;

/**
 * A document that does not parse is still reported when its top-level lines say it is one of
 * ours. Each pattern matches within one line, so this stays linear however broken the text.
 */
function looksLikeOurs(text: string): boolean {
  return (istioKindLine.test(text) && istioApiVersionLine.test(text)) || (gatewayKindLine.test(text) && gatewayApiVersionLine.test(text));
}

const templateAction = /\{\{-?\s*[.$a-zA-Z/(]/;

/**
 * Helm and other Go-template files are not YAML until rendered; they get no diagnostics. A
 * template action (`{{ .Values.x }}`, `{{- if … }}`) outside comments marks one; a comment that
 * mentions one (`# set {{ .Values.tag }}`) does not. Linear: each line is scanned once.
 */
export function isTemplate(text: string): boolean {
  if (!text.includes('{{')) return false;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const open = text.indexOf('{{', start);
    if (open === -1) return false;
    if (open < end && templateAction.test(text.slice(open, commentStart(text, start, end)))) return true;
    start = open < end ? end + 1 : text.lastIndexOf('\n', open) + 1;
  }
  return false;
}

/**
 * Where the comment of the line `text[start, end)` begins (`end` when it has none): a `#` at the
 * line's start or after a blank, outside a quoted scalar. A quote opens a scalar only where a
 * scalar can begin (line start, after `:`, `-`, `[`, `{`, `,`, `?` and a blank), so the
 * apostrophe of `don't` opens nothing.
 */
function commentStart(text: string, start: number, end: number): number {
  let quote = '';
  let previous = ' ';
  let lastNonBlank = ' ';
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote && quote === "'" && text[i + 1] === "'") i++;
      else if (c === quote) { quote = ''; previous = c; lastNonBlank = c; }
      continue;
    }
    const blank = c === ' ' || c === '\t';
    if (c === '#' && (previous === ' ' || previous === '\t')) return i;
    if ((c === '"' || c === "'") && ('[{,'.includes(previous) || ((previous === ' ' || previous === '\t') && ' :-[{,?'.includes(lastNonBlank)))) quote = c;
    previous = c;
    if (!blank) lastNonBlank = c;
  }
  return end;
}

const topLevelKind = /^kind:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)["']?[ \t]*(?:#.*)?$/m;
const topLevelApiVersion = /^apiVersion:[ \t]*["']?([\w./-]+)["']?[ \t]*(?:#.*)?$/m;
const metadataBlock = /^metadata:[ \t]*(?:#.*)?\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m;

/** Where `pattern`'s first group is in `text`, as a located value (one line). */
function locate(text: string, match: RegExpExecArray | null, offset = 0): Located | undefined {
  if (!match) return undefined;
  const value = match[1];
  const start = offset + match.index + match[0].indexOf(value);
  const line = (text.slice(0, start).match(/\n/g) ?? []).length;
  const character = start - (text.lastIndexOf('\n', start - 1) + 1);
  return { value, range: { start: { line, character }, end: { line, character: character + value.length } } };
}

/**
 * The identity of a document read from its top-level lines alone (`kind:`, `apiVersion:`,
 * `metadata:` with `name:`/`namespace:`), without parsing it.
 */
function scanIdentity(text: string, kind: string): ResourceIdentity {
  const identity: ResourceIdentity = { kind };
  const apiVersion = topLevelApiVersion.exec(text)?.[1];
  if (apiVersion) identity.apiVersion = apiVersion;
  const block = metadataBlock.exec(text);
  const flow = /^metadata:[ \t]*\{(.*)\}[ \t]*$/m.exec(text);
  const field = (key: string): Located | undefined => {
    if (block) {
      // Only the first indentation level of the block: `labels: {name: …}` must not count.
      const indent = /^([ \t]+)\S/m.exec(block[1])?.[1] ?? '  ';
      const offset = block.index + block[0].indexOf(block[1]);
      return locate(text, new RegExp(`^${indent}${key}:[ \\t]*["']?([^\\s"'#,}]+)`, 'm').exec(block[1]), offset);
    }
    if (flow) return locate(text, new RegExp(`(?:^|[{,]\\s*)${key}:\\s*["']?([^\\s"',}]+)`).exec(flow[1]), flow.index + flow[0].indexOf(flow[1]));
    return undefined;
  };
  const name = field('name');
  const namespace = field('namespace');
  if (name) identity.name = name;
  if (namespace) identity.namespace = namespace;
  return identity;
}

/** The identity as kustomize builds it: its namespace replaces the written one (the range stays the written one's, if any). */
function builtIdentity(identity: ResourceIdentity, context: AnalysisContext): ResourceIdentity {
  const namespace = context.kustomizeNamespace;
  if (namespace === undefined || identity.namespace?.value === namespace) return identity;
  return { ...identity, namespace: { value: namespace, range: identity.namespace?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } };
}

export function analyzeDocument(text: string, context: AnalysisContext): AnalyzedDocument {
  if (isTemplate(text)) return { identity: {}, validated: false, template: true, problems: [] };
  // Most documents of a manifest tree are Deployments, ConfigMaps and the like: nothing to check
  // and nothing to model, so they are identified from their top-level lines and not parsed.
  const kind = topLevelKind.exec(text)?.[1];
  // A `kind: List` (`kubectl get -o yaml`) is parsed only when it may hold Istio resources.
  const istioList = kind === 'List' && text.includes('networking.istio.io/');
  if (kind !== undefined && !istioList && context.kinds && !context.kinds.includes(kind)) return { identity: { kind }, validated: false, template: false, problems: [] };
  // RoutingTest documents (istio-mirror's test format) have no model but are validated.
  if (kind !== undefined && !istioList && !modelledKinds.has(kind) && kind !== routingTestKind) {
    const identity = builtIdentity(scanIdentity(text, kind), context);
    const result: AnalyzedDocument = { identity, validated: false, template: false, problems: [] };
    // Workloads are modelled from their lines (the pod labels, replicas and containers), not parsed.
    if (isWorkloadKind(kind) && isWorkloadApiVersion(kind, identity.apiVersion)) {
      result.model = buildWorkload(text, kind, { apiVersion: identity.apiVersion ?? '', name: identity.name, namespace: identity.namespace });
    }
    return result;
  }
  return withControlCharacter(text, analyzeParsed(parseYamlDocument(text, { duplicateKeys: false, blockComposer: true }), context));
}

/**
 * Characters YAML does not allow anywhere, comments included (C0 controls other than tab and
 * line breaks, DEL, C1 controls other than NEL): Kubernetes' YAML reader rejects the whole file
 * with "control characters are not allowed". The JavaScript parser reads past them, so they are
 * looked for here; the document is still checked as written.
 */
const forbiddenCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

function withControlCharacter(text: string, result: AnalyzedDocument): AnalyzedDocument {
  if (!result.validated) return result;
  const found = forbiddenCharacter.exec(text);
  if (!found) return result;
  const line = (text.slice(0, found.index).match(/\n/g) ?? []).length;
  const character = found.index - (text.lastIndexOf('\n', found.index - 1) + 1);
  const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const problem: Problem = {
    code: 'IM0004',
    range: { start: { line, character }, end: { line, character: character + 1 } },
    message: `Control character ${code} in the file: Kubernetes' YAML reader rejects the whole file ("control characters are not allowed"), comments included. Delete it, or write it as an escape ("\\x${found[0].charCodeAt(0).toString(16).padStart(2, '0')}") inside a double-quoted string.`,
  };
  return { ...result, problems: [problem, ...result.problems] };
}

/**
 * A document of a kustomization file: kustomize reads it whatever its `kind` says (most leave
 * `apiVersion` and `kind` out), and it is never diagnosed.
 */
export function analyzeKustomizationDocument(text: string): AnalyzedDocument {
  if (isTemplate(text)) return { identity: {}, validated: false, template: true, problems: [] };
  const yaml = parseYamlDocument(text, { duplicateKeys: false });
  const identity = identify(yaml);
  return { identity: { ...identity, kind: 'Kustomization' }, model: buildKustomization(yaml, { apiVersion: identity.apiVersion ?? '', name: identity.name }), validated: false, template: false, problems: [] };
}

export function analyzeParsed(yaml: YamlDocument, context: AnalysisContext): AnalyzedDocument {
  const identity = builtIdentity(identify(yaml), context);
  const kind = validatedKind(identity);
  const model = buildModel(yaml, identity) ?? buildGatewayRoute(yaml, identity, context) ?? buildReferenceGrant(yaml, identity);
  const result: AnalyzedDocument = { identity, validated: kind !== undefined, template: false, problems: [] };
  if (model) result.model = model;
  const out = new DocumentProblems(yaml);

  const tooDeep = yaml.syntaxErrors.find((error) => error.code === nestingLimitCode);
  if (tooDeep) {
    // Not parsed at all: known by its top-level lines, reported only when it is one of ours.
    const scannedKind = topLevelKind.exec(yaml.text)?.[1];
    const scanned = scannedKind ? scanIdentity(yaml.text, scannedKind) : {};
    const deep: AnalyzedDocument = { identity: scanned, validated: false, template: false, problems: [] };
    if (validatedKind(scanned) || looksLikeOurs(yaml.text)) {
      deep.validated = true;
      out.at('IM0003', tooDeep.range, `${tooDeep.message} Nothing in it is checked; real manifests nest some 20 levels, so flatten the structure or close the brackets.`);
      deep.problems = out.problems;
    }
    return deep;
  }
  // Duplicate keys are looked for only in the documents reported on (one of ours).
  const ours = kind !== undefined || looksLikeOurs(yaml.text);
  if (ours || identity.kind === 'List') addDuplicateKeyErrors(yaml);
  if (yaml.syntaxErrors.length > 0) {
    // A broken document is reported only when it is recognisably one of ours.
    if (ours) {
      result.validated = true;
      for (const error of yaml.syntaxErrors) out.at('IM0001', error.range, `YAML syntax error: ${syntaxMessage(error.code, error.message)}`);
    }
    result.problems = out.problems;
    return result;
  }
  if (identity.kind === 'List' && yaml.syntaxErrors.length === 0) return analyzeList(yaml, context, result, out);
  if (!kind || isStub(yaml)) return result;

  let value: unknown;
  try {
    value = documentData(yaml);
  } catch {
    let firstAlias: Node | undefined;
    visit(yaml.doc, { Alias: (_, node) => { firstAlias = node; return visit.BREAK; } });
    out.atNode('IM0002', firstAlias ?? yaml.doc.contents, `The document expands too many YAML aliases (more than ${maxAliasCount}); it looks like an alias bomb and is not checked further. Write the values out instead of using aliases.`);
    result.problems = out.problems;
    return result;
  }

  checkResource(kind, value, yaml.doc.contents, model, context, out);
  result.problems = out.problems;
  return result;
}

/** The schema and rule checks of one validated resource (`root` is its top-level map). */
function checkResource(kind: NonNullable<ReturnType<typeof validatedKind>>, value: unknown, root: ParsedNode | null, model: ResourceModel | undefined, context: AnalysisContext, out: DocumentProblems): void {
  checkStructure(kind, value, root, out);
  const spec = child(root, 'spec');
  const hosts = { namespace: model ? namespaceOf(model, context.defaultNamespace) : context.defaultNamespace, clusterDomain: context.clusterDomain };
  if (model?.kind === 'VirtualService') checkVirtualService(spec, model, hosts, out);
  if (model?.kind === 'DestinationRule') checkDestinationRule(spec, model, out);
  if (kind === 'RoutingTest') checkRoutingTest(spec, out);
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    checkCelRules(kind, value, root, out);
    if (model?.kind === kind) checkGatewayRoute(spec, model, { namespace: hosts.namespace }, out);
  }
}

/**
 * A `kind: List` document (`kubectl get virtualservices,destinationrules -o yaml`): each
 * VirtualService and DestinationRule item is checked on its own, its problems' paths under
 * `items.<n>`. The items take no part in cross-resource checks (the list has no model).
 */
function analyzeList(yaml: YamlDocument, context: AnalysisContext, result: AnalyzedDocument, out: DocumentProblems): AnalyzedDocument {
  let value: unknown;
  try {
    value = documentData(yaml);
  } catch {
    return result;
  }
  const values = (value as { items?: unknown[] } | null)?.items;
  asSeq(child(yaml.doc.contents, 'items'))?.items.forEach((item, index) => {
    const itemYaml: YamlDocument = { ...yaml, doc: { contents: item } as unknown as YamlDocument['doc'] };
    const identity = identify(itemYaml);
    const kind = validatedKind(identity);
    if (!kind || !Array.isArray(values)) return;
    result.validated = true;
    const itemOut = new DocumentProblems(yaml);
    checkResource(kind, values[index], item as ParsedNode, buildModel(itemYaml, identity), context, itemOut);
    for (const problem of itemOut.problems) {
      const path = problem.data?.path;
      out.problems.push(Array.isArray(path) ? { ...problem, data: { ...problem.data, path: ['items', index, ...path] } } : problem);
    }
  });
  result.problems = out.problems;
  return result;
}

/** A document with nothing but `apiVersion` and `kind` is a skeleton still being written. */
function isStub(yaml: YamlDocument): boolean {
  const root = asMap(yaml.doc.contents);
  return root !== undefined && root.items.every((item) => ['apiVersion', 'kind'].includes(keyText(item) ?? ''));
}

function syntaxMessage(code: string, message: string): string {
  const firstLine = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `${firstLine}. The same key appears twice in one mapping; Kubernetes keeps only one of them. Remove or merge the duplicate.`;
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return `${firstLine}. Check the indentation and quoting here.`;
    default:
      return firstLine;
  }
}
