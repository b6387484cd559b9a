// The material the randomised server tests work with: a seeded random source, the initial
// multi-file workspace (VirtualServices that depend on a DestinationRule file, mixed kinds,
// a template, an excluded folder), and a pool of YAML fragments to paste — whole resources
// and separators as well as broken pieces (half keys, unbalanced brackets, tabs, Helm, anchors
// and aliases, very long lines, unicode, CRLF, control characters).
//
// Everything here is data plus a deterministic PRNG: the same seed gives the same session.

/** A small, fast, seedable PRNG (mulberry32); `next()` is uniform in [0, 1). */
export class FuzzRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks a key by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}

export const destinationRules = `# The DestinationRules the VirtualServices of this workspace depend on.
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
  host: reviews.demo.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels: {version: v2}
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: ratings
  namespace: demo
spec:
  host: ratings
  subsets:
  - name: stable
    labels: {version: stable}
  - name: canary
    labels: {version: canary}
`;

export const reviewsVirtualServices = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts:
  - reviews
  http:
  - name: primary
    match:
    - headers:
        x-canary:
          exact: "true"
    route:
    - destination:
        host: reviews
        subset: v1
      weight: 90
    - destination:
        host: reviews
        subset: v2
      weight: 10
    mirror:
      host: reviews
      subset: v3
    mirrorPercentage:
      value: 25
  - name: default
    route:
    - destination: {host: reviews, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-shadow
  namespace: demo
spec:
  hosts: [reviews-shadow]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
    mirrors:
    - destination: {host: reviews, subset: v2}
      percentage: {value: 20}
    - destination: {host: ratings, subset: canary}
      percentage: {value: 5}
`;

export const ratingsVirtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: demo
spec:
  hosts:
  - ratings
  http:
  - route:
    - destination:
        host: ratings
        subset: stable
    mirror:
      host: ratings.demo.svc.cluster.local
      subset: canary
    mirrorPercentage:
      value: 150
    timeout: 0s
    retries:
      perTryTimeout: 2s
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: demo
spec:
  selector:
    app: ratings
  ports:
  - name: http
    port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ratings-canary
  namespace: demo
spec:
  selector:
    matchLabels: {app: ratings, version: canary}
  template:
    metadata:
      labels: {app: ratings, version: canary}
    spec:
      containers:
      - name: ratings
        image: example/ratings:2
`;

export const mixedFile = `# Mistakes people make, next to things that are not Istio at all.
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mirror: "yes"
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: details
  namespace: demo
spec:
  hosts:
  - details
  http:
  - route:
    - destination:
        host: details
        subset: v1
    mirror:
      host: reviews
      subset: v9
    mirrors:
    - destination: {host: reviews, subset: v2}
    mirror_percent: 300
  - route:
    - destination: {host: details}
    mirrorPercantage: {value: 5}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: details
  namespace: demo
spec:
  host: details
  subsets:
  - name: v1
  - name: v1
    labels: {version: v1}
`;

export const wildcardRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: everything
  namespace: demo
spec:
  host: "*.demo.svc.cluster.local"
  subsets:
  - name: v4
    labels: {version: v4}
  - name: canary
    labels: {version: canary}
`;

export const moreVirtualServices = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings-by-header
  namespace: demo
spec:
  hosts: [ratings-by-header]
  http:
  - match:
    - headers: {x-mirror: {exact: "on"}}
    route:
    - destination: {host: ratings, subset: stable}
    mirror: {host: ratings, subset: canary}
    mirrorPercentage: {value: 100}
  - route:
    - destination: {host: ratings, subset: stable}
  - route:
    - destination: {host: details, subset: v4}
`;

export const helmTemplate = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {{ include "app.fullname" . }}
spec:
  hosts:
  {{- range .Values.hosts }}
  - {{ . | quote }}
  {{- end }}
`;

/** A DestinationRule under node_modules: never indexed from disk (excluded by default). */
export const vendoredRule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-vendored
  namespace: demo
spec:
  host: reviews
  subsets:
  - name: v9
    labels: {version: v9}
`;

/** The initial workspace: relative path → text. Which of them start open is the driver's choice. */
export const initialWorkspace: Readonly<Record<string, string>> = {
  'dr.yaml': destinationRules,
  'vs-reviews.yaml': reviewsVirtualServices,
  'vs-ratings.yaml': ratingsVirtualService,
  'mixed.yaml': mixedFile,
  'rules/wildcard.yml': wildcardRule,
  'rules/more.yaml': moreVirtualServices,
  'chart/templates/vs.yaml': helmTemplate,
  'node_modules/vendored/dr.yaml': vendoredRule,
};

const longValue = (n: number): string => 'x'.repeat(n);

/** Fragments to paste: valid pieces, separators and every kind of breakage. */
export const fragments: readonly string[] = [
  // whole resources and separators
  `---\n${destinationRules.split('---\n')[1]}`,
  `---\n${reviewsVirtualServices.split('---\n')[1]}`,
  `---\n${wildcardRule}`,
  `${moreVirtualServices}---\n`,
  '---\n',
  '\n---\n',
  '--- # a comment\n',
  '...\n',
  '%YAML 1.2\n---\n',
  '--- |\n  literal\n',
  '--- !!map\n',
  '---\n---\n',
  'apiVersion: networking.istio.io/v1\nkind: DestinationRule\n',
  'apiVersion: networking.istio.io/v1\nkind: VirtualService\n',
  'kind: VirtualService\napiVersion: networking.istio.io/v1beta1\n',
  'metadata:\n  name: reviews\n  namespace: demo\n',
  'metadata: {name: ratings, namespace: other}\n',
  'spec:\n  host: reviews\n  subsets:\n  - name: v4\n    labels: {version: v4}\n',
  '  - name: v5\n    labels:\n      version: v5\n',
  '  - name: canary\n',
  '    - destination:\n        host: reviews\n        subset: v2\n',
  '    mirror: {host: reviews, subset: v9}\n',
  '    mirror:\n      host: ratings\n      subset: canary\n',
  '    mirrorPercentage: {value: 150}\n',
  '    mirrorPercentage: {}\n',
  '    mirror_percentage:\n      value: 10\n',
  '    mirrors:\n    - destination: {host: ratings, subset: canary}\n      percentage: {value: 5}\n',
  '      weight: -5\n',
  '    timeout: 1h2m3s\n',
  '  host: "*.demo.svc.cluster.local"\n',
  '  host: *\n',
  '  - match:\n    - uri: {prefix: /}\n    route:\n    - destination: {host: reviews}\n',
  '    headers:\n      x: {exact: true}\n',
  // half keys and values
  '  mirr',
  'mirrorPercentage:',
  'subset: ',
  'host: rev',
  'kind: Destin',
  'apiVersion: networking.istio.io/v',
  '- ',
  ': ',
  '-',
  ':',
  'spec:\n  http:\n  - rou',
  // unbalanced brackets and quotes
  '{host: reviews, subset: [v1',
  ']]',
  '}',
  '{',
  '[',
  '"unterminated',
  "'",
  '{{',
  '}}',
  '  hosts: [a, b\n',
  'key: "a\\',
  // tabs and odd indentation
  '\t- route:\n\t\t- destination: {host: reviews}\n',
  '\t',
  '        deeply: indented\n',
  ' ',
  // Helm and Go templates
  '{{ .Values.host }}',
  '{{- if .Values.mirror }}\n    mirror: {host: reviews}\n{{- end }}\n',
  '  name: {{ include "x" . }}\n',
  '{{ end }}',
  // anchors, aliases, merge keys, tags
  'base: &base {host: reviews, subset: v1}\nuse: *base\n',
  '    destination: &dest\n      host: reviews\n      subset: v1\n',
  '    mirror: *dest\n',
  '  <<: *base\n',
  '*undefined',
  '&anchor ',
  'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
  '!!binary ',
  '!custom ',
  '? complex key\n: value\n',
  // very long lines
  `    - destination: {host: ${longValue(3000)}, subset: v1}\n`,
  `# ${longValue(5000)}\n`,
  longValue(2000),
  `${'- '.repeat(500)}x\n`,
  `${'['.repeat(300)}\n`,
  // unicode
  '名前: 値\n',
  '  name: résumé-ü\n',
  '🚀🚀',
  '\u{1F600}',
  'a\u0301',
  '\u200f\u202e',
  '\u2028',
  '\u0085',
  '\uFEFF',
  '\uD800',
  // CRLF, lone CR and control characters
  'kind: VirtualService\r\nspec:\r\n  hosts: [reviews]\r\n',
  '\r\n',
  '\r',
  '---\r\n',
  '\u0000',
  '\u0007\u001b[31m',
  '\u007f',
  // comments and blank lines
  '# ---\n',
  '#',
  '\n\n\n',
  '   \n',
];

/** Tokens the "retype a word" mutation swaps for one another, by class. */
export const tokenClasses: readonly (readonly string[])[] = [
  ['v1', 'v2', 'v3', 'v4', 'v9', 'stable', 'canary'],
  ['reviews', 'ratings', 'details', 'reviews.demo.svc.cluster.local', 'ratings.other'],
  ['demo', 'other', 'default'],
  ['VirtualService', 'DestinationRule', 'ServiceEntry', 'Service'],
  ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3', 'networking.istio.io/v2', 'v1'],
  ['mirror', 'mirrors', 'route', 'mirrorPercentage', 'mirror_percent', 'subsets', 'subset', 'host', 'hosts', 'name'],
  ['25', '0', '100', '150', '-1', '10.5', 'true', '"50"'],
];

/** Finds every token of the classes above in `text`, as [offset, token, classIndex]. */
export function findTokens(text: string): [number, string, number][] {
  const found: [number, string, number][] = [];
  const word = /[A-Za-z0-9_.\/"-]+/g;
  for (let match = word.exec(text); match; match = word.exec(text)) {
    const classIndex = tokenClasses.findIndex((tokens) => tokens.includes(match![0]));
    if (classIndex >= 0) found.push([match.index, match[0], classIndex]);
  }
  return found;
}
