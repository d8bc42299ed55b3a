import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, errorCodes, isAppError } from '../../core/index.ts';
import { findRiskyPatterns, formatRuleProblem, loadRuleSet, type RuleProblem } from '../../rules/index.ts';
import type { RulesCliDeps } from './rules-cli-deps.ts';

/** rules/notifications.json is a notification-trigger file (another schema), not a rule set. */
const notRuleSets = new Set(['notifications.json']);

export interface ValidatedFile {
  file: string;
  ok: boolean;
  name?: string;
  rules?: number;
  expressions?: number;
  preprocessSteps?: number;
  problems: RuleProblem[];
}

export async function findDefaultRuleFiles(cwd: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(resolve(cwd, 'rules'));
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json') && !notRuleSets.has(n)).sort().map((n) => join('rules', n));
}

export async function validateRuleFile(file: string, cwd: string): Promise<ValidatedFile> {
  try {
    const ruleSet = await loadRuleSet(file, { cwd });
    const expressions = ruleSet.rules.reduce((n, r) => n + (r.when === null ? 0 : 1) + r.fields.length, 0);
    const preprocessSteps = ruleSet.preprocess.filter((s) => s.enabled !== false).length;
    // The file loads, but a pattern that can backtrack catastrophically would fail mail with RULE_TIMEOUT: say so now.
    const problems = await findRiskyPatterns(ruleSet);
    return { file, ok: problems.length === 0, name: ruleSet.name, rules: ruleSet.rules.length, expressions, preprocessSteps, problems };
  } catch (error) {
    if (!isAppError(error, 'RULE_INVALID')) throw error;
    return { file, ok: false, problems: (error.details.problems ?? []) as RuleProblem[] };
  }
}

/**
 * `mailroom rules validate [files…] [--json]`: compiles every expression of every file and reports all problems.
 * Exit code 2 (RULE_INVALID) when any file has a problem; AppError USAGE when there is nothing to validate.
 */
export async function runRulesValidate(files: string[], options: { json?: boolean }, deps: RulesCliDeps): Promise<void> {
  const targets = files.length > 0 ? files : await findDefaultRuleFiles(deps.cwd);
  if (targets.length === 0) {
    throw new AppError('USAGE', `no rule files found in ${join(deps.cwd, 'rules')}`, { hint: 'Name the files: mailroom rules validate <file…>' });
  }
  const results: ValidatedFile[] = [];
  for (const file of targets) results.push(await validateRuleFile(file, deps.cwd));
  const failed = results.filter((r) => !r.ok);

  if (options.json) {
    deps.stdout(`${JSON.stringify({ ok: failed.length === 0, files: results }, null, 2)}\n`);
  } else {
    for (const r of results) {
      if (r.ok) {
        deps.stdout(`ok    ${r.file}: rule set "${r.name}", ${r.rules} rules, ${r.expressions} expressions, ${r.preprocessSteps} preprocess steps\n`);
      } else {
        deps.stdout(`FAIL  ${r.file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`);
        for (const p of r.problems) deps.stdout(`      ${formatRuleProblem(p)}\n`);
      }
    }
  }
  // RULE_INVALID's exit code, set rather than thrown: the problems are already printed (and --json stays one document).
  if (failed.length > 0) deps.setExitCode(errorCodes.RULE_INVALID.exit);
}
