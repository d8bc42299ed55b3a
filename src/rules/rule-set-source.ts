import type { CompiledRuleSet } from './rule-types.ts';

/** What a rule set was compiled from, so a rule worker can compile the same set in its own thread. */
export interface RuleSetSource {
  file: string;
  hash: string;
  raw: unknown;
}

const sources = new WeakMap<CompiledRuleSet, RuleSetSource>();

export function rememberRuleSetSource(ruleSet: CompiledRuleSet, source: RuleSetSource): void {
  sources.set(ruleSet, source);
}

/** The source of a set made by compileRuleSet; a hand-built CompiledRuleSet has none and cannot be evaluated. */
export function ruleSetSourceOf(ruleSet: CompiledRuleSet): RuleSetSource | undefined {
  return sources.get(ruleSet);
}
