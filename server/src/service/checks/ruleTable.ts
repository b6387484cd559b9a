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
    explanation: "The mirror target is exactly a destination the route already sends its requests to, so those pods receive every mirrored request twice and the shadow comparison tells nothing. Mirror to a different subset or host.",
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews}\n    mirrorPercentage: {value: 10}`),
  },
  {
    code: 'IM2008', id: 'mirror-percentage-precision', severity: 'warning', title: 'Mirror percentage rounds to zero',
    explanation: 'Envoy receives percentages in steps of 0.0001 %, so a smaller non-zero value mirrors nothing.',
    example: vs(`  - route:\n    - destination: {host: reviews}\n    mirror: {host: reviews-canary}\n    mirrorPercentage: {value: 0.00001}`),
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
  {
    code: 'IM2201', id: 'duplicate-subset-name', severity: 'error', title: 'Duplicate subset name',
    explanation: 'Subset names must be unique within a DestinationRule; Istio rejects the rule (`duplicate subset names`).',
    example: dr(`  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v1\n    labels: {version: v2}`),
    istioctl: 'IST0106',
  },
  {
    code: 'IM2202', id: 'subset-without-labels', severity: 'warning', title: 'Subset without labels',
    explanation: 'A subset without `labels` selects every pod of the service, so routing or mirroring to it does not single out a version. Add the labels that tell the version apart (e.g. `version: v2`).',
    example: dr(`  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2`),
  },
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
    code: 'IST0109', id: 'conflicting-virtual-service-hosts', severity: 'error', title: 'Two VirtualServices claim one host',
    explanation: "Two VirtualServices bound to the same gateway claim the same host (after short-name expansion and within overlapping `exportTo`). On `mesh` the sidecars use one of them and ignore the other: an error, as istioctl reports it. On a named gateway Istio merges their routes in creation order, so the first one's catch-all can hide the other's rules: a warning. Merge them into one VirtualService.",
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
];

const byCode = new Map(rules.map((rule) => [rule.code, rule]));

export function ruleFor(code: string): Rule {
  const rule = byCode.get(code);
  if (!rule) throw new Error(`unknown diagnostic code ${code}`);
  return rule;
}
