// Reads Go composite literals of Istio's validation test tables (the protobuf structs of
// istio/api written in Go) and turns them into the JSON a user would write in YAML. Only the
// shapes those tables use are understood: struct, slice and map literals, strings, numbers,
// enum constants, oneof wrappers, durations, wrapper types and a few helper calls. Anything
// else is reported as "cannot be written as YAML" with the reason.

export class Unconvertible extends Error {}

type Token = { kind: 'ident' | 'number' | 'string' | 'punct'; text: string; value?: string };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i++; continue; }
    if (source.startsWith('//', i)) { while (i < source.length && source[i] !== '\n') i++; continue; }
    if (source.startsWith('/*', i)) { const end = source.indexOf('*/', i + 2); i = end < 0 ? source.length : end + 2; continue; }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j])) j++;
      tokens.push({ kind: 'ident', text: source.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < source.length && /[0-9a-fA-FxX._eE]/.test(source[j])) j++;
      tokens.push({ kind: 'number', text: source.slice(i, j).replace(/_/g, '') });
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\\') {
          const next = source[j + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '\'': '\'', a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (next in simple) { value += simple[next]; j += 2; continue; }
          if (next === 'x') { value += String.fromCharCode(parseInt(source.slice(j + 2, j + 4), 16)); j += 4; continue; }
          if (next === 'u') { value += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16)); j += 6; continue; }
          if (/[0-7]/.test(next)) { value += String.fromCharCode(parseInt(source.slice(j + 1, j + 4), 8)); j += 4; continue; }
          throw new Unconvertible(`unknown escape \\${next}`);
        }
        value += source[j++];
      }
      tokens.push({ kind: 'string', text: source.slice(i, j + 1), value });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      tokens.push({ kind: 'string', text: source.slice(i, end + 1), value: source.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '\'') {
      const end = source.indexOf('\'', i + 1);
      tokens.push({ kind: 'number', text: String(source.charCodeAt(i + 1)) });
      i = end + 1;
      continue;
    }
    if (source.startsWith(':=', i) || source.startsWith('==', i) || source.startsWith('!=', i) || source.startsWith('&&', i) || source.startsWith('||', i)) {
      tokens.push({ kind: 'punct', text: source.slice(i, i + 2) });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'punct', text: c });
    i++;
  }
  return tokens;
}

/** A Go type as far as conversion needs it. */
export type GoType =
  | { kind: 'named'; name: string }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'map'; key: GoType; value: GoType }
  | { kind: 'pointer'; elem: GoType }
  | { kind: 'struct' };

export type Expr =
  | { kind: 'composite'; type?: GoType; elems: { key?: Expr; value: Expr }[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; name: string }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'unary'; op: string; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'convert'; type: GoType; value: Expr };

