// The inputs of the canary scaffold (`istio/scaffoldCanary`), checked before any YAML is
// written: every value ends up in a manifest, and one holding a line break (or an
// `istioMirror.defaultApiVersion` a workspace set to "v1\nkind: …") would add lines to it. Any
// client may send anything, so the types are checked too. A request with a bad value gets a
// `ScaffoldInputError` naming each field and what is wrong, never YAML.

import { istioNetworkingVersions } from '../model/resourceModel';
import { validateDnsLabel, validateHeaderName, validateHeaderValue, validateImage, validateLabelValue, validateServiceName, type Validator } from '../util/inputValidation';
import { shortened } from '../util/messageText';
import type { CanaryScaffoldOptions, ResolvedOptions } from './scaffold';

/** One rejected field: its name in the request (`mirrorHeader.name`, or the setting it came from) and why. */
export interface ScaffoldInputProblem {
  field: string;
  message: string;
}

/** Thrown by the scaffold for a request it cannot write; the LSP adapter answers it as an InvalidParams error. */
export class ScaffoldInputError extends Error {
  constructor(readonly problems: ScaffoldInputProblem[]) {
    super(`The canary scaffold was not written: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join(' ')}`);
    this.name = 'ScaffoldInputError';
  }
}

const stringFields = ['app', 'namespace', 'stableVersion', 'stableImage', 'canaryVersion', 'canaryImage', 'apiVersion'] as const;

/** The request's own types (before defaults are applied to it): what the defaults code may read. */
export function scaffoldTypeProblems(options: unknown): ScaffoldInputProblem[] {
  if (options === undefined || options === null) return [];
  if (typeof options !== 'object' || Array.isArray(options)) return [{ field: '(request)', message: 'The options are an object of named answers.' }];
  const given = options as Record<string, unknown>;
  const problems: ScaffoldInputProblem[] = [];
  for (const field of stringFields) {
    if (given[field] !== undefined && typeof given[field] !== 'string') problems.push({ field, message: `A string (this is ${typeOf(given[field])}).` });
  }
  for (const field of ['port', 'mirrorPercentage'] as const) {
    if (given[field] !== undefined && typeof given[field] !== 'number') problems.push({ field, message: `A number (this is ${typeOf(given[field])}).` });
  }
  if (given.disableCanaryWrites !== undefined && typeof given.disableCanaryWrites !== 'boolean') problems.push({ field: 'disableCanaryWrites', message: `true or false (this is ${typeOf(given.disableCanaryWrites)}).` });
  if (given.api !== undefined && given.api !== 'istio' && given.api !== 'gateway-api') problems.push({ field: 'api', message: `"istio" or "gateway-api" (this is ${quoted(given.api)}).` });
  const header = given.mirrorHeader;
  if (header !== undefined && header !== null) {
    if (typeof header !== 'object' || Array.isArray(header)) problems.push({ field: 'mirrorHeader', message: 'An object with a header `name` and `value`.' });
    else {
      const { name, value } = header as Record<string, unknown>;
      if (typeof name !== 'string') problems.push({ field: 'mirrorHeader.name', message: `A string (this is ${typeOf(name)}).` });
      if (typeof value !== 'string') problems.push({ field: 'mirrorHeader.value', message: `A string (this is ${typeOf(value)}).` });
    }
  }
  return problems;
}

/**
 * The resolved values (answers and defaults, some from the workspace or the settings) that go
 * into the YAML. `apiVersionFrom` names where the apiVersion came from when the request did not give it.
 */
export function scaffoldValueProblems(o: ResolvedOptions, given: CanaryScaffoldOptions, apiVersionFrom: string): ScaffoldInputProblem[] {
  const problems: ScaffoldInputProblem[] = [];
  const check = (field: string, value: string, ...validators: Validator[]): void => {
    for (const validate of validators) {
      const result = validate(value);
      if (result?.severity === 'error') {
        problems.push({ field, message: `${quoted(value)}: ${result.message}` });
        return;
      }
    }
  };
  check('app', o.app, validateServiceName);
  check('namespace', o.namespace, validateDnsLabel);
  const version = (field: string, value: string): void => check(field, value, validateLabelValue, (text) => {
    // Also the DestinationRule subset's name and part of the Deployment's (and the Gateway API Service's) name.
    const label = validateDnsLabel(text);
    return label ? { ...label, message: `It also names the subset and the Deployment "<app>-<version>": ${label.message}` } : undefined;
  });
  version('stableVersion', o.stableVersion);
  version('canaryVersion', o.canaryVersion);
  if (o.stableVersion === o.canaryVersion && o.stableVersion !== '') problems.push({ field: 'canaryVersion', message: `${quoted(o.canaryVersion)}: the canary needs a version other than the stable one's.` });
  if (given.api === 'gateway-api' || o.api === 'gateway-api') {
    // Each version gets a Service named <app>-<version>: a DNS-1035 label of at most 63 characters.
    for (const [field, value] of [['stableVersion', o.stableVersion], ['canaryVersion', o.canaryVersion]] as const) {
      const name = `${o.app}-${value}`;
      if (name.length > 63 && !problems.some((problem) => problem.field === field || problem.field === 'app')) problems.push({ field, message: `The Service "${shortened(name)}" (app and version) would have ${name.length} characters; a Service name has at most 63.` });
    }
  }
  check('stableImage', o.stableImage, validateImage);
  check('canaryImage', o.canaryImage, validateImage);
  for (const [field, value] of [['port', o.port], ['port (the Service\'s targetPort)', o.containerPort]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) problems.push({ field, message: `${String(value)}: a port is a whole number between 1 and 65535.` });
  }
  if (!Number.isFinite(o.mirrorPercentage) || o.mirrorPercentage < 0 || o.mirrorPercentage > 100) problems.push({ field: 'mirrorPercentage', message: `${String(o.mirrorPercentage)}: a share of requests between 0 and 100.` });
  if (o.mirrorHeader) {
    check('mirrorHeader.name', o.mirrorHeader.name, validateHeaderName);
    check('mirrorHeader.value', o.mirrorHeader.value, validateHeaderValue);
  }
  if (o.api !== 'gateway-api' && !istioNetworkingVersions.includes(o.apiVersion)) {
    problems.push({ field: given.apiVersion === undefined ? apiVersionFrom : 'apiVersion', message: `${quoted(o.apiVersion)}: one of ${istioNetworkingVersions.join(', ')}.` });
  }
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${quoted(value)}` : `${typeof value} ${shortened(String(JSON.stringify(value)))}`;
}

/** A value as a message shows it: quoted, control characters escaped, shortened. */
function quoted(value: unknown): string {
  return shortened(JSON.stringify(String(value)).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
