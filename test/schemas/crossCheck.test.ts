// Cross-checks the hand-written schemas in schemas/ against the upstream CRD schemas kept in
// ../shared/peer-schemas (JSON Schema converted from istio/api's CRDs), and runs a few small
// documents through the compiled validators.
//
// Run alone with: node --import tsx --test test/schemas/crossCheck.test.ts

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const repoRoot = resolve(__dirname, '..', '..');
const schemaDir = join(repoRoot, 'schemas');
const peerDir = resolve(repoRoot, '..', 'shared', 'peer-schemas');

type SchemaObject = { [keyword: string]: unknown };
type Schema = SchemaObject | boolean;

const annotationKeywords = ['x-since', 'x-deprecated', 'x-oneOf'];
const combinators = ['allOf', 'oneOf', 'anyOf'] as const;

function readJson(path: string): SchemaObject {
  return JSON.parse(readFileSync(path, 'utf8')) as SchemaObject;
}

const ours = {
  common: readJson(join(schemaDir, 'common.schema.json')),
  virtualService: readJson(join(schemaDir, 'virtualService.schema.json')),
  destinationRule: readJson(join(schemaDir, 'destinationRule.schema.json')),
};

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileValidators(): { virtualService: ValidateFunction; destinationRule: ValidateFunction } {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addVocabulary(annotationKeywords);
  ajv.addSchema(ours.common);
  return { virtualService: ajv.compile(ours.virtualService), destinationRule: ajv.compile(ours.destinationRule) };
}

/** Looks schemas up by `$id` and resolves `$ref`s (relative or local) against the referring document. */
class SchemaStore {
  private readonly documents = new Map<string, SchemaObject>();

  constructor(schemas: SchemaObject[], private readonly fallbackBase = 'file:///anonymous.json') {
    for (const schema of schemas) {
      const id = typeof schema.$id === 'string' ? schema.$id : fallbackBase;
      this.documents.set(id, schema);
    }
  }

  baseOf(schema: SchemaObject): string {
    return typeof schema.$id === 'string' ? schema.$id : this.fallbackBase;
  }

  resolve(ref: string, base: string): { schema: Schema; base: string } {
    const url = new URL(ref, base);
    const pointer = decodeURIComponent(url.hash.replace(/^#/, ''));
    url.hash = '';
    const documentId = url.toString();
    const document = this.documents.get(documentId);
    assert.ok(document, `$ref ${ref} (from ${base}) points at an unknown document ${documentId}`);
    let current: unknown = document;
    for (const raw of pointer.split('/').filter((part) => part.length > 0)) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      assert.ok(isObject(current) || Array.isArray(current), `$ref ${ref} (from ${base}) does not resolve`);
      current = (current as Record<string, unknown>)[part];
    }
    assert.ok(isObject(current) || typeof current === 'boolean', `$ref ${ref} (from ${base}) does not resolve to a schema`);
    return { schema: current, base: documentId };
  }
}

/**
 * Every property path reachable from `schema`: `a.b` for properties, `[]` for array items,
 * `{}` for map values. `$ref`s are followed and `allOf`/`oneOf`/`anyOf` branches are merged
 * into the path of the object they belong to.
 */
function propertyPaths(store: SchemaStore, schema: Schema, base: string, prefix: string): Set<string> {
  const paths = new Set<string>();
  const onStack = new Set<SchemaObject>();
  const extend = (path: string, step: string): string => (step.startsWith('[') || step.startsWith('{') ? `${path}${step}` : `${path}.${step}`);

  const visit = (node: Schema, nodeBase: string, path: string): void => {
    if (!isObject(node) || onStack.has(node)) return;
    onStack.add(node);
    if (typeof node.$ref === 'string') {
      const target = store.resolve(node.$ref, nodeBase);
      visit(target.schema, target.base, path);
    }
    if (isObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) {
        const childPath = extend(path, key);
        paths.add(childPath);
        visit(child as Schema, nodeBase, childPath);
      }
    }
    if (isObject(node.items)) {
      const childPath = extend(path, '[]');
      paths.add(childPath);
      visit(node.items, nodeBase, childPath);
    }
    if (isObject(node.additionalProperties)) {
      const childPath = extend(path, '{}');
      paths.add(childPath);
      visit(node.additionalProperties, nodeBase, childPath);
    }
    for (const keyword of combinators) {
      const branches = node[keyword];
      if (Array.isArray(branches)) for (const branch of branches) visit(branch as Schema, nodeBase, path);
    }
    onStack.delete(node);
  };

