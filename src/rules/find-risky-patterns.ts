import { check, type Diagnostics } from 'recheck';
import type { CompiledExpression, CompiledRuleSet } from './rule-types.ts';
import type { RuleProblem } from './rule-problem.ts';

/** Step patterns run by RE2JS (src/mail/preprocess/steps/linear-pattern.ts) cannot backtrack and are not checked. */
const linearSteps = new Set(['regex-remove', 'regex-replace', 'cut-before', 'cut-after']);
/** Per pattern; a pattern recheck cannot decide in time is not reported ("unknown"). All are checked at once. */
const checkTimeoutMs = 1500;

function regexLiterals(expression: CompiledExpression): RegExp[] {
  const found: RegExp[] = [];
  const visit = (node: unknown): void => {
    if (node instanceof RegExp) { found.push(node); return; }
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (typeof node !== 'object' || node === null) return;
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(expression.expression.ast());
  return found;
}

function describe(diagnostics: Diagnostics): string | null {
  if (diagnostics.status !== 'vulnerable') return null;
  const attack = diagnostics.attack.string;
  const sample = attack.length > 40 ? `${attack.slice(0, 37)}…` : attack;
  return `${diagnostics.complexity.summary} complexity, e.g. on ${JSON.stringify(sample)}`;
}

/**
 * Regular expressions in a rule set that can backtrack catastrophically, found by recheck (an analyser plus fuzzing;
 * its "unknown" verdicts are not reported). Checked by `rules validate` and `config validate`, not when a job loads
 * its rules: at run time the rule worker's bound already stops such a pattern, and a check costs 0.1–2 s per pattern.
 * Covers JSONata regex literals (`/(a+)+$/`) and `patterns` options of preprocess steps that run natively.
 */
export async function findRiskyPatterns(ruleSet: CompiledRuleSet): Promise<RuleProblem[]> {
  const checks: Promise<RuleProblem | null>[] = [];
  const check1 = async (source: string, flags: string, problem: (risk: string) => RuleProblem): Promise<RuleProblem | null> => {
    try {
      const risk = describe(await check(source, flags.replace(/[gy]/g, ''), { timeout: checkTimeoutMs }));
      return risk === null ? null : problem(risk);
    } catch {
      return null; // the checker itself failed: nothing to report about the pattern
    }
  };
  for (const rule of ruleSet.rules) {
    const expressions = [...(rule.when === null ? [] : [rule.when]), ...rule.fields.map(([, e]) => e)];
    for (const expression of expressions) {
      for (const regex of regexLiterals(expression)) {
        checks.push(check1(regex.source, regex.flags, (risk) => ({ file: ruleSet.file, rule: rule.name, pointer: expression.pointer, position: null,
          message: `regular expression /${regex.source}/ can backtrack catastrophically (${risk}); a mail like that fails with RULE_TIMEOUT` })));
      }
    }
  }
  ruleSet.preprocess.forEach((step, index) => {
    if (linearSteps.has(step.step) || step.enabled === false) return;
    const patterns = (step.options as { patterns?: unknown } | undefined)?.patterns;
    if (!Array.isArray(patterns)) return;
    patterns.forEach((source, at) => {
      if (typeof source !== 'string') return;
      checks.push(check1(source, 'iu', (risk) => ({ file: ruleSet.file, rule: null, pointer: `/preprocess/${index}/options/patterns/${at}`, position: null,
        message: `regular expression ${JSON.stringify(source)} can backtrack catastrophically (${risk})` })));
    });
  });
  return (await Promise.all(checks)).filter((p): p is RuleProblem => p !== null);
}
