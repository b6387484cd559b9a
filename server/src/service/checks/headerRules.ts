// Checks: header names and values (IM2119–IM2123), as Istio's webhook validates them
// (pkg/config/validation: header operation names, header match names, CORS header lists,
// `%VAR%` header values as Envoy's header formatter parses them, the authority set once).

import { isScalar, type Pair, type ParsedNode, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, keyText, scalarText } from '../parse/yamlDocument';
import { hasPlaceholder } from '../model/hostNames';
import type { DocumentProblems } from './documentProblems';

type Path = (string | number)[];

/** RFC 7230 token characters: what a header name may contain. */
const headerName = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const pseudoHeaders = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const jwtClaimPrefix = '@request.auth.claims';

/** `@request.auth.claims.<name>` or `@request.auth.claims[<name>]`: routing on a JWT claim. */
export function isJwtClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith(jwtClaimPrefix)) return false;
  const rest = name.slice(jwtClaimPrefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

const isAuthorityHeader = (name: string): boolean => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

/**
 * Why Envoy's header formatter rejects a header value, or undefined. `%` starts a variable
 * (`%HOSTNAME%`, `%REQ(x-id)%`, `%ENVIRONMENT(["A", "B"])%`), `%%` is a literal `%`; control
 * characters other than tab are never allowed.
 */
export function headerValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'it contains a control character';
  type State = 'literal' | 'name' | 'array' | 'string' | 'nextString' | 'delimiter' | 'argsEnd' | 'variableEnd';
  let state: State = 'literal';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    switch (state) {
      case 'literal':
        if (c !== '%') break;
        if (i + 1 === value.length) return 'it ends with a single `%`; write `%%` for a literal percent sign';
        if (value[i + 1] === '%') i++;
        else state = 'name';
        break;
      case 'name':
        if (c === '%') state = 'literal';
        else if (c === '(') state = 'array';
        break;
      case 'array':
        if (c === '[') state = 'nextString';
        else if (c !== ' ') state = 'string';
        break;
      case 'nextString':
        if (c === '"') state = 'string';
        else if (c !== ' ') return 'a `%VAR([...])%` argument list must hold quoted strings';
        break;
      case 'string':
        if (c === '\\') {
          if (i + 1 === value.length) return 'it ends inside a backslash escape';
          i++;
        } else if (c === ')') state = 'variableEnd';
        else if (c === '"') state = 'delimiter';
        break;
      case 'delimiter':
        if (c === ',') state = 'nextString';
        else if (c === ']') state = 'argsEnd';
        else if (c !== ' ') return 'a `%VAR([...])%` argument list expects `,` or `]` after a string';
        break;
      case 'argsEnd':
        if (c === ')') state = 'variableEnd';
        else if (c !== ' ') return 'a `%VAR([...])%` expression expects `)` after its arguments';
        break;
      case 'variableEnd':
        if (c === '%') state = 'literal';
        else if (c !== ' ') return 'a `%VAR(...)%` expression expects a closing `%`';
        break;
    }
  }
  return state === 'literal' ? undefined : 'a `%VARIABLE%` is not closed with `%`; write `%%` for a literal percent sign';
}

/** Header operations of an HTTP rule or of one route destination (`headers.request/response`). */
export function checkHeaderOperations(owner: YAMLMap | undefined, path: Path, out: DocumentProblems): void {
  const headers = asMap(child(owner, 'headers'));
  if (!headers) return;
  for (const direction of ['request', 'response'] as const) {
    const operations = asMap(child(headers, direction));
    if (!operations) continue;
    for (const operation of ['add', 'set'] as const) {
      for (const item of asMap(child(operations, operation))?.items ?? []) {
        const name = keyText(item) ?? '';
        const where = [...path, 'headers', direction, operation, name];
        checkOperationName(item, name, direction === 'request', where, out);
        const value = scalarText(item.value);
        if (value !== undefined && !hasPlaceholder(value, false)) {
          const problem = headerValueProblem(value);
          if (problem) out.atNode('IM2122', item.value, `Header value "${value}" is rejected by Envoy's header formatter: ${problem}.`, { path: where });
        }
      }
    }
    asSeq(child(operations, 'remove'))?.items.forEach((item, index) => {
      const name = scalarText(item) ?? '';
      const where = [...path, 'headers', direction, 'remove', index];
      const problem = operationNameProblem(name, false);
      if (problem) out.atNode('IM2121', item, `Header "${name}" cannot be removed: ${problem}.`, { path: where });
    });
  }
}

function operationNameProblem(name: string, requestAddOrSet: boolean): string | undefined {
  if (name === '') return 'the header name is empty';
  const internal = name.startsWith(':') || name.toLowerCase() === 'host';
  if (requestAddOrSet) return internal && !isAuthorityHeader(name) ? 'pseudo-headers (`:`-prefixed) other than `:authority` cannot be modified' : undefined;
  if (name.toLowerCase() === 'host') return 'the Host header can only be changed on requests (`headers.request.set`) or with `rewrite.authority`';
  return internal ? 'pseudo-headers (`:`-prefixed) cannot be modified here' : undefined;
}

