// Checks: what an HTTP rule does besides routing — `rewrite` (IM2117), `redirect` (IM2118) and
// `directResponse` bodies (IM2124) — with the bounds of Istio's webhook (validateHTTPRewrite,
// validateURIRegexRewrite, validateHTTPRedirect, validateHTTPDirectResponse).

import { type Pair, type YAMLMap } from 'yaml';
import { asMap, asSeq, child, findPair, keyRange, keyText, numberValue, scalarText } from '../parse/yamlDocument';
import { hasPlaceholder } from '../model/hostNames';
import type { DocumentProblems } from './documentProblems';

type Path = (string | number)[];

const kib = 1024;
const mib = 1024 * kib;

/** A string field counts when it is set to a non-empty value (proto3: "" is unset). */
function setText(map: YAMLMap | undefined, key: string): string | undefined {
  const text = scalarText(child(map, key));
  return text === undefined || text === '' ? undefined : text;
}

export function checkRewrite(rule: YAMLMap, path: Path, out: DocumentProblems, regexProblem: (regex: string) => string | undefined): void {
  const pair = findPair(rule, 'rewrite');
  const rewrite = asMap(pair?.value);
  if (!pair || !rewrite) return;
  const where = [...path, 'rewrite'];
  const regexPair = findPair(rewrite, 'uriRegexRewrite');
  const regexRewrite = asMap(regexPair?.value);
  const uri = setText(rewrite, 'uri');
  if (uri !== undefined && regexPair && regexPair.value !== null) {
    out.atKey('IM2117', regexPair, '`rewrite` may set `uri` or `uriRegexRewrite`, not both; Istio rejects the rule. Keep one of them.', { path: [...where, 'uriRegexRewrite'] });
    return;
  }
  if (uri === undefined && !regexRewrite && setText(rewrite, 'authority') === undefined) {
    out.atKey('IM2117', pair, '`rewrite` changes nothing: Istio requires `uri`, `uriRegexRewrite` or `authority`. Set one, or remove `rewrite`.', { path: where });
    return;
  }
  if (!regexRewrite || !regexPair) return;
  const match = setText(regexRewrite, 'match');
  const replacement = setText(regexRewrite, 'rewrite');
  if (match === undefined || replacement === undefined) {
    const missing = [match === undefined ? '`match`' : '', replacement === undefined ? '`rewrite`' : ''].filter(Boolean).join(' and ');
    out.atKey('IM2117', regexPair, `\`uriRegexRewrite\` needs both \`match\` and \`rewrite\`; ${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing. Istio rejects the rule.`, { path: [...where, 'uriRegexRewrite'] });
    return;
  }
  if (hasPlaceholder(match, false)) return;
  const problem = match.length > 1024 ? `it is ${match.length} characters long; Istio allows at most 1024` : regexProblem(match);
  if (problem) out.atNode('IM2117', child(regexRewrite, 'match'), `Invalid \`uriRegexRewrite.match\` regex: ${problem}. Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax).`, { path: [...where, 'uriRegexRewrite', 'match'] });
}

export function checkRedirect(rule: YAMLMap, path: Path, out: DocumentProblems): void {
  const pair = findPair(rule, 'redirect');
  const redirect = asMap(pair?.value);
  if (!pair || !redirect) return;
  const where = [...path, 'redirect'];
  const uri = setText(redirect, 'uri');
  const prefixRewrite = findPair(redirect, 'prefixRewrite');
  const hasPrefixRewrite = setText(redirect, 'prefixRewrite') !== undefined;
  if (uri !== undefined && hasPrefixRewrite && prefixRewrite) {
    out.atKey('IM2118', prefixRewrite, '`redirect` may set `uri` or `prefixRewrite`, not both; Istio rejects the rule. Keep one of them.', { path: [...where, 'prefixRewrite'] });
    return;
  }
  if (hasPrefixRewrite && prefixRewrite) {
    const nonPrefix = (asSeq(child(rule, 'match'))?.items ?? []).map((match) => asMap(child(match, 'uri'))).find((uriMatch) => uriMatch && !findPair(uriMatch, 'prefix'));
    if (nonPrefix) {
      const kind = keyText(nonPrefix.items[0] as Pair) ?? 'exact';
      out.atKey('IM2118', prefixRewrite, `\`prefixRewrite\` replaces a matched URI prefix, so every \`uri\` match of the rule must be a \`prefix\` match; this rule has a \`${kind}\` URI match and Istio rejects it. Use \`uri\` in the redirect, or prefix matches.`, { path: [...where, 'prefixRewrite'] });
      return;
    }
  }
  const port = numberValue(child(redirect, 'port'));
  const derivePort = findPair(redirect, 'derivePort');
  if (uri === undefined && !hasPrefixRewrite && setText(redirect, 'authority') === undefined && setText(redirect, 'scheme') === undefined && !(port !== undefined && port !== 0) && !derivePort) {
    out.atKey('IM2118', pair, '`redirect` changes nothing: Istio requires `uri`, `prefixRewrite`, `authority`, `scheme` or `port`. Set one, or remove the redirect.', { path: where });
  }
}

/** Istio warns above 100 KiB and rejects bodies above 1 MiB (they are pushed to every proxy). */
export function checkDirectResponse(rule: YAMLMap, path: Path, out: DocumentProblems): void {
  const body = asMap(child(child(rule, 'directResponse'), 'body'));
  if (!body) return;
  const stringPair = findPair(body, 'string');
  const bytesPair = findPair(body, 'bytes');
  const pair = stringPair ?? bytesPair;
  const text = scalarText(pair?.value);
  if (!pair || text === undefined) return;
  // Bytes are base64 in YAML: the body is what they decode to.
  const size = pair === stringPair ? new TextEncoder().encode(text).length : Math.floor((text.replace(/=+$/, '').length * 3) / 4);
  const where = [...path, 'directResponse', 'body', keyText(pair) ?? 'string'];
  const shown = `${(size / kib).toFixed(0)} KiB`;
  if (size > mib) {
    out.at('IM2124', keyRange(out.yaml, pair), `The direct-response body is ${shown}; Istio rejects bodies over 1 MiB, because every proxy receives them. Serve large content from a service instead.`, { data: { path: where }, severity: 'error' });
  } else if (size > 100 * kib) {
    out.at('IM2124', keyRange(out.yaml, pair), `The direct-response body is ${shown}; Istio warns above 100 KiB, because every proxy receives it. Consider serving it from a service.`, { data: { path: where } });
  }
}
