// Public types of the istio-mirror language service: settings, problems and the
// small value types every stage shares. Data only; no behaviour lives here.

import type { Range } from 'vscode-languageserver-types';

export type { Range, Position } from 'vscode-languageserver-types';

/** How loudly a finding is reported. Matches the LSP severities by name. */
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

/** A user's choice for one diagnostic code: a severity, or `off` to hide it. */
export type SeveritySetting = SeverityName | 'off';

/** Settings the language service understands. Every field has a default (see `defaultSettings`). */
export interface IstioSettings {
  /** Per-code severity overrides, e.g. `{ "IST0101": "warning", "IM2105": "off" }`. */
  severity: Record<string, SeveritySetting>;
  /** Namespace assumed for resources whose `metadata.namespace` is missing (kubectl's default is `default`). */
  defaultNamespace: string;
  /** Cluster domain used to expand short host names (`reviews` → `reviews.<ns>.svc.<domain>`). */
  clusterDomain: string;
  /** apiVersion offered for new resources by completion, snippets and scaffolding. */
  defaultApiVersion: string;
  /** Mirror percentage proposed when a mirror is inserted. */
  defaultMirrorPercentage: number;
  /** The Istio release whose Envoy routes the hover and the preview show (`1.27`), as the CLI's `--istio-version`. */
  istioVersion: string;
}

export const defaultSettings: IstioSettings = {
  severity: {},
  defaultNamespace: 'default',
  clusterDomain: 'cluster.local',
  defaultApiVersion: 'networking.istio.io/v1',
  defaultMirrorPercentage: 10,
  // The newest release (model/istioReleases.ts newestIstioRelease; a test keeps them equal).
  istioVersion: '1.30',
};

/** A diagnostic produced by the service, before severity settings are applied. */
export interface Problem {
  /** Stable code from the rule table (`IM…` or an `IST…` code where the meaning is Istio's). */
  code: string;
  /** Range of the offending key or value. */
  range: Range;
  /** What is wrong and how to fix it. */
  message: string;
  /** Overrides the rule's default severity for this one finding (rare: e.g. a value that is both deprecated and out of range). */
  severity?: SeverityName;
  /** Machine-readable facts a quick fix needs (e.g. the suggested key); passed through LSP `Diagnostic.data`. */
  data?: ProblemData;
  /** Extra locations that explain the finding (e.g. the DestinationRule that lacks the subset). */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

/** Facts attached to a problem for quick fixes. Every field is optional and independent. */
export interface ProblemData {
  /** The closest known key, for unknown-key and snake_case findings. */
  replacementKey?: string;
  /** A value the user most likely meant (e.g. the clamped percentage, or the quoted string). */
  replacementValue?: unknown;
  /** For a missing subset: the resolved host and the subset name. */
  host?: string;
  subset?: string;
  /** Path of the YAML node the finding is about, from the document root. */
  path?: (string | number)[];
}

/** Kinds of objects the service models. Only VirtualService and DestinationRule are validated. */
export type ResourceKind =
  | 'VirtualService' | 'DestinationRule' | 'ServiceEntry' | 'Service' | 'Gateway' | 'Kustomization'
  | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Pod' | 'Rollout'
  | 'HTTPRoute' | 'GRPCRoute' | 'ReferenceGrant';

/** A string value from the YAML together with where it is. */
export interface Located<T = string> {
  value: T;
  range: Range;
}
