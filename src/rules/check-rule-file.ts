import { isAppError } from '../core/index.ts';
import type { ConfigProblem } from '../config/config-problem.ts';
import { compileRuleSet } from './compile-rule-set.ts';
import { findRiskyPatterns } from './find-risky-patterns.ts';
import { loadRuleFile } from './load-rule-file.ts';
import type { RuleProblem } from './rule-problem.ts';

function toConfigProblem(problem: RuleProblem): ConfigProblem {
  return {
    file: problem.file,
    pointer: problem.pointer,
    message: problem.position === null ? problem.message : `${problem.message} (at position ${problem.position})`,
    ...(problem.rule === null ? {} : { rule: problem.rule }),
    ...(problem.line === undefined ? {} : { line: problem.line, column: problem.column ?? 1 }),
  };
}

/**
 * Compiles one rule file for the configuration report (loadConfig's `checkRuleFile`): every RULE_INVALID problem as
 * a config problem with file, rule and pointer; with `patterns`, also the regular expressions that can backtrack
 * catastrophically (recheck: 0.1–2 s per pattern, so `config validate` asks for it and `start` does not).
 */
export async function checkRuleFile(path: string, file: string, options: { patterns?: boolean } = {}): Promise<ConfigProblem[]> {
  try {
    const source = await loadRuleFile(path, file);
    const ruleSet = compileRuleSet(file, source.raw, source.hash);
    return options.patterns ? (await findRiskyPatterns(ruleSet)).map(toConfigProblem) : [];
  } catch (error) {
    if (!isAppError(error, 'RULE_INVALID')) throw error;
    return ((error.details.problems ?? []) as RuleProblem[]).map(toConfigProblem);
  }
}
