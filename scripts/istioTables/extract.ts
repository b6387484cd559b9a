// Turns Istio's VirtualService and DestinationRule validation test tables into YAML fixtures
// with Istio's verdict, for test/conformance/istioValidationTables.test.ts.
//
//   node --import tsx scripts/istioTables/extract.ts <istio/istio git dir> [out dir]
//
// The git dir is a clone or mirror of istio/istio (e.g. the one the `fetch` tool brings to
// /work/.mirror/istio+istio/repo); the Go test files are read from its HEAD. Each table entry
// becomes one YAML document in test/fixtures/istio-tables/<Test>.yaml, wrapped in the smallest
// resource that exercises the same validation, preceded by a comment with the entry's name and
// Istio's verdict: `error` (rejected), `warning` (admitted with a warning), `valid` (admitted
// without warnings), or `no-error` (admitted; the table does not check warnings). Entries that
// cannot be written as YAML go to unconvertible.tsv with the reason.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { evaluate, finish, Parser, tokenize, Unconvertible, type Expr, type GoType, type Scope } from './goLiteral';

type Verdict = 'error' | 'warning' | 'valid' | 'no-error';
type Entry = Record<string, Expr>;
type Json = Record<string, unknown>;

interface Table {
  file: string;
  test: string;
  /** The resource to validate, or a reason to skip the entry. */
  wrap(value: (field: string) => unknown, entry: Entry): Json;
  verdict(value: (field: string) => unknown, entry: Entry): Verdict;
}

const vs = (spec: Json, metadata: Json = { name: 'test' }): Json => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata, spec });
const dr = (spec: Json, metadata: Json = { name: 'foo', namespace: 'bar' }): Json => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata, spec });
/** A VirtualService bound to a gateway only, so that gateway-only rules (JWT claim routing) do not interfere. */
const gatewayVs = (http: Json): Json => vs({ hosts: ['wrapper.example.com'], gateways: ['istio-system/wrapper-gateway'], http: [http] });
const someRoute = [{ destination: { host: 'foo.bar' } }];
const withRoute = (extra: Json): Json => gatewayVs({ route: someRoute, ...extra });
const omitNil = (key: string, value: unknown): Json => (value === undefined ? {} : { [key]: value });

const validOnly = (value: (field: string) => unknown): Verdict => (value('valid') ? 'no-error' : 'error');
const validAndWarning = (valid: string, warning: string) => (value: (field: string) => unknown): Verdict =>
  !value(valid) ? 'error' : value(warning) ? 'warning' : 'valid';
const errAndWarn = (value: (field: string) => unknown): Verdict => (value('err') ? 'error' : value('warn') ? 'warning' : 'valid');

const validation = 'pkg/config/validation/validation_test.go';
const virtualservice = 'pkg/config/validation/virtualservice_test.go';
const agent = 'pkg/config/validation/agent/validation_test.go';

