// Checks for what a user types into the commands' input boxes. They guard the prompts only
// (Kubernetes name syntax, port and percentage ranges, HTTP header syntax); whether the result
// is valid Istio configuration is the server's business. No `vscode` import, so tests can use
// these directly.

/** Why a value is rejected (`error`) or accepted with a remark (`warning`); undefined when fine. */
export interface ValidationResult {
  message: string;
  severity: 'error' | 'warning';
}

export type Validator = (value: string) => ValidationResult | undefined;

const error = (message: string): ValidationResult => ({ message, severity: 'error' });

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: what Kubernetes accepts for namespaces, label values used as names, subsets. */
export const validateDnsLabel: Validator = (value) => {
  if (value.length > 63) return error(`At most 63 characters (this is ${value.length}).`);
  if (!dns1123Label.test(value)) return error('Lowercase letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label).');
  return undefined;
};

/** An app name becomes a Service name, which must also start with a letter (DNS-1035 label). */
export const validateServiceName: Validator = (value) => {
  const label = validateDnsLabel(value);
  if (label) return label;
  if (!/^[a-z]/.test(value)) return error('A Service name must start with a lowercase letter.');
  return undefined;
};

/** A host name as written in a destination: a short name (`reviews`) or a DNS name (`shadow.example.com`). */
export const validateHostName: Validator = (value) => {
  if (value.length > 253) return error(`At most 253 characters (this is ${value.length}).`);
  const bad = value.split('.').find((label) => validateDnsLabel(label) !== undefined);
  if (bad !== undefined) return error(`"${bad}" is not a valid DNS label: lowercase letters, digits and "-", at most 63 characters.`);
  return undefined;
};

/** A container image reference such as `registry.example.com/team/app:v2` (no spaces, no upper-case repository). */
export const validateImage: Validator = (value) => {
  if (/\s/.test(value)) return error('An image reference has no spaces.');
  const [name] = value.split('@');
  const slash = name!.lastIndexOf('/');
  const colon = name!.lastIndexOf(':');
  const repository = colon > slash ? name!.slice(0, colon) : name!;
  const path = repository.includes('/') && /[.:]|^localhost$/.test(repository.split('/')[0]!) ? repository.split('/').slice(1).join('/') : repository;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) {
    return error('The repository part takes lowercase letters, digits and . _ - separators, e.g. registry.example.com/team/app:v2.');
  }
  if (colon > slash && !/^[\w][\w.-]{0,127}$/.test(name!.slice(colon + 1))) return error('A tag is up to 128 letters, digits, "_", "." and "-".');
  return undefined;
};

/** A TCP port number. */
export const validatePort: Validator = (value) => {
  if (!/^\d+$/.test(value)) return error('A whole number between 1 and 65535.');
  const port = Number(value);
  if (port < 1 || port > 65535) return error(`A port is between 1 and 65535 (this is ${port}).`);
  return undefined;
};

/** A share of requests in percent; fractions are allowed (`0.5` mirrors one request in 200). */
export const validatePercentage: Validator = (value) => {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) return error('A number between 0 and 100, e.g. 10 or 0.5.');
  const percentage = Number(value);
  if (percentage > 100) return error(`At most 100 (this is ${percentage}).`);
  return undefined;
};

const httpToken = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An HTTP header name (RFC 9110 token). Istio matches header names in lower case. */
export const validateHeaderName: Validator = (value) => {
  if (value.startsWith(':')) return error('Pseudo-headers (":authority", ":path", …) are matched with `authority`/`uri`, not as a header.');
  if (!httpToken.test(value)) return error('A header name is letters, digits and !#$%&\'*+.^_`|~- only (no spaces, no ":").');
  if (value !== value.toLowerCase()) return { message: `Header names are matched in lower case: this becomes "${value.toLowerCase()}".`, severity: 'warning' };
  return undefined;
};

/** A header value to match exactly: anything printable on one line. */
export const validateHeaderValue: Validator = (value) => {
  if (value === '') return error('The value the tagged requests carry, e.g. "true".');
  if (/[\r\n\0]/.test(value)) return error('A header value is one line of text.');
  return undefined;
};
