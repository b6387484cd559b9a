// The canary mirroring scaffold: a complete, valid setup in one multi-document YAML text —
// two Deployments (stable and canary), a Service, a DestinationRule with both subsets, and a
// VirtualService that routes every request to stable and mirrors a share to canary
// (optionally only requests carrying a header). Served to editors by `istio/scaffoldCanary`.
// With the workspace: its apps (a Service and the versions behind it) are offered, the defaults
// come from the app chosen (namespace, port, versions, images, the Service's selector), and only
// what the workspace does not hold yet is written; the header comment says what is reused.

import { defaultSettings } from '../types';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { virtualServicesForHost, workspaceApps, type WorkspaceApp } from '../workspace/workspaceQueries';

/** Answers for the canary mirroring scaffold; every field has a default. */
export interface CanaryScaffoldOptions {
  app?: string;
  namespace?: string;
  port?: number;
  stableVersion?: string;
  stableImage?: string;
  canaryVersion?: string;
  canaryImage?: string;
  mirrorPercentage?: number;
  /** Mirror only requests carrying this header with this value. */
  mirrorHeader?: { name: string; value: string };
  /** Give the canary environment variables that turn off writes (mirrored requests must not write twice). */
  disableCanaryWrites?: boolean;
  apiVersion?: string;
  /** Which API routes and mirrors: Istio's VirtualService + DestinationRule (default) or the Gateway API's HTTPRoute (gatewayApiScaffold.ts). */
  api?: 'istio' | 'gateway-api';
}

export type ResolvedOptions = Required<Omit<CanaryScaffoldOptions, 'mirrorHeader' | 'api'>> & Pick<CanaryScaffoldOptions, 'mirrorHeader' | 'api'> & {
  /** The pods' port: the existing Service's numeric targetPort, else the port. */
  containerPort: number;
  /** The labels every pod of the app carries: the existing Service's selector, else `app: <app>`. */
  podLabels: Record<string, string>;
};

/** An app of the workspace, as the scaffold's first question offers it. */
export interface ScaffoldApp {
  name: string;
  namespace: string;
  port?: number;
  /** The `version` labels of the pods behind its Service. */
  versions: string[];
  /** A VirtualService already routes it. */
  routed: boolean;
}

export interface CanaryScaffoldResult {
  /** The complete multi-document YAML: Deployments, Service, DestinationRule, VirtualService (what the workspace lacks). */
  text: string;
  /** The options after defaults were applied. */
  options: ResolvedOptions;
  /** The apps of the workspace (Istio API only; empty without a workspace). */
  apps: ScaffoldApp[];
  /** What the workspace already holds and the text leaves out, e.g. `Service shop/checkout`. */
  reused: string[];
}

/** The defaults, from the app of the workspace when one is chosen (or, with no app named, the first not yet routed). */
export function resolveScaffoldOptions(options: CanaryScaffoldOptions, apiVersion = defaultSettings.defaultApiVersion, percentage = defaultSettings.defaultMirrorPercentage, apps: readonly WorkspaceApp[] = []): ResolvedOptions {
  const existing = chosenApp(options, apps);
  const app = options.app?.trim() || existing?.service.model.name?.value || 'myapp';
  const versions = existing?.versions ?? [];
  const stableVersion = options.stableVersion?.trim() || versions[0]?.version || 'v1';
  const canaryVersion = options.canaryVersion?.trim() || versions.find((entry) => entry.version !== stableVersion)?.version || nextVersion(stableVersion);
  const imageOf = (version: string): string | undefined => versions.find((entry) => entry.version === version)?.image;
  const stableImage = options.stableImage?.trim() || imageOf(stableVersion) || `registry.example.com/${app}:${stableVersion}`;
  const resolved: ResolvedOptions = {
    app,
    namespace: options.namespace?.trim() || existing?.service.namespace || 'default',
    port: options.port ?? existing?.port ?? 8080,
    containerPort: options.port ?? existing?.containerPort ?? existing?.port ?? 8080,
    stableVersion,
    stableImage,
    canaryVersion,
    canaryImage: options.canaryImage?.trim() || imageOf(canaryVersion) || (imageOf(stableVersion) ? retagged(stableImage, canaryVersion) : `registry.example.com/${app}:${canaryVersion}`),
    mirrorPercentage: options.mirrorPercentage ?? percentage,
    disableCanaryWrites: options.disableCanaryWrites ?? true,
    apiVersion: options.apiVersion ?? apiVersion,
    podLabels: existing?.selector ?? { app },
  };
  if (options.mirrorHeader?.name) resolved.mirrorHeader = { name: options.mirrorHeader.name.trim().toLowerCase(), value: options.mirrorHeader.value };
  if (options.api) resolved.api = options.api;
  return resolved;
}

