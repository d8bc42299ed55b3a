import { AppError } from '../core/index.ts';
import { describeJsonataError } from './describe-jsonata-error.ts';
import { BudgetExceeded, budgetBinding, createBudget } from './guard-evaluation.ts';
import type { CompiledExpression } from './rule-types.ts';

export interface ExpressionContext {
  file: string;
  rule: string;
  timeoutMs: number;
  maxDepth: number;
}

/**
 * Evaluates one compiled expression within its own time and depth budget. Failures become AppErrors naming the
 * file, rule, pointer and position: RULE_TIMEOUT when the budget ran out, RULE_EVALUATION_FAILED otherwise.
 */
export async function evaluateExpression(
  compiled: CompiledExpression,
  document: unknown,
  bindings: Record<string, unknown>,
  context: ExpressionContext,
): Promise<unknown> {
  const where = { file: context.file, rule: context.rule, pointer: compiled.pointer };
  try {
    return await compiled.expression.evaluate(document, { ...bindings, [budgetBinding]: createBudget(context.timeoutMs, context.maxDepth) });
  } catch (error) {
    if (error instanceof BudgetExceeded) {
      throw new AppError('RULE_TIMEOUT', `${context.file} rule "${context.rule}" ${compiled.pointer}: ${error.message}`, {
        cause: error,
        details: { ...where, limit: error.limit, timeoutMs: context.timeoutMs, maxDepth: context.maxDepth },
        hint: 'Fix the expression; `mailroom rules test` runs it on a saved message.',
      });
    }
    // Deep non-tail recursion can exhaust V8's own stack before our depth limit is reached.
    if (error instanceof RangeError) {
      throw new AppError('RULE_TIMEOUT', `${context.file} rule "${context.rule}" ${compiled.pointer}: expression exhausted the stack (runaway recursion?)`, {
        cause: error,
        details: { ...where, limit: 'depth', timeoutMs: context.timeoutMs, maxDepth: context.maxDepth },
      });
    }
    const described = describeJsonataError(error);
    const at = described.position === null ? '' : ` (at position ${described.position})`;
    throw new AppError('RULE_EVALUATION_FAILED', `${context.file} rule "${context.rule}" ${compiled.pointer}: ${described.message}${at}`, {
      cause: error,
      details: { ...where, jsonataCode: described.code, position: described.position },
      hint: 'Fix the expression; `mailroom rules test` runs it on a saved message.',
    });
  }
}
