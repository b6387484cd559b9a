// The table of every diagnostic the service can produce: stable code, default severity,
// title and an example. Codes are never reused. Where a finding means the same as an
// `istioctl analyze` message, the IST code is reused; everything else is `IM` + 4 digits:
// IM0xxx YAML syntax, IM1xxx structure (schema), IM2xxx Istio's own rules per resource,
// IM3xxx findings across resources. docs/rules.md is generated from this table and a test
// checks that every example really produces its code.

import type { SeverityName } from '../types';

export interface Rule {
  code: string;
  /** Short kebab-case name, stable like the code. */
  id: string;
  severity: SeverityName;
  title: string;
  /** Why it matters and how to fix it (Markdown, one paragraph). */
  explanation: string;
  /** A complete YAML text that produces this finding (used in docs and checked by a test). */
  example: string;
  /** istioctl's code for the same finding, when it has a different one. */
  istioctl?: string;
}

const vs = (http: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: demo
spec:
  hosts: [reviews]
  http:
${http}`;

const dr = (spec: string): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: demo
spec:
${spec}`;

const reviewsDr = dr(`  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}`);

const httpRoute = (rules: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: demo
spec:
  parentRefs:
  - {group: "", kind: Service, name: reviews, port: 9080}
  rules:
${rules}`;

export const rules: readonly Rule[] = [
  {
    code: 'IM0001', id: 'yaml-syntax', severity: 'error', title: 'YAML syntax error',
    explanation: 'The document is not valid YAML, so Kubernetes would reject the whole file. Fix the indentation or quoting at the marked place.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews\n`,
  },
  {
    code: 'IM0002', id: 'alias-limit', severity: 'error', title: 'Too many YAML aliases',
    explanation: 'The document expands more aliases than a manifest ever needs, the shape of a "billion laughs" alias bomb. It is not validated further.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\nspec:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
  },
  {
    code: 'IM0003', id: 'nesting-limit', severity: 'warning', title: 'Nested too deeply to check',
    explanation: 'The document nests collections more than 128 levels deep (`{{{{…` or ever deeper indentation). Kubernetes may accept it, but istio-mirror does not parse it, so nothing in it is checked; no real manifest needs that depth.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: deep}\nspec:\n  hosts: ${'['.repeat(130)}reviews${']'.repeat(130)}\n`,
  },
  {
    code: 'IM0004', id: 'control-character', severity: 'error', title: 'Control character in the file',
    explanation: 'YAML allows no control characters other than tab and line breaks, not even in comments: Kubernetes\' YAML reader rejects the whole file ("control characters are not allowed"). The rest of the document is still checked. Delete the character, or write it as an escape such as `"\\x07"` inside a double-quoted string.',
    example: vs(`  - route: # bell: \u0007\n    - destination: {host: reviews}`),
  },
  {
    code: 'IM1001', id: 'unknown-field', severity: 'error', title: 'Unknown field',
    explanation: 'The field does not exist at this place in the resource. `kubectl apply` rejects it under strict field validation (its default) and `istioctl validate` rejects it too; with lenient validation the API server silently drops it. The message suggests the closest known field.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercantage: {value: 10}`),
  },
  {
    code: 'IM1002', id: 'snake-case-field', severity: 'error', title: 'snake_case field name',
    explanation: "Istio's own parser understands proto field names such as `mirror_percentage`, but the Kubernetes API server knows only the camelCase names and drops the field. For `mirror_percentage` that means mirroring silently becomes 100 %. Use the camelCase name.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirror_percentage: {value: 10}`),
  },
  {
    code: 'IM1003', id: 'removed-field', severity: 'error', title: 'Field removed from the Istio API',
    explanation: 'The field existed in old Istio releases and was removed (for example `appendHeaders`, replaced by `headers`). Old blog posts still show it. The message names the replacement.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    appendHeaders: {x-debug: "1"}`),
  },
  {
    code: 'IM1004', id: 'wrong-type', severity: 'error', title: 'Value of the wrong type',
    explanation: 'The value has the wrong YAML type, e.g. an unquoted `true` or `8080` where Istio expects a string. Quote it, or change it to the expected type.',
    example: vs(`  - match:\n    - headers:\n        x-canary:\n          exact: true\n    route:\n    - destination: {host: reviews-canary}`),
  },
  {
    code: 'IM1005', id: 'missing-required', severity: 'error', title: 'Required field missing',
    explanation: 'The API server rejects the resource without this field.',
    example: vs(`  - route:\n    - destination: {subset: v1}`),
  },
  {
    code: 'IM1006', id: 'invalid-enum', severity: 'error', title: 'Value not allowed',
    explanation: 'The field accepts only a fixed set of values; the message lists them and the closest one.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBBIN`),
  },
  {
    code: 'IM1007', id: 'one-of-conflict', severity: 'error', title: 'Mutually exclusive fields set together',
    explanation: "Only one field of the group may be set (for example one of `exact`, `prefix`, `regex` in a string match). The API server rejects the resource; Istio's own decoder would silently keep only one of them.",
    example: vs(`  - match:\n    - uri: {exact: /api, prefix: /api}\n    route:\n    - destination: {host: reviews}`),
  },
  {
    code: 'IM1008', id: 'invalid-format', severity: 'error', title: 'Value has the wrong format',
    explanation: 'The string does not have the required format. Durations are Go durations: a number with a unit `ms`, `s`, `m` or `h` (`250ms`, `1.5s`, `1m30s`); there is no `d` unit and a bare number is not a duration.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    timeout: 10d`),
  },
  {
    code: 'IM1009', id: 'out-of-range', severity: 'error', title: 'Number out of range',
    explanation: 'The number is outside the range Istio accepts for this field (for example a port outside 1–65535 or a redirect code that is not 3xx).',
    example: vs(`  - route:\n    - destination: {host: reviews, port: {number: 70000}}`),
  },
  {
    code: 'IM1010', id: 'deprecated-field', severity: 'warning', title: 'Deprecated field',
    explanation: 'The field still works but is deprecated; the message names its replacement.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      consecutiveErrors: 5`),
  },
  {
    code: 'IM1011', id: 'schema-violation', severity: 'error', title: 'Schema violation',
    explanation: 'The value breaks a structural rule of the Istio API not covered by a more specific code.',
    example: dr(`  host: reviews\n  workloadSelector:\n    matchLabels:\n      app: ${'reviews-'.repeat(9)}`),
  },
  {
    code: 'IM2001', id: 'mirror-and-mirrors', severity: 'error', title: '`mirror` and `mirrors` in one route',
    explanation: "Istio rejects a route that sets both (`HTTP route cannot contain both mirror and mirrors`). Move the single `mirror` into the `mirrors` list, giving each entry its own `percentage`.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrors:\n    - destination: {host: reviews-canary}\n      percentage: {value: 5}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2002', id: 'mirror-percentage-range', severity: 'error', title: 'Mirror percentage outside 0–100',
    explanation: "A mirror percentage is a share of the route's requests: Istio's webhook rejects values below 0 or above 100 (the CRD schema does not, so only `kubectl apply` against a live cluster would tell you).",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercentage: {value: 150}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2003', id: 'deprecated-mirror-percent', severity: 'warning', title: 'Deprecated `mirrorPercent`',
    explanation: '`mirrorPercent` (and its alias `mirror_percent`) is an integer field deprecated since Istio 1.5. Use `mirrorPercentage: {value: N}`, which also allows fractions. When both are set, `mirrorPercentage` wins.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercent: 50`),
    istioctl: 'IST0133',
  },
  {
    code: 'IM2004', id: 'empty-mirror-percentage', severity: 'warning', title: '`mirrorPercentage: {}` mirrors nothing',
    explanation: 'An empty percentage means a value of 0, so no request is mirrored, whereas leaving `mirrorPercentage` out means 100 %. Set `value` explicitly.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercentage: {}`),
  },
  {
    code: 'IM2005', id: 'mirror-percentage-without-mirror', severity: 'warning', title: 'Mirror percentage has no effect',
    explanation: '`mirrorPercentage` (and `mirrorPercent`) apply only to `mirror`. With `mirrors`, each entry uses its own `percentage` and the route-level value is ignored; without any mirror it does nothing.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirrorPercentage: {value: 20}\n    mirrors:\n    - destination: {host: reviews-canary}`),
  },
  {
    code: 'IM2006', id: 'mirror-on-non-forwarding-route', severity: 'warning', title: 'Mirror on a redirect or direct response',
    explanation: 'Istio attaches mirror policies only to routes that forward to destinations; a rule with `redirect` or `directResponse` never mirrors.',
    example: vs(`  - redirect: {uri: /v2}\n    mirror: {host: reviews-canary}`),
  },
  {
    code: 'IM2007', id: 'mirror-to-own-destination', severity: 'warning', title: 'Mirror to the route\'s own destination',
    explanation: "The mirror target is exactly a destination the route already sends requests to (same host after short-name expansion, same subset, same port), so the requests sent there reach the same pods twice: served, then copied. Their writes happen twice and the copy is compared with itself. A warning when that destination is the route's only one; an information saying how many requests are doubled when it takes only a share (a canary that also gets live traffic may be intended). One finding per route. Mirror to a subset or host the route does not send to.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews}\n    mirrorPercentage: {value: 10}`),
  },
  {
    code: 'IM2008', id: 'mirror-percentage-precision', severity: 'warning', title: 'Mirror percentage rounds to zero',
    explanation: 'Envoy receives percentages in steps of 0.0001 %, so a smaller non-zero value mirrors nothing.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercentage: {value: 0.00001}`),
  },
  {
    code: 'IM2009', id: 'mirror-percentage-not-exact', severity: 'information', title: 'Mirror percentage Envoy cannot represent exactly',
    explanation: "Istio's pilot sends a mirror percentage to Envoy as `trunc(value × 10,000)` parts per million, computed in binary floating point, so some values lose a step: `0.57 × 10,000` is 5699.999… in binary, so Envoy mirrors 5699 of a million, 0.5699 %. The note appears when Envoy's share is not the 0.0001 % step nearest the written value; it gives the real share and the shortest value that reaches the nearest step (`0.57001` for 0.57 %), which the quick fix writes.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercentage: {value: 0.57}`),
  },
  {
    code: 'IM2101', id: 'http-route-without-action', severity: 'error', title: 'HTTP rule without `route`, `redirect` or `directResponse`',
    explanation: "Istio rejects an HTTP rule that neither forwards, redirects nor answers directly (`HTTP route, redirect or direct_response is required`). A mirror alone is not enough: the primary request must go somewhere.",
    example: vs(`  - mirror: {host: reviews-canary}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2102', id: 'conflicting-route-actions', severity: 'error', title: 'Conflicting actions in one HTTP rule',
    explanation: 'A rule may forward (`route`), redirect (`redirect`) or answer directly (`directResponse`), not several; `fault` and `rewrite` cannot be combined with `redirect` or `directResponse`.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    redirect: {uri: /v2}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2103', id: 'negative-weight', severity: 'error', title: 'Negative weight',
    explanation: 'Weights are relative shares and must be 0 or more.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n      weight: 110\n    - destination: {host: reviews-canary}\n      weight: -10`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2104', id: 'zero-total-weight', severity: 'error', title: 'All weights are zero',
    explanation: 'With several destinations at least one weight must be above 0, otherwise Istio rejects the route (`total destination weight = 0`).',
    example: vs(`  - route:\n    - destination: {host: reviews}\n      weight: 0\n    - destination: {host: reviews-canary}\n      weight: 0`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2105', id: 'relative-weights', severity: 'information', title: 'Weights are relative',
    explanation: 'Since Istio 1.15 weights need not add up to 100: each destination gets weight ÷ total. The note shows the resulting shares so nobody has to do the arithmetic.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n      weight: 70\n    - destination: {host: reviews-canary}\n      weight: 20`),
  },
  {
    code: 'IM2106', id: 'invalid-duration', severity: 'error', title: 'Duration too short or too precise',
    explanation: 'Istio requires durations of at least 1ms with millisecond precision. `timeout: 0s` does not disable the timeout: it is rejected. Leave the field out for "no timeout".',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    timeout: 0s`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2107', id: 'retries-without-attempts', severity: 'error', title: '`retries` without `attempts`',
    explanation: "`attempts` defaults to 0, which disables retries, and Istio then rejects any other retry setting (`http retry policy configured when attempts are set to 0 (disabled)`). Add `attempts`.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    retries:\n      retryOn: 5xx`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2108', id: 'invalid-destination-host', severity: 'error', title: 'Invalid destination host',
    explanation: 'A destination host must name one service: `*` and IP addresses are rejected, and so are names that are not valid DNS names. Use the service name or its FQDN.',
    example: vs(`  - route:\n    - destination: {host: "*"}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2109', id: 'invalid-subset-name', severity: 'error', title: 'Invalid subset name',
    explanation: 'Subset names, in a DestinationRule and in destinations, must be DNS-1123 labels: letters, digits and `-`, at most 63 characters, starting and ending with a letter or digit (`v1-0`, not `v1.0` or `v1_0`).',
    example: vs(`  - route:\n    - destination: {host: reviews, subset: v1.0}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2110', id: 'no-routes', severity: 'error', title: 'VirtualService without routes',
    explanation: 'A VirtualService needs at least one of `http`, `tcp` or `tls`.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews]\n`,
    istioctl: 'IST0106',
  },
  {
    code: 'IM2111', id: 'invalid-string-match', severity: 'error', title: 'Invalid string match',
    explanation: 'An empty `prefix` (outside `uri`) or `regex` matches nothing useful and is rejected; a regex must be valid RE2 (no look-around or back-references) and at most 1024 characters.',
    example: vs(`  - match:\n    - headers:\n        x-user: {regex: "(?<=a)b"}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2112', id: 'invalid-retry-on', severity: 'error', title: 'Unknown `retryOn` condition',
    explanation: '`retryOn` is a comma-separated list of Envoy retry conditions or HTTP status codes; the message lists the accepted names.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    retries:\n      attempts: 3\n      retryOn: 5xx,gateway-errors`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2113', id: 'invalid-fault', severity: 'error', title: 'Invalid fault injection',
    explanation: 'A `fault` needs a `delay` and/or an `abort`, and fault percentages must be 0 or between 0.0001 and 100.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    fault:\n      delay:\n        fixedDelay: 5s\n        percentage: {value: 120}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2114', id: 'invalid-vs-host', severity: 'error', title: 'Invalid or duplicate VirtualService host',
    explanation: 'Each entry of `hosts` must be a DNS name (a leading `*` wildcard is allowed) or an IP address, entries must not overlap, and `*` alone is rejected for VirtualServices that apply to the mesh.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews, reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n`,
    istioctl: 'IST0106',
  },
  {
    code: 'IM2115', id: 'delegate-misuse', severity: 'error', title: 'Delegate VirtualService misuse',
    explanation: 'A VirtualService without `hosts` is a delegate: it may not list `gateways`, `tcp` or `tls`, and its rules may not delegate again. A rule that delegates may not also `route` or `redirect`.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews-delegate}\nspec:\n  gateways: [mesh]\n  http:\n  - route:\n    - destination: {host: reviews}\n`,
    istioctl: 'IST0106',
  },
  {
    code: 'IM2116', id: 'invalid-gateway-reference', severity: 'error', title: 'Invalid gateway reference',
    explanation: 'Gateway references are `mesh`, `<name>` or `<namespace>/<name>` with DNS-1123 parts. The legacy `<name>.<namespace>` form still works but is reported as a warning.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews.example.com]\n  gateways: [istio-system/]\n  http:\n  - route:\n    - destination: {host: reviews}\n`,
    istioctl: 'IST0106',
  },
  // Issue 9: the rest of Istio's VirtualService webhook rules (validation.go, virtualservice.go, header_value_validator.go).
  {
    code: 'IM2117', id: 'invalid-rewrite', severity: 'error', title: 'Invalid `rewrite`',
    explanation: 'Istio rejects a `rewrite` that sets both `uri` and `uriRegexRewrite`, one that changes nothing (no `uri`, `uriRegexRewrite` or `authority`), a `uriRegexRewrite` without both `match` and `rewrite`, and a `match` that is not a valid RE2 regex of at most 1024 characters.',
    example: vs(`  - rewrite:\n      uri: /v2\n      uriRegexRewrite: {match: ^/v1/(.*), rewrite: /v2/\\1}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2118', id: 'invalid-redirect', severity: 'error', title: 'Invalid `redirect`',
    explanation: 'A redirect must change something (`uri`, `prefixRewrite`, `authority`, `scheme` or `port`), may not set both `uri` and `prefixRewrite`, and `prefixRewrite` needs every `uri` match of the rule to be a `prefix` match (it replaces the matched prefix).',
    example: vs(`  - match:\n    - uri: {exact: /old}\n    redirect: {prefixRewrite: /new}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2119', id: 'authority-set-twice', severity: 'error', title: 'Authority set twice',
    explanation: 'The authority (Host) of a forwarded request can be set once per rule: by `rewrite.authority` or by one `:authority`/`host` request header operation. Istio rejects a rule that sets it in two places.',
    example: vs(`  - rewrite: {authority: reviews.example.com}\n    headers:\n      request:\n        set: {":authority": other.example.com}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2120', id: 'jwt-claim-route-without-gateway', severity: 'error', title: 'JWT claim routing outside a gateway',
    explanation: 'Matching on `@request.auth.claims.<name>` needs the JWT filter of a gateway. Istio rejects it in a VirtualService that applies to the mesh (no `gateways`, or `mesh` listed).',
    example: vs(`  - match:\n    - headers:\n        "@request.auth.claims.group": {exact: beta}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2121', id: 'invalid-header-name', severity: 'error', title: 'Invalid header name',
    explanation: 'Header names in matches must be HTTP tokens (or pseudo-headers such as `:authority`, or JWT claims on gateways) and may not be empty; header operations may not name an empty header, a pseudo-header other than `:authority` on requests, or `Host` outside request headers. A header match needs a condition (`{}` matches any value).',
    example: vs(`  - headers:\n      request:\n        set: {"": "1"}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2122', id: 'invalid-header-value', severity: 'error', title: 'Header value Envoy cannot format',
    explanation: 'Envoy reads `%` in header values as the start of a variable (`%HOSTNAME%`, `%REQ(x-id)%`): a single `%` that is not closed, or a trailing `%`, makes the value invalid and Istio rejects it. Write `%%` for a literal percent sign.',
    example: vs(`  - headers:\n      response:\n        set: {x-discount: "10%"}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2123', id: 'invalid-cors-policy', severity: 'error', title: 'Invalid CORS policy entry',
    explanation: 'Each `allowOrigins` entry needs a non-empty `exact`, `prefix` or valid RE2 `regex`; `allowHeaders` and `exposeHeaders` entries must be header names (or `*`), never empty.',
    example: vs(`  - corsPolicy:\n      allowOrigins:\n      - exact: ""\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2124', id: 'large-direct-response', severity: 'warning', title: 'Large direct-response body',
    explanation: 'Direct-response bodies are part of the configuration every proxy receives. Istio warns above 100 KiB and rejects bodies above 1 MiB (reported as an error). Serve large content from a service.',
    example: vs(`  - directResponse:\n      status: 200\n      body:\n        string: "${'x'.repeat(101 * 1024)}"`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2125', id: 'invalid-sni-host', severity: 'error', title: 'Invalid SNI host',
    explanation: 'An SNI host in a TLS match must be a host name (wildcards only as the leftmost label) within one of the VirtualService `hosts`. An IP address is admitted with a warning: SNI carries host names and most clients never send an IP.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: tls}\nspec:\n  hosts: ["*.example.com"]\n  tls:\n  - match:\n    - sniHosts: [api.other.com]\n    route:\n    - destination: {host: api}\n`,
    istioctl: 'IST0106',
  },
  {
    code: 'IM2126', id: 'invalid-export-to', severity: 'error', title: 'Invalid `exportTo`',
    explanation: '`exportTo` lists namespaces, `.` (this namespace) or `*` (all): no duplicates (`.` and the own namespace count as the same), `*` alone, no `~` outside ServiceEntries, valid namespace names; a DestinationRule with a `workloadSelector` may only be exported to its own namespace.',
    example: vs(`  - route:\n    - destination: {host: reviews}`).replace('  hosts: [reviews]', '  hosts: [reviews]\n  exportTo: [".", "*"]'),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2127', id: 'invalid-destination-subnet', severity: 'error', title: 'Invalid destination subnet',
    explanation: '`destinationSubnets` in TCP and TLS matches are IP addresses or CIDR ranges (`10.1.2.3`, `10.1.0.0/16`, `2001:db8::/32`); Istio rejects anything else.',
    example: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db}\nspec:\n  hosts: [db]\n  tcp:\n  - match:\n    - destinationSubnets: [10.1.0.0/33]\n    route:\n    - destination: {host: db}\n`,
    istioctl: 'IST0106',
  },
  {
    code: 'IM2128', id: 'invalid-source-selector', severity: 'error', title: 'Invalid `sourceLabels` or `sourceNamespace`',
    explanation: 'A match on the calling workloads uses Kubernetes label syntax: each `sourceLabels` key is a name of letters, digits, `-`, `_` or `.` that starts and ends with a letter or digit (at most 63, optionally after a DNS prefix and `/`), each value is empty or the same characters; an http match\'s `sourceNamespace` is a namespace name. Istio rejects anything else.',
    example: vs(`  - match:\n    - sourceLabels: {"app/": frontend}\n    route:\n    - destination: {host: reviews}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2201', id: 'duplicate-subset-name', severity: 'error', title: 'Duplicate subset name',
    explanation: 'Subset names must be unique within a DestinationRule; Istio rejects the rule (`duplicate subset names`).',
    example: dr(`  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v1\n    labels: {version: v2}`),
    istioctl: 'IST0106',
  },
  // IM2202 (subset-without-labels) was retired in issue 9: subsets without labels are legitimate.
  {
    code: 'IM2203', id: 'empty-policy', severity: 'error', title: 'Empty traffic policy',
    explanation: 'Istio rejects an empty `trafficPolicy`, `connectionPool` or port-level setting (`traffic policy must have at least one field`). Remove it or fill it in.',
    example: dr(`  host: reviews\n  trafficPolicy: {}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2204', id: 'invalid-dr-host', severity: 'error', title: 'Invalid DestinationRule host',
    explanation: 'The `host` of a DestinationRule must be a service name, an FQDN, or a wildcard such as `*.demo.svc.cluster.local`; IP addresses are rejected.',
    example: dr(`  host: 10.0.0.1`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2205', id: 'invalid-workload-selector', severity: 'error', title: 'Invalid workload selector',
    explanation: 'A DestinationRule `workloadSelector` must name exact labels: wildcards (`*`) and empty keys are rejected.',
    example: dr(`  host: reviews\n  workloadSelector:\n    matchLabels:\n      app: "*"`),
    istioctl: 'IST0106',
  },
  // Issue 9: the rest of Istio's DestinationRule webhook rules (validation.go, agent/validation.go).
  {
    code: 'IM2206', id: 'invalid-client-tls', severity: 'error', title: 'Conflicting client TLS settings',
    explanation: "Istio rejects client TLS settings that contradict each other: `insecureSkipVerify: true` with a CA, SANs or (SIMPLE) a `credentialName`; a `credentialName` with certificate, key, CA or CRL files next to it; `mode: MUTUAL` without `clientCertificate` and `privateKey` (or a `credentialName`).",
    example: dr(`  host: reviews\n  trafficPolicy:\n    tls:\n      mode: MUTUAL\n      clientCertificate: /etc/certs/cert.pem`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2207', id: 'invalid-connection-pool', severity: 'error', title: 'Invalid connection pool setting',
    explanation: '`useClientProtocol: true` contradicts `h2UpgradePolicy: UPGRADE`, and `http2KeepAlive` needs both `interval` and `timeout`; Istio rejects the policy otherwise.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    connectionPool:\n      http:\n        http2KeepAlive: {interval: 30s}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2208', id: 'invalid-outlier-detection', severity: 'error', title: 'Invalid outlier detection',
    explanation: '`consecutiveLocalOriginFailures` only counts when local-origin errors are tracked apart from upstream errors: Istio rejects it without `splitExternalLocalOriginErrors: true`.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      consecutiveLocalOriginFailures: 5`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2209', id: 'invalid-load-balancer', severity: 'error', title: 'Invalid load-balancer setting',
    explanation: 'Istio rejects an `httpCookie` without `name` or with empty or duplicate attribute names, `minimumRingSize` together with `ringHash`/`maglev`, a maglev `tableSize` that is missing, not prime or not below 5000011, `localityLbSetting` together with `zoneAwareLbSetting`, and a `warmup` without `duration`, with `minimumPercent` above 100 or `aggression` not above 0.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        maglev: {tableSize: 1000}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2210', id: 'invalid-locality-lb', severity: 'error', title: 'Invalid locality or zone-aware load balancing',
    explanation: 'Locality load balancing: `distribute` and `failover` exclude each other; `distribute` weights are 1–100 and add up to exactly 100 per source; localities are `region[/zone[/subzone]]` with at most one trailing `*` and no overlaps; `failover` goes between different regions, without `/` or `*`, and excludes topology labels in `failoverPriority`. Zone-aware load balancing orders regions, zones and subzones itself: its `failoverPriority` may not use those topology labels.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    outlierDetection: {consecutive5xxErrors: 5}\n    loadBalancer:\n      localityLbSetting:\n        distribute:\n        - from: us-east/*\n          to: {"us-east/*": 60, "us-west/*": 30}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2211', id: 'failover-without-outlier-detection', severity: 'warning', title: 'Failover without outlier detection',
    explanation: 'Failover happens only when endpoints are ejected, and only `outlierDetection` ejects them: without it in the same policy, traffic never fails over. Istio admits the rule with a warning.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      localityLbSetting:\n        failover:\n        - {from: us-east, to: us-west}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2212', id: 'port-policy-without-port', severity: 'error', title: 'Port-level setting without a port',
    explanation: 'Each entry of `portLevelSettings` applies to one port and must name it (`port: {number: 8080}`); Istio rejects an entry without.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    portLevelSettings:\n    - loadBalancer: {simple: LEAST_REQUEST}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2213', id: 'empty-workload-selector', severity: 'warning', title: 'Workload selector without labels',
    explanation: 'A `workloadSelector` without `matchLabels` selects every workload of the namespace, which is rarely meant; Istio admits it with a warning. Add labels, or remove the selector.',
    example: dr(`  host: reviews\n  workloadSelector: {}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2214', id: 'invalid-tunnel', severity: 'error', title: 'Invalid tunnel settings',
    explanation: 'A `tunnel` needs a `targetHost` that is a host name or IP address and a `targetPort`; it cannot be combined with `proxyProtocol` in the same policy.',
    example: dr(`  host: reviews\n  trafficPolicy:\n    tunnel:\n      targetHost: "proxy_host"\n      targetPort: 8080`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2215', id: 'invalid-subset-labels', severity: 'error', title: 'Invalid subset label',
    explanation: 'Subset `labels` select pods by their Kubernetes labels, so they use label syntax: each key a name of letters, digits, `-`, `_` or `.` that starts and ends with a letter or digit (at most 63, optionally after a DNS prefix and `/`), each value empty or the same characters. Istio rejects anything else; a label that no pod can carry would select nothing anyway.',
    example: dr(`  host: reviews\n  subsets:\n  - name: v2\n    labels: {version: "v2 beta"}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IST0101', id: 'subset-not-found', severity: 'error', title: 'Subset not defined by any DestinationRule',
    explanation: "The route, `mirror` or `mirrors` destination names a subset that the DestinationRule for that host does not define (or no DestinationRule exists for the host). For a route the request fails with 503; for a mirror the copy is silently dropped, with no error anywhere. Add the subset to the DestinationRule (quick fix) or correct the name. Hosts are compared after Istio's short-name expansion (`reviews` in namespace `demo` is `reviews.demo.svc.cluster.local`).",
    example: vs(`  - route:\n    - destination: {host: reviews, subset: v1}\n    mirror: {host: reviews, subset: v3}`) + '\n---\n' + reviewsDr + '\n',
  },
  {
    code: 'IST0130', id: 'unreachable-rule', severity: 'warning', title: 'Unreachable HTTP rule',
    explanation: 'Rules are tried in order and the first match wins, so a rule after a rule without `match` (a catch-all), or whose matches all repeat earlier ones, never receives traffic — nor does its mirror. Move the catch-all to the end, or merge the rules (several mirrors belong in one `mirrors` list).',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-shadow}`),
  },
  {
    code: 'IST0131', id: 'ineffective-match', severity: 'warning', title: 'Match repeats an earlier one',
    explanation: "This match condition is identical to one in an earlier rule, which always wins; the condition here is never used. (istioctl reports this as Info.)",
    example: vs(`  - match:\n    - uri: {prefix: /api}\n    route:\n    - destination: {host: reviews}\n  - match:\n    - uri: {prefix: /api}\n    - uri: {prefix: /v2}\n    route:\n    - destination: {host: reviews-canary}`),
  },
  // Issue 10: findings against the rest of the workspace (Services, workloads, ServiceEntries,
  // Gateways, other VirtualServices and DestinationRules), each made only where the workspace
  // holds what is needed to be sure.
  {
    code: 'IST0173', id: 'subset-selects-no-pod', severity: 'warning', title: 'Subset selects no pod',
    explanation: "The subset's labels, together with the Service's selector, match none of the pod templates of the Service's workloads in the workspace (Deployments, StatefulSets, DaemonSets, ReplicaSets, Pods, Argo Rollouts in the Service's namespace). Envoy's cluster for the subset is empty: routes to it fail with 503 (no healthy upstream) and mirrored copies go nowhere. Reported only when the workspace holds the Service and at least one of its workloads; a warning, because a workload from elsewhere could still carry the labels (istioctl, which sees the cluster, reports an error).",
    example: dr(`  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2\n    labels: {version: v2}`) + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  selector: {app: reviews}\n  ports: [{name: http, port: 9080}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: demo}\nspec:\n  template:\n    metadata:\n      labels: {app: reviews, version: v1}\n',
  },
  {
    code: 'IM3001', id: 'destination-subset-selects-no-pod', severity: 'warning', title: 'Route or mirror to a subset that selects no pod', istioctl: 'IST0173',
    explanation: 'The subset this route or mirror names is defined, but its labels select none of the pods the workspace holds for the Service: requests routed there fail with 503, and mirrored copies go nowhere. The message lists the pods and their labels. Fix the subset\'s labels or the workload\'s pod labels.',
    example: vs(`  - route:\n    - destination: {host: reviews, subset: v1}\n    mirror: {host: reviews, subset: v2}`) + '\n---\n' + dr(`  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}`).replace('name: reviews\n  namespace: demo\nspec', 'name: reviews-dr\n  namespace: other\nspec').replace('host: reviews', 'host: reviews.demo.svc.cluster.local') + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  selector: {app: reviews}\n  ports: [{name: http, port: 9080}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: demo}\nspec:\n  template:\n    metadata:\n      labels: {app: reviews, version: v1}\n',
  },
  {
    code: 'IST0112', id: 'destination-port-required', severity: 'warning', title: 'Destination without port on a multi-port Service',
    explanation: "The destination or mirror has no `port`, and the Service (or ServiceEntry) behind its host exposes several. Istio then uses the port the request arrived on, which works only where the target exposes that same port (a gateway's port 80 or 443 seldom is one of them); otherwise requests fail with 503 and mirrored copies are dropped. Name the port (quick fix). istioctl reports this as an error; here it is a warning because the fallback works for sidecar traffic on a port both services share.",
    example: vs(`  - route:\n    - destination: {host: reviews}`) + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n  - {name: grpc, port: 9090}\n',
  },
  {
    code: 'IM3002', id: 'port-not-exposed', severity: 'error', title: 'Port not exposed by the Service', istioctl: 'IST0101',
    explanation: 'The destination or mirror names a port that the Service or ServiceEntry behind its host does not expose. Istio builds clusters only for exposed ports, so requests fail with 503 (no cluster) and mirrored copies are dropped. Use one of the ports the message lists (quick fix).',
    example: vs(`  - route:\n    - destination: {host: reviews, port: {number: 8080}}`) + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: demo}\nspec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n',
  },
  {
    code: 'IM3003', id: 'external-host-without-service-entry', severity: 'warning', title: 'External host without ServiceEntry',
    explanation: "The route or mirror sends to a host outside the cluster (not a Kubernetes service name) that no ServiceEntry in the workspace declares. Istio builds a cluster only for hosts in its registry, so a mirror to this host drops every copy and a route fails with 503. Add a ServiceEntry (quick fix: with the port the mirror uses). A warning: the ServiceEntry may be applied from elsewhere.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: shadow.example.com}`),
  },
  {
    code: 'IST0109', id: 'conflicting-virtual-service-hosts', severity: 'warning', title: 'Two VirtualServices claim one host',
    explanation: "Two VirtualServices bound to the same gateway claim the same host (after short-name expansion and within overlapping `exportTo`). On `mesh` the sidecars use one of them and ignore the other; on a named gateway Istio merges their routes in creation order, so the first one's catch-all can hide the other's rules. Merge them into one VirtualService. A warning, not an error as istioctl reports it from the cluster: a workspace often holds alternative versions of a VirtualService (tutorial steps, overlays) that are never applied together.",
    example: vs(`  - route:\n    - destination: {host: reviews}`) + '\n---\n' + vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}`).replace('name: reviews\n', 'name: reviews-mirror\n'),
  },
  {
    code: 'IM3004', id: 'conflicting-destination-rules', severity: 'warning', title: 'Subset or policy defined by two DestinationRules',
    explanation: "Two DestinationRules of one namespace for the same host both define a subset of the same name, or both set a top-level `trafficPolicy`. Istio merges them and keeps the subset and the policy of the rule created first; the other's are ignored without a word (Kiali reports this as KIA0201). Define each subset, and the policy, once.",
    example: reviewsDr + '\n---\n' + reviewsDr.replace('name: reviews\n', 'name: reviews-canary\n').replace('  - name: v1\n    labels: {version: v1}\n', ''),
  },
  {
    code: 'IM3005', id: 'gateway-not-found', severity: 'warning', title: 'Gateway not in the workspace', istioctl: 'IST0101',
    explanation: "The VirtualService binds to a Gateway that the workspace does not hold, while it holds other Gateways. If that Gateway does not exist, the VirtualService applies nowhere through it. References are `namespace/name`, or a short name for a Gateway in the VirtualService's own namespace. A warning: the Gateway may be applied from elsewhere (istioctl, which sees the cluster, reports an error).",
    example: vs(`  - route:\n    - destination: {host: reviews}`).replace('  hosts: [reviews]\n', '  hosts: [reviews.example.com]\n  gateways: [public-gateway]\n') + '\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: internal-gateway, namespace: demo}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*.example.com"]\n',
  },
  {
    code: 'IM3006', id: 'duplicate-definition', severity: 'warning', title: 'Same resource defined twice',
    explanation: 'The same kind, namespace and name is defined in two places outside a kustomize build: it is one object in the cluster, so applying both replaces one definition with the other and only the last one applied takes effect. Rename one, or delete the copy. Files that kustomize builds (bases, overlays, patches) are left alone.',
    example: reviewsDr + '\n---\n' + reviewsDr,
  },
  {
    code: 'IST0174', id: 'unknown-destination-rule-host', severity: 'warning', title: 'DestinationRule host matches no service',
    explanation: "No Service or ServiceEntry in the workspace has the DestinationRule's host, although the workspace holds other Services of that namespace (for an in-cluster host) or ServiceEntries (for another host). The rule then applies to nothing. Check the host; short names expand with the DestinationRule's namespace.",
    example: reviewsDr + '\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ratings, namespace: demo}\nspec:\n  selector: {app: ratings}\n  ports: [{name: http, port: 9080}]\n',
  },
  // Gateway API HTTPRoute and GRPCRoute (issue 13): IM25xx per route, IM35xx across resources.
  {
    code: 'IM2500', id: 'gateway-api-crd-rule', severity: 'error', title: 'Gateway API CRD validation rule broken',
    explanation: "The route breaks one of the CEL rules (`x-kubernetes-validations`) of the Gateway API CRD, which the API server evaluates on every apply and which schema-only tools do not see: path values that are not absolute or contain `//`, a `replacePrefixMatch` without exactly one PathPrefix match, duplicate parentRefs without `sectionName`, more than 128 matches, CORS wildcards mixed with names, … The message quotes the API server's own words.",
    example: httpRoute(`  - matches:\n    - path: {type: PathPrefix, value: api}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2501', id: 'filter-body-mismatch', severity: 'error', title: 'Filter body does not match its type',
    explanation: 'A filter carries exactly the field named after its `type`: `type: RequestMirror` with `requestMirror: {…}`, `type: RequestHeaderModifier` with `requestHeaderModifier: {…}`, and no other. The API server rejects a filter whose body is missing or belongs to another type. Quick fixes set the type to the body written, or add the missing body.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestHeaderModifier:\n        set: [{name: x-shadow, value: "1"}]\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2502', id: 'filter-repeated', severity: 'error', title: 'Filter type repeated',
    explanation: 'RequestMirror may repeat (one mirror each), but the header modifiers, CORS, RequestRedirect and URLRewrite may appear only once per `filters` list. Merge the two into one filter.',
    example: httpRoute(`  - filters:\n    - type: RequestHeaderModifier\n      requestHeaderModifier: {set: [{name: x-a, value: "1"}]}\n    - type: RequestHeaderModifier\n      requestHeaderModifier: {set: [{name: x-b, value: "2"}]}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2503', id: 'redirect-and-rewrite', severity: 'error', title: 'RequestRedirect together with URLRewrite',
    explanation: 'A redirect answers the request while a rewrite forwards it changed; the API server rejects a filter list with both.',
    example: httpRoute(`  - filters:\n    - type: RequestRedirect\n      requestRedirect: {scheme: https}\n    - type: URLRewrite\n      urlRewrite: {hostname: example.com}`),
  },
  {
    code: 'IM2504', id: 'redirect-with-backends', severity: 'error', title: 'RequestRedirect together with backendRefs',
    explanation: 'A rule that redirects answers every request itself, so it may not list backendRefs; the API server rejects it.',
    example: httpRoute(`  - filters:\n    - type: RequestRedirect\n      requestRedirect: {scheme: https}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2505', id: 'mirror-percent-and-fraction', severity: 'error', title: 'Mirror with both `percent` and `fraction`',
    explanation: 'A RequestMirror filter takes its share as `percent` (whole percent) or as `fraction` (numerator / denominator), not both. Quick fixes keep one of them.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, port: 9080}\n        percent: 10\n        fraction: {numerator: 1, denominator: 10}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2506', id: 'fraction-above-one', severity: 'error', title: 'Mirror fraction above 100 %',
    explanation: "A fraction's `numerator` may not exceed its `denominator` (which defaults to 100); the API server rejects it.",
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, port: 9080}\n        fraction: {numerator: 150}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2507', id: 'backend-port-required', severity: 'error', title: 'Service backendRef without `port`',
    explanation: 'A backendRef (or a mirror\'s backendRef) to a Service must say which Service port to use; the API server rejects it without `port`. The quick fix adds the port of the Service when the workspace holds it.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2508', id: 'mirror-in-backend-filters', severity: 'error', title: 'RequestMirror inside a backendRef',
    explanation: "The API accepts filters on a backendRef, but Istio honours only the header modifiers there: for a RequestMirror (or any other type) it rejects the whole rule as an unsupported filter, so none of its requests are routed. Mirrors belong in the rule's `filters` (quick fix).",
    example: httpRoute(`  - backendRefs:\n    - name: reviews\n      port: 9080\n      filters:\n      - type: RequestMirror\n        requestMirror:\n          backendRef: {name: reviews-canary, port: 9080}`),
  },
  {
    code: 'IM2509', id: 'backend-name-is-hostname', severity: 'error', title: 'backendRef names a DNS name instead of a Service',
    explanation: 'A backendRef of kind Service gives the Service `name` (and `namespace`), not its host name: Istio rejects `reviews.demo.svc.cluster.local` ("service name invalid") and, for a backend, the whole rule; a mirror with such a name is dropped on an HTTPRoute and fails the rule on a GRPCRoute.',
    example: httpRoute(`  - backendRefs:\n    - {name: reviews.demo.svc.cluster.local, port: 9080}`),
  },
  {
    code: 'IM2510', id: 'filter-unsupported-by-istio', severity: 'warning', title: 'Filter Istio does not implement here',
    explanation: 'Istio implements the header modifiers, RequestMirror, RequestRedirect, URLRewrite and CORS in a rule\'s filters (GRPCRoute: header modifiers and RequestMirror), and only the header modifiers in a backendRef\'s filters. Any other filter makes it reject the whole rule ("unsupported filter type"). A warning, not an error: the route may be served by another implementation (a Gloo or Envoy Gateway class) whose extensions it names.',
    example: httpRoute(`  - filters:\n    - type: ExtensionRef\n      extensionRef: {group: example.com, kind: Auth, name: check}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2511', id: 'mirror-zero-percent', severity: 'warning', title: 'Mirror of 0 %',
    explanation: '`percent: 0` or a fraction with numerator 0 copies nothing, whereas leaving both out mirrors every request.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, port: 9080}\n        percent: 0\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2512', id: 'mirror-on-non-forwarding-rule', severity: 'warning', title: 'Mirror on a rule that never forwards',
    explanation: 'Istio attaches mirrors only to routes that forward: a rule that redirects, or one without backendRefs (its requests get a 500), never mirrors.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, port: 9080}`),
  },
  {
    code: 'IM2513', id: 'mirror-to-own-backend', severity: 'warning', title: "Mirror to the rule's own backend",
    explanation: 'The mirror targets exactly a backend (same Service, namespace and port) the rule already forwards to, so those pods receive every mirrored request twice and nothing is compared. Mirror to the canary\'s Service instead.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews, port: 9080}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
  {
    code: 'IM2514', id: 'all-backend-weights-zero', severity: 'warning', title: 'Every backend weight is 0',
    explanation: 'Weights are relative; when all of a rule\'s backendRefs have weight 0, the Gateway API requires an error answer (Istio sends HTTP 500) for every request of the rule, and nothing is mirrored.',
    example: httpRoute(`  - backendRefs:\n    - {name: reviews, port: 9080, weight: 0}`),
  },
  // RoutingTest documents (istio-mirror's test format, issue 14): IM26xx.
  {
    code: 'IM2601', id: 'routing-test-without-host', severity: 'error', title: 'Routing test request without a host',
    explanation: 'A test of a `RoutingTest` file needs the host its request calls, in `request.host` or for every test in `spec.defaults.host`. Without it `istio-mirror test` cannot trace the request and fails the test.',
    example: 'apiVersion: istio-mirror.dev/v1alpha1\nkind: RoutingTest\nspec:\n  tests:\n  - name: the catch-all\n    request: {path: /}\n    expect: {httpIndex: 0}\n',
  },
  {
    code: 'IM3501', id: 'backend-service-port-missing', severity: 'error', title: 'backendRef port not exposed by the Service',
    explanation: "The backendRef (or mirror backendRef) names a Service the workspace holds, but that Service has no such `port` (the Service port, not the container port). Istio resolves the backend to nothing: its requests fail, a mirror copies nothing on an HTTPRoute and fails the rule on a GRPCRoute. The quick fix uses the Service's only port.",
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, port: 8080}\n    backendRefs:\n    - {name: reviews, port: 9080}`) + '\n---\n' + `apiVersion: v1\nkind: Service\nmetadata: {name: reviews-canary, namespace: demo}\nspec:\n  selector: {app: reviews, version: v2}\n  ports:\n  - {name: http, port: 9080}\n`,
  },
  {
    code: 'IM3502', id: 'cross-namespace-without-grant', severity: 'warning', title: 'Cross-namespace backendRef without a ReferenceGrant',
    explanation: 'A route may send to (or mirror to) a Service in another namespace only when a ReferenceGrant in that namespace allows its kind from its namespace. Without one Istio drops the backend (or the mirror; on a GRPCRoute the rule fails). A warning, because the grant may be applied from elsewhere.',
    example: httpRoute(`  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: reviews-canary, namespace: lab, port: 9080}\n    backendRefs:\n    - {name: reviews, port: 9080}`),
  },
];

const byCode = new Map(rules.map((rule) => [rule.code, rule]));

export function ruleFor(code: string): Rule {
  const rule = byCode.get(code);
  if (!rule) throw new Error(`unknown diagnostic code ${code}`);
  return rule;
}