/** The workspace app the answers name (by name, and namespace when given); with no name, the first app no VirtualService routes yet. */
function chosenApp(options: CanaryScaffoldOptions, apps: readonly WorkspaceApp[]): WorkspaceApp | undefined {
  const name = options.app?.trim();
  const namespace = options.namespace?.trim();
  if (!name) return namespace ? undefined : apps.find((app) => !app.routed);
  return apps.find((app) => app.service.model.name?.value === name && (!namespace || app.service.namespace === namespace));
}

/** `v1` → `v2`; any other name → `canary` (or `v2` when the stable version is called `canary`). */
function nextVersion(version: string): string {
  const numbered = /^v(\d{1,6})$/.exec(version);
  if (numbered) return `v${Number(numbered[1]) + 1}`;
  return version === 'canary' ? 'v2' : 'canary';
}

/** The image reference with another tag: `registry/app:1.4` → `registry/app:v2`. */
function retagged(image: string, tag: string): string {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return `${colon > slash ? withoutDigest.slice(0, colon) : withoutDigest}:${tag}`;
}

/**
 * A label key or value as YAML: plain when it reads back as the same string, else double-quoted
 * with every control and line-separator character escaped (an existing Service's selector is
 * the workspace's text and may hold anything).
 */
export function labelScalar(text: string): string {
  if (/^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/.test(text) && !/^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+)$/i.test(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function deployment(o: ResolvedOptions, version: string, image: string, canary: boolean): string[] {
  const labels = (indent: string): string[] => [...Object.entries({ ...o.podLabels, version }).map(([key, value]) => `${indent}${labelScalar(key)}: ${labelScalar(value)}`)];
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${o.app}-${version}`,
    `  namespace: ${o.namespace}`,
    '  labels:',
    ...labels('    '),
    'spec:',
    `  replicas: ${canary ? 1 : 2}`,
    '  selector:',
    '    matchLabels:',
    ...labels('      '),
    '  template:',
    '    metadata:',
    '      labels:',
    ...labels('        '),
    '    spec:',
    '      containers:',
    `      - name: ${o.app}`,
    `        image: ${image}`,
    '        ports:',
    `        - containerPort: ${o.containerPort}`,
  ];
  if (canary && o.disableCanaryWrites) {
    lines.push(
      '        # The canary receives copies of production requests: it must not write what',
      '        # stable already wrote. Make your application honour one of these switches.',
      '        env:',
      '        - name: READ_ONLY_MODE',
      '          value: "true"',
      '        - name: DISABLE_OUTBOUND_WRITES',
      '          value: "true"',
    );
  }
  return lines;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The scaffold; with `index`, the workspace's apps are offered and what it holds is reused, not written again. */
export function scaffoldCanary(options: CanaryScaffoldOptions, apiVersion?: string, percentage?: number, index?: WorkspaceIndex): CanaryScaffoldResult {
  const apps = index ? workspaceApps(index) : [];
  const o = resolveScaffoldOptions(options, apiVersion, percentage, apps);
  const existing = apps.find((app) => app.service.model.name?.value === o.app && app.service.namespace === o.namespace);
  const route = [
    '    route:',
    '    - destination:',
    `        host: ${o.app}`,
    `        subset: ${o.stableVersion}`,
    '      weight: 100',
  ];
  const mirror = [
    '    mirror:',
    `      host: ${o.app}`,
    `      subset: ${o.canaryVersion}`,
    '    mirrorPercentage:',
    `      value: ${o.mirrorPercentage}`,
  ];
  const rules = o.mirrorHeader
    ? [
        `  - name: mirror-tagged-requests`,
        '    match:',
        '    - headers:',
        `        ${o.mirrorHeader.name}:`,
        `          exact: ${quote(o.mirrorHeader.value)}`,
        ...route,
        ...mirror,
        '  - name: all-other-requests',
        ...route,
      ]
    : ['  - name: stable-with-mirror', ...route, ...mirror];
  const stableDeployment = deployment(o, o.stableVersion, o.stableImage, false);
  const canaryDeployment = deployment(o, o.canaryVersion, o.canaryImage, true);
  const service = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${o.app}`,
    `  namespace: ${o.namespace}`,
    '  labels:',
    `    app: ${o.app}`,
    'spec:',
    '  selector:',
    ...Object.entries(o.podLabels).map(([key, value]) => `    ${labelScalar(key)}: ${labelScalar(value)}`),
    '  ports:',
    '  - name: http',
    `    port: ${o.port}`,
    `    targetPort: ${o.containerPort}`,
  ];
  const destinationRule = [
    `apiVersion: ${o.apiVersion}`,
    'kind: DestinationRule',
    'metadata:',
    `  name: ${o.app}`,
    `  namespace: ${o.namespace}`,
    'spec:',
    `  host: ${o.app}`,
    '  subsets:',
    `  - name: ${o.stableVersion}`,
    '    labels:',
    `      version: ${o.stableVersion}`,
    `  - name: ${o.canaryVersion}`,
    '    labels:',
    `      version: ${o.canaryVersion}`,
  ];
  const virtualService = [
    `apiVersion: ${o.apiVersion}`,
    'kind: VirtualService',
    'metadata:',
    `  name: ${o.app}`,
    `  namespace: ${o.namespace}`,
    'spec:',
    '  hosts:',
    `  - ${o.app}`,
    '  http:',
    ...rules,
  ];

  // What the workspace already holds is used as it is and not written again.
  const reused: string[] = [];
  const notes: string[] = [];
  const documents: string[][] = [];
  const workloadOf = (version: string) => existing?.versions.find((entry) => entry.version === version)?.workload;
  for (const [version, role, lines] of [[o.stableVersion, 'stable', stableDeployment], [o.canaryVersion, 'canary', canaryDeployment]] as const) {
    const workload = workloadOf(version);
    if (workload) reused.push(`${workload.model.kind} ${o.namespace}/${workload.model.name?.value ?? '(unnamed)'} (${role}, version ${version})`);
    else documents.push(lines);
  }
  if (existing) reused.push(`Service ${o.namespace}/${o.app}`);
  else documents.push(service);
  const rulesLookup = index?.destinationRulesFor(o.app, o.namespace);
  if (rulesLookup && rulesLookup.match !== 'none') {
    const names = rulesLookup.rules.map((entry) => `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`);
    reused.push(`DestinationRule ${names.join(', ')}`);
    const defined = new Set(rulesLookup.rules.flatMap((entry) => entry.model.subsets.map((subset) => subset.name.value)));
    const missing = [o.stableVersion, o.canaryVersion].filter((name) => !defined.has(name));
    if (missing.length > 0) notes.push(`# DestinationRule ${names[0]} has no subset ${missing.join(' or ')}: add ${missing.length > 1 ? 'them' : 'it'} (the quick fix on the VirtualService's subset does, with the pods' labels).`);
  } else {
    documents.push(destinationRule);
  }
  const routing = index ? virtualServicesForHost(index, o.app, o.namespace) : [];
  if (routing.length > 0) {
    const names = routing.map((entry) => `${entry.namespace}/${entry.model.name?.value ?? '(unnamed)'}`);
    reused.push(`VirtualService ${names.join(', ')}`);
    notes.push(`# VirtualService ${names[0]} already routes ${o.app}: a second one for the same host would conflict, so none is written. Add the mirror to its route with "Istio: Add Mirror to Route".`);
  } else {
    documents.push(virtualService);
  }

  const header = [
    `# Canary mirroring for ${o.app} in namespace ${o.namespace}, generated by istio-mirror.`,
    `# Every request is served by ${o.stableVersion}; ${o.mirrorPercentage} % of ${o.mirrorHeader ? `requests with header ${o.mirrorHeader.name}: ${o.mirrorHeader.value}` : 'requests'} are also`,
    `# copied to ${o.canaryVersion}, whose responses are discarded.`,
    ...(reused.length > 0 ? ['# Already in the workspace, used as it is:', ...reused.map((item) => `#   ${item}`)] : []),
    ...notes,
  ];
  const [first, ...rest] = documents;
  const text = [[...header, ...(first ?? [])], ...rest].map((lines) => lines.join('\n')).join('\n---\n');
  const offered: ScaffoldApp[] = apps.map((app) => ({
    name: app.service.model.name?.value ?? '',
    namespace: app.service.namespace,
    ...(app.port !== undefined ? { port: app.port } : {}),
    versions: app.versions.map((entry) => entry.version),
    routed: app.routed,
  }));
  return { text: `${text}\n`, options: o, apps: offered, reused };
}
