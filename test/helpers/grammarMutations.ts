// The grammar-aware fuzzer (issue 12, "Long runs"): mutations that work on the YAML structure
// of real Istio YAML instead of on characters, and a FuzzSession that sends them to the real
// server process as small edits, asks every kind of request in between (also between the
// keystrokes of an edit), applies the quick fixes the server offers and checks what they did.
// Used by scripts/grammarFuzz.ts (the long run) and test/server/grammarFuzz.test.ts.
//
// Seeds: the YAML of examples/ and test/fixtures/, and of ../shared/corpus when present. Each
// document is parsed with `yaml`; a mutation picks a node and changes it where it is written
// (a scalar's or key's source range, a pair's lines), or changes the tree and serialises the
// document again; the new file text is compared with the old one and only the part between
// their common prefix and suffix is sent, as one change or typed character by character.
//
// Mutations: scalars to other types and edge values (empty, huge, negative, 100.0001, NaN,
// unicode, BOM, placeholders), keys renamed to near misses, deleted, duplicated; subtrees moved
// between resources; the mirror / mirrors / mirrorPercentage forms swapped; host and subset
// names changed to near misses; DestinationRules and Services added and removed (in the file
// or as files on disk); flow vs block style; anchors and aliases; comments.
//
// Checks on top of FuzzSession's (answers well formed, no handler exception, no crash or hang,
// incremental diagnostics equal to a fresh server's): a quick fix's edit applies inside its
// document; a file whose YAML parsed before the fix still parses; the diagnostic the fix was
// offered for is gone afterwards.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { answerProblem, FuzzSession, type Change, type FixCheck, type FuzzAction, type FuzzOptions, type FuzzProbe, type FuzzStep, type Pos } from './fuzzDriver';
import { FuzzRandom } from './fuzzFragments';
import { validateServiceName } from '../../server/src/service/util/inputValidation';

const repoRoot = join(__dirname, '..', '..');
export const sharedCorpus = join(repoRoot, '..', 'shared', 'corpus');

// ─── Seeds ───────────────────────────────────────────────────────────────────────────────────

export interface SeedFile { name: string; text: string }

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry) && stat.size <= 20_000) out.push(path);
  }
  return out;
}

/**
 * The seed files: real Istio YAML of the project (examples/, test/fixtures/) and of the shared
 * corpus when `corpus` and it is present. Only files that mention an Istio or Kubernetes kind;
 * fixtures' cursor marks (`$0`) removed.
 */
export function loadSeeds(corpus: boolean): SeedFile[] {
  const roots = [join(repoRoot, 'examples'), join(repoRoot, 'test', 'fixtures')];
  if (corpus) roots.push(sharedCorpus);
  const seeds: SeedFile[] = [];
  for (const root of roots) {
    for (const path of yamlFiles(root)) {
      const text = readFileSync(path, 'utf8').replace(/\$0/g, '');
      if (!/^kind:\s*(VirtualService|DestinationRule|Service|HTTPRoute|ServiceEntry|Gateway|Deployment)\b/m.test(text)) continue;
      seeds.push({ name: relative(root.startsWith(repoRoot) ? repoRoot : join(root, '..'), path), text });
    }
  }
  return seeds;
}

/** A workspace of `count` seed files (the first ones preferring VirtualServices and DestinationRules). */
export function seedWorkspace(rng: FuzzRandom, seeds: readonly SeedFile[], count: number): Record<string, string> {
  const withMirror = seeds.filter((s) => /mirror/.test(s.text) && /kind:\s*VirtualService/.test(s.text));
  const rules = seeds.filter((s) => /kind:\s*DestinationRule/.test(s.text));
  const workspace: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const pool = i < 2 && withMirror.length > 0 ? withMirror : i === 2 && rules.length > 0 ? rules : seeds;
    const seed = rng.pick(pool);
    const base = seed.name.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/\.ya?ml$/, '').slice(-40);
    workspace[`${i < 4 ? '' : 'more/'}s${i}-${base}.yaml`] = seed.text;
  }
  return workspace;
}

// ─── Where the documents of a file are ──────────────────────────────────────────────────────

interface Slice { start: number; end: number; text: string }

/** The documents of a file by line scan (a `---` line starts a new one), as documentSlices.ts does. */
export function slices(text: string): Slice[] {
  const out: Slice[] = [];
  const marker = /^---(?=[ \t\r\n]|$)[^\n]*\n?/gm;
  let start = 0;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    if (match.index > start || out.length === 0) out.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
    if (match[0].length === 0) marker.lastIndex += 1;
  }
  out.push({ start, end: text.length, text: text.slice(start) });
  return out.filter((s) => s.text.trim() !== '' || out.length === 1);
}

/** Whether every YAML document of a text parses without error. */
export function parsesCleanly(text: string): boolean {
  try {
    return parseAllDocuments(text).every((doc) => 'errors' in doc && doc.errors.length === 0);
  } catch {
    return false;
  }
}

interface Parsed { slice: Slice; doc: Document.Parsed }

