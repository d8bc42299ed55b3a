import { AppError, toAppError } from '../core/index.ts';
import { buildRuleDocument } from './build-rule-document.ts';
import { evaluateExpression, type ExpressionContext } from './evaluate-expression.ts';
import { findTicketToken } from './find-ticket-token.ts';
import { createRuleFunctions } from './rule-functions.ts';
import type { CompiledRuleSet, EvaluateOptions, PostActions, RuleDecision, RuleInput, RuleTraceEntry } from './rule-types.ts';
import { toPlainJson } from './to-plain-json.ts';

const defaultTimeoutMs = 1000;
const defaultMaxDepth = 500;

/** Later post-actions override earlier ones field by field; categories add up. */
function mergePostActions(base: PostActions, next: Readonly<PostActions>): PostActions {
  const merged: PostActions = { ...base, ...next };
  if (base.categories || next.categories) merged.categories = [...new Set([...(base.categories ?? []), ...(next.categories ?? [])])];
  return merged;
}

/** JSONata's truthiness: what its boolean() function would say about a `when` result. */
function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return (value as unknown[]).some(isTruthy);
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'function') return false;
  return value === true;
}

function threadReferences(input: RuleInput): string[] {
  const { inReplyTo, references } = input.message.ids;
  return [...new Set([...(inReplyTo === null ? [] : [inReplyTo]), ...references])];
}

/**
 * Runs a compiled rule set on one message. Pure: no I/O, the result depends on the input only
 * (except $now()/$millis(), which read the clock). Rules run in order; a matching rule sets the action, adds its
 * fields (later rules win) and post-actions, and ends the list unless it says stop=false.
 * A failing or runaway expression fails the whole message: AppError RULE_EVALUATION_FAILED or RULE_TIMEOUT,
 * with the trace so far in details.trace.
 */
export async function evaluateRules(ruleSet: CompiledRuleSet, input: RuleInput, options: EvaluateOptions = {}): Promise<RuleDecision> {
  const document = buildRuleDocument(input);
  const functions = createRuleFunctions(input.message, ruleSet.ticketTokenPrefix, { intake: ruleSet.intake, input });
  const decision: RuleDecision = {
    rule: null,
    action: 'none',
    fields: {},
    threadHint: { ticketNumber: findTicketToken(input.message.subject, ruleSet.ticketTokenPrefix), references: threadReferences(input) },
    postActions: mergePostActions({}, ruleSet.postActions),
    trace: [],
  };
  const budget = { timeoutMs: options.timeoutMs ?? defaultTimeoutMs, maxDepth: options.maxDepth ?? defaultMaxDepth };

  for (const rule of ruleSet.rules) {
    const context: ExpressionContext = { file: ruleSet.file, rule: rule.name, ...budget };
    const entry: RuleTraceEntry = { rule: rule.name, matched: false };
    decision.trace.push(entry);
    try {
      const bindings = { ...functions, fields: { ...decision.fields } };
      entry.matched = rule.when === null || isTruthy(await evaluateExpression(rule.when, document, bindings, context));
      if (!entry.matched) continue;
      const fields: Record<string, unknown> = {};
      for (const [name, expression] of rule.fields) {
        const value = toPlainJson(await evaluateExpression(expression, document, bindings, context));
        if (value !== undefined) fields[name] = value;
      }
      Object.assign(decision.fields, fields);
    } catch (error) {
      const failure = toAppError(error, 'RULE_EVALUATION_FAILED');
      entry.error = failure.message;
      throw new AppError(failure.code, failure.message, {
        cause: failure.cause ?? error,
        details: { ...failure.details, trace: decision.trace },
        hint: failure.hint,
      });
    }
    decision.rule = rule.name;
    decision.action = rule.action;
    if (rule.objectType === null) delete decision.objectType;
    else decision.objectType = rule.objectType;
    decision.postActions = mergePostActions(decision.postActions, rule.postActions);
    if (rule.stop) break;
  }

  const tokenField = decision.fields.ticketNumber;
  if (typeof tokenField === 'number' && Number.isInteger(tokenField)) decision.threadHint.ticketNumber = tokenField;
  return decision;
}
