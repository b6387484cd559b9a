// Istio's host-name rules (pilot ResolveShortnameToFQDN and pkg/config/host): short names
// are expanded with the namespace of the resource that mentions them, names with a dot are
// taken literally, and a leading `*` makes a wildcard that covers by suffix.

/** `reviews` in `demo` → `reviews.demo.svc.cluster.local`; `reviews.prod` stays `reviews.prod`. */
export function resolveHost(host: string, namespace: string, clusterDomain: string): string {
  if (host === '*' || host.includes('.') || isIpAddress(host)) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}

export function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

/** True when wildcard `pattern` (e.g. `*.demo.svc.cluster.local`) covers the concrete or wildcard `host`. */
export function wildcardCovers(pattern: string, host: string): boolean {
  if (!isWildcard(pattern)) return pattern === host;
  const suffix = pattern.slice(1);
  if (isWildcard(host)) return host.slice(1).endsWith(suffix);
  return host.endsWith(suffix) && host.length > suffix.length;
}

/** True when the two hosts can name the same service (either covers the other). */
export function hostsOverlap(a: string, b: string): boolean {
  return a === b || wildcardCovers(a, b) || wildcardCovers(b, a);
}

const ipv4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

export function isIpAddress(host: string): boolean {
  return ipv4.test(host) || ((host.match(/:/g)?.length ?? 0) >= 2 && /^[0-9a-fA-F:.]+$/.test(host));
}

const dns1123Label = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** Istio's DNS-1123 label test (it allows upper case, unlike Kubernetes). */
export function isDns1123Label(text: string): boolean {
  return text.length <= 63 && dns1123Label.test(text);
}

/** The closest DNS-1123 label to an invalid subset name: `v1.0` → `v1-0`, `-canary` → `canary`. */
export function sanitisedSubsetName(name: string): string {
  return name.replace(/[^a-zA-Z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '') || 'subset';
}

/**
 * Istio's wildcard-domain test: labels separated by dots, each a DNS-1123 label, the first
 * optionally `*`, `*label` or `*-label`; at most 255 characters; the last label not all digits.
 * Returns why the name is invalid, or undefined when it is valid.
 */
export function wildcardDomainProblem(host: string): string | undefined {
  if (host.length === 0) return 'an empty host name is not allowed';
  if (host.length > 255) return 'it is longer than 255 characters';
  if (host === '*') return undefined;
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) {
    let label = labels[i];
    if (i === 0 && label.startsWith('*')) {
      label = label.slice(1).replace(/^-/, '');
      if (label === '') continue;
    }
    if (!isDns1123Label(label)) return `"${labels[i]}" is not a valid DNS label`;
  }
  if (labels.length > 1 && /^\d+$/.test(labels[labels.length - 1])) return `its last label "${labels[labels.length - 1]}" is all digits`;
  return undefined;
}

/**
 * True for values that hold a placeholder substituted before `kubectl apply` (kustomize, envsubst
 * or script variables such as `MY_NAMESPACE_PLACEHOLDER`, `$NAMESPACE`, `$(NAMESPACE)`,
 * `${DOMAIN}`, or a `{{ }}` template): they are not values yet, so they are neither validated
 * nor resolved. `upperSnake: false` is for enum fields, whose real values are UPPER_SNAKE.
 */
export function hasPlaceholder(value: string, upperSnake = true): boolean {
  if (/\$\(|\$\{|\$[A-Za-z_]|\{\{/.test(value)) return true;
  return upperSnake && value.split(/[./:]/).some((label) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(label));
}