const tables: Table[] = [
  { file: validation, test: 'TestValidateVirtualService', wrap: (v) => vs(v('in') as Json), verdict: validAndWarning('valid', 'warning') },
  { file: validation, test: 'TestValidateHTTPRoute', wrap: (v) => gatewayVs(v('route') as Json), verdict: validOnly },
  { file: virtualservice, test: 'TestValidateRootHTTPRoute', wrap: (v) => gatewayVs(v('route') as Json), verdict: validOnly },
  { file: virtualservice, test: 'TestValidateChainingVirtualService', wrap: (v) => vs(v('in') as Json), verdict: validOnly },
  { file: virtualservice, test: 'TestValidateDelegateHTTPRoute', wrap: (v) => vs({ http: [v('route')] }), verdict: validOnly },
  { file: validation, test: 'TestValidateDestinationRule', wrap: (v) => dr(v('in') as Json), verdict: validAndWarning('valid', 'warning') },
  { file: validation, test: 'TestValidateTrafficPolicy', wrap: (v) => dr({ host: 'reviews', ...omitNil('trafficPolicy', v('in')) }), verdict: validOnly },
  { file: validation, test: 'TestValidateConnectionPool', wrap: (v) => dr({ host: 'reviews', trafficPolicy: { connectionPool: v('in') } }), verdict: validOnly },
  { file: validation, test: 'TestValidateLoadBalancer', wrap: (v) => dr({ host: 'reviews', trafficPolicy: { loadBalancer: v('in') } }), verdict: validOnly },
  { file: validation, test: 'TestValidateOutlierDetection', wrap: (v) => dr({ host: 'reviews', trafficPolicy: { outlierDetection: v('in') } }), verdict: validAndWarning('valid', 'warn') },
  { file: agent, test: 'TestValidateTLS', wrap: (v) => dr({ host: 'reviews', trafficPolicy: { tls: v('tls') } }, { name: 'foo' }), verdict: validOnly },
  {
    file: agent, test: 'TestValidateLocalityLbSetting',
    wrap: (v) => dr({ host: 'reviews', trafficPolicy: { loadBalancer: v('in') === undefined ? { simple: 'ROUND_ROBIN' } : { localityLbSetting: v('in') }, ...omitNil('outlierDetection', v('outlier')) } }),
    verdict: errAndWarn,
  },
  {
    file: agent, test: 'TestValidateZoneAwareLbSetting',
    wrap: (v) => dr({ host: 'reviews', trafficPolicy: { loadBalancer: v('in') === undefined ? { simple: 'ROUND_ROBIN' } : { zoneAwareLbSetting: v('in') }, ...omitNil('outlierDetection', v('outlier')) } }),
    verdict: errAndWarn,
  },
  { file: validation, test: 'TestValidateCORSPolicy', wrap: (v) => withRoute(omitNil('corsPolicy', v('in'))), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPStatus', wrap: (v) => withRoute({ fault: { abort: { httpStatus: v('in'), percentage: { value: 1 } } } }), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPFaultInjectionAbort', wrap: (v) => withRoute(v('in') === undefined ? {} : { fault: { abort: v('in') } }), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPFaultInjectionDelay', wrap: (v) => withRoute(v('in') === undefined ? {} : { fault: { delay: v('in') } }), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPRetry', wrap: (v) => withRoute(omitNil('retries', v('in'))), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPRewrite', wrap: (v) => withRoute(omitNil('rewrite', v('in'))), verdict: validOnly },
  { file: validation, test: 'TestValidateUriRegexRewrite', wrap: (v) => withRoute(v('in') === undefined ? {} : { rewrite: { uriRegexRewrite: v('in') } }), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPRedirect', wrap: (v) => gatewayVs(v('redirect') === undefined ? { route: someRoute } : { redirect: v('redirect') }), verdict: validOnly },
  { file: validation, test: 'TestValidateHTTPDirectResponse', wrap: (v) => gatewayVs(v('directResponse') === undefined ? { route: someRoute } : { directResponse: v('directResponse') }), verdict: validAndWarning('valid', 'warning') },
  { file: validation, test: 'TestValidateDestination', wrap: (v) => gatewayVs({ route: [omitNil('destination', v('destination'))] }), verdict: validOnly },
  { file: validation, test: 'TestValidateRouteDestination', wrap: (v) => vs({ hosts: ['wrapper.example.com'], tcp: [{ route: v('routes') }] }), verdict: validOnly },
  {
    file: validation, test: 'TestValidateHTTPHeaderValue',
    wrap: (v) => withRoute({ headers: { request: { set: { 'x-test': v('input') } } } }),
    verdict: (_v, entry) => (entry.expected === undefined || (entry.expected.kind === 'ident' && entry.expected.name === 'nil') ? 'no-error' : 'error'),
  },
  {
    file: validation, test: 'TestValidateHTTPHeaderName',
    wrap: (v) => gatewayVs({ match: [{ headers: { [String(v('name'))]: { exact: 'x' } } }], route: someRoute }),
    verdict: validOnly,
  },
  {
    file: validation, test: 'Test_validateExportTo',
    wrap: (v) => {
      if (v('isServiceEntry')) throw new Unconvertible('a ServiceEntry case (only VirtualService and DestinationRule are checked)');
      const selector = v('isDestinationRuleWithSelector') ? { workloadSelector: { matchLabels: { app: 'reviews' } } } : {};
      return dr({ host: 'reviews', ...selector, ...omitNil('exportTo', v('exportTo')) }, { name: 'reviews', namespace: v('namespace') || 'default' });
    },
    verdict: (v) => (v('wantErr') ? 'error' : 'no-error'),
  },
  { file: agent, test: 'TestValidateWildcardDomain', wrap: (v) => dr({ host: v('in') }), verdict: (v) => (v('out') ? 'error' : 'no-error') },
  {
    file: agent, test: 'TestValidateWildcardDomainForVirtualServiceBoundToGateway',
    wrap: (v) => {
      const host = v('in');
      return v('sni')
        ? vs({ hosts: [host], gateways: ['istio-system/wrapper-gateway'], tls: [{ match: [{ sniHosts: [host] }], route: someRoute }] })
        // Without SNI the function is ValidateWildcardDomain, which a VirtualService does not apply to IP
        // addresses but a DestinationRule host does: the host of a DestinationRule keeps the verdict.
        : dr({ host });
    },
    verdict: (v) => (v('out') ? 'error' : 'no-error'),
  },
];

function gitShow(gitDir: string, path: string): string {
  return execFileSync('git', ['-C', gitDir, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The body of `func <test>(t *testing.T) {…}` as tokens. */
function functionTokens(source: string, test: string): ReturnType<typeof tokenize> {
  const start = source.indexOf(`func ${test}(`);
  if (start < 0) throw new Error(`${test} not found`);
  const next = source.indexOf('\nfunc ', start + 1);
  return tokenize(source.slice(start, next < 0 ? source.length : next));
}

interface TableEntries {
  fields: string[];
  entries: { entry: Entry; error?: string }[];
  scope: Scope;
}

/** Finds `x := []struct{…}{ … }` in the function and parses its entries one by one. */
function readTable(source: string, test: string): TableEntries {
  const tokens = functionTokens(source, test);
  const parser = new Parser(tokens);
  const scope: Scope = { variables: new Map() };
  // Skip `func Name(t *testing.T) {`.
  while (!parser.at('{')) parser.next();
  parser.next();
  while (!parser.done) {
    const a = parser.peek();
    const b = parser.peek(1);
    if (a?.kind === 'ident' && b?.text === ':=') {
      parser.next();
      parser.next();
      if (parser.at('[') && parser.peek(1)?.text === ']' && parser.peek(2)?.text === 'struct') {
        parser.next(); parser.next(); parser.next();
        const fields = structFields(parser);
        return { fields, entries: readEntries(parser), scope };
      }
      const before = parser;
      try {
        const expr = before.parseExpr();
        scope.variables.set(a.text, expr);
      } catch {
        // not a literal; the entries that use it are reported as unconvertible
      }
      continue;
    }
    parser.next();
  }
  throw new Error(`no table in ${test}`);
}

function structFields(parser: Parser): string[] {
  parser.expect('{');
  const fields: string[] = [];
  while (!parser.at('}')) {
    const names = [parser.next().text];
    while (parser.at(',')) { parser.next(); names.push(parser.next().text); }
    parser.parseType();
    if (parser.peek()?.kind === 'string') parser.next();
    fields.push(...names);
    if (parser.at(';')) parser.next();
  }
  parser.expect('}');
  return fields;
}

function readEntries(parser: Parser): { entry: Entry; error?: string }[] {
  parser.expect('{');
  const result: { entry: Entry; error?: string }[] = [];
  while (!parser.at('}')) {
    const start = parser.mark();
    try {
      const literal = parser.parseCompositeBody(undefined) as Extract<Expr, { kind: 'composite' }>;
      result.push({ entry: literal as unknown as Entry });
    } catch (error) {
      parser.reset(start);
      parser.skipGroup();
      result.push({ entry: {}, error: `cannot be parsed: ${(error as Error).message}` });
    }
    if (parser.at(',')) parser.next();
  }
  return result;
}

function fieldsOf(literal: Extract<Expr, { kind: 'composite' }>, fields: string[]): Entry {
  const entry: Entry = {};
  literal.elems.forEach((elem, index) => {
    const key = elem.key?.kind === 'ident' ? elem.key.name : fields[index];
    if (key) entry[key] = elem.value;
  });
  return entry;
}

/**
 * Very long strings made of one repeated unit (the large direct-response bodies) are written as
 * `<<repeat "unit" count>>` followed by any tail; the conformance test expands them.
 */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, compact(inner)]));
  if (typeof value !== 'string' || value.length < 4096) return value;
  for (let size = 1; size <= 4; size++) {
    const unit = value.slice(0, size);
    const count = Math.floor((value.length - 8) / size);
    if (unit.repeat(count) === value.slice(0, count * size)) {
      let rest = value.slice(count * size);
      let total = count;
      while (rest.startsWith(unit)) { rest = rest.slice(size); total++; }
      return `<<repeat ${JSON.stringify(unit)} ${total}>>${rest}`;
    }
  }
  return value;
}

function slug(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function main(): void {
  const [gitDir, outArg] = process.argv.slice(2);
  if (!gitDir) {
    console.error('usage: extract.ts <istio/istio git dir> [out dir]');
    process.exit(2);
  }
  const outDir = outArg ?? join(__dirname, '..', '..', 'test', 'fixtures', 'istio-tables');
  const commit = execFileSync('git', ['-C', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) if (file.endsWith('.yaml') || file === 'unconvertible.tsv') rmSync(join(outDir, file));
  const unconvertible: string[] = ['table\tentry\treason'];
  let converted = 0;
  const sources = new Map<string, string>();
  for (const table of tables) {
    if (!sources.has(table.file)) sources.set(table.file, gitShow(gitDir, table.file));
    const { fields, entries, scope } = readTable(sources.get(table.file)!, table.test);
    const documents: string[] = [];
    entries.forEach(({ entry: raw, error: parseError }, index) => {
      if (parseError) {
        unconvertible.push(`${table.test}\t#${index}\t${parseError}`);
        return;
      }
      const entry = fieldsOf(raw as unknown as Extract<Expr, { kind: 'composite' }>, fields);
      const value = (field: string): unknown => (entry[field] ? finish(evaluate(entry[field], undefined, scope)) : undefined);
      let name = `#${index}`;
      try {
        const named = entry.name ? value('name') : entry.input ? value('input') : undefined;
        if (typeof named === 'string' && named.length < 120) name = named === '' ? '(empty)' : named;
      } catch {
        // nameless entry
      }
      try {
        const resource = compact(table.wrap(value, entry));
        const verdict = table.verdict(value, entry);
        const yaml = stringify(resource, { lineWidth: 0, aliasDuplicateObjects: false });
        documents.push(`# ${table.test} ${JSON.stringify(slug(name))}\n# istio-verdict: ${verdict}\n${yaml}`);
        converted++;
      } catch (error) {
        if (!(error instanceof Unconvertible)) throw error;
        unconvertible.push(`${table.test}\t${slug(name)}\t${error.message}`);
      }
    });
    const header = `# Generated by scripts/istioTables/extract.ts from istio/istio ${commit}\n# ${table.file} ${table.test}: one document per table entry, with Istio's verdict.\n`;
    writeFileSync(join(outDir, `${table.test}.yaml`), header + documents.join('---\n'));
  }
  writeFileSync(join(outDir, 'unconvertible.tsv'), unconvertible.join('\n') + '\n');
  console.log(`istio tables: ${converted} entries written as YAML, ${unconvertible.length - 1} cannot be (see unconvertible.tsv)`);
}

main();

export type { GoType };
