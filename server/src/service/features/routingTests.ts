// Routing tests (`kind: RoutingTest`, model/routingTestModel.ts, schemas/routingTest.schema.json):
// each test's request is traced through the workspace with the request trace (requestTrace.ts,
// the engine of `istio-mirror trace`) and its result compared with what the test expects. Only
// the fields a test writes are compared; `destinations` and `mirrors` must match as a whole,
// in any order. A result that depends on facts the request does not give (an earlier rule
// matching on source labels the test did not state) fails: a test never passes on a guess.

import type { Node } from 'yaml';
import { child, firstLineRange, asSeq } from '../parse/yamlDocument';
import { plainJson } from '../model/matchConditions';
import { resolveHost } from '../model/hostNames';
import { exactPercentText } from '../model/envoyFractions';
import { parseIstioRelease } from '../model/istioReleases';
import { formatPercent } from '../model/trafficShares';
import { isRoutingTest } from '../model/routingTestModel';
import type { Range } from '../types';
import { parseCached, toFileRange } from './documentAt';
import type { FeatureContext } from './featureContext';
import { traceRequest, type TraceRequest, type TraceResult, type TraceTarget } from './requestTrace';
import { asArray, asObject, jsonInteger, jsonText, type JsonObject } from './virtualServiceSpecs';

export interface RoutingTestCase {
  uri: string;
  /** `metadata.name` of the RoutingTest document, or null. */
  suite: string | null;
  name: string;
  /** Position of the test in `spec.tests`. */
  index: number;
  /** The first line of the test's entry, in its file. */
  range: Range;
  /** The request with the document's `defaults` applied; undefined when it cannot be built. */
  request?: TraceRequest;
  expect: JsonObject;
  /** Why the test cannot run (no host, an unknown Istio release); empty when it can. */
  invalid: string[];
}

/** One expectation that the trace does not meet. */
export interface RoutingTestMismatch {
  field: string;
  expected: string;
  actual: string;
}

export interface RoutingTestResult {
  test: RoutingTestCase;
  passed: boolean;
  mismatches: RoutingTestMismatch[];
  /** The trace of the request (absent for an invalid test). */
  actual?: TraceResult;
}

const requestFields = ['host', 'path', 'method', 'port', 'scheme', 'gateway', 'namespace', 'sourceNamespace'] as const;
const mapFields = ['headers', 'query', 'sourceLabels'] as const;

/** The tests of the RoutingTest documents of the given files (all files when `uris` is undefined), in file order. */
export function routingTestCases(context: FeatureContext, uris?: readonly string[]): RoutingTestCase[] {
  const cases: RoutingTestCase[] = [];
  const files = uris ? uris.map((uri) => context.index.getFile(uri)).filter((file) => file !== undefined) : [...context.index.allFiles()];
  for (const file of files) {
    for (const document of file.documents) {
      if (!document.analysis.validated || !isRoutingTest(document.analysis.identity)) continue;
      const yaml = parseCached(document.text);
      const root = yaml.doc.contents;
      const suite = jsonText(plainJson(child(child(root, 'metadata'), 'name') as Node | undefined)) ?? null;
      const spec = child(root, 'spec');
      const defaults = asObject(plainJson(child(spec, 'defaults') as Node | undefined)) ?? {};
      asSeq(child(spec, 'tests'))?.items.forEach((item, index) => {
        const entry = asObject(plainJson(item as Node)) ?? {};
        const range = toFileRange(document.slice, firstLineRange(yaml, item as Node));
        cases.push({ uri: file.uri, suite, index, range, ...testCase(entry, defaults, index) });
      });
    }
  }
  return cases;
}

