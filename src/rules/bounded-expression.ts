import jsonata, { type Expression } from 'jsonata';
import { AppError } from '../core/index.ts';
import { BudgetExceeded, budgetBinding, createBudget, guardEvaluation } from './guard-evaluation.ts';

/**
 * JSONata for other modules (notification conditions and recipients): compiled with the same time and depth guard
 * the rules use, so src/rules stays the only importer of jsonata.
 */
export type BoundedExpression = { ok: true; expression: Expression } | { ok: false; message: string };

export function compileBoundedExpression(source: string): BoundedExpression {
  try {
    const expression = jsonata(source);
    guardEvaluation(expression);
    return { ok: true, expression };
  } catch (error) {
    return { ok: false, message: (error as { message?: string }).message ?? String(error) };
  }
}

export interface BoundedEvaluationOptions {
  timeoutMs: number;
  maxDepth: number;
  /** Names the expression in errors, e.g. "rules/notifications.json /rules/0/when". */
  where: string;
  hint: string;
}

/** Evaluates within budget; failures become RULE_TIMEOUT or RULE_EVALUATION_FAILED naming where the expression lives. */
export async function evaluateBoundedExpression(expression: Expression, document: unknown, options: BoundedEvaluationOptions): Promise<unknown> {
  try {
    return await expression.evaluate(document, { [budgetBinding]: createBudget(options.timeoutMs, options.maxDepth) });
  } catch (error) {
    if (error instanceof BudgetExceeded || error instanceof RangeError) {
      throw new AppError('RULE_TIMEOUT', `${options.where}: ${error.message}`, { cause: error, hint: options.hint });
    }
    const message = (error as { message?: string }).message ?? String(error);
    throw new AppError('RULE_EVALUATION_FAILED', `${options.where}: ${message}`, { cause: error, hint: options.hint });
  }
}
