import jsonata, { type Expression } from 'jsonata';
import { performance } from 'node:perf_hooks';
import { AppError } from '../core/index.ts';

/**
 * A small time- and depth-bounded JSONata evaluator for notification conditions and recipient expressions.
 * It uses the same hook as src/rules (JSONata 2 calls the function bound to Symbol.for('jsonata.__evaluate_entry')
 * before each AST node); src/rules does not export its guard and notify may not import rules (layering), so the
 * ten lines live here too. The check runs between nodes: one long synchronous step is not interrupted.
 */
const entrySymbol = Symbol.for('jsonata.__evaluate_entry');
const budgetBinding = '__mailroomNotifyBudget';
const timeoutMs = 500;
const maxDepth = 200;

class BudgetExceeded extends Error {}

interface GuardEnvironment {
  lookup(name: string): unknown;
  base?: { depth?: number };
}

function checkBudget(_node: unknown, _input: unknown, environment: GuardEnvironment): void {
  const deadline = environment.lookup(budgetBinding) as number | undefined;
  if (deadline === undefined) return;
  if ((environment.base?.depth ?? 0) > maxDepth) throw new BudgetExceeded(`expression nested deeper than ${maxDepth} levels`);
  if (performance.now() > deadline) throw new BudgetExceeded(`expression ran longer than ${timeoutMs} ms`);
}

export type CompiledJsonata = { ok: true; expression: Expression } | { ok: false; message: string };

export function compileJsonata(source: string): CompiledJsonata {
  try {
    const expression = jsonata(source);
    // The typings only allow string names; JSONata's environment stores symbol keys the same way.
    expression.assign(entrySymbol as unknown as string, checkBudget);
    return { ok: true, expression };
  } catch (error) {
    return { ok: false, message: (error as { message?: string }).message ?? String(error) };
  }
}

/** Evaluates within budget; failures become RULE_TIMEOUT / RULE_EVALUATION_FAILED naming where the expression lives. */
export async function evaluateBounded(expression: Expression, document: unknown, where: string): Promise<unknown> {
  try {
    return await expression.evaluate(document, { [budgetBinding]: performance.now() + timeoutMs });
  } catch (error) {
    if (error instanceof BudgetExceeded || error instanceof RangeError) {
      throw new AppError('RULE_TIMEOUT', `${where}: ${error.message}`, { cause: error, hint: 'Fix the expression in rules/notifications.json.' });
    }
    const message = (error as { message?: string }).message ?? String(error);
    throw new AppError('RULE_EVALUATION_FAILED', `${where}: ${message}`, { cause: error, hint: 'Fix the expression in rules/notifications.json.' });
  }
}
