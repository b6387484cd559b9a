// The block composer (server/src/service/parse/blockComposer.ts) against `yaml`'s parser:
// wherever it builds a tree, the tree must be the one `yaml` builds (node kinds, all three range
// offsets, values, scalar types and sources), its plain data must be `toJS()`'s, `yaml` must
// find no error in the document, and the analysis must come out the same. Inputs: the corpus
// when present, examples/, the test fixtures, the benchmark's generated files, grammar-aware
// mutations of all of them, and random block documents with the constructs on both sides of
// the composer's boundary.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { composeBlockDocument, composedData } from '../../server/src/service/parse/blockComposer';
import { splitDocuments } from '../../server/src/service/parse/documentSlices';
import { parseYamlDocument } from '../../server/src/service/parse/yamlDocument';
import { analyzeDocument, analyzeParsed } from '../../server/src/service/documentAnalysis';
import { generateFile } from '../../scripts/bench/generate';
import { FuzzRandom } from '../helpers/fuzzFragments';
import { loadSeeds, mutate } from '../helpers/grammarMutations';

/** The first difference between two `yaml` trees, or undefined when they are the same. */
function treeDifference(ours: unknown, theirs: unknown, path = '$'): string | undefined {
  if (ours === null || theirs === null || ours === undefined || theirs === undefined) {
    return ours === theirs || (ours ?? null) === (theirs ?? null) ? undefined : `${path}: ${String(ours)} vs ${String(theirs)}`;
  }
  const kind = (node: unknown): string => (isMap(node) ? 'map' : isSeq(node) ? 'seq' : isScalar(node) ? 'scalar' : isPair(node) ? 'pair' : 'other');
  if (kind(ours) !== kind(theirs)) return `${path}: ${kind(ours)} vs ${kind(theirs)}`;
  if (isPair(ours) && isPair(theirs)) return treeDifference(ours.key, theirs.key, `${path}.key`) ?? treeDifference(ours.value, theirs.value, `${path}.value`);
  const a = ours as Record<string, unknown> & { range?: number[] };
  const b = theirs as Record<string, unknown> & { range?: number[] };
  if (String(a.range) !== String(b.range)) return `${path}: range [${String(a.range)}] vs [${String(b.range)}]`;
  for (const property of ['tag', 'anchor', 'flow', 'type', 'source']) {
    if (a[property] !== b[property]) return `${path}: ${property} ${String(a[property])} vs ${String(b[property])}`;
  }
  if (isScalar(ours) && isScalar(theirs)) return Object.is(ours.value, theirs.value) ? undefined : `${path}: value ${String(ours.value)} vs ${String(theirs.value)}`;
  const itemsA = (ours as { items: unknown[] }).items;
  const itemsB = (theirs as { items: unknown[] }).items;
  if (itemsA.length !== itemsB.length) return `${path}: ${itemsA.length} vs ${itemsB.length} items`;
  for (let i = 0; i < itemsA.length; i++) {
    const difference = treeDifference(itemsA[i], itemsB[i], `${path}[${i}]`);
    if (difference) return difference;
  }
  return undefined;
}

interface Outcome { documents: number; composed: number; problems: string[] }

/** Composes every document of `texts` both ways; a problem for each document where they differ. */
function compareAll(texts: readonly { name: string; text: string }[]): Outcome {
  const outcome: Outcome = { documents: 0, composed: 0, problems: [] };
  const context = { defaultNamespace: 'default', clusterDomain: 'cluster.local' };
  for (const { name, text } of texts) {
    for (const slice of splitDocuments(text)) {
      outcome.documents += 1;
      const ours = composeBlockDocument(slice.text);
      if (!ours) continue;
      outcome.composed += 1;
      const where = `${name}:${slice.startLine + 1}`;
      const theirs = parseDocument(slice.text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, merge: true });
      if (theirs.errors.length > 0) {
        outcome.problems.push(`${where}: composed, but yaml reports ${theirs.errors[0].code}`);
        continue;
      }
      const difference = treeDifference(ours.contents, theirs.contents);
      if (difference) {
        outcome.problems.push(`${where}: ${difference}`);
        continue;
      }
      try {
        assert.deepStrictEqual(composedData(ours.contents), theirs.toJS());
      } catch {
        outcome.problems.push(`${where}: the data differs from toJS()`);
        continue;
      }
      const quick = analyzeParsed(parseYamlDocument(slice.text, { blockComposer: true }), context);
      const full = analyzeParsed(parseYamlDocument(slice.text), context);
      try {
        assert.deepEqual(quick, full);
      } catch {
        outcome.problems.push(`${where}: the analysis differs`);
      }
    }
  }
  return outcome;
}

