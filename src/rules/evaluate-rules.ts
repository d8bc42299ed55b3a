import { AppError } from '../core/index.ts';
import { defaultTimeoutMs } from './evaluate-rule-list.ts';
import { ruleSetSourceOf } from './rule-set-source.ts';
import { runInRuleWorker } from './rule-worker-pool.ts';
import type { CompiledRuleSet, EvaluateOptions, RuleDecision, RuleInput } from './rule-types.ts';

/**
 * Runs a compiled rule set on one message (see evaluate-rule-list.ts for the semantics) in a rule worker thread, under
 * a hard bound: `options.timeoutMs`, else the rule set's `timeoutMs`, else 1000 ms for the whole message. An overrun
 * rejects with AppError RULE_TIMEOUT naming the file, rule and pointer; the worker is stopped and replaced.
 * A failing expression rejects with RULE_EVALUATION_FAILED or RULE_TIMEOUT as before, with the trace in details.trace.
 */
export async function evaluateRules(ruleSet: CompiledRuleSet, input: RuleInput, options: EvaluateOptions = {}): Promise<RuleDecision> {
  const source = ruleSetSourceOf(ruleSet);
  if (source === undefined) throw new AppError('INTERNAL', `rule set ${ruleSet.file} was not made by compileRuleSet/loadRuleSet`);
  const timeoutMs = options.timeoutMs ?? ruleSet.timeoutMs ?? defaultTimeoutMs;
  // JSONata's own budget check (between AST nodes) stops a loop a little before the watchdog would, so its error can
  // name the expression; the watchdog is what holds the bound when one synchronous call never returns.
  const inner = { ...options, timeoutMs: Math.max(1, Math.floor(timeoutMs * 0.9)) };
  return runInRuleWorker(source, ruleSet, input, inner, timeoutMs);
}
