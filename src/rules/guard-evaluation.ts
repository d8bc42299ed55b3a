import type { Expression } from 'jsonata';
import { performance } from 'node:perf_hooks';

/**
 * Bounds every evaluation of an expression in time and depth. JSONata 2 calls the function bound to
 * Symbol.for('jsonata.__evaluate_entry') before it evaluates each AST node, and counts nesting in
 * `environment.base.depth`. Its built-in `timeout`/`stack` options are fixed per compiled expression; we want the
 * budget per call (and one cached expression shared by many calls), so the budget travels in the call's bindings.
 *
 * The check runs between nodes: one long synchronous step (a catastrophic regex, a huge $pad) is not interrupted.
 */
const entrySymbol = Symbol.for('jsonata.__evaluate_entry');
export const budgetBinding = '__mailroomBudget';

export interface EvaluationBudget {
  readonly deadline: number;
  readonly maxDepth: number;
  readonly timeoutMs: number;
}

/** Thrown from inside JSONata when a budget runs out; evaluateExpression turns it into AppError RULE_TIMEOUT. */
export class BudgetExceeded extends Error {
  readonly limit: 'time' | 'depth';
  constructor(limit: 'time' | 'depth', message: string) {
    super(message);
    this.name = 'BudgetExceeded';
    this.limit = limit;
  }
}

export function createBudget(timeoutMs: number, maxDepth: number): EvaluationBudget {
  return { deadline: performance.now() + timeoutMs, maxDepth, timeoutMs };
}

interface GuardEnvironment {
  lookup(name: string): unknown;
  base?: { depth?: number };
}

function checkBudget(_node: unknown, _input: unknown, environment: GuardEnvironment): void {
  const budget = environment.lookup(budgetBinding) as EvaluationBudget | undefined;
  if (budget === undefined) return;
  const depth = environment.base?.depth ?? 0;
  if (depth > budget.maxDepth) {
    throw new BudgetExceeded('depth', `expression nested deeper than ${budget.maxDepth} levels (runaway recursion?)`);
  }
  if (performance.now() > budget.deadline) {
    throw new BudgetExceeded('time', `expression ran longer than ${budget.timeoutMs} ms (endless loop?)`);
  }
}

export function guardEvaluation(expression: Expression): void {
  // The typings only allow string names; JSONata's environment stores symbol keys the same way.
  expression.assign(entrySymbol as unknown as string, checkBudget);
}
