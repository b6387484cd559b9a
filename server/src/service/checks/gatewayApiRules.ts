// Checks: Gateway API routes as Istio converts them (IM2508–IM2514)
//
// The CRD's own rules are CEL (celValidation.ts). These are what Istio's conversion of HTTPRoute
// and GRPCRoute to its route model (pilot/pkg/config/kube/gateway/conversion.go) rejects or
// silently does: a RequestMirror inside a backendRef's filters and filter types Istio does not
// implement fail the rule; a backend named by its DNS name is invalid; and the mistakes it
// accepts quietly: a mirror of 0 %, a mirror on a rule that never forwards, a mirror aimed at the
// rule's own backend, a rule whose requests all get a 500.

import { asSeq, child, stringValue } from '../parse/yamlDocument';
import type { ParsedNode } from 'yaml';
import { isServiceBackend, type BackendRefModel, type GatewayRouteModel, type GatewayRouteRuleModel } from '../model/gatewayApiRoutes';
import type { DocumentProblems } from './documentProblems';

/** Filter types Istio implements in a rule's `filters`, per route kind. */
const supportedRuleFilters: Record<GatewayRouteModel['kind'], ReadonlySet<string>> = {
  HTTPRoute: new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'RequestMirror', 'URLRewrite', 'CORS']),
  GRPCRoute: new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror']),
};

/** The only filter types Istio honours inside a backendRef. */
const supportedBackendFilters: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier']);

export interface RouteNamespaceContext {
  namespace: string;
}

export function checkGatewayRoute(spec: ParsedNode | undefined, model: GatewayRouteModel, context: RouteNamespaceContext, out: DocumentProblems): void {
  const ruleNodes = asSeq(child(spec, 'rules'))?.items ?? [];
  for (const rule of model.rules) {
    const node = ruleNodes[rule.index];
    if (node === undefined) continue;
    checkFilters(node, rule, model.kind, out);
    checkBackendNames(rule, model.kind, out);
    checkMirrors(rule, model.kind, context, out);
  }
}

function checkFilters(rule: ParsedNode | null, model: GatewayRouteRuleModel, kind: GatewayRouteModel['kind'], out: DocumentProblems): void {
  const rulePath = ['spec', 'rules', model.index];
  (asSeq(child(rule, 'filters'))?.items ?? []).forEach((filter, index) => {
    const typeNode = child(filter, 'type');
    const type = stringValue(typeNode);
    // Types the schema does not know are reported there (IM1006).
    if (type === undefined || supportedRuleFilters[kind].has(type) || !['ExtensionRef', 'ExternalAuth'].includes(type)) return;
    out.atNode('IM2510', typeNode, `Istio does not implement the ${type} filter: it rejects the whole rule ("unsupported filter type"), so none of its requests are routed. Remove the filter.`, { path: [...rulePath, 'filters', index, 'type'] });
  });
  (asSeq(child(rule, 'backendRefs'))?.items ?? []).forEach((backend, backendIndex) => {
    (asSeq(child(backend, 'filters'))?.items ?? []).forEach((filter, index) => {
      const typeNode = child(filter, 'type');
      const type = stringValue(typeNode);
      const path = [...rulePath, 'backendRefs', backendIndex, 'filters', index, 'type'];
      if (type === 'RequestMirror') {
        out.atNode('IM2508', typeNode, `Istio rejects a RequestMirror filter inside a backendRef (only header modifiers are honoured there), and with it the whole rule: no request of it is routed or mirrored. Move the filter to the rule's \`filters\`.`, { path });
      } else if (type !== undefined && !supportedBackendFilters.has(type) && (supportedRuleFilters[kind].has(type) || type === 'ExtensionRef')) {
        out.atNode('IM2510', typeNode, `Istio honours only RequestHeaderModifier and ResponseHeaderModifier inside a backendRef; a ${type} filter here makes it reject the whole rule. Move it to the rule's \`filters\`${type === 'ExtensionRef' ? ' (where Istio does not implement it either)' : ''}.`, { path });
      }
    });
  });
}

