// Everything the service knows about one YAML document that depends on that document alone:
// parse → identify → model → local checks. The result is small and immutable, so it is cached
// by document text and reused across edits of other documents in the same file.

import { visit, type Node } from 'yaml';
import { parseYamlDocument, type YamlDocument } from './parse/yamlDocument';
import { maxAliasCount } from './parse/yamlDocument';
import { buildModel, identify, namespaceOf, validatedKind, type ResourceIdentity, type ResourceModel } from './model/resourceModel';
import { DocumentProblems } from './checks/documentProblems';
import { checkStructure } from './checks/structure';
import { checkVirtualService } from './checks/virtualServiceRules';
import { checkDestinationRule } from './checks/destinationRuleRules';
import { asMap, child, keyText } from './parse/yamlDocument';
import type { Problem } from './types';

export interface AnalysisContext {
  defaultNamespace: string;
  clusterDomain: string;
}

export interface AnalyzedDocument {
  identity: ResourceIdentity;
  /** Present for the kinds the service models (VS, DR, ServiceEntry, Service, Gateway, Deployment). */
  model?: ResourceModel;
  /** True for VirtualService and DestinationRule documents, the ones that get diagnostics. */
  validated: boolean;
  /** True when the document is a template (Helm, Go templates): it is left alone. */
  template: boolean;
  /** Problems found in this document alone; ranges relative to the document's first line. */
  problems: Problem[];
}

const looksLikeIstioRoute = /^apiVersion:\s*["']?networking\.istio\.io\/v(?:1|1beta1|1alpha3)["']?\s*$[\s\S]*^kind:\s*["']?(?:VirtualService|DestinationRule)\b|^kind:\s*["']?(?:VirtualService|DestinationRule)\b[\s\S]*^apiVersion:\s*["']?networking\.istio\.io\/v(?:1|1beta1|1alpha3)["']?\s*$/m;

/** Helm and other Go-template files are not YAML until rendered; they get no diagnostics. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') && /\{\{-?\s*[.$a-zA-Z/(]/.test(text);
}

export function analyzeDocument(text: string, context: AnalysisContext): AnalyzedDocument {
  if (isTemplate(text)) return { identity: {}, validated: false, template: true, problems: [] };
  const yaml = parseYamlDocument(text);
  return analyzeParsed(yaml, context);
}

export function analyzeParsed(yaml: YamlDocument, context: AnalysisContext): AnalyzedDocument {
  const identity = identify(yaml);
  const kind = validatedKind(identity);
  const model = buildModel(yaml, identity);
  const result: AnalyzedDocument = { identity, validated: kind !== undefined, template: false, problems: [] };
  if (model) result.model = model;
  const out = new DocumentProblems(yaml);

  if (yaml.syntaxErrors.length > 0) {
    // A broken document is reported only when it is recognisably one of ours.
    if (kind || looksLikeIstioRoute.test(yaml.text)) {
      result.validated = true;
      for (const error of yaml.syntaxErrors) out.at('IM0001', error.range, `YAML syntax error: ${syntaxMessage(error.code, error.message)}`);
    }
    result.problems = out.problems;
    return result;
  }
  if (!kind || isStub(yaml)) return result;

  let value: unknown;
  try {
    value = yaml.doc.toJS({ maxAliasCount });
  } catch {
    let firstAlias: Node | undefined;
    visit(yaml.doc, { Alias: (_, node) => { firstAlias = node; return visit.BREAK; } });
    out.atNode('IM0002', firstAlias ?? yaml.doc.contents, `The document expands too many YAML aliases (more than ${maxAliasCount}); it looks like an alias bomb and is not checked further. Write the values out instead of using aliases.`);
    result.problems = out.problems;
    return result;
  }

  const root = yaml.doc.contents;
  checkStructure(kind, value, root, out);
  const spec = child(root, 'spec');
  const hosts = { namespace: model ? namespaceOf(model, context.defaultNamespace) : context.defaultNamespace, clusterDomain: context.clusterDomain };
  if (model?.kind === 'VirtualService') checkVirtualService(spec, model, hosts, out);
  if (model?.kind === 'DestinationRule') checkDestinationRule(spec, model, out);
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