function parseSlice(slice: Slice): Parsed | undefined {
  if (slice.text.length > 30_000 || /\{\{/.test(slice.text)) return undefined;
  try {
    const doc = parseDocument(slice.text, { uniqueKeys: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
    return { slice, doc };
  } catch {
    return undefined;
  }
}

interface Found { node: Node; pair?: Pair; parent?: Node; keyName?: string; depth: number }

/** Every node of a document with its pair (when it is a pair's key or value) and parent collection. */
function nodesOf(doc: Document.Parsed): Found[] {
  const out: Found[] = [];
  const walk = (node: unknown, parent: Node | undefined, pair: Pair | undefined, keyName: string | undefined, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 60) return;
    if (isPair(node)) return;
    const n = node as Node;
    out.push({ node: n, parent, pair, keyName, depth });
    if (isMap(n)) {
      for (const item of n.items) {
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        if (item.key && isScalar(item.key)) out.push({ node: item.key, parent: n, pair: item, keyName: undefined, depth: depth + 1 });
        walk(item.value, n, item, key, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item, n, undefined, keyName, depth + 1);
    }
  };
  walk(doc.contents, undefined, undefined, undefined, 0);
  return out;
}

const isKey = (found: Found): boolean => !!found.pair && found.pair.key === found.node;

// ─── Material ────────────────────────────────────────────────────────────────────────────────

/** Scalar tokens written in place of a value, as source text. */
export const edgeValues: readonly string[] = [
  '', '""', "''", '0', '-1', '-5', '100.0001', '99.99999999999999999', '1e400', '-1e400', '99999999999999999999',
  '4294967296', '.nan', 'NaN', '"NaN"', '.inf', '-.inf', 'null', '~', 'true', 'false', 'yes', '"25"', '0x1F',
  '1_000', '0o17', '12.5%', '"50%"', 'ü', 'résumé', '名前', '🚀', '"\\uFEFF"', '\uFEFF', '"\\uD800"', '${X}',
  '"${MIRROR_PERCENT}"', '$(VAR)', 'MIRROR_PERCENT', '"{{ .Values.x }}"', '[]', '{}', '[a, b]', '{value: 5}',
  '{host: reviews, subset: v1}', 'x'.repeat(300), '!!str 5', '!!int "5"', '*nowhere', '"a\\nb"', "'it''s'",
  '- x', '1h', '0s', '-1s', '10.5', '25', '100', '150', 'v1', 'reviews', '"*"', '*.local',
];

export const knownKeys: readonly string[] = [
  'mirror', 'mirrors', 'mirrorPercentage', 'mirrorPercent', 'mirror_percent', 'percentage', 'value', 'route',
  'destination', 'host', 'hosts', 'subset', 'subsets', 'name', 'labels', 'weight', 'http', 'match', 'spec',
  'metadata', 'namespace', 'kind', 'apiVersion', 'trafficPolicy', 'gateways', 'exportTo', 'timeout', 'retries',
  'port', 'number', 'headers', 'uri', 'prefix', 'exact', 'tcp', 'tls', 'ports', 'selector', 'backendRefs',
  'filters', 'requestMirror', 'backendRef', 'rules', 'parentRefs',
];

/** A near miss of a name: a typo, case change, snake case, a suffix or prefix, a stray blank. */
export function nearMiss(rng: FuzzRandom, name: string): string {
  const chars = Array.from(name);
  switch (rng.int(11)) {
    case 0: if (chars.length > 1) chars.splice(rng.int(chars.length), 1); return chars.join('');
    case 1: {
      if (chars.length < 2) return `${name}${name}`;
      const i = rng.int(chars.length - 1);
      [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
      return chars.join('');
    }
    case 2: return name.toUpperCase() === name ? name.toLowerCase() : name.charAt(0).toUpperCase() + name.slice(1);
    case 3: return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    case 4: return `${name}${rng.pick(['s', '1', '-', '0', '.', '.demo', '.svc.cluster.local', '-canary', '-v2'])}`;
    case 5: return `${rng.pick(['-', 'x', '*.', 'the-'])}${name}`;
    case 6: return `"${name} "`;
    case 7: return name.replace(/[0-9]+/, (d) => String(Number(d) + 1));
    case 8: return name.split('.')[0];
    case 9: return `${name.split('.')[0]}.${rng.pick(['demo', 'other', 'default', 'istio-system'])}.svc.cluster.local`;
    default: return `${name}\u200b`;
  }
}

const commentTexts: readonly string[] = ['# note', '# ---', '#', '# mirror: {host: x}', '# {{ .Values.x }}', '# 名前 🚀', '#\t', `# ${'c'.repeat(500)}`, '#:', '# - a'];

function destinationRuleText(rng: FuzzRandom, host: string, subsets: readonly string[]): string {
  const ns = rng.pick(['demo', 'default', 'other', '']);
  const lines = ['apiVersion: networking.istio.io/v1', 'kind: DestinationRule', 'metadata:', `  name: ${host.split('.')[0] || 'dr'}`];
  if (ns) lines.push(`  namespace: ${ns}`);
  lines.push('spec:', `  host: ${host}`);
  if (subsets.length > 0) {
    lines.push('  subsets:');
    for (const subset of subsets) lines.push(`  - name: ${subset}`, '    labels:', `      version: ${subset}`);
  }
  return `${lines.join('\n')}\n`;
}

function serviceText(rng: FuzzRandom, host: string): string {
  const name = host.split('.')[0] || 'svc';
  const ns = host.split('.')[1] ?? rng.pick(['demo', 'default']);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - name: ${rng.pick(['http', 'grpc', 'tcp', 'http-web'])}\n    port: ${rng.pick(['9080', '80', '8080', '0', '70000'])}\n`;
}

// ─── The mutations ───────────────────────────────────────────────────────────────────────────

export interface MutationContext {
  rng: FuzzRandom;
  /** Texts of the other files of the workspace (for names and subtrees to borrow). */
  others: readonly string[];
}

/** A mutation's result: the file's new text, or (`document`) the mutated document's new text, which replaces its slice. */
export interface Mutation { what: string; text: string; document?: boolean }

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number): number => {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end + 1;
};
const onlyBlanksBefore = (text: string, offset: number): boolean => /^[ ]*(- )*$/.test(text.slice(lineStart(text, offset), offset));

/** The source span of a block pair: from its key's line start to the end of its value's last line. */
function pairSpan(text: string, pair: Pair): [number, number] | undefined {
  const key = pair.key as Node | null;
  if (!key?.range) return undefined;
  const keyStart = key.range[0];
  if (!onlyBlanksBefore(text, keyStart)) return undefined; // a flow pair or a pair after `- `: text edits only
  const value = pair.value as Node | null;
  let end = value?.range ? Math.max(value.range[1], key.range[1]) : key.range[1];
  if (value && isCollection(value) && value.range) end = Math.max(end, value.range[1]);
  const start = /^[ ]*$/.test(text.slice(lineStart(text, keyStart), keyStart)) ? lineStart(text, keyStart) : keyStart;
  return [start, lineEnd(text, Math.max(start, end - 1))];
}

function replaceRange(text: string, from: number, to: number, insert: string): string {
  return text.slice(0, from) + insert + text.slice(to);
}

function reindent(block: string, indent: string): string {
  const lines = block.replace(/\n$/, '').split('\n');
  const common = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ ]*/.exec(l)![0].length));
  return `${lines.map((l) => (l.trim() === '' ? l : indent + l.slice(Number.isFinite(common) ? common : 0))).join('\n')}\n`;
}

/** Serialises a changed document the way the file writes sequences (indented or not under their key). */
function serialise(doc: Document.Parsed, original: string): string {
  const indentSeq = !/^([ ]*)[^\s#-][^\n]*:[ ]*\n\1- /m.test(original);
  return doc.toString({ indentSeq, lineWidth: 0, minContentWidth: 0 });
}

type DocMutator = (ctx: MutationContext, file: string, parsed: Parsed, nodes: Found[]) => Mutation | undefined;

const names = (text: string, key: RegExp): string[] => {
  const out = new Set<string>();
  const re = new RegExp(`(?:^|[\\s{,])(?:${key.source}):[ ]*["']?([A-Za-z0-9*][A-Za-z0-9.*_-]*)`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) out.add(m[1]);
  return [...out];
};

const inFile = (parsed: Parsed, offset: number): number => parsed.slice.start + offset;

const docMutators: Record<string, DocMutator> = {
  scalarValue: ({ rng }, file, parsed, nodes) => {
    const values = nodes.filter((f) => isScalar(f.node) && !isKey(f) && f.node.range && f.depth > 1);
    if (values.length === 0) return undefined;
    const { node, keyName } = rng.pick(values);
    const [from, to] = node.range!;
    let token = rng.pick(edgeValues);
    if (token.includes('\n') || token.startsWith('- ')) token = JSON.stringify(token);
    if (keyName === 'value' || keyName === 'weight' || keyName === 'mirrorPercent' || keyName === 'number') token = rng.pick(['', '-1', '100.0001', '1e400', '.nan', '"50"', '${PCT}', '0', '100', '101', '0.0001', '99999999999999999999', token]);
    return { what: `scalar ${keyName ?? '?'} → ${JSON.stringify(token).slice(0, 30)}`, text: replaceRange(file, inFile(parsed, from), inFile(parsed, to), token) };
  },
  scalarType: ({ rng }, _file, parsed, nodes) => {
    const values = nodes.filter((f) => isScalar(f.node) && !isKey(f) && f.depth > 1);
    if (values.length === 0) return undefined;
    const found = rng.pick(values);
    const scalar = found.node as import('yaml').Scalar;
    const roll = rng.int(6);
    if (roll === 0) scalar.value = String(scalar.value);
    else if (roll === 1) scalar.value = Number(scalar.value) || rng.pick([0, -1, 100.0001, 1e21, 5]);
    else if (roll === 2) scalar.value = rng.pick([true, false, null]);
    else if (roll === 3) { scalar.type = rng.pick(['QUOTE_DOUBLE', 'QUOTE_SINGLE', 'PLAIN', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const); }
    else if (found.pair) found.pair.value = parsed.doc.createNode(roll === 4 ? [scalar.value] : { value: scalar.value }, { flow: rng.chance(0.5) });
    else scalar.value = '';
    return { what: `type of ${found.keyName ?? '?'}`, text: serialise(parsed.doc, parsed.slice.text), document: true };
  },
  renameKey: ({ rng }, file, parsed, nodes) => {
    const keys = nodes.filter((f) => isKey(f) && f.node.range);
    if (keys.length === 0) return undefined;
    const { node } = rng.pick(keys);
    const old = String((node as import('yaml').Scalar).value);
    const roll = rng.next();
    const name = roll < 0.5 ? nearMiss(rng, old) : roll < 0.9 ? rng.pick(knownKeys) : rng.pick(['""', '? x', '-', '__proto__', 'a b', '"mirror"', old.toUpperCase()]);
    return { what: `rename key ${old} → ${name}`, text: replaceRange(file, inFile(parsed, node.range![0]), inFile(parsed, node.range![1]), name) };
  },
  deleteKey: ({ rng }, file, parsed, nodes) => {
    const pairs = nodes.filter((f) => isKey(f)).map((f) => f.pair!);
    if (pairs.length === 0) return undefined;
    const pair = rng.pick(pairs);
    const span = pairSpan(parsed.slice.text, pair);
    if (span) return { what: `delete ${String((pair.key as import('yaml').Scalar).value)}`, text: replaceRange(file, inFile(parsed, span[0]), inFile(parsed, span[1]), '') };
    const parent = nodes.find((f) => isMap(f.node) && (f.node as YAMLMap).items.includes(pair))?.node as YAMLMap | undefined;
    if (!parent) return undefined;
    parent.items.splice(parent.items.indexOf(pair), 1);
    return { what: `delete ${String((pair.key as import('yaml').Scalar).value)} (flow)`, text: serialise(parsed.doc, parsed.slice.text), document: true };
  },
  duplicateKey: ({ rng }, file, parsed, nodes) => {
    const pairs = nodes.filter((f) => isKey(f)).map((f) => f.pair!);
    if (pairs.length === 0) return undefined;
    const pair = rng.pick(pairs);
    const span = pairSpan(parsed.slice.text, pair);
    const name = String((pair.key as import('yaml').Scalar).value);
    if (span) {
      let copy = parsed.slice.text.slice(span[0], span[1]);
      if (!copy.endsWith('\n')) copy += '\n';
      if (rng.chance(0.3)) copy = copy.replace(name, nearMiss(rng, name));
      return { what: `duplicate ${name}`, text: replaceRange(file, inFile(parsed, span[1]), inFile(parsed, span[1]), copy) };
    }
    const value = pair.value as Node | null;
    if (!value?.range) return undefined;
    const source = parsed.slice.text.slice((pair.key as Node).range![0], value.range[1]);
    return { what: `duplicate ${name} (flow)`, text: replaceRange(file, inFile(parsed, value.range[1]), inFile(parsed, value.range[1]), `, ${source}`) };
  },
  moveSubtree: ({ rng }, file, parsed) => {
    // a pair cut from one document of the file and pasted into a block map of another (or the same)
    const all = slices(file).map(parseSlice).filter((p): p is Parsed => !!p);
    const sourcePairs = nodesOf(parsed.doc).filter((f) => isKey(f) && f.depth >= 2 && pairSpan(parsed.slice.text, f.pair!));
    if (sourcePairs.length === 0 || all.length === 0) return undefined;
    const pair = rng.pick(sourcePairs).pair!;
    const [from, to] = pairSpan(parsed.slice.text, pair)!;
    const block = parsed.slice.text.slice(from, to);
    const target = rng.pick(all);
    const maps = nodesOf(target.doc).filter((f) => isMap(f.node) && !f.node.flow && (f.node as YAMLMap).items.length > 0 && (f.node as YAMLMap).items[0].key && ((f.node as YAMLMap).items[0].key as Node).range);
    if (maps.length === 0) return undefined;
    const map = rng.pick(maps).node as YAMLMap;
    const firstKey = (map.items[0].key as Node).range![0];
    const column = firstKey - lineStart(target.slice.text, firstKey);
    const at = lineStart(target.slice.text, firstKey);
    const indent = ' '.repeat(column);
    // the first key of a map in a sequence (`- key:`) keeps its dash: insert after it, on its own lines
    const insertAt = inFile(target, onlyBlanksBefore(target.slice.text, firstKey) && /^[ ]*$/.test(target.slice.text.slice(at, firstKey)) ? at : lineEnd(target.slice.text, firstKey));
    const moved = reindent(block, indent);
    const cut = rng.chance(0.7);
    const a = inFile(parsed, from);
    const b = inFile(parsed, to);
    let text: string;
    if (!cut) text = replaceRange(file, insertAt, insertAt, moved);
    else if (insertAt <= a) text = replaceRange(replaceRange(file, a, b, ''), insertAt, insertAt, moved);
    else if (insertAt >= b) text = replaceRange(replaceRange(file, insertAt, insertAt, moved), a, b, '');
    else return undefined;
    return { what: `${cut ? 'move' : 'copy'} ${String((pair.key as import('yaml').Scalar).value)}`, text };
  },
  mirrorForm: ({ rng }, _file, parsed, nodes) => {
    const routes = nodes.filter((f) => isMap(f.node) && (f.node as YAMLMap).items.some((p) => isScalar(p.key) && ['mirror', 'mirrors', 'route', 'mirrorPercentage', 'mirror_percent'].includes(String(p.key.value)))).map((f) => f.node as YAMLMap);
    if (routes.length === 0) return undefined;
    const route = rng.pick(routes);
    const get = (key: string): unknown => route.get(key, true);
    const mirror = get('mirror');
    const mirrors = get('mirrors');
    const percentage = get('mirrorPercentage');
    const doc = parsed.doc;
    const firstDestination = (): unknown => {
      const r = get('route');
      return isSeq(r) && isMap(r.items[0]) ? (r.items[0] as YAMLMap).get('destination', true) : doc.createNode({ host: 'reviews', subset: 'v1' });
    };
    let what: string;
    const roll = rng.int(6);
    if (mirror && roll < 3) {
      // mirror (+ mirrorPercentage) → mirrors
      const item = doc.createNode({}) as YAMLMap;
      item.set('destination', mirror);
      if (percentage && rng.chance(0.7)) item.set('percentage', percentage);
      route.delete('mirror');
      if (rng.chance(0.7)) route.delete('mirrorPercentage');
      const list = isSeq(mirrors) ? mirrors : doc.createNode([]);
      (list as import('yaml').YAMLSeq).items.push(item);
      route.set('mirrors', list);
      what = 'mirror → mirrors';
    } else if (isSeq(mirrors) && mirrors.items.length > 0 && roll < 5) {
      const first = mirrors.items[0];
      if (isMap(first)) {
        route.set('mirror', first.get('destination', true) ?? doc.createNode({ host: 'x' }));
        if (first.get('percentage', true)) route.set('mirrorPercentage', first.get('percentage', true));
      }
      if (rng.chance(0.7)) route.delete('mirrors');
      what = 'mirrors → mirror';
    } else {
      const roll2 = rng.int(5);
      if (roll2 === 0) { route.set('mirror', firstDestination()); what = 'add mirror'; }
      else if (roll2 === 1) { route.set('mirror_percent', rng.pick([10, 150, -1])); what = 'mirror_percent'; }
      else if (roll2 === 2) { route.set('mirrorPercentage', doc.createNode({ value: rng.pick([0, 100.0001, 50, 101, '25']) })); what = 'mirrorPercentage'; }
      else if (roll2 === 3) { route.set('mirrors', doc.createNode([{ destination: { host: 'reviews', subset: 'v2' }, percentage: { value: 10 } }, { destination: { host: 'reviews', subset: 'v2' } }])); what = 'two mirrors'; }
      else { route.delete('mirrorPercentage'); route.set('mirrorPercent', 20); what = 'mirrorPercent'; }
    }
    return { what, text: serialise(doc, parsed.slice.text), document: true };
  },
  nearMissName: ({ rng, others }, file, parsed, nodes) => {
    const values = nodes.filter((f) => isScalar(f.node) && !isKey(f) && f.node.range && ['host', 'subset', 'name', 'hosts', 'namespace', 'gateways'].includes(f.keyName ?? ''));
    if (values.length === 0) return undefined;
    const { node, keyName } = rng.pick(values);
    const current = String((node as import('yaml').Scalar).value);
    const workspaceNames = names([file, ...others].join('\n'), keyName === 'subset' ? /name|subset/ : /host|name/);
    const name = rng.chance(0.4) && workspaceNames.length > 0 ? rng.pick(workspaceNames) : nearMiss(rng, current);
    return { what: `${keyName} ${current} → ${name}`, text: replaceRange(file, inFile(parsed, node.range![0]), inFile(parsed, node.range![1]), name) };
  },
  flowBlock: ({ rng }, _file, parsed, nodes) => {
    const collections = nodes.filter((f) => isCollection(f.node) && f.depth > 0);
    if (collections.length === 0) return undefined;
    const { node, keyName } = rng.pick(collections);
    const collection = node as YAMLMap;
    collection.flow = !collection.flow;
    return { what: `${collection.flow ? 'flow' : 'block'} ${keyName ?? '?'}`, text: serialise(parsed.doc, parsed.slice.text), document: true };
  },
  anchorAlias: ({ rng }, _file, parsed, nodes) => {
    const candidates = nodes.filter((f) => !isKey(f) && f.depth > 1 && !isAlias(f.node) && f.pair);
    if (candidates.length < 2) return undefined;
    const source = rng.pick(candidates);
    const target = rng.pick(candidates);
    if (source === target || !target.pair) return undefined;
    const anchor = `a${rng.int(100)}`;
    (source.node as { anchor?: string }).anchor = anchor;
    const roll = rng.int(3);
    if (roll === 0 && isMap(source.node) && isMap(target.node)) {
      (target.node as YAMLMap).items.unshift(parsed.doc.createPair('<<', parsed.doc.createAlias(source.node as YAMLMap, anchor)));
      return { what: `merge key <<: *${anchor}`, text: serialise(parsed.doc, parsed.slice.text), document: true };
    }
    try {
      target.pair.value = parsed.doc.createAlias(source.node as import('yaml').Scalar, anchor);
    } catch {
      return undefined; // an alias to its own ancestor
    }
    let text: string;
    try {
      text = serialise(parsed.doc, parsed.slice.text);
    } catch {
      return undefined;
    }
    return { what: `alias ${target.keyName ?? '?'} → *${anchor}`, text, document: true };
  },
};

/** Mutations of a whole file's text (documents added or removed, comments, BOM). */
function fileMutation(ctx: MutationContext, file: string): Mutation | undefined {
  const { rng, others } = ctx;
  const all = [file, ...others].join('\n');
  const hosts = names(all, /host/);
  const subsetNames = names(all, /subset/);
  switch (rng.weighted({ addRule: 3, addService: 2, removeDocument: 2, comment: 3, bom: 0.5, separator: 1 })) {
    case 'addRule': {
      const host = hosts.length > 0 ? rng.pick(hosts) : 'reviews';
      const subsets = subsetNames.filter(() => rng.chance(0.7));
      if (rng.chance(0.2) && subsets.length > 0) subsets[0] = nearMiss(rng, subsets[0]);
      const block = destinationRuleText(rng, rng.chance(0.2) ? nearMiss(rng, host) : host, subsets);
      return { what: `addRule: ${host}`, text: `${file}${file.endsWith('\n') || file === '' ? '' : '\n'}---\n${block}` };
    }
    case 'addService': {
      const host = hosts.length > 0 ? rng.pick(hosts) : 'reviews';
      return { what: `addService: ${host}`, text: `${file}${file.endsWith('\n') || file === '' ? '' : '\n'}---\n${serviceText(rng, host)}` };
    }
    case 'removeDocument': {
      const parts = slices(file);
      const removable = parts.filter((s) => /kind:\s*(DestinationRule|Service|VirtualService)/.test(s.text));
      if (removable.length === 0) return undefined;
      const slice = rng.pick(removable);
      return { what: 'removeDocument', text: replaceRange(file, slice.start, slice.end, '') };
    }
    case 'comment': {
      const lines = file.split('\n');
      const line = rng.int(lines.length);
      const comment = rng.pick(commentTexts);
      if (rng.chance(0.5) && lines[line].trim() !== '' && !lines[line].includes('#')) lines[line] = `${lines[line]} ${comment}`;
      else lines.splice(line, 0, `${/^[ ]*/.exec(lines[line] ?? '')![0]}${comment}`);
      return { what: 'comment', text: lines.join('\n') };
    }
    case 'bom':
      return file.startsWith('\uFEFF') ? { what: 'bom: removed', text: file.slice(1) } : { what: 'bom: added', text: `\uFEFF${file}` };
    case 'separator': {
      const parts = slices(file);
      if (parts.length === 0) return undefined; // blank documents only
      const slice = rng.pick(parts);
      return { what: 'separator', text: replaceRange(file, slice.end, slice.end, rng.pick(['...\n', '--- # c\n', '---\n---\n'])) };
    }
  }
  return undefined;
}

/** One grammar-aware mutation of a file's text; undefined when none applied (nothing parses). */
export function mutate(ctx: MutationContext, file: string): Mutation | undefined {
  try {
    return mutateOnce(ctx, file);
  } catch (error) {
    // a mistake of the fuzzer's own must not end a long run: no mutation this time
    if (process.env.FUZZ_TRACE) console.log(`mutation failed: ${String(error)}`);
    return undefined;
  }
}

function mutateOnce(ctx: MutationContext, file: string): Mutation | undefined {
  const { rng } = ctx;
  if (rng.chance(0.15)) return fileMutation(ctx, file);
  const parsed = slices(file).map(parseSlice).filter((p): p is Parsed => !!p);
  if (parsed.length === 0) return fileMutation(ctx, file);
  for (let attempt = 0; attempt < 4; attempt++) {
    const target = rng.pick(parsed);
    // each attempt on a fresh parse: a mutator may have changed the tree before giving up
    const fresh = parseSlice(target.slice);
    if (!fresh) continue;
    const name = rng.weighted({ scalarValue: 14, scalarType: 5, renameKey: 8, deleteKey: 8, duplicateKey: 5, moveSubtree: 6, mirrorForm: 10, nearMissName: 14, flowBlock: 5, anchorAlias: 3 });
    let result: Mutation | undefined;
    try {
      const mutated = docMutators[name](ctx, file, fresh, nodesOf(fresh.doc));
      if (mutated) result = { what: `${name}: ${mutated.what}`, text: mutated.document ? replaceRange(file, fresh.slice.start, fresh.slice.end, mutated.text) : mutated.text };
    } catch {
      result = undefined; // the yaml library refused the changed tree
    }
    if (result && result.text !== file) return result;
  }
  return fileMutation(ctx, file);
}

// ─── Edits: the smallest change between two texts ────────────────────────────────────────────

/** The change from `before` to `after` between their common prefix and suffix (whole code points). */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // never split a surrogate pair or a CRLF
  const low = (s: string, i: number): boolean => i > 0 && i < s.length && ((s.charCodeAt(i) & 0xfc00) === 0xdc00 || (s[i - 1] === '\r' && s[i] === '\n'));
  while (prefix > 0 && (low(before, prefix) || low(after, prefix))) prefix--;
  while (suffix > 0 && (low(before, before.length - suffix) || low(after, after.length - suffix))) suffix--;
  return { from: prefix, to: before.length - suffix, insert: after.slice(prefix, after.length - suffix) };
}

// ─── The session ─────────────────────────────────────────────────────────────────────────────

export interface GrammarFuzzOptions extends FuzzOptions {
  /** Seed files to build the workspace and draw from; default loadSeeds(corpus). */
  seeds?: readonly SeedFile[];
  /** Use ../shared/corpus when present (default true; the suite's test says false). */
  corpus?: boolean;
}

interface OfferedFixes { path: string; version: number; actions: { title: string; kind?: string; diagnostics?: Diagnostic[]; edit?: unknown }[] }

/** Counters for the report: what the grammar session did. */
export interface GrammarStats {
  mutations: number;
  typedEdits: number;
  probesBetweenKeystrokes: number;
  fixesOffered: number;
  fixesApplied: number;
  fixesChecked: number;
  /** Fixes whose targeted diagnostics were looked for afterwards (the others name none, or the document moved on). */
  fixTargetsChecked: number;
  fixesSkippedOtherFiles: number;
  diskMutations: number;
  byMutation: Record<string, number>;
  byMethod: Record<string, number>;
}

const extraMethods = ['istio/addMirror', 'istio/createDestinationRule', 'istio/convertToHttpRoute', 'istio/mirrorMonitor', 'istio/grafanaDashboard', 'istio/traceRequest', 'istio/checkWorkspace', 'istio/scaffoldCanary'];

export class GrammarFuzzSession extends FuzzSession {
  readonly stats: GrammarStats = { mutations: 0, typedEdits: 0, probesBetweenKeystrokes: 0, fixesOffered: 0, fixesApplied: 0, fixesChecked: 0, fixTargetsChecked: 0, fixesSkippedOtherFiles: 0, diskMutations: 0, byMutation: {}, byMethod: {} };
  private offered: OfferedFixes | undefined;
  private readonly seedTexts: readonly string[];

  constructor(options: GrammarFuzzOptions) {
    const seeds = options.seeds ?? loadSeeds(options.corpus ?? true);
    if (seeds.length === 0) throw new Error('no seed files');
    const workspace = options.workspace ?? seedWorkspace(new FuzzRandom(options.seed ^ 0x5eed), seeds, 6);
    const paths = Object.keys(workspace).map((p) => `ws/${p}`);
    super({ ...options, workspace, initiallyOpen: options.initiallyOpen ?? paths.slice(0, 3) });
    this.seedTexts = seeds.map((s) => s.text);
  }

  /** The workspace the session started from (saved with a finding, for replay). */
  get initialWorkspace(): Readonly<Record<string, string>> {
    return this.options.workspace ?? {};
  }

  private count(map: Record<string, number>, key: string): void {
    map[key] = (map[key] ?? 0) + 1;
  }

  private context(except: string): MutationContext {
    const others = [...this.open.entries()].filter(([p]) => p !== except).map(([, d]) => d.getText());
    for (const [p, t] of this.disk) if (p !== except && !this.open.has(p) && others.length < 12) others.push(t);
    return { rng: this.rng, others };
  }

  protected override generateAction(): FuzzAction {
    const rng = this.rng;
    const fix = this.offered;
    this.offered = undefined;
    if (fix && rng.chance(0.85)) {
      const action = this.fixAction(fix);
      if (action) return action;
    }
    const openPaths = [...this.open.keys()].sort();
    const closed = [...this.disk.keys()].filter((p) => !this.open.has(p) && p.startsWith('ws/')).sort();
    const kind = rng.weighted({ mutate: openPaths.length > 0 ? 70 : 0, disk: closed.length > 0 ? 8 : 0, newFile: 2, deleteFile: closed.length > 0 ? 1.5 : 0, base: 18 });
    if (kind === 'base') return super.generateAction();
    if (kind === 'newFile') {
      const path = `ws/added/g${this.step}-${rng.int(1000)}.yaml`;
      const seed = rng.pick(this.seedTexts);
      const mutated = rng.chance(0.5) ? mutate(this.context(path), seed)?.text ?? seed : seed;
      this.stats.diskMutations += 1;
      return { kind: 'disk', path, text: mutated, notify: 'created' };
    }
    if (kind === 'deleteFile') {
      this.stats.diskMutations += 1;
      return { kind: 'disk', path: rng.pick(closed), text: null, notify: 'deleted' };
    }
    if (kind === 'disk') {
      const path = rng.pick(closed);
      let text = this.disk.get(path)!;
      for (let i = rng.between(1, 3); i > 0; i--) text = mutate(this.context(path), text)?.text ?? text;
      this.stats.diskMutations += 1;
      return { kind: 'disk', path, text, notify: 'changed' };
    }
    const path = rng.pick(openPaths);
    const doc = this.open.get(path)!;
    const mutation = mutate(this.context(path), doc.getText());
    if (!mutation) return super.generateAction();
    this.stats.mutations += 1;
    this.count(this.stats.byMutation, mutation.what.split(':')[0]);
    return this.editTowards(path, doc, mutation.text, `grammar/${mutation.what}`);
  }

  /** The edit from a document's text to `target`: one change, or typed with requests between the keys. */
  private editTowards(path: string, doc: TextDocument, target: string, what: string): FuzzAction {
    const rng = this.rng;
    const { from, to, insert } = minimalChange(doc.getText(), target);
    const range = { start: doc.positionAt(from), end: doc.positionAt(to) };
    const chars = Array.from(insert);
    if (chars.length === 0 || chars.length > 40 || rng.chance(0.4)) return { kind: 'edit', what, path, notifications: [[{ range, text: insert }]] };
    // typed: the old text removed, then one notification per character, requests in between
    this.stats.typedEdits += 1;
    const notifications: Change[][] = [];
    const probesAfter: [number, FuzzProbe][] = [];
    let current = TextDocument.create(doc.uri, 'yaml', doc.version, doc.getText());
    if (to > from) {
      const change: Change = { range, text: '' };
      notifications.push([change]);
      current = TextDocument.update(current, [change], current.version + 1);
    }
    let offset = from;
    for (const char of chars) {
      const at = current.positionAt(offset);
      const change: Change = { range: { start: at, end: at }, text: char };
      notifications.push([change]);
      current = TextDocument.update(current, [change], current.version + 1);
      offset += char.length;
      if (rng.chance(0.12)) {
        const probe = this.probeOn(path, current, rng.chance(0.6) ? current.positionAt(offset) : undefined);
        probesAfter.push([notifications.length - 1, probe]);
        this.stats.probesBetweenKeystrokes += 1;
      }
    }
    return { kind: 'edit', what: `${what} (typed)`, path, notifications, probesAfter };
  }

  /** A quick fix the server offered for the document's current version, as an edit. */
  private fixAction(fix: OfferedFixes): FuzzAction | undefined {
    const rng = this.rng;
    const doc = this.open.get(fix.path);
    if (!doc || doc.version !== fix.version) return undefined;
    const withEdits = fix.actions.filter((a) => a.edit);
    if (withEdits.length === 0) return undefined;
    const action = rng.pick(withEdits);
    const edit = action.edit as { changes?: Record<string, { range: { start: Pos; end: Pos }; newText: string }[]>; documentChanges?: { textDocument?: { uri: string }; edits?: { range: { start: Pos; end: Pos }; newText: string }[] }[] };
    const perUri = new Map<string, { range: { start: Pos; end: Pos }; newText: string }[]>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.set(uri, [...(perUri.get(uri) ?? []), ...edits]);
    for (const change of edit.documentChanges ?? []) if (change.textDocument && change.edits) perUri.set(change.textDocument.uri, [...(perUri.get(change.textDocument.uri) ?? []), ...change.edits]);
    if (perUri.size !== 1) {
      this.stats.fixesSkippedOtherFiles += 1;
      return undefined;
    }
    const [uri, edits] = [...perUri][0];
    const target = [...this.open.entries()].find(([, d]) => d.uri === uri);
    if (!target) {
      this.stats.fixesSkippedOtherFiles += 1;
      return undefined;
    }
    const [path, targetDoc] = target;
    let after: string;
    try {
      after = TextDocument.applyEdits(targetDoc, edits);
    } catch {
      return undefined; // reported by the answer check of the code action
    }
    // Sent as the editor does: the edits, last first, so each one's range holds when it is applied.
    const sorted = [...edits].sort((a, b) => targetDoc.offsetAt(b.range.start) - targetDoc.offsetAt(a.range.start));
    const diagnostics: FixCheck['diagnostics'] = (action.diagnostics ?? []).map((d) => ({ code: String(d.code), message: String(d.message) }));
    const published = this.server.client.published.filter((p) => p.uri === doc.uri).at(-1);
    for (const d of diagnostics) d.before = published?.version === doc.version ? published.diagnostics.filter((x) => String(x.code) === d.code && String(x.message) === d.message).length : undefined;
    const check: FixCheck = { title: action.title, path: fix.path, diagnostics, parsedBefore: parsesCleanly(targetDoc.getText()) };
    this.stats.fixesApplied += 1;
    void after;
    return { kind: 'edit', what: `quickfix ${action.title}`, path, notifications: [sorted.map((e) => ({ range: e.range, text: e.newText }))], fix: check };
  }

  protected override async afterAction(action: FuzzAction): Promise<void> {
    if (action.kind !== 'edit' || !action.fix) return;
    const check = action.fix;
    const edited = this.open.get(action.path);
    if (!edited) return;
    this.stats.fixesChecked += 1;
    const signature = (what: string): string => `quick-fix: ${what}: ${check.title.replace(/`[^`]*`/g, '`…`').replace(/\d+/g, '#').slice(0, 80)}`;
    if (check.parsedBefore && !parsesCleanly(edited.getText())) {
      const errors = parseAllDocuments(edited.getText()).flatMap((d) => ('errors' in d ? d.errors.map((e) => e.message.split('\n')[0]) : [])).slice(0, 3);
      this.fail('quick-fix', `the fix "${check.title}" turned YAML that parsed into YAML that does not: ${errors.join('; ')}`, action.path, signature('breaks the YAML'));
    }
    if (check.diagnostics.length === 0) return;
    const doc = this.open.get(check.path);
    if (!doc) return;
    if (check.path !== action.path) await this.server.quiet(100, 3000); // republished as a dependent
    const latest = this.server.client.published.filter((p) => p.uri === doc.uri).at(-1);
    if (!latest || latest.version !== doc.version) return; // stale publishes are FuzzSession's finding
    this.stats.fixTargetsChecked += 1;
    for (const target of check.diagnostics) {
      // Gone, or at least one fewer of the same code and message (identical findings elsewhere stay).
      const still = latest.diagnostics.filter((d) => String(d.code) === target.code && String(d.message) === target.message).length;
      if (still > 0 && still >= (target.before ?? 1)) {
        this.fail('quick-fix', `after the fix "${check.title}", ${target.code} "${target.message.slice(0, 160)}" is still reported (${still}× after, ${String(target.before)}× before)`, check.path, signature(`${target.code} stays`));
      }
    }
  }

  protected override async runProbe(probe: FuzzProbe): Promise<void> {
    this.count(this.stats.byMethod, probe.method);
    const doc = this.open.get(probe.path);
    const uri = doc?.uri ?? this.uri(probe.path);
    const position = probe.position;
    switch (probe.method) {
      case 'textDocument/codeAction': {
        const range = { start: probe.position, end: probe.position2 ?? probe.position };
        const latest = doc ? this.server.client.published.filter((p) => p.uri === uri).at(-1) : undefined;
        const diagnostics = (latest?.diagnostics ?? []).filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line);
        const result = await this.request(probe.method, { textDocument: { uri }, range, context: { diagnostics } }, probe, doc);
        if (doc && Array.isArray(result) && result.length > 0 && latest?.version === doc.version) {
          const actions = result as OfferedFixes['actions'];
          this.stats.fixesOffered += actions.filter((a) => a.edit).length;
          this.offered = { path: probe.path, version: doc.version, actions };
        }
        return;
      }
      case 'istio/addMirror': {
        const names = this.workspaceNames();
        const params = { uri, position, target: { host: this.rng.pick(names.hosts), ...(this.rng.chance(0.7) ? { subset: this.rng.pick(names.subsets) } : {}) }, percentage: this.rng.pick([10, 0, 100, 100.0001, -5, 1e9, Number.NaN]) };
        const result = await this.request(probe.method, params, probe, doc);
        this.checkEdit(probe, result, doc);
        return;
      }
      case 'istio/createDestinationRule': {
        const result = await this.request(probe.method, { uri, position }, probe, doc) as { edit?: unknown } | null | undefined;
        this.checkEdit(probe, result?.edit, doc);
        return;
      }
      case 'istio/convertToHttpRoute':
        await this.request(probe.method, { uri, position }, probe, doc);
        return;
      case 'istio/mirrorMonitor':
      case 'istio/grafanaDashboard':
        await this.request(probe.method, { uri, window: this.rng.pick(['5m', '1h', '', '0s', 'x', '99999999999d']) }, probe, doc);
        return;
      case 'istio/traceRequest': {
        const names = this.workspaceNames();
        await this.request(probe.method, { host: this.rng.pick([...names.hosts, '', 'nowhere']), path: this.rng.pick(['/', '/api', '', '/%zz', '/'.repeat(300)]), method: this.rng.pick(['GET', 'POST', '']), headers: this.rng.chance(0.5) ? { 'x-canary': 'true', 'X-Mirror': 'on' } : {}, namespace: this.rng.pick(['demo', 'default', '']) }, probe, doc);
        return;
      }
      case 'istio/checkWorkspace':
        await this.request(probe.method, undefined, probe, doc);
        return;
      case 'istio/scaffoldCanary': {
        const names = this.workspaceNames();
        // Valid answers only (invalid ones are refused with InvalidParams, tested in hostileInputs.test.ts):
        // a refusal here means the scaffold took an invalid default from the workspace.
        const apps = names.hosts.map((h) => h.split('.')[0]).filter((app) => !validateServiceName(app));
        await this.request(probe.method, { app: this.rng.pick([...apps, 'shop']), namespace: this.rng.pick(['demo', 'default']), mirrorPercentage: this.rng.pick([10, 50, 100]) }, probe, doc);
        return;
      }
      default:
        return super.runProbe(probe);
    }
  }

  /** An edit answer (add mirror, create DestinationRule) must apply inside its documents. */
  private checkEdit(probe: FuzzProbe, edit: unknown, doc: TextDocument | undefined): void {
    if (!edit || !doc) return;
    const docs = new Map([...this.open.values()].map((d) => [d.uri, d] as const));
    const problem = answerProblem('textDocument/rename', probe, edit, doc, docs);
    if (problem) this.fail('invalid-answer', `${probe.method}: ${problem.replace(/^rename/, 'edit')}`, probe.path, undefined, { probe, probeText: doc.getText() });
  }

  private workspaceNames(): { hosts: string[]; subsets: string[] } {
    const all = [...[...this.open.values()].map((d) => d.getText()), ...this.disk.values()].join('\n').slice(0, 200_000);
    const hosts = names(all, /host/);
    const subsets = names(all, /subset/);
    return { hosts: hosts.length > 0 ? hosts : ['reviews'], subsets: subsets.length > 0 ? subsets : ['v1'] };
  }

  /** A probe at `position` (or a random one) of a document at a given moment (between keystrokes). */
  private probeOn(path: string, doc: TextDocument, position: Pos | undefined): FuzzProbe {
    const rng = this.rng;
    const method = rng.weighted({ 'textDocument/completion': 8, 'textDocument/hover': 6, 'textDocument/codeAction': 4, 'textDocument/documentSymbol': 2, 'textDocument/foldingRange': 1, 'textDocument/selectionRange': 2, 'textDocument/codeLens': 2, 'textDocument/definition': 2, 'istio/trafficSplit': 1, 'istio/mirrorTargets': 1 });
    const at = position ?? this.randomPosition(doc);
    const probe: FuzzProbe = { method, path, position: at };
    if (method === 'textDocument/selectionRange' || method === 'textDocument/codeAction') probe.position2 = at;
    return probe;
  }

  protected override generateProbe(action: FuzzAction): FuzzProbe {
    const rng = this.rng;
    const path = 'path' in action && this.open.has(action.path) && rng.chance(0.7) ? action.path : undefined;
    const doc = path ? this.open.get(path) : undefined;
    // At a diagnostic: the code actions for it (then maybe applied as the next step).
    if (doc && path && rng.chance(0.35)) {
      const latest = this.server.client.published.filter((p) => p.uri === doc.uri).at(-1);
      if (latest && latest.version === doc.version && latest.diagnostics.length > 0) {
        const d = rng.pick(latest.diagnostics);
        return { method: 'textDocument/codeAction', path, position: d.range.start, position2: d.range.end };
      }
    }
    if (rng.chance(0.2)) {
      const method = rng.pick(extraMethods);
      const where = path ?? rng.pick([...this.open.keys(), 'ws/never-seen.yaml']);
      const probeDoc = this.open.get(where) ?? TextDocument.create('mem:x', 'yaml', 0, '');
      return { method, path: where, position: this.randomPosition(probeDoc) };
    }
    return super.generateProbe(action);
  }
}

/** A finding saved for replay: the steps and the workspace they start from. */
export interface SavedGrammarFinding {
  finding: import('./fuzzDriver').FuzzFinding;
  workspace: Record<string, string>;
  initiallyOpen: string[];
  steps: FuzzStep[];
}
