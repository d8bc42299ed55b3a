import jsonata, { type Expression, type ExprNode } from 'jsonata';
import { describeJsonataError } from './describe-jsonata-error.ts';
import { guardEvaluation } from './guard-evaluation.ts';
import { customFunctionNames } from './rule-functions.ts';

/** JSONata's own functions (2.x); a call to a name outside these, our custom functions and local bindings is a typo. */
const builtinFunctions = new Set(('sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad '
  + 'match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean '
  + 'not map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct '
  + 'base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis').split(' '));

export type CompileResult =
  | { ok: true; expression: Expression }
  | { ok: false; message: string; position: number | null };

/** Compiled expressions keyed by source text: a source compiles to the same AST whatever file or version it is in. */
const cache = new Map<string, Expression>();
const cacheLimit = 5000;

/** Walks the AST for calls to functions nobody defines; JSONata itself only notices them when the call runs. */
function findUnknownFunction(ast: ExprNode): { name: string; position: number | null } | null {
  const bound = new Set<string>();
  const calls: { name: string; position: number | null }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (typeof node !== 'object' || node === null) return;
    // The typings miss some node types JSONata produces ("bind"), so the type is widened to string.
    const n = node as Omit<ExprNode, 'type'> & { type: string };
    if (n.type === 'bind' && typeof n.lhs === 'object' && n.lhs !== null && !Array.isArray(n.lhs) && typeof n.lhs.value === 'string') bound.add(n.lhs.value);
    if (n.type === 'lambda') for (const a of n.arguments ?? []) if (typeof a.value === 'string') bound.add(a.value);
    if ((n.type === 'function' || n.type === 'partial') && n.procedure?.type === 'variable' && typeof n.procedure.value === 'string') {
      calls.push({ name: n.procedure.value, position: n.procedure.position ?? null });
    }
    for (const value of Object.values(n)) if (typeof value === 'object') visit(value);
  };
  visit(ast);
  const unknown = calls.find((c) => !builtinFunctions.has(c.name) && !customFunctionNames.has(c.name) && !bound.has(c.name));
  return unknown ?? null;
}

export function compileExpression(source: string): CompileResult {
  const cached = cache.get(source);
  if (cached) return { ok: true, expression: cached };
  let expression: Expression;
  try {
    expression = jsonata(source);
  } catch (error) {
    return { ok: false, ...describeJsonataError(error) };
  }
  const unknown = findUnknownFunction(expression.ast());
  if (unknown) return { ok: false, message: `unknown function $${unknown.name}`, position: unknown.position };
  guardEvaluation(expression);
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(source, expression);
  return { ok: true, expression };
}