export class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  mark(): number {
    return this.pos;
  }

  reset(mark: number): void {
    this.pos = mark;
  }

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new Unconvertible('unexpected end of input');
    return token;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new Unconvertible(`expected ${text}, found ${token.text}`);
  }

  at(text: string): boolean {
    return this.peek()?.text === text;
  }

  /** Skips a balanced group starting at the current `(`, `[` or `{`. */
  skipGroup(): void {
    const open = this.next().text;
    const close = ({ '(': ')', '[': ']', '{': '}' } as Record<string, string>)[open];
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token.text === open) depth++;
      else if (token.text === close) depth--;
    }
  }

  parseType(): GoType {
    if (this.at('*')) { this.next(); return { kind: 'pointer', elem: this.parseType() }; }
    if (this.at('[')) { this.next(); this.expect(']'); return { kind: 'slice', elem: this.parseType() }; }
    if (this.peek()?.text === 'map') {
      this.next();
      this.expect('[');
      const key = this.parseType();
      this.expect(']');
      return { kind: 'map', key, value: this.parseType() };
    }
    if (this.peek()?.text === 'struct') { this.next(); this.skipGroup(); return { kind: 'struct' }; }
    let name = this.next().text;
    while (this.at('.')) { this.next(); name += `.${this.next().text}`; }
    return { kind: 'named', name };
  }

  parseExpr(): Expr {
    let left = this.parseUnary();
    while (this.peek() && ['+', '-', '*', '/'].includes(this.peek()!.text)) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (!token) throw new Unconvertible('unexpected end of input');
    if (token.text === '&' || token.text === '-') {
      this.next();
      return { kind: 'unary', op: token.text, operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const token = this.peek()!;
    if (token.text === '{') return this.parseCompositeBody(undefined);
    if (token.text === '(') { this.next(); const inner = this.parseExpr(); this.expect(')'); return inner; }
    if (token.kind === 'string') { this.next(); return { kind: 'string', value: token.value ?? '' }; }
    if (token.kind === 'number') { this.next(); return { kind: 'number', value: Number(token.text) }; }
    if (token.text === '[' || token.text === 'map' || token.text === '*') {
      const type = this.parseType();
      if (this.at('(')) { this.next(); const value = this.parseExpr(); this.expect(')'); return { kind: 'convert', type, value }; }
      return this.parseCompositeBody(type);
    }
    if (token.kind === 'ident') {
      let name = this.next().text;
      while (this.at('.') && this.peek(1)?.kind === 'ident') { this.next(); name += `.${this.next().text}`; }
      if (this.at('{')) return this.parseCompositeBody({ kind: 'named', name });
      if (this.at('(')) {
        this.next();
        const args: Expr[] = [];
        while (!this.at(')')) {
          args.push(this.parseExpr());
          if (this.at(',')) this.next();
        }
        this.expect(')');
        if (this.at('.')) throw new Unconvertible(`method call on ${name}(…)`);
        return { kind: 'call', fn: name, args };
      }
      if (this.at('[')) throw new Unconvertible(`index expression ${name}[…]`);
      return { kind: 'ident', name };
    }
    throw new Unconvertible(`unexpected ${token.text}`);
  }

  parseCompositeBody(type: GoType | undefined): Expr {
    this.expect('{');
    const elems: { key?: Expr; value: Expr }[] = [];
    while (!this.at('}')) {
      const first = this.parseExpr();
      if (this.at(':')) {
        this.next();
        elems.push({ key: first, value: this.parseExpr() });
      } else {
        elems.push({ value: first });
      }
      if (this.at(',')) this.next();
      else if (!this.at('}')) throw new Unconvertible(`expected , or } in a literal, found ${this.peek()?.text}`);
    }
    this.expect('}');
    return { kind: 'composite', type, elems };
  }
}

const durationUnits: Record<string, number> = {
  'time.Nanosecond': 1, 'time.Microsecond': 1e3, 'time.Millisecond': 1e6, 'time.Second': 1e9, 'time.Minute': 60e9, 'time.Hour': 3600e9,
};

/** Values of named constants the tables use. */
const constants: Record<string, unknown> = {
  'label.LabelTopologyRegion': 'topology.kubernetes.io/region',
  'label.LabelTopologyZone': 'topology.kubernetes.io/zone',
  'label.LabelTopologySubzone': 'topology.istio.io/subzone',
  'label.LabelTopologyNetwork': 'topology.istio.io/network',
  'label.TopologyNetwork.Name': 'topology.istio.io/network',
  'label.TopologyCluster.Name': 'topology.istio.io/cluster',
  'label.TopologySubzone.Name': 'topology.istio.io/subzone',
  'constants.IstioMeshGateway': 'mesh',
  kb: 1024,
  mb: 1024 * 1024,
  'math.MaxUint32': 4294967295,
  'math.MaxInt32': 2147483647,
};

export interface Scope {
  /** Local variables of the test function, as expressions. */
  variables: Map<string, Expr>;
}

function lowerFirst(name: string): string {
  if (name === 'String_') return 'string';
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function typeName(type: GoType | undefined): string | undefined {
  if (!type) return undefined;
  if (type.kind === 'pointer') return typeName(type.elem);
  return type.kind === 'named' ? type.name : undefined;
}

/** `networking.ClientTLSSettings_ISTIO_MUTUAL` → `ISTIO_MUTUAL`; undefined when the name is not an enum constant. */
function enumValue(name: string): string | undefined {
  const last = name.split('.').pop() ?? '';
  const parts = last.split('_');
  for (let i = 1; i < parts.length; i++) {
    const head = parts.slice(0, i).join('_');
    const tail = parts.slice(i);
    if (/[a-z]/.test(head) && tail.every((part) => /^[A-Z0-9]+$/.test(part))) return tail.join('_');
  }
  return undefined;
}

export function numberOf(expr: Expr, scope: Scope): number {
  const value = evaluate(expr, undefined, scope);
  if (typeof value !== 'number') throw new Unconvertible('expected a number');
  return value;
}

function durationText(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  const seconds = Math.floor(abs / 1e9);
  const fraction = abs % 1e9;
  return `${sign}${seconds}${fraction ? `.${String(fraction).padStart(9, '0').replace(/0+$/, '')}` : ''}s`;
}

const wrapperTypes = /^(wrappers|wrapperspb|wrappers_pb)\.(Bool|UInt32|Int32|UInt64|Int64|Double|Float|String)Value$/;

/** Evaluates an expression to the JSON a manifest would hold; `type` is the expected type for elided literals. */
export function evaluate(expr: Expr, type: GoType | undefined, scope: Scope): unknown {
  switch (expr.kind) {
    case 'string':
      return expr.value;
    case 'number':
      return expr.value;
    case 'unary': {
      if (expr.op === '&') return evaluate(expr.operand, type && type.kind === 'pointer' ? type.elem : type, scope);
      const value = evaluate(expr.operand, type, scope);
      if (typeof value !== 'number') throw new Unconvertible('minus on a non-number');
      return -value;
    }
    case 'binary': {
      const left = evaluate(expr.left, type, scope);
      const right = evaluate(expr.right, type, scope);
      if (typeof left === 'string' && typeof right === 'string' && expr.op === '+') return left + right;
      if (typeof left !== 'number' || typeof right !== 'number') throw new Unconvertible(`operator ${expr.op} on non-numbers`);
      switch (expr.op) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        default: return Math.trunc(left / right);
      }
    }
    case 'ident': {
      if (expr.name === 'nil') return undefined;
      if (expr.name === 'true') return true;
      if (expr.name === 'false') return false;
      if (expr.name in durationUnits) return durationUnits[expr.name];
      if (expr.name in constants) return constants[expr.name];
      const variable = scope.variables.get(expr.name);
      if (variable) return evaluate(variable, type, scope);
      const enumText = enumValue(expr.name);
      if (enumText !== undefined && expr.name.includes('.')) return enumText;
      throw new Unconvertible(`uses the Go variable or constant ${expr.name}`);
    }
    case 'convert': {
      const value = evaluate(expr.value, undefined, scope);
      if (expr.type.kind === 'slice' && typeName(expr.type.elem) === 'byte') {
        if (typeof value !== 'string') throw new Unconvertible('[]byte of a non-string');
        return { __bytes: Buffer.from(value, 'utf8').toString('base64') };
      }
      return value;
    }
    case 'call':
      return evaluateCall(expr, scope);
    case 'composite':
      return evaluateComposite(expr, expr.type ?? type, scope);
  }
}

function evaluateCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): unknown {
  const args = expr.args;
  switch (expr.fn) {
    case 'durationpb.New':
    case 'ptypes.DurationProto':
      return { __duration: durationText(numberOf(args[0], scope)) };
    case 'time.Duration':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
    case 'float64':
    case 'float32':
    case 'int':
      return numberOf(args[0], scope);
    case 'strings.Repeat': {
      const text = evaluate(args[0], undefined, scope);
      if (typeof text !== 'string') throw new Unconvertible('strings.Repeat of a non-string');
      return text.repeat(numberOf(args[1], scope));
    }
    case 'wrapperspb.Bool':
    case 'wrapperspb.UInt32':
    case 'wrapperspb.Int32':
    case 'wrapperspb.UInt64':
    case 'wrapperspb.Int64':
    case 'wrapperspb.Double':
    case 'wrapperspb.String':
      return evaluate(args[0], undefined, scope);
    case 'string':
      return evaluate(args[0], undefined, scope);
    default:
      throw new Unconvertible(`calls the Go function ${expr.fn}`);
  }
}