function testCase(entry: JsonObject, defaults: JsonObject, index: number): Pick<RoutingTestCase, 'name' | 'request' | 'expect' | 'invalid'> {
  const name = jsonText(entry.name) ?? `test ${index + 1}`;
  const expect = asObject(entry.expect) ?? {};
  const invalid: string[] = [];
  const given = asObject(entry.request) ?? {};
  const merged: JsonObject = { ...defaults, ...given };
  for (const field of mapFields) merged[field] = { ...(asObject(defaults[field]) ?? {}), ...(asObject(given[field]) ?? {}) };
  const request: Partial<TraceRequest> = {};
  for (const field of requestFields) {
    const value = merged[field];
    if (value === undefined || value === null) continue;
    if (field === 'port') {
      const port = jsonInteger(value);
      if (port === undefined) invalid.push(`request.port is not a port number: ${JSON.stringify(value)}`);
      else request.port = port;
    } else {
      const text = jsonText(value);
      if (text !== undefined) request[field] = text;
    }
  }
  const strings = (value: unknown): Record<string, string> => Object.fromEntries(Object.entries(asObject(value) ?? {}).flatMap(([key, item]) => (jsonText(item) !== undefined ? [[key, jsonText(item) as string]] : [])));
  request.headers = strings(merged.headers);
  request.query = strings(merged.query);
  if (Object.keys(asObject(merged.sourceLabels) ?? {}).length > 0) request.sourceLabels = strings(merged.sourceLabels);
  const version = jsonText(defaults.istioVersion);
  if (version !== undefined) {
    const release = parseIstioRelease(version);
    if (release) request.release = release;
    else invalid.push(`defaults.istioVersion "${version}" is not an Istio release such as 1.28`);
  }
  if (!request.host) invalid.push('the request has no host');
  if (Object.keys(expect).length === 0) invalid.push('the test expects nothing');
  return { name, expect, invalid, ...(request.host ? { request: request as TraceRequest } : {}) };
}

/** Runs the tests of the given files against every VirtualService of the workspace. */
export function runRoutingTests(context: FeatureContext, uris?: readonly string[]): RoutingTestResult[] {
  return routingTestCases(context, uris).map((test) => runRoutingTest(context, test));
}

export function runRoutingTest(context: FeatureContext, test: RoutingTestCase): RoutingTestResult {
  if (test.invalid.length > 0 || !test.request) {
    return { test, passed: false, mismatches: test.invalid.map((reason) => ({ field: 'test', expected: 'a runnable test', actual: reason })) };
  }
  const actual = traceRequest(context, test.request);
  const namespace = test.request.namespace ?? context.settings.defaultNamespace;
  const mismatches = compare(test.expect, actual, (host) => resolveHost(host, namespace, context.settings.clusterDomain));
  if (actual.undecided.length > 0) {
    mismatches.push({
      field: 'request',
      expected: 'a request whose rule is known',
      actual: actual.undecided.map((entry) => `${entry.virtualService} http[${entry.httpIndex}] match ${entry.matchIndex} might take it first: ${inTestTerms(entry.reason)}`).join('; '),
    });
  }
  return { test, passed: mismatches.length === 0, mismatches, actual };
}

/** The trace names the CLI options that would decide; a test sets the request's fields. */
function inTestTerms(reason: string): string {
  return reason.replace('(give --port)', '(set request.port)').replace('(give --source-labels)', '(set request.sourceLabels)').replace('(give --source-namespace)', '(set request.sourceNamespace)');
}

function compare(expect: JsonObject, actual: TraceResult, fqdn: (host: string) => string): RoutingTestMismatch[] {
  const out: RoutingTestMismatch[] = [];
  const shown = (value: unknown): string => (value === null ? 'none' : typeof value === 'string' ? value : JSON.stringify(value));
  if ('virtualService' in expect) {
    const wanted = expect.virtualService === null ? null : jsonText(expect.virtualService);
    const same = wanted === null ? actual.virtualService === null : actual.virtualService !== null && (wanted?.includes('/') ? actual.virtualService === wanted : actual.virtualService.split('/')[1] === wanted);
    if (!same) out.push({ field: 'virtualService', expected: shown(wanted ?? null), actual: shown(actual.virtualService) });
  }
  if ('httpIndex' in expect && (expect.httpIndex === null ? null : jsonInteger(expect.httpIndex)) !== actual.httpIndex) {
    out.push({ field: 'httpIndex', expected: shown(expect.httpIndex), actual: shown(actual.httpIndex) });
  }
  if ('name' in expect && (expect.name === null ? null : jsonText(expect.name)) !== actual.name) {
    out.push({ field: 'name', expected: shown(expect.name), actual: shown(actual.name) });
  }
  for (const field of ['destinations', 'mirrors'] as const) {
    if (!(field in expect)) continue;
    const wanted = asArray(expect[field]).map((entry) => asObject(entry) ?? {});
    // A mirror's share is exact (Envoy's steps of 0.0001 %); a destination's share is a
    // normalised weight, compared to two decimals (33.33 for one of three equal weights).
    const tolerance = field === 'mirrors' ? 1e-7 : 0.005;
    if (!sameTargets(wanted, actual[field], fqdn, tolerance)) {
      out.push({ field, expected: wanted.length === 0 ? 'none' : wanted.map(expectedTargetText).join(', '), actual: actual[field].length === 0 ? 'none' : actual[field].map((target) => targetText(target, field === 'mirrors')).join(', ') });
    }
  }
  for (const field of ['redirect', 'directResponse'] as const) {
    if (!(field in expect)) continue;
    const wanted = expect[field] === null ? null : (asObject(expect[field]) ?? {});
    const got = actual[field] as unknown as JsonObject | null;
    const same = wanted === null ? got === null : got !== null && Object.entries(wanted).every(([key, value]) => got[key] === value);
    if (!same) out.push({ field, expected: shown(wanted), actual: shown(got) });
  }
  return out;
}