const seeds = loadSeeds(true);

test('the composer builds the tree yaml builds, for every real document it takes', () => {
  const generated = [100, 1000].map((size) => ({ name: `bench-${size}`, text: generateFile({ resources: size, errors: 20, seed: 20261126 + size }).text }));
  const outcome = compareAll([...seeds, ...generated]);
  console.log(`block composer: ${outcome.composed} of ${outcome.documents} documents composed without yaml's parser; ${outcome.problems.length} differences`);
  assert.deepEqual(outcome.problems.slice(0, 10), []);
  // Not vacuous: the generated files are plain block YAML throughout, and so are most real ones.
  const benchOnly = compareAll(generated);
  assert.equal(benchOnly.composed, benchOnly.documents);
  assert.ok(outcome.composed > outcome.documents / 2, `${outcome.composed} of ${outcome.documents}`);
});

test('the composer agrees with yaml on grammar-aware mutations of real files', () => {
  const rng = new FuzzRandom(20261203);
  const texts: { name: string; text: string }[] = [];
  for (let i = 0; i < 1500; i++) {
    const seed = rng.pick(seeds);
    const mutated = mutate({ rng, others: [rng.pick(seeds).text] }, seed.text);
    if (mutated) texts.push({ name: `${seed.name} (${mutated.what})`, text: mutated.text });
  }
  const outcome = compareAll(texts);
  console.log(`mutations: ${outcome.composed} of ${outcome.documents} documents composed; ${outcome.problems.length} differences`);
  assert.deepEqual(outcome.problems.slice(0, 10), []);
  assert.ok(outcome.composed > 1000);
});

