import type { JsonataExpression as Expression } from '../rules/index.ts';
import { compileBoundedExpression, evaluateBoundedExpression, type BoundedExpression } from '../rules/index.ts';

/** Notification expressions get a tighter budget than mail rules: they run once per event and recipient. */
const budget = { timeoutMs: 500, maxDepth: 200, hint: 'Fix the expression in rules/notifications.json.' };

export type CompiledJsonata = BoundedExpression;

export const compileJsonata = compileBoundedExpression;

export function evaluateBounded(expression: Expression, document: unknown, where: string): Promise<unknown> {
  return evaluateBoundedExpression(expression, document, { ...budget, where });
}
