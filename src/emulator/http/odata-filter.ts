import { GraphError } from './graph-error.ts';

/**
 * A small OData `$filter` parser and evaluator for the expressions Mailroom and Graph docs use:
 * comparisons (eq ne gt ge lt le), and/or/not, parentheses, startswith/endswith/contains,
 * lambdas `path/any(x: …)` / `all`, string, number, boolean, null and bare date-time literals.
 * Strings compare case-insensitively (Exchange and the directory do), except properties named `id`
 * (extended property ids are case-sensitive in their Name part, https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get).
 */
export type FilterNode =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; segments: string[] }
  | { kind: 'compare'; op: string; left: FilterNode; right: FilterNode }
  | { kind: 'logical'; op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'call'; name: string; args: FilterNode[] }
  | { kind: 'lambda'; op: 'any' | 'all'; collection: string[]; variable: string; body: FilterNode | undefined };

type Token = { type: 'str' | 'word' | 'punct'; value: string };

const dateTimeLiteral = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?(?=[\s)]|$)/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalidFilter(text);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ type: 'str', value });
    } else if (dateTimeLiteral.test(text.slice(i))) {
      // An unquoted DateTimeOffset (`receivedDateTime ge 2026-03-04T00:00:00Z`) holds colons, which are punctuation elsewhere.
      const word = (dateTimeLiteral.exec(text.slice(i)) as RegExpExecArray)[0];
      tokens.push({ type: 'word', value: word });
      i += word.length;
    } else if ('(),:'.includes(c)) {
      tokens.push({ type: 'punct', value: c });
      i++;
    } else {
      const m = /^[^\s(),:']+/.exec(text.slice(i));
      const word = m?.[0] ?? c;
      tokens.push({ type: 'word', value: word });
      i += word.length;
    }
  }
  return tokens;
}

function invalidFilter(text: string): GraphError {
  return new GraphError(400, 'BadRequest', `Invalid filter clause: syntax error in '${text}'.`);
}

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (token === undefined) throw invalidFilter(text);
    return token;
  };
  const expect = (value: string): void => {
    if (next().value !== value) throw invalidFilter(text);
  };
  const isWord = (value: string): boolean => peek()?.type === 'word' && peek()?.value.toLowerCase() === value;

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isWord('or')) {
      pos++;
      left = { kind: 'logical', op: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'logical', op: 'and', left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): FilterNode {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', operand: parseUnary() };
    }
    const left = parsePrimary();
    const op = peek();
    if (op?.type === 'word' && ['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op.value.toLowerCase())) {
      pos++;
      return { kind: 'compare', op: op.value.toLowerCase(), left, right: parsePrimary() };
    }
    return left;
  }
  function parsePrimary(): FilterNode {
    const token = next();
    if (token.type === 'str') return { kind: 'literal', value: token.value };
    if (token.type === 'punct') {
      if (token.value !== '(') throw invalidFilter(text);
      const inner = parseOr();
      expect(')');
      return inner;
    }
    const word = token.value;
    const lower = word.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
    if (lower === 'null') return { kind: 'literal', value: null };
    if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'literal', value: Number(word) };
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/i.test(word)) return { kind: 'literal', value: word.toUpperCase() };
    if (peek()?.value === '(') {
      pos++;
      const lambda = /^(.*)\/(any|all)$/i.exec(word);
      if (lambda?.[1] !== undefined && lambda[2] !== undefined) {
        const collection = lambda[1].split('/');
        if (peek()?.value === ')') {
          pos++;
          return { kind: 'lambda', op: lambda[2].toLowerCase() as 'any' | 'all', collection, variable: '', body: undefined };
        }
        const variable = next().value;
        expect(':');
        const body = parseOr();
        expect(')');
        return { kind: 'lambda', op: lambda[2].toLowerCase() as 'any' | 'all', collection, variable, body };
      }
      const args: FilterNode[] = [];
      if (peek()?.value !== ')') {
        args.push(parseOr());
        while (peek()?.value === ',') {
          pos++;
          args.push(parseOr());
        }
      }
      expect(')');
      return { kind: 'call', name: lower, args };
    }
    return { kind: 'path', segments: word.split('/') };
  }

  const node = parseOr();
  if (pos !== tokens.length) throw invalidFilter(text);
  return node;
}