  visit(schema, base, prefix);
  return paths;
}

function specSchema(store: SchemaStore, manifest: SchemaObject): { schema: Schema; base: string } {
  const properties = manifest.properties;
  assert.ok(isObject(properties) && isObject(properties.spec), 'manifest schema has no properties.spec');
  const spec = properties.spec;
  const base = store.baseOf(manifest);
  return typeof spec.$ref === 'string' ? store.resolve(spec.$ref, base) : { schema: spec, base };
}

test('schemas compile with Ajv in strict mode', () => {
  const validators = compileValidators();
  assert.equal(typeof validators.virtualService, 'function');
  assert.equal(typeof validators.destinationRule, 'function');
});

describe('every field of the upstream CRD schema exists in ours', () => {
  const peerFiles = {
    VirtualService: join(peerDir, 'networking.istio.io', 'virtualservice_v1.json'),
    DestinationRule: join(peerDir, 'networking.istio.io', 'destinationrule_v1.json'),
  };
  const ourStore = new SchemaStore([ours.common, ours.virtualService, ours.destinationRule]);
  const ourManifests = { VirtualService: ours.virtualService, DestinationRule: ours.destinationRule };

  for (const kind of ['VirtualService', 'DestinationRule'] as const) {
    test(kind, (t) => {
      if (!existsSync(peerFiles[kind])) {
        t.skip(`peer schemas not found at ${peerDir}; nothing to cross-check against`);
        return;
      }
      const peer = readJson(peerFiles[kind]);
      const peerStore = new SchemaStore([peer], `file://${peerFiles[kind]}`);
      const peerSpec = specSchema(peerStore, peer);
      const upstream = propertyPaths(peerStore, peerSpec.schema, peerSpec.base, 'spec');
      const ourSpec = specSchema(ourStore, ourManifests[kind]);
      const mine = propertyPaths(ourStore, ourSpec.schema, ourSpec.base, 'spec');

      const missing = [...upstream].filter((path) => !mine.has(path)).sort();
      const extra = [...mine].filter((path) => !upstream.has(path)).sort();
      t.diagnostic(`${kind}: compared ${upstream.size} upstream property paths (ours has ${mine.size})`);
      if (extra.length > 0) t.diagnostic(`${kind}: paths only in our schema: ${extra.join(', ')}`);
      assert.ok(upstream.size > 0, 'no upstream paths found: the peer schema layout has changed');
      assert.deepEqual(missing, [], `${missing.length} upstream path(s) missing from our ${kind} schema:\n  ${missing.join('\n  ')}`);
    });
  }
});