/** A random block document, with constructs on both sides of the composer's boundary. */
function randomDocument(rng: FuzzRandom): string {
  // Values and keys the composer takes, then ones it must leave to yaml (drawn one time in ten).
  const scalars = ['v1', 'reviews', '80', '-3', '0x1F', '0o17', '1.5', '.5', '1e3', '+.inf', '.NaN', 'true', 'False', 'null', '~', '', "'it''s'", '"quoted"', "''", '""',
    'a b  c', 'a:b', 'a,b', 'a]b', '/api/[a-z]+', '-x', 'x#y', "don't", 'ünï', 'x #c', 'x  # c', '007', '1_000', '0b1', 'yes', '1.', '-.5e-3'];
  const oddScalars = ['?x', ':x', '"esc\\n"', '&anchor v', '*alias', '!tag v', '[a, b]', '{a: 1}', '|', '>-', '@x', '`x', '%x', 'a: b', '- x', '? x', '"open', "'open", '"a"b', "'a' b"];
  const keys = ['name', 'host', 'spec', 'a b', '80', 'true', '"quoted key"', "'single'", '-dash', 'key  ', 'ünï', '1.5', '0x1F', '1.50', '+1', '007', '.inf', 'TRUE'];
  const oddKeys = ['<<', '? complex', 'null', '~', 'x:y', 'k#x', '"a" ', '[a]', '&a k', '!t k', '"a\\"b"'];
  // One-line flow collections: the composer takes those of scalars, the parser the rest.
  const flows = ['[a, "b" , 3 ]', '[]', '[ ]', '{}', '{ k: v }', '{a: , b}', '[a: 1]', '[x,]', '[a b, c]', '{k:v}', '[a, [b]]', `["a",'b']`, '{"q": 2 ,z: ~}',
    '[a] # c', '[a]x', '[a', '[1, 2]  ', '{a: 1, a: 2}', '[-1, .5, ~, 0x1F]', '[a#b]', '[a #b]', '[,]', '[a,,b]', '{a: b: c}', '{? a}', '[&x a]', '[*x]', '[!t a]', '["a\\"b"]', "['it''s']", '[a:b]', '[http://x]', '{ "k" : v}'];
  const scalar = (): string => (rng.chance(0.15) ? rng.pick(flows) : rng.chance(0.1) ? rng.pick(oddScalars) : rng.pick(scalars));
  const key = (): string => (rng.chance(0.1) ? rng.pick(oddKeys) : rng.pick(keys));
  const lines: string[] = [];
  if (rng.chance(0.2)) lines.push(rng.pick(['---', '--- # start', '# header comment', '%YAML 1.2\n---', '--- x']));
  const block = (indent: number, depth: number, inSequence: boolean): void => {
    const pad = ' '.repeat(indent);
    const count = 1 + Math.floor(rng.next() * 4);
    const sequence = rng.chance(0.35);
    for (let i = 0; i < count; i++) {
      const prefix = sequence ? `${pad}- ` : `${pad}${key()}:`;
      const nested = depth < 4 && rng.chance(0.4);
      if (nested) {
        const compact = sequence && rng.chance(0.5);
        if (compact) {
          lines.push(`${prefix}${key()}: ${scalar()}`);
          if (rng.chance(0.6)) block(indent + 2, depth + 1, false);
        } else {
          lines.push(sequence ? `${pad}-` : prefix + (rng.chance(0.1) ? ' # note' : rng.chance(0.1) ? '   ' : ''));
          block(indent + (sequence || rng.chance(0.7) ? 2 : 0), depth + 1, !sequence);
        }
      } else {
        const value = scalar();
        lines.push(sequence ? `${prefix}${value}` : `${prefix}${value === '' ? '' : ' '}${value}${rng.chance(0.1) ? '  # trailing' : ''}`);
      }
      if (rng.chance(0.08)) lines.push('');
      if (rng.chance(0.12)) lines.push(`${' '.repeat(Math.floor(rng.next() * 7))}# comment`);
      if (rng.chance(0.02)) lines.push(`${pad}  continued`);
    }
    void inSequence;
  };
  block(rng.chance(0.1) ? 2 : 0, 0, false);
  let text = lines.join(rng.chance(0.15) ? '\r\n' : '\n');
  if (rng.chance(0.7)) text += '\n';
  if (rng.chance(0.05)) text = text.replace(' ', '\t');
  return text;
}

test('the composer agrees with yaml on random block documents', () => {
  const rng = new FuzzRandom(7);
  const texts = Array.from({ length: 20000 }, (_, i) => ({ name: `random-${i}`, text: randomDocument(rng) }));
  const outcome = compareAll(texts);
  console.log(`random documents: ${outcome.composed} of ${outcome.documents} composed; ${outcome.problems.length} differences`);
  assert.deepEqual(outcome.problems.slice(0, 10), []);
  assert.ok(outcome.composed > 4000, `${outcome.composed} composed`);
});

test('deeply nested block documents are left to the parser and its nesting limit', () => {
  const nested = (levels: number): string => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';
  assert.ok(composeBlockDocument(nested(40)), 'a 40-level document is composed');
  assert.equal(composeBlockDocument(nested(65)), undefined);
  const virtualService = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: deep\nspec:\n${nested(300).replace(/^/gm, '  ')}`;
  const analysis = analyzeDocument(virtualService, { defaultNamespace: 'default', clusterDomain: 'cluster.local' });
  assert.deepEqual(analysis.problems.map((problem) => problem.code), ['IM0003']);
});
