import { AppError } from '../core/index.ts';

/** One thing wrong with one config file: where (file + JSON pointer) and why. */
export interface ConfigProblem {
  file: string;
  /** RFC 6901 pointer into the file's JSON; "" is the whole document. */
  pointer: string;
  message: string;
  /** For a problem inside a rule file: the name of the rule it is in. */
  rule?: string;
  /** 1-based line and column, when known (JSON syntax errors). */
  line?: number;
  column?: number;
}

export function formatProblem(problem: ConfigProblem): string {
  const at = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  const rule = problem.rule === undefined ? '' : ` rule "${problem.rule}"`;
  return `${problem.file}${at}${rule} ${problem.pointer === '' ? '(document)' : problem.pointer}: ${problem.message}`;
}

/** All problems are reported together, so a user fixes a broken config in one pass. */
export function configInvalid(problems: readonly ConfigProblem[]): AppError {
  const lines = problems.map(formatProblem);
  return new AppError('CONFIG_INVALID', `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`, {
    details: { problems },
    hint: 'Fix the listed files; `mailroom config validate` checks them again.',
  });
}
