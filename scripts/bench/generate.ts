// Deterministic generator of realistic multi-document Istio files for the benchmark.
//
// A file is a sequence of "applications", each written as five documents in the order a team
// keeps them: two Deployments (v1, v2), a Service, a DestinationRule (subsets v1, v2, canary,
// traffic policies) and a VirtualService (header/URI matches, weighted routes, retries,
// timeouts, `mirror` + `mirrorPercentage` or `mirrors`, sometimes a fault or a mirror to another
// application's service). Everything comes from a seeded PRNG, so a size and a seed always give
// the same text. The generated file is valid for Istio (and for the CRD schemas) and checks clean
// against itself (every destination names a port of its two-port Service; the v2 pods carry the
// `track: canary` label the `canary` subset selects), except for the injected errors, whose kind
// and 0-based line are recorded.

export type ErrorKind = 'wrong-type' | 'unknown-field' | 'out-of-range' | 'missing-subset';
export const errorKinds: readonly ErrorKind[] = ['wrong-type', 'unknown-field', 'out-of-range', 'missing-subset'];

export interface InjectedError {
  kind: ErrorKind;
  /** 0-based line in the file. */
  line: number;
  /** The offending line as written. */
  text: string;
}

export interface GeneratedFile {
  text: string;
  resources: number;
  lines: number;
  errors: InjectedError[];
  /** 0-based first line of every document (after its `---`). */
  documentStarts: number[];
  /** Resource count per kind. */
  kinds: Record<string, number>;
}

export interface GenerateOptions {
  resources: number;
  /** Injected errors, spread over the file and over the four kinds (round robin). */
  errors: number;
  seed: number;
  /** Namespaces cycle over these (default: four team namespaces). */
  namespaces?: string[];
}

/** mulberry32: small, fast, good enough for test data, identical on every platform. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const appWords = ['reviews', 'ratings', 'details', 'productpage', 'checkout', 'cart', 'payments', 'catalog', 'search', 'inventory',
  'shipping', 'orders', 'accounts', 'auth', 'profile', 'pricing', 'recommend', 'notify', 'billing', 'gateway-api'];
const defaultNamespaces = ['shop', 'payments', 'catalog', 'identity'];
const headerNames = ['x-user-group', 'x-canary', 'end-user', 'x-client-version', 'x-region'];
const headerValues = ['beta', 'internal', 'jason', 'qa-team', 'eu-west', 'mobile', 'partner'];
const uriPrefixes = ['/api/v2', '/api/v1/items', '/graphql', '/static', '/admin', '/v3/search', '/healthz'];
const timeouts = ['2s', '5s', '10s', '15s', '30s', '500ms', '1.5s'];
const retryOns = ['5xx,reset,connect-failure', 'gateway-error,connect-failure,refused-stream', '5xx', 'reset,retriable-4xx'];
const loadBalancers = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'];
const mirrorPercentages = ['1', '5', '10', '12.5', '25', '50', '100'];
const weightSplits: [number, number][] = [[90, 10], [80, 20], [75, 25], [50, 50], [95, 5]];

type Plan = ErrorKind | undefined;

class Lines {
  readonly lines: string[] = [];
  marked: number | undefined;
  add(line: string): void {
    this.lines.push(line);
  }
  /** Adds the line carrying the injected error and remembers where it is. */
  mark(line: string): void {
    this.marked = this.lines.length;
    this.lines.push(line);
  }
}