function sameTargets(wanted: JsonObject[], actual: readonly TraceTarget[], fqdn: (host: string) => string, tolerance: number): boolean {
  if (wanted.length !== actual.length) return false;
  const left = [...actual];
  for (const expectation of wanted) {
    const index = left.findIndex((target) => targetMatches(expectation, target, fqdn, tolerance));
    if (index === -1) return false;
    left.splice(index, 1);
  }
  return true;
}

function targetMatches(expectation: JsonObject, target: TraceTarget, fqdn: (host: string) => string, tolerance: number): boolean {
  const host = jsonText(expectation.host);
  if (host === undefined || fqdn(host) !== target.host) return false;
  if ('subset' in expectation && (expectation.subset === null ? null : jsonText(expectation.subset)) !== target.subset) return false;
  if ('port' in expectation && jsonInteger(expectation.port) !== target.port) return false;
  if ('percent' in expectation) {
    const percent = typeof expectation.percent === 'number' ? expectation.percent : Number.NaN;
    if (!(Math.abs(percent - target.percent) <= tolerance)) return false;
  }
  return true;
}

function expectedTargetText(expectation: JsonObject): string {
  const parts = [`${jsonText(expectation.host) ?? '?'}${expectation.port !== undefined ? `:${String(expectation.port)}` : ''}`];
  if ('subset' in expectation) parts.push(expectation.subset === null ? 'no subset' : `subset ${String(expectation.subset)}`);
  if ('percent' in expectation) parts.push(`${String(expectation.percent)} %`);
  return parts.join(' ');
}

export function targetText(target: TraceTarget, mirror: boolean): string {
  const where = `${target.host}${target.port !== null ? `:${target.port}` : ''}${target.subset !== null ? ` subset ${target.subset}` : ''}`;
  return `${where} ${mirror ? exactPercentText(target.percent) : formatPercent(target.percent)}`;
}

/** `GET reviews/path  headers end-user=jason  via NS/GATEWAY`: the request in one line. */
export function requestText(request: TraceRequest): string {
  const parts = [`${(request.method ?? 'GET').toUpperCase()} ${request.host}${request.port !== undefined && !request.host.includes(':') ? `:${request.port}` : ''}${request.path ?? '/'}`];
  const pairs = (map: Record<string, string> | undefined): string => Object.entries(map ?? {}).map(([key, value]) => `${key}=${value}`).join(' ');
  if (Object.keys(request.headers ?? {}).length > 0) parts.push(`headers ${pairs(request.headers)}`);
  if (Object.keys(request.query ?? {}).length > 0) parts.push(`query ${pairs(request.query)}`);
  if (request.gateway && request.gateway !== 'mesh') parts.push(`via ${request.gateway}`);
  if (request.sourceLabels) parts.push(`from pods ${pairs(request.sourceLabels)}`);
  if (request.sourceNamespace) parts.push(`from namespace ${request.sourceNamespace}`);
  return parts.join('  ');
}

/** `VirtualService demo/reviews http[0] "jason"`, or `no VirtualService`. */
export function ruleText(actual: TraceResult): string {
  if (actual.virtualService === null) return 'no VirtualService';
  return `VirtualService ${actual.virtualService} http[${actual.httpIndex}]${actual.name !== null ? ` "${actual.name}"` : ''}`;
}