function evaluateComposite(expr: Extract<Expr, { kind: 'composite' }>, type: GoType | undefined, scope: Scope): unknown {
  const resolved = type && type.kind === 'pointer' ? type.elem : type;
  if (resolved?.kind === 'slice') {
    return expr.elems.map((elem) => {
      if (elem.key) throw new Unconvertible('indexed slice literal');
      const value = evaluate(elem.value, resolved.elem, scope);
      return value === undefined ? null : value;
    });
  }
  if (resolved?.kind === 'map') {
    const result: Record<string, unknown> = {};
    for (const elem of expr.elems) {
      if (!elem.key) throw new Unconvertible('map literal without keys');
      const key = evaluate(elem.key, resolved.key, scope);
      const value = evaluate(elem.value, resolved.value, scope);
      result[String(key)] = value === undefined ? null : value;
    }
    return result;
  }
  const name = typeName(resolved);
  if (name && name.startsWith('durationpb.Duration')) {
    let nanos = 0;
    for (const elem of expr.elems) {
      const key = elem.key?.kind === 'ident' ? elem.key.name : '';
      const value = numberOf(elem.value, scope);
      if (key === 'Seconds') nanos += value * 1e9;
      else if (key === 'Nanos') nanos += value;
      else throw new Unconvertible(`duration field ${key}`);
    }
    return { __duration: durationText(nanos) };
  }
  if (name && wrapperTypes.test(name)) {
    const valueElem = expr.elems.find((elem) => elem.key?.kind === 'ident' && elem.key.name === 'Value');
    const kind = wrapperTypes.exec(name)![2];
    if (!valueElem) return kind === 'Bool' ? false : kind === 'String' ? '' : 0;
    return evaluate(valueElem.value, undefined, scope);
  }
  if (name === 'structpb.Struct' || name?.startsWith('anypb.')) throw new Unconvertible(`uses ${name}`);
  // A struct: fields become camelCase JSON keys; oneof wrappers (`StringMatch_Exact{Exact: x}`) are inlined.
  const result: Record<string, unknown> = {};
  for (const elem of expr.elems) {
    if (!elem.key || elem.key.kind !== 'ident') throw new Unconvertible('struct literal without field names');
    const field = elem.key.name;
    const valueExpr = elem.value;
    const inner = valueExpr.kind === 'unary' && valueExpr.op === '&' ? valueExpr.operand : valueExpr;
    const innerName = inner.kind === 'composite' ? typeName(inner.type) : undefined;
    if (inner.kind === 'composite' && innerName && innerName.includes('_') && inner.elems.length === 1) {
      const only = inner.elems[0];
      const suffix = innerName.endsWith('_') ? `${innerName.slice(0, -1).split('_').pop()}_` : innerName.split('_').pop();
      if (only.key?.kind === 'ident' && only.key.name === suffix) {
        const value = evaluate(only.value, undefined, scope);
        if (value !== undefined) result[lowerFirst(only.key.name)] = value;
        continue;
      }
    }
    const value = evaluate(valueExpr, undefined, scope);
    if (value !== undefined) result[lowerFirst(field)] = value;
  }
  return result;
}

/** Replaces the markers left by evaluation (durations, bytes) with their JSON forms. */
export function finish(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(finish);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('__duration' in record) return record.__duration;
    if ('__bytes' in record) return record.__bytes;
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, finish(inner)]));
  }
  return value;
}
