// The rules for values a user gives a command (a scaffold's names, image, port, percentage,
// header): Kubernetes name syntax, label values, image references, port and percentage ranges,
// HTTP header syntax. The core checks every scaffold request with them (`scaffoldInputs.ts`),
// whichever client sends it; the VS Code client's input boxes use the same functions
// (client/src/prompts/validation.ts re-exports them), so a prompt never accepts what the
// request then refuses. Every rule rejects line breaks and control characters, so no value can
// add lines to the YAML it is written into.

/** Why a value is rejected (`error`) or accepted with a remark (`warning`); undefined when fine. */
export interface ValidationResult {
  message: string;
  severity: 'error' | 'warning';
}

export type Validator = (value: string) => ValidationResult | undefined;

const error = (message: string): ValidationResult => ({ message, severity: 'error' });

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators (line breaks to some YAML readers). */
const controlOrBreak = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

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

const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A Kubernetes label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (may be empty). */
export const validateLabelValue: Validator = (value) => {
  if (value.length > 63) return error(`A label value has at most 63 characters (this is ${value.length}).`);
  if (!labelValue.test(value)) return error('A Kubernetes label value: letters, digits, "-", "_" and ".", starting and ending with a letter or digit.');
  return undefined;
};

/** A host name as written in a destination: a short name (`reviews`) or a DNS name (`shadow.example.com`). */
export const validateHostName: Validator = (value) => {
  if (value.length > 253) return error(`At most 253 characters (this is ${value.length}).`);
  const bad = value.split('.').find((label) => validateDnsLabel(label) !== undefined);
  if (bad !== undefined) return error(`"${bad}" is not a valid DNS label: lowercase letters, digits and "-", at most 63 characters.`);
  return undefined;
};

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainComponent = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[A-Za-z0-9=_-]+$/;

/** A container image reference such as `registry.example.com/team/app:v2` or `app@sha256:…` (the reference grammar of the distribution project). */
export const validateImage: Validator = (value) => {
  if (value === '') return error('An image reference, e.g. registry.example.com/team/app:v2.');
  if (/\s/.test(value) || controlOrBreak.test(value)) return error('An image reference has no spaces or control characters.');
  if (value.length > 512) return error(`An image reference this long (${value.length} characters) is not one.`);
  const at = value.indexOf('@');
  const name = at === -1 ? value : value.slice(0, at);
  if (at !== -1 && !digestPattern.test(value.slice(at + 1))) return error('A digest is `algorithm:hex`, e.g. @sha256:4f1c….');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const repository = colon > slash ? name.slice(0, colon) : name;
  const components = repository.split('/');
  const first = components[0]!;
  // The first component is a registry when it has a dot, a port or is localhost (or upper case letters, which a path cannot have).
  if (components.length > 1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    const [host, port, ...more] = first.split(':');
    if (more.length > 0 || !host!.split('.').every((part) => domainComponent.test(part)) || (port !== undefined && !/^\d{1,5}$/.test(port))) {
      return error(`"${first}" is not a registry host (a DNS name or IP address, optionally with :port).`);
    }
    components.shift();
  }
  if (repository.length > 255) return error(`The repository name has at most 255 characters (this is ${repository.length}).`);
  if (!components.every((component) => pathComponent.test(component))) {
    return error('The repository part takes lowercase letters, digits and . _ - separators, e.g. registry.example.com/team/app:v2.');
  }
  if (colon > slash && !/^[\w][\w.-]{0,127}$/.test(name.slice(colon + 1))) return error('A tag is up to 128 letters, digits, "_", "." and "-".');
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
  if (value.length > 256) return error(`A header name this long (${value.length} characters) is not one.`);
  if (value !== value.toLowerCase()) return { message: `Header names are matched in lower case: this becomes "${value.toLowerCase()}".`, severity: 'warning' };
  return undefined;
};

/** A header value to match exactly: anything printable on one line. */
export const validateHeaderValue: Validator = (value) => {
  if (value === '') return error('The value the tagged requests carry, e.g. "true".');
  if (controlOrBreak.test(value)) return error('A header value is one line of text, without control characters.');
  if (value.length > 4096) return error(`A header value this long (${value.length} characters) is not one to tag requests with.`);
  return undefined;
};
