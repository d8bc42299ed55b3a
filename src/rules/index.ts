export type {
  CompiledExpression,
  CompiledRule,
  CompiledRuleSet,
  DecisionAction,
  EvaluateOptions,
  PostActions,
  RuleAction,
  RuleDecision,
  RuleInput,
  RuleSetSpec,
  RuleSpec,
  RuleTraceEntry,
} from './rule-types.ts';
export { compileRuleSet } from './compile-rule-set.ts';
export { evaluateRules } from './evaluate-rules.ts';
export { loadRuleSet } from './load-rule-set.ts';
export { loadRuleFile, type RuleFileSource } from './load-rule-file.ts';
export { findTicketToken } from './find-ticket-token.ts';
export { formatRuleProblem, type RuleProblem } from './rule-problem.ts';
export { compileBoundedExpression, evaluateBoundedExpression, type BoundedExpression, type BoundedEvaluationOptions } from './bounded-expression.ts';
export type { Expression as JsonataExpression } from 'jsonata';
export { describeSender, formatSenderDescription, type SenderDescription } from './describe-sender.ts';