function checkOperationName(item: Pair, name: string, request: boolean, path: Path, out: DocumentProblems): void {
  const problem = operationNameProblem(name, request);
  if (problem) out.atKey('IM2121', item, `Header "${name}" cannot be set: ${problem}.`, { path });
}

/** `rewrite.authority` and an `:authority`/`host` header operation on the same rule: Istio allows one. */
export function checkAuthorityOnce(rule: YAMLMap, path: Path, out: DocumentProblems): void {
  let current = scalarText(child(child(rule, 'rewrite'), 'authority')) ?? '';
  const request = asMap(child(child(rule, 'headers'), 'request'));
  for (const operation of ['set', 'add']) {
    for (const item of asMap(child(request, operation))?.items ?? []) {
      const name = keyText(item) ?? '';
      if (!isAuthorityHeader(name)) continue;
      const value = scalarText(item.value) ?? '';
      if (current !== '') {
        out.atKey('IM2119', item, `The authority is already set to "${current}" on this rule; Istio rejects setting it again ("${value}"). Keep either \`rewrite.authority\` or one \`${name}\` header operation.`, { path: [...path, 'headers', 'request', operation, name] });
        return;
      }
      current = value;
    }
  }
}

/** Header names in `match[].headers` and `withoutHeaders`; JWT claims are collected for the gateway check. */
export function checkMatchHeaderNames(match: ParsedNode | null, path: Path, out: DocumentProblems, jwtClaims: Pair[]): void {
  for (const field of ['headers', 'withoutHeaders']) {
    for (const item of asMap(child(match, field))?.items ?? []) {
      const name = keyText(item) ?? '';
      const where = [...path, field, name];
      if (field === 'headers' && (item.value === null || (isScalar(item.value) && item.value.value === null))) {
        out.atKey('IM2121', item, `Header match "${name}" has no condition; Istio rejects a null header match. Write \`{}\` to match any value, or a condition such as \`exact: v1\`.`, { path: where });
      }
      if (isJwtClaimHeader(name)) {
        jwtClaims.push(item);
        continue;
      }
      if (name === '') out.atKey('IM2121', item, 'The header name is empty; Istio rejects it. Name the header to match.', { path: where });
      else if (!pseudoHeaders.has(name) && !headerName.test(name) && !hasPlaceholder(name)) {
        out.atKey('IM2121', item, `"${name}" is not a valid header name: use letters, digits and ${"!#$%&'*+-.^_`|~"} only (or a pseudo-header such as \`:authority\`).`, { path: where });
      }
    }
  }
}

/** CORS lists: non-empty origins with valid regexes, valid header names. */
export function checkCorsPolicy(rule: YAMLMap, path: Path, out: DocumentProblems, regexProblem: (regex: string) => string | undefined): void {
  const cors = asMap(child(rule, 'corsPolicy'));
  if (!cors) return;
  const where = [...path, 'corsPolicy'];
  asSeq(child(cors, 'allowOrigins'))?.items.forEach((origin, index) => {
    const map = asMap(origin);
    const matchPair = map?.items.find((item) => ['exact', 'prefix', 'regex'].includes(keyText(item) ?? ''));
    const text = scalarText(matchPair?.value) ?? '';
    if (text === '') {
      out.atNode('IM2123', matchPair?.value ?? origin, 'This `allowOrigins` entry matches nothing: Istio requires an `exact`, `prefix` or `regex` with a value (e.g. `exact: https://example.com`).', { path: [...where, 'allowOrigins', index] });
    } else if (keyText(matchPair as Pair) === 'regex' && !hasPlaceholder(text, false)) {
      const problem = text.length > 1024 ? `it is ${text.length} characters long; Istio allows at most 1024` : regexProblem(text);
      if (problem) out.atNode('IM2123', matchPair?.value, `Invalid \`allowOrigins\` regex: ${problem}. Istio uses RE2 syntax.`, { path: [...where, 'allowOrigins', index, 'regex'] });
    }
  });
  for (const field of ['allowHeaders', 'exposeHeaders']) {
    asSeq(child(cors, field))?.items.forEach((item, index) => {
      const name = scalarText(item) ?? '';
      if (name === '*' || hasPlaceholder(name)) return;
      if (name === '') out.atNode('IM2123', item, `An empty header name in \`${field}\` is not allowed; remove it or name the header.`, { path: [...where, field, index] });
      else if (!headerName.test(name)) out.atNode('IM2123', item, `"${name}" in \`${field}\` is not a valid header name: use letters, digits and ${"!#$%&'*+-.^_`|~"} only, or \`*\`.`, { path: [...where, field, index] });
    });
  }
}
