// The Envoy mirror policy of each mirror target of an `http` rule, as the hover and the
// traffic-split preview show it: the cluster (`outbound|PORT|SUBSET|FQDN`), the runtime
// fraction with the share Envoy really copies, the Host header the copies carry in the chosen
// Istio release (`-shadow` appended before 1.28) and `traceSampled: false`. The numbers come
// from envoyRoutes.ts (`mirrorPolicyEntries`), the same translation `istio-mirror routes` prints.

import { exactPercentText, fractionToPercent, policyMirrorPercentSource, ruleMirrorPercentSource, type FractionalPercent } from '../model/envoyFractions';
import { isWildcard } from '../model/hostNames';
import { mirroredHostHeader, releaseText, shadowHostSuffixDisabled, translatesMirrorsList, type IstioRelease } from '../model/istioReleases';
import { mirrorPolicyEntries, type EnvoyMirrorPolicy } from './envoyRoutes';
import type { FeatureContext } from './featureContext';
import { asArray, asObject, jsonText as text, type VirtualServiceSpec } from './virtualServiceSpecs';
import { releaseOfSetting } from '../model/istioReleases';
import { markdownCode } from '../util/markdownText';
import type { VirtualServiceModel } from '../model/resourceModel';
import type { ResourceEntry } from '../workspace/workspaceIndex';
import type { SplitRoute } from './trafficSplit';
import { virtualServiceSpec } from './virtualServiceSpecs';

export interface MirrorPolicyView {
  role: 'mirror' | 'mirrors';
  /** Position in `mirrors` (0 for `mirror`). */
  position: number;
  /** `istio-mirror routes`' Istio release, as `1.30`. */
  istioVersion: string;
  /** The policy pilot sends; null when it sends none (see `why`). */
  policy: EnvoyMirrorPolicy | null;
  why: string | null;
  /** The share Envoy copies, 0–100 (0 without a policy). */
  percent: number;
  /** The share as written, when Envoy's fraction cannot represent it exactly. */
  writtenPercent: number | null;
  /** The cluster's port is the listener's and depends on the port the client calls. */
  portFromListener: boolean;
  /** The Host header of a copy, for a request to `exampleHost` (or the rewritten authority). */
  hostHeader: string;
  /** The Host the client sends that `hostHeader` is derived from. */
  exampleHost: string;
  /** Whether the Host comes from the rule's `rewrite.authority`. */
  hostRewritten: boolean;
}

function writtenPercent(source: ReturnType<typeof ruleMirrorPercentSource>): number {
  return source.kind === 'none' ? 100 : source.value;
}

/** The mirror policies of rule `httpIndex` in pilot's order (`mirror`, then each `mirrors` entry). */
export function mirrorPolicyViews(context: FeatureContext, spec: VirtualServiceSpec, httpIndex: number, release: IstioRelease): MirrorPolicyView[] {
  const rule = spec.http[httpIndex];
  if (!rule) return [];
  const namespace = spec.entry.namespace;
  const authority = text(asObject(rule.rewrite)?.authority);
  const hosts = spec.entry.model.hosts.map((host) => host.value);
  const exampleHost = authority ?? hosts.find((host) => !isWildcard(host) && host !== '*') ?? hosts[0] ?? 'HOST';
  const hostHeader = mirroredHostHeader(exampleHost, shadowHostSuffixDisabled(release));
  const views: MirrorPolicyView[] = [];
  for (const entry of mirrorPolicyEntries(context, rule, namespace, undefined, release)) {
    const source = entry.role === 'mirror' ? ruleMirrorPercentSource(rule) : policyMirrorPercentSource(asObject(asArray(rule.mirrors)[entry.position]) ?? {});
    const fraction: FractionalPercent | undefined = entry.policy?.runtimeFraction.defaultValue;
    const percent = fraction ? fractionToPercent(fraction) : 0;
    const written = writtenPercent(source);
    views.push({
      role: entry.role,
      position: entry.position,
      istioVersion: releaseText(release),
      policy: entry.policy,
      why: entry.policy ? null : 'the percentage is 0, so pilot sends no mirror policy and nothing is copied',
      percent,
      writtenPercent: fraction && Math.abs(written - percent) > 1e-9 ? written : null,
      portFromListener: entry.needsListener,
      hostHeader,
      exampleHost,
      hostRewritten: authority !== undefined,
    });
  }
  return views;
}

