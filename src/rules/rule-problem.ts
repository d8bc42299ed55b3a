import { AppError } from '../core/index.ts';

/** One thing wrong with a rule file: file, rule, JSON Pointer and, for JSONata errors, the offset in the expression. */
export interface RuleProblem {
  file: string;
  /** Name of the rule the problem is in, or null for file-level problems. */
  rule: string | null;
  /** RFC 6901 pointer into the file's JSON; "" is the whole document. */
  pointer: string;
  message: string;
  /** 0-based character offset inside the JSONata expression, or null. */
  position: number | null;
  /** 1-based line and column in the file, when known (JSON syntax errors). */
  line?: number;
  column?: number;
}

export function formatRuleProblem(problem: RuleProblem): string {
  const at = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  const rule = problem.rule === null ? '' : ` rule "${problem.rule}"`;
  const pointer = problem.pointer === '' ? '(document)' : problem.pointer;
  const position = problem.position === null ? '' : ` (at position ${problem.position})`;
  return `${problem.file}${at}${rule} ${pointer}: ${problem.message}${position}`;
}

export function ruleInvalid(problems: readonly RuleProblem[]): AppError {
  const files = [...new Set(problems.map((p) => p.file))].join(', ');
  return new AppError(
    'RULE_INVALID',
    `invalid rule file ${files} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.map(formatRuleProblem).join('\n  ')}`,
    { details: { problems }, hint: 'Fix the listed places; `mailroom rules validate` checks the files again.' },
  );
}