export function generateFile(options: GenerateOptions): GeneratedFile {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const namespaces = options.namespaces ?? defaultNamespaces;
  const applications = Math.ceil(options.resources / 5);
  const completeApplications = Math.floor(options.resources / 5);

  // Spread the injected errors evenly over the complete applications, kinds round robin.
  const plan = new Map<number, ErrorKind>();
  const errorCount = Math.min(options.errors, completeApplications);
  for (let e = 0; e < errorCount; e++) {
    // Evenly spaced, with a seeded jitter so the kinds do not always land on the same application names.
    const app = Math.floor(((e + 0.1 + 0.8 * random()) * completeApplications) / errorCount);
    plan.set(app, errorKinds[e % errorKinds.length]);
  }

  const documents: { lines: string[]; marked?: number; kind?: ErrorKind; resourceKind: string }[] = [];
  let missingSubsetCount = 0;
  for (let app = 0; app < applications && documents.length < options.resources; app++) {
    const name = `${appWords[app % appWords.length]}-${Math.floor(app / appWords.length) + 1}`;
    const namespace = namespaces[app % namespaces.length];
    const otherApp = app >= namespaces.length ? app - namespaces.length : undefined; // same namespace, earlier in the file
    const otherName = otherApp === undefined ? undefined : `${appWords[otherApp % appWords.length]}-${Math.floor(otherApp / appWords.length) + 1}`;
    const inject = plan.get(app);
    const builders: [string, () => Lines][] = [
      ['Deployment', () => deployment(name, namespace, 'v1')],
      ['Deployment', () => deployment(name, namespace, 'v2')],
      ['Service', () => service(name, namespace)],
      ['DestinationRule', () => destinationRule(name, namespace)],
      ['VirtualService', () => virtualService(name, namespace, otherName, inject, inject === 'missing-subset' ? missingSubsetCount++ : 0)],
    ];
    for (const [resourceKind, build] of builders) {
      if (documents.length >= options.resources) break;
      const lines = build();
      documents.push({ lines: lines.lines, marked: lines.marked, kind: resourceKind === 'VirtualService' ? inject : undefined, resourceKind });
    }
  }

  function deployment(name: string, namespace: string, version: string): Lines {
    const l = new Lines();
    const replicas = version === 'v1' ? pick([2, 3, 4, 6]) : 1;
    const port = pick([8080, 9080, 3000, 8000]);
    l.add('apiVersion: apps/v1');
    l.add('kind: Deployment');
    l.add('metadata:');
    l.add(`  name: ${name}-${version}`);
    l.add(`  namespace: ${namespace}`);
    l.add('  labels:');
    l.add(`    app: ${name}`);
    l.add(`    version: ${version}`);
    l.add('spec:');
    l.add(`  replicas: ${replicas}`);
    l.add('  selector:');
    l.add('    matchLabels:');
    l.add(`      app: ${name}`);
    l.add(`      version: ${version}`);
    l.add('  template:');
    l.add('    metadata:');
    l.add('      labels:');
    l.add(`        app: ${name}`);
    l.add(`        version: ${version}`);
    if (version === 'v2') l.add('        track: canary');
    l.add('      annotations:');
    l.add('        prometheus.io/scrape: "true"');
    l.add('        prometheus.io/port: "15020"');
    l.add('    spec:');
    l.add('      containers:');
    l.add(`      - name: ${name}`);
    l.add(`        image: registry.example.com/${namespace}/${name}:1.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}${version === 'v2' ? '-rc.1' : ''}`);
    l.add('        imagePullPolicy: IfNotPresent');
    l.add('        ports:');
    l.add('        - name: http');
    l.add(`          containerPort: ${port}`);
    l.add('        env:');
    l.add('        - name: LOG_LEVEL');
    l.add(`          value: ${pick(['info', 'debug', 'warn'])}`);
    l.add('        readinessProbe:');
    l.add('          httpGet:');
    l.add('            path: /healthz/ready');
    l.add('            port: http');
    l.add(`          periodSeconds: ${pick([5, 10])}`);
    l.add('        resources:');
    l.add('          requests:');
    l.add(`            cpu: ${pick(['100m', '250m', '500m'])}`);
    l.add(`            memory: ${pick(['128Mi', '256Mi', '512Mi'])}`);
    l.add('          limits:');
    l.add(`            memory: ${pick(['512Mi', '1Gi'])}`);
    return l;
  }

  function service(name: string, namespace: string): Lines {
    const l = new Lines();
    l.add('apiVersion: v1');
    l.add('kind: Service');
    l.add('metadata:');
    l.add(`  name: ${name}`);
    l.add(`  namespace: ${namespace}`);
    l.add('  labels:');
    l.add(`    app: ${name}`);
    l.add('spec:');
    l.add('  type: ClusterIP');
    l.add('  selector:');
    l.add(`    app: ${name}`);
    l.add('  ports:');
    l.add('  - name: http');
    l.add('    port: 80');
    l.add(`    targetPort: ${pick([8080, 9080, 3000, 8000])}`);
    l.add('  - name: grpc');
    l.add('    port: 9090');
    l.add('    targetPort: 9090');
    return l;
  }

  function destinationRule(name: string, namespace: string): Lines {
    const l = new Lines();
    l.add('apiVersion: networking.istio.io/v1');
    l.add('kind: DestinationRule');
    l.add('metadata:');
    l.add(`  name: ${name}`);
    l.add(`  namespace: ${namespace}`);
    l.add('spec:');
    l.add(`  host: ${name}`);
    l.add('  trafficPolicy:');
    l.add('    loadBalancer:');
    l.add(`      simple: ${pick(loadBalancers)}`);
    l.add('    connectionPool:');
    l.add('      tcp:');
    l.add(`        maxConnections: ${pick([50, 100, 200, 1000])}`);
    l.add(`        connectTimeout: ${pick(['30ms', '100ms', '1s'])}`);
    l.add('      http:');
    l.add(`        http1MaxPendingRequests: ${pick([32, 64, 128])}`);
    l.add(`        maxRequestsPerConnection: ${pick([1, 10, 100])}`);
    if (chance(0.7)) {
      l.add('    outlierDetection:');
      l.add(`      consecutive5xxErrors: ${pick([3, 5, 7])}`);
      l.add(`      interval: ${pick(['10s', '30s', '1m'])}`);
      l.add(`      baseEjectionTime: ${pick(['30s', '60s', '3m'])}`);
      l.add(`      maxEjectionPercent: ${pick([10, 25, 50])}`);
    }
    l.add('    tls:');
    l.add('      mode: ISTIO_MUTUAL');
    l.add('  subsets:');
    for (const subset of ['v1', 'v2', 'canary']) {
      l.add(`  - name: ${subset}`);
      l.add('    labels:');
      l.add(`      version: ${subset === 'canary' ? 'v2' : subset}`);
      if (subset === 'canary') l.add('      track: canary');
      if (subset === 'v2' && chance(0.4)) {
        l.add('    trafficPolicy:');
        l.add('      loadBalancer:');
        l.add(`        simple: ${pick(loadBalancers)}`);
      }
    }
    return l;
  }

  function virtualService(name: string, namespace: string, otherName: string | undefined, inject: Plan, missingIndex: number): Lines {
    const l = new Lines();
    l.add('apiVersion: networking.istio.io/v1');
    l.add('kind: VirtualService');
    l.add('metadata:');
    l.add(`  name: ${name}`);
    l.add(`  namespace: ${namespace}`);
    l.add('spec:');
    l.add('  hosts:');
    l.add(`  - ${name}`);
    if (chance(0.3)) {
      l.add('  gateways:');
      l.add('  - mesh');
    }
    l.add('  http:');
    // Matched rules first (each different), the catch-all rule last.
    const matchedRules = inject === 'wrong-type' ? 1 + Math.floor(random() * 2) : Math.floor(random() * 3);
    // Where the injected error goes: the first matched rule when there is one, else the catch-all.
    const inFirstRule = matchedRules > 0;
    const missingInMirror = inject === 'missing-subset' && missingIndex % 2 === 1;
    const missingInRoute = inject === 'missing-subset' && !missingInMirror;
    const mirrorError = inject === 'unknown-field' || inject === 'out-of-range' ? inject : undefined;
    const usedHeaders = new Set<string>();
    for (let rule = 0; rule < matchedRules; rule++) {
      const first = rule === 0;
      l.add(`  - name: ${pick(['beta-testers', 'internal', 'api-v2', 'mobile', 'partners'])}-${rule + 1}`);
      l.add('    match:');
      let header = `${pick(headerNames)}=${pick(headerValues)}`;
      while (usedHeaders.has(header)) header = `${pick(headerNames)}=${pick(headerValues)}`;
      usedHeaders.add(header);
      const [headerName, headerValue] = header.split('=');
      l.add('    - headers:');
      l.add(`        ${headerName}:`);
      if (inject === 'wrong-type' && first) l.mark('          exact: true');
      else l.add(`          exact: ${headerValue}`);
      if (chance(0.5)) {
        l.add('      uri:');
        l.add(`        prefix: ${pick(uriPrefixes)}`);
      }
      if (chance(0.3)) {
        l.add('    - queryParams:');
        l.add('        debug:');
        l.add(`          exact: "${rule + 1}"`);
      }
      const subset = pick(['v2', 'canary']);
      l.add('    route:');
      l.add('    - destination:');
      l.add(`        host: ${name}`);
      if (missingInRoute && first) l.mark('        subset: v9');
      else l.add(`        subset: ${subset}`);
      httpPort(l, '        ');
      if (chance(0.6)) l.add(`    timeout: ${pick(timeouts)}`);
      if (first && mirrorError) mirror(l, name, subset === 'v2' ? 'canary' : 'v2', mirrorError);
      else if (first && chance(0.35)) mirror(l, name, subset === 'v2' ? 'canary' : 'v2', undefined);
    }
    l.add('  - name: default');
    l.add('    route:');
    const split = chance(0.6) ? pick(weightSplits) : undefined;
    l.add('    - destination:');
    l.add(`        host: ${name}`);
    if (missingInRoute && !inFirstRule) l.mark('        subset: v9');
    else l.add('        subset: v1');
    httpPort(l, '        ');
    if (split) {
      l.add(`      weight: ${split[0]}`);
      l.add('    - destination:');
      l.add(`        host: ${name}`);
      l.add('        subset: v2');
      httpPort(l, '        ');
      l.add(`      weight: ${split[1]}`);
    }
    if (chance(0.7)) {
      l.add(`    timeout: ${pick(timeouts)}`);
      l.add('    retries:');
      l.add(`      attempts: ${pick([2, 3, 5])}`);
      l.add(`      perTryTimeout: ${pick(['500ms', '1s', '2s'])}`);
      l.add(`      retryOn: ${pick(retryOns)}`);
    }
    if (chance(0.15)) {
      l.add('    fault:');
      l.add('      delay:');
      l.add('        percentage:');
      l.add('          value: 0.5');
      l.add('        fixedDelay: 2s');
    }
    if (missingInMirror) {
      mirror(l, name, 'canary', 'missing-subset');
    } else if (mirrorError && !inFirstRule) {
      mirror(l, name, 'canary', mirrorError);
    } else if (chance(0.5)) {
      if (otherName && chance(0.5)) {
        // Several targets with `mirrors:`, one of them another application's service in the same namespace.
        l.add('    mirrors:');
        l.add('    - destination:');
        l.add(`        host: ${otherName}`);
        l.add('        subset: v1');
        httpPort(l, '        ');
        l.add('      percentage:');
        l.add(`        value: ${pick(mirrorPercentages)}`);
        l.add('    - destination:');
        l.add(`        host: ${name}`);
        l.add('        subset: canary');
        httpPort(l, '        ');
        l.add('      percentage:');
        l.add(`        value: ${pick(mirrorPercentages)}`);
      } else {
        mirror(l, name, 'canary', undefined);
      }
    }
    return l;
  }

  /** The Service exposes two ports: a destination without one is ambiguous (IST0112), so every destination names `http`. */
  function httpPort(l: Lines, indent: string): void {
    l.add(`${indent}port:`);
    l.add(`${indent}  number: 80`);
  }

  function mirror(l: Lines, host: string, subset: string, inject: Plan): void {
    l.add('    mirror:');
    l.add(`      host: ${host}`);
    if (inject === 'missing-subset') l.mark('      subset: v9');
    else l.add(`      subset: ${subset}`);
    httpPort(l, '      ');
    if (inject === 'unknown-field') {
      l.mark('    mirrorPercantage:');
      l.add(`      value: ${pick(mirrorPercentages)}`);
    } else {
      l.add('    mirrorPercentage:');
      if (inject === 'out-of-range') l.mark('      value: 150');
      else l.add(`      value: ${pick(mirrorPercentages)}`);
    }
  }

  // Assemble: documents separated by `---`, an occasional comment line between them.
  const out: string[] = [];
  const errors: InjectedError[] = [];
  const documentStarts: number[] = [];
  const kinds: Record<string, number> = {};
  documents.forEach((document, index) => {
    if (index > 0) out.push('---');
    if (document.resourceKind === 'Deployment' && chance(0.2)) out.push(`# ${document.lines[3].trim().slice(6)}: owned by team ${pick(['red', 'blue', 'green'])}`);
    documentStarts.push(out.length);
    if (document.marked !== undefined && document.kind) {
      errors.push({ kind: document.kind, line: out.length + document.marked, text: document.lines[document.marked] });
    }
    out.push(...document.lines);
    kinds[document.resourceKind] = (kinds[document.resourceKind] ?? 0) + 1;
  });
  const text = `${out.join('\n')}\n`;
  return { text, resources: documents.length, lines: out.length, errors, documentStarts, kinds };
}
