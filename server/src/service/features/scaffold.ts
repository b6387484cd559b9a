// The canary mirroring scaffold: a complete, valid setup in one multi-document YAML text —
// two Deployments (stable and canary), a Service, a DestinationRule with both subsets, and a
// VirtualService that routes every request to stable and mirrors a share to canary
// (optionally only requests carrying a header). Served to editors by `istio/scaffoldCanary`.

import { defaultSettings } from '../types';

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

export type ResolvedOptions = Required<Omit<CanaryScaffoldOptions, 'mirrorHeader' | 'api'>> & Pick<CanaryScaffoldOptions, 'mirrorHeader' | 'api'>;

export interface CanaryScaffoldResult {
  /** The complete multi-document YAML: Deployments, Service, DestinationRule, VirtualService. */
  text: string;
  /** The options after defaults were applied. */
  options: ResolvedOptions;
}

export function resolveScaffoldOptions(options: CanaryScaffoldOptions, apiVersion = defaultSettings.defaultApiVersion, percentage = defaultSettings.defaultMirrorPercentage): ResolvedOptions {
  const app = options.app?.trim() || 'myapp';
  const stableVersion = options.stableVersion?.trim() || 'v1';
  const canaryVersion = options.canaryVersion?.trim() || 'v2';
  const resolved: ResolvedOptions = {
    app,
    namespace: options.namespace?.trim() || 'default',
    port: options.port ?? 8080,
    stableVersion,
    stableImage: options.stableImage?.trim() || `registry.example.com/${app}:${stableVersion}`,
    canaryVersion,
    canaryImage: options.canaryImage?.trim() || `registry.example.com/${app}:${canaryVersion}`,
    mirrorPercentage: options.mirrorPercentage ?? percentage,
    disableCanaryWrites: options.disableCanaryWrites ?? true,
    apiVersion: options.apiVersion ?? apiVersion,
  };
  if (options.mirrorHeader?.name) resolved.mirrorHeader = { name: options.mirrorHeader.name.trim().toLowerCase(), value: options.mirrorHeader.value };
  if (options.api) resolved.api = options.api;
  return resolved;
}

export function deployment(o: ResolvedOptions, version: string, image: string, canary: boolean): string[] {
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${o.app}-${version}`,
    `  namespace: ${o.namespace}`,
    '  labels:',
    `    app: ${o.app}`,
    `    version: ${version}`,
    'spec:',
    `  replicas: ${canary ? 1 : 2}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${o.app}`,
    `      version: ${version}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${o.app}`,
    `        version: ${version}`,
    '    spec:',
    '      containers:',
    `      - name: ${o.app}`,
    `        image: ${image}`,
    '        ports:',
    `        - containerPort: ${o.port}`,
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

export function scaffoldCanary(options: CanaryScaffoldOptions, apiVersion?: string, percentage?: number): CanaryScaffoldResult {
  const o = resolveScaffoldOptions(options, apiVersion, percentage);
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
  const documents: string[][] = [
    [
      `# Canary mirroring for ${o.app} in namespace ${o.namespace}, generated by istio-mirror.`,
      `# Every request is served by ${o.stableVersion}; ${o.mirrorPercentage} % of ${o.mirrorHeader ? `requests with header ${o.mirrorHeader.name}: ${o.mirrorHeader.value}` : 'requests'} are also`,
      `# copied to ${o.canaryVersion}, whose responses are discarded.`,
      ...deployment(o, o.stableVersion, o.stableImage, false),
    ],
    deployment(o, o.canaryVersion, o.canaryImage, true),
    [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${o.app}`,
      `  namespace: ${o.namespace}`,
      '  labels:',
      `    app: ${o.app}`,
      'spec:',
      '  selector:',
      `    app: ${o.app}`,
      '  ports:',
      '  - name: http',
      `    port: ${o.port}`,
      `    targetPort: ${o.port}`,
    ],
    [
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
    ],
    [
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
    ],
  ];
  return { text: `${documents.map((lines) => lines.join('\n')).join('\n---\n')}\n`, options: o };
}