/** Reads a property case-insensitively. */
export function readProperty(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

interface Scope {
  root: unknown;
  variables: Map<string, unknown>;
}

function resolvePath(segments: string[], scope: Scope): unknown {
  const [first, ...rest] = segments;
  let current: unknown = first !== undefined && scope.variables.has(first) ? scope.variables.get(first) : readProperty(scope.root, first ?? '');
  for (const segment of rest) current = readProperty(current, segment);
  return current;
}

function lastSegment(node: FilterNode): string {
  return node.kind === 'path' ? (node.segments.at(-1) ?? '') : '';
}

function compareValues(op: string, left: unknown, right: unknown, caseSensitive: boolean): boolean {
  let a = left;
  let b = right;
  if (typeof a === 'string' && typeof b === 'string') {
    if (!caseSensitive) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    const ta = Date.parse(a as string);
    const tb = Date.parse(b as string);
    if (/^\d{4}-\d{2}-\d{2}/.test(a as string) && /^\d{4}-\d{2}-\d{2}/.test(b as string) && !Number.isNaN(ta) && !Number.isNaN(tb)) {
      a = ta;
      b = tb;
    }
  }
  switch (op) {
    case 'eq':
      return a === b || (a === undefined && b === null);
    case 'ne':
      return !(a === b || (a === undefined && b === null));
    default: {
      if (a === null || a === undefined || b === null || b === undefined) return false;
      const x = a as number | string;
      const y = b as number | string;
      if (op === 'gt') return x > y;
      if (op === 'ge') return x >= y;
      if (op === 'lt') return x < y;
      return x <= y;
    }
  }
}

function evaluate(node: FilterNode, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return resolvePath(node.segments, scope);
    case 'not':
      return !evaluate(node.operand, scope);
    case 'logical': {
      const left = Boolean(evaluate(node.left, scope));
      if (node.op === 'and') return left && Boolean(evaluate(node.right, scope));
      return left || Boolean(evaluate(node.right, scope));
    }
    case 'compare': {
      const caseSensitive = lastSegment(node.left).toLowerCase() === 'id' || lastSegment(node.right).toLowerCase() === 'id';
      return compareValues(node.op, evaluate(node.left, scope), evaluate(node.right, scope), caseSensitive);
    }
    case 'call': {
      const [haystack, needle] = node.args.map((arg) => evaluate(arg, scope));
      if (typeof haystack !== 'string' || typeof needle !== 'string') return false;
      const h = haystack.toLowerCase();
      const n = needle.toLowerCase();
      if (node.name === 'startswith') return h.startsWith(n);
      if (node.name === 'endswith') return h.endsWith(n);
      if (node.name === 'contains') return h.includes(n);
      throw new GraphError(400, 'BadRequest', `An unknown function with name '${node.name}' was found.`);
    }
    case 'lambda': {
      const collection = resolvePath(node.collection, scope);
      const items = Array.isArray(collection) ? collection : [];
      if (node.body === undefined) return items.length > 0;
      const test = (item: unknown): boolean => {
        const variables = new Map(scope.variables);
        variables.set(node.variable, item);
        return Boolean(evaluate(node.body as FilterNode, { root: scope.root, variables }));
      };
      return node.op === 'any' ? items.some(test) : items.every(test);
    }
  }
}

export function matchesFilter(node: FilterNode, entity: unknown): boolean {
  return Boolean(evaluate(node, { root: entity, variables: new Map() }));
}

/** Top-level property names a filter refers to (to know what an entity view must contain). */
export function filterProperties(node: FilterNode, out: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'path':
      if (node.segments[0] !== undefined) out.add(node.segments[0].toLowerCase());
      break;
    case 'compare':
    case 'logical':
      filterProperties(node.left, out);
      filterProperties(node.right, out);
      break;
    case 'not':
      filterProperties(node.operand, out);
      break;
    case 'call':
      for (const arg of node.args) filterProperties(arg, out);
      break;
    case 'lambda':
      if (node.collection[0] !== undefined) out.add(node.collection[0].toLowerCase());
      break;
    default:
      break;
  }
  return out;
}

/** Property paths a filter tests, lower-cased and joined by `/`, in the order they first appear. */
export function filterPaths(node: FilterNode, out: string[] = []): string[] {
  const add = (path: string[]): void => {
    const joined = path.join('/').toLowerCase();
    if (!out.includes(joined)) out.push(joined);
  };
  switch (node.kind) {
    case 'path':
      add(node.segments);
      break;
    case 'compare':
    case 'logical':
      filterPaths(node.left, out);
      filterPaths(node.right, out);
      break;
    case 'not':
      filterPaths(node.operand, out);
      break;
    case 'call':
      for (const arg of node.args) filterPaths(arg, out);
      break;
    case 'lambda':
      add(node.collection);
      break;
    default:
      break;
  }
  return out;
}