/** Why a rule's `mirrors` list has no policies in this release (before 1.20), else undefined. */
export function ignoredMirrorsNote(spec: VirtualServiceSpec, httpIndex: number, release: IstioRelease): string | undefined {
  const rule = spec.http[httpIndex];
  if (!rule || asArray(rule.mirrors).length === 0 || translatesMirrorsList(release)) return undefined;
  return `Istio ${releaseText(release)} ignores \`mirrors\` (pilot translates it from 1.20): no mirror policy is sent for these entries.`;
}

function fractionText(fraction: FractionalPercent): string {
  return `${fraction.numerator}/${fraction.denominator}`;
}

/** What the copy's Host header is, in words. */
export function hostHeaderText(view: MirrorPolicyView): string {
  const suffixed = view.policy ? !view.policy.disableShadowHostSuffixAppend : false;
  const origin = view.hostRewritten ? `the rewritten authority ${markdownCode(view.exampleHost)}` : `the caller's Host, e.g. ${markdownCode(view.exampleHost)}`;
  return suffixed
    ? `${markdownCode(view.hostHeader)} (${origin} with \`-shadow\`: Istio ${view.istioVersion} appends it; from 1.28 it does not)`
    : `${markdownCode(view.hostHeader)} (${origin}, unchanged: from Istio 1.28 \`disableShadowHostSuffixAppend\` is true)`;
}

/** One line of plain text for the preview: cluster, fraction, real percent, Host, trace sampling. */
export function mirrorPolicyLine(view: MirrorPolicyView): string {
  if (!view.policy) return `Envoy (Istio ${view.istioVersion}): no mirror policy — ${view.why}`;
  const fraction = view.policy.runtimeFraction.defaultValue;
  const written = view.writtenPercent !== null ? ` (written ${exactPercentText(view.writtenPercent)})` : '';
  const host = view.hostRewritten ? `${view.hostHeader} (rewritten)` : `${view.hostHeader} (for a call to ${view.exampleHost})`;
  return `Envoy (Istio ${view.istioVersion}): cluster ${view.policy.cluster}, runtimeFraction ${fractionText(fraction)} = ${exactPercentText(view.percent)}${written}, copy's Host ${host}, traceSampled false`;
}

/** The hover section for one mirror target. */
export function mirrorPolicyMarkdown(view: MirrorPolicyView): string {
  const field = view.role === 'mirror' ? '`mirror`' : `\`mirrors[${view.position}]\``;
  if (!view.policy) return `**Envoy mirror policy** of ${field} (Istio ${view.istioVersion}): none — ${view.why}.`;
  const fraction = view.policy.runtimeFraction.defaultValue;
  const written = view.writtenPercent !== null ? ` — written ${exactPercentText(view.writtenPercent)}, which Envoy's fraction cannot hold exactly` : '';
  const lines = [
    `**Envoy mirror policy** of ${field} (Istio ${view.istioVersion}, as \`istio-mirror routes\` prints it):`,
    '',
    `- cluster ${markdownCode(view.policy.cluster)}${view.portFromListener ? ' (the port is the listener\'s: the destination names no port and its Service does not have exactly one)' : ''}`,
    `- runtimeFraction \`${fractionText(fraction)}\` = **${exactPercentText(view.percent)}** of the requests copied${written}`,
    `- Host header of the copy: ${hostHeaderText(view)}`,
    '- trace sampling off (`traceSampled: false`): spans of the copies are not sampled, so they stay out of traces',
  ];
  return lines.join('\n');
}

/**
 * Sets `envoy` on each mirror of the preview's forwarding `http` rules: the one-line policy of
 * `mirrorPolicyLine` for the release of the `istioVersion` setting.
 */
export function addMirrorPolicies(context: FeatureContext, entry: ResourceEntry<VirtualServiceModel>, routes: SplitRoute[]): void {
  const wanted = routes.filter((route) => route.protocol === 'http' && route.action === 'route' && route.mirrors.length > 0);
  if (wanted.length === 0) return;
  const spec = virtualServiceSpec(context, entry);
  const release = releaseOfSetting(context.settings.istioVersion);
  for (const route of wanted) {
    const views = mirrorPolicyViews(context, spec, route.index, release);
    const ignored = translatesMirrorsList(release) ? undefined : `Envoy: no mirror policy — Istio ${releaseText(release)} ignores mirrors (pilot translates it from 1.20)`;
    route.mirrors.forEach((mirror, position) => {
      const model = entry.model.http[route.index]?.mirrors[position];
      if (!model) return;
      if (model.role === 'mirrors' && ignored) {
        mirror.envoy = ignored;
        return;
      }
      const view = views.find((candidate) => candidate.role === model.role && (model.role === 'mirror' || candidate.position === model.entryIndex));
      if (view) mirror.envoy = mirrorPolicyLine(view);
    });
  }
}