describe('schema conventions', () => {
  /** Calls `check` for every property schema under `spec` (and in definitions), with a readable location. */
  const eachProperty = (check: (location: string, property: SchemaObject, owner: SchemaObject) => void): void => {
    const visit = (node: unknown, location: string, inBranch: boolean): void => {
      if (!isObject(node)) return;
      if (isObject(node.properties)) {
        for (const [key, child] of Object.entries(node.properties)) {
          // oneOf/allOf branches carry `{}` stubs for Ajv's strictRequired; they are not fields.
          if (!inBranch && isObject(child)) check(`${location}.${key}`, child, node);
          visit(child, `${location}.${key}`, false);
        }
      }
      if (isObject(node.items)) visit(node.items, `${location}[]`, false);
      if (isObject(node.additionalProperties)) visit(node.additionalProperties, `${location}{}`, false);
      for (const keyword of [...combinators, 'not'] as const) {
        const branches = node[keyword];
        if (Array.isArray(branches)) branches.forEach((branch, index) => visit(branch, `${location}/${keyword}/${index}`, true));
        else if (isObject(branches)) visit(branches, `${location}/${keyword}`, true);
      }
    };
    for (const [file, schema] of Object.entries(ours)) {
      const properties = schema.properties;
      if (isObject(properties) && isObject(properties.spec)) visit(properties.spec, `${file}:spec`, false);
      if (isObject(schema.definitions)) {
        for (const [name, definition] of Object.entries(schema.definitions)) visit(definition, `${file}:#/definitions/${name}`, false);
      }
    }
  };

  test('every field has a description', () => {
    const undocumented: string[] = [];
    eachProperty((location, property) => {
      if (typeof property.description !== 'string' || property.description.trim() === '') undocumented.push(location);
    });
    assert.deepEqual(undocumented, []);
  });

  test('every object with named fields rejects unknown fields', () => {
    const open: string[] = [];
    const visit = (node: unknown, location: string): void => {
      if (!isObject(node)) return;
      if (isObject(node.properties) && location.length > 0 && node.additionalProperties !== false) open.push(location);
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && isObject(value)) {
          for (const [name, child] of Object.entries(value)) visit(child, `${location}.${name}`);
        } else if (key !== 'not' && !combinators.includes(key as (typeof combinators)[number]) && (isObject(value) || Array.isArray(value))) {
          visit(value, `${location}/${key}`);
        }
      }
    };
    for (const [file, schema] of Object.entries(ours)) {
      const properties = schema.properties;
      if (isObject(properties) && isObject(properties.spec)) visit(properties.spec, `${file}:spec`);
      if (isObject(schema.definitions)) visit(schema.definitions, `${file}:#/definitions`);
    }
    assert.deepEqual(open, []);
  });
});