function checkBackendNames(rule: GatewayRouteRuleModel, kind: GatewayRouteModel['kind'], out: DocumentProblems): void {
  for (const backend of [...rule.backends, ...rule.mirrors]) {
    if (!backend.name || !isServiceBackend(backend) || !backend.name.value.includes('.')) continue;
    const [service, namespace] = backend.name.value.split('.');
    const consequence = backend.role === 'backend' || kind === 'GRPCRoute'
      ? 'Istio rejects the whole rule'
      : 'Istio drops this mirror, so nothing is copied';
    // `reviews.demo` and `reviews.demo.svc…` name a Service of namespace `demo`; other names are external hosts.
    const clusterName = /^[^.]+\.[^.]+(?:\.svc(?:\..*)?)?$/.test(backend.name.value);
    const namespaceHint = !clusterName
      ? ' (for a ServiceEntry host, use `group: networking.istio.io` and `kind: Hostname` instead)'
      : namespace && !backend.namespace ? ` and \`namespace: ${namespace}\`` : '';
    out.at('IM2509', backend.name.range, `A backendRef names the Service, not its DNS name: \`${backend.name.value}\` is not a Service name and ${consequence} ("service name invalid"). Write \`name: ${service}\`${namespaceHint}.`, { data: { path: [...backend.path, 'name'], replacementValue: service } });
  }
}

function sameBackend(a: BackendRefModel, b: BackendRefModel, namespace: string): boolean {
  return a.group === b.group && a.kind === b.kind && a.name?.value === b.name?.value
    && (a.namespace?.value ?? namespace) === (b.namespace?.value ?? namespace) && a.port?.value === b.port?.value;
}

function checkMirrors(rule: GatewayRouteRuleModel, kind: GatewayRouteModel['kind'], context: RouteNamespaceContext, out: DocumentProblems): void {
  const forwarded = rule.backends.filter((backend) => (backend.weight ?? 1) > 0);
  const what = kind === 'GRPCRoute' ? 'calls' : 'requests';
  if (!rule.redirects && forwarded.length === 0 && rule.backends.length > 0) {
    const first = rule.backends[0];
    out.at('IM2514', first.shareRange ?? first.name?.range ?? first.range, `Every backendRef of this rule has weight 0, so the gateway answers all its ${what} with an error (HTTP 500) and mirrors nothing. Give at least one backend a weight above 0.`, { data: { path: [...first.path, 'weight'] } });
  }
  for (const mirror of rule.mirrors) {
    const mirrorPath = mirror.path.slice(0, -1);
    const where = mirror.name?.range ?? mirror.range;
    if (mirror.percent === 0) {
      out.at('IM2511', mirror.shareRange ?? where, `This mirror copies 0 % of the ${what}: nothing is mirrored. Raise \`percent\` (or the fraction's \`numerator\`), or remove the filter.`, { data: { path: mirrorPath } });
    }
    if (rule.redirects) {
      out.at('IM2512', where, `This rule answers with a RequestRedirect, so Istio never mirrors it: mirrors apply only to rules that forward to backendRefs.`, { data: { path: mirrorPath } });
    } else if (forwarded.length === 0 && rule.backends.length === 0) {
      out.at('IM2512', where, `This rule has no backendRefs, so the gateway answers its ${what} with an error (HTTP 500) and Istio never mirrors them. Add the backend the ${what} should go to.`, { data: { path: mirrorPath } });
    }
    const same = forwarded.find((backend) => sameBackend(backend, mirror, context.namespace));
    if (same && mirror.name) {
      out.at('IM2513', mirror.name.range, `The mirror goes to ${mirror.name.value}${mirror.port ? ` port ${mirror.port.value}` : ''}, which this rule already sends its ${what} to: those pods would get each mirrored request twice. Mirror to another Service (e.g. the canary's).`, { data: { path: [...mirror.path, 'name'] } });
    }
  }
}