describe('sample documents', () => {
  const validators = compileValidators();

  const errorsOf = (validate: ValidateFunction, yamlText: string): ErrorObject[] => {
    const valid = validate(parse(yamlText));
    const errors = validate.errors ?? [];
    assert.equal(valid, errors.length === 0);
    return errors;
  };
  const describeErrors = (errors: ErrorObject[]): string =>
    errors.map((error) => `${error.instancePath || '/'} ${error.keyword}: ${error.message ?? ''}`).join('\n');

  const mirrorVirtualService = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
  - reviews
  http:
  - name: primary
    match:
    - uri:
        prefix: /api
      headers:
        x-canary:
          exact: "true"
    route:
    - destination:
        host: reviews
        subset: v1
        port:
          number: 9080
      weight: 100
    mirror:
      host: reviews
      subset: v2
    mirrorPercentage:
      value: 10
    timeout: 1.5s
    retries:
      attempts: 3
      perTryTimeout: 500ms
      retryOn: 5xx,connect-failure
`;

  test('a VirtualService with mirror and mirrorPercentage is valid', () => {
    const errors = errorsOf(validators.virtualService, mirrorVirtualService);
    assert.deepEqual(errors, [], describeErrors(errors));
  });

  test('a misspelt mirrorPercentage is an unknown field of the HTTP route', () => {
    const errors = errorsOf(validators.virtualService, mirrorVirtualService.replace('mirrorPercentage:', 'mirrorPercantage:'));
    const unknown = errors.filter((error) => error.keyword === 'additionalProperties');
    assert.equal(unknown.length, 1, describeErrors(errors));
    assert.equal(unknown[0].instancePath, '/spec/http/0');
    assert.deepEqual(unknown[0].params, { additionalProperty: 'mirrorPercantage' });
  });

  test('a StringMatch with both exact and prefix fails the oneOf', () => {
    const errors = errorsOf(validators.virtualService, mirrorVirtualService.replace('prefix: /api', 'prefix: /api\n        exact: /api/v1'));
    const oneOf = errors.filter((error) => error.keyword === 'oneOf');
    assert.equal(oneOf.length, 1, describeErrors(errors));
    assert.equal(oneOf[0].instancePath, '/spec/http/0/match/0/uri');
  });

  test('a StringMatch with a boolean exact fails the type', () => {
    const errors = errorsOf(validators.virtualService, mirrorVirtualService.replace('exact: "true"', 'exact: true'));
    const typed = errors.filter((error) => error.keyword === 'type');
    assert.equal(typed.length, 1, describeErrors(errors));
    assert.equal(typed[0].instancePath, '/spec/http/0/match/0/headers/x-canary/exact');
    assert.deepEqual(typed[0].params, { type: 'string' });
  });

  test('durations follow Go syntax', () => {
    for (const good of ['1.5s', '1m30s', '250ms', '0', '2h', '100us']) {
      const errors = errorsOf(validators.virtualService, mirrorVirtualService.replace('timeout: 1.5s', `timeout: "${good}"`));
      assert.deepEqual(errors, [], `${good}: ${describeErrors(errors)}`);
    }
    for (const bad of ['10', '1d', '1.5 s', '-1s', 'PT1S']) {
      const errors = errorsOf(validators.virtualService, mirrorVirtualService.replace('timeout: 1.5s', `timeout: "${bad}"`));
      assert.ok(errors.some((error) => error.keyword === 'pattern' && error.instancePath === '/spec/http/0/timeout'), `${bad}: ${describeErrors(errors)}`);
    }
  });

  const destinationRule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews.default.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      consistentHash:
        httpCookie:
          name: session
          ttl: 0s
        ringHash:
          minimumRingSize: 2048
    connectionPool:
      tcp:
        maxConnections: 100
        connectTimeout: 30ms
      http:
        h2UpgradePolicy: UPGRADE
    outlierDetection:
      consecutive5xxErrors: 7
      interval: 5m
      baseEjectionTime: 15m
    portLevelSettings:
    - port:
        number: 9080
      tls:
        mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
    trafficPolicy:
      loadBalancer:
        simple: ROUND_ROBIN
`;

  test('a DestinationRule with subsets and a traffic policy is valid', () => {
    const errors = errorsOf(validators.destinationRule, destinationRule);
    assert.deepEqual(errors, [], describeErrors(errors));
  });

  test('a DestinationRule subset without a name fails required', () => {
    const errors = errorsOf(validators.destinationRule, destinationRule.replace('  - name: v1\n    labels:', '  - labels:'));
    const required = errors.filter((error) => error.keyword === 'required');
    assert.equal(required.length, 1, describeErrors(errors));
    assert.equal(required[0].instancePath, '/spec/subsets/0');
    assert.deepEqual(required[0].params, { missingProperty: 'name' });
  });

  test('two consistent-hash keys fail the oneOf of the hash-key group', () => {
    const errors = errorsOf(validators.destinationRule, destinationRule.replace('        httpCookie:', '        useSourceIp: true\n        httpCookie:'));
    const oneOf = errors.filter((error) => error.keyword === 'oneOf');
    assert.equal(oneOf.length, 1, describeErrors(errors));
    assert.equal(oneOf[0].instancePath, '/spec/trafficPolicy/loadBalancer/consistentHash');
  });

  test('an unknown enum value and an out-of-range port are rejected', () => {
    const errors = errorsOf(
      validators.destinationRule,
      destinationRule.replace('h2UpgradePolicy: UPGRADE', 'h2UpgradePolicy: UPGRADED').replace('number: 9080', 'number: 70000'),
    );
    assert.ok(errors.some((error) => error.keyword === 'enum' && error.instancePath === '/spec/trafficPolicy/connectionPool/http/h2UpgradePolicy'), describeErrors(errors));
    assert.ok(errors.some((error) => error.keyword === 'maximum' && error.instancePath === '/spec/trafficPolicy/portLevelSettings/0/port/number'), describeErrors(errors));
  });
});
