import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError, errorCodes, toAppError, type ErrorCode } from '../../core/index.ts';
import { parseMessage } from '../../mail/parse/index.ts';
import { defaultStepOrder, preprocessMessage, type PreprocessStepConfig } from '../../mail/preprocess/index.ts';
import { describeSender, evaluateRules, loadRuleSet, type CompiledRuleSet, type RuleDecision } from '../../rules/index.ts';
import type { RulesCliDeps } from './rules-cli-deps.ts';
import { checkExpectation, expectedFileFor } from './rules-expect.ts';
import { formatDryRun } from './rules-test-format.ts';
import type { DryRunResult, RulesTestOptions } from './rules-test-types.ts';

export type { DryRunResult, RulesTestOptions } from './rules-test-types.ts';

export const defaultRulesFile = 'rules/default.json';

function allSteps(): PreprocessStepConfig[] {
  return defaultStepOrder.map((s) => ({ ...s, enabled: true }));
}

/** Parse → preprocess → rules on one .eml: the production code path with no database, network or writes. */
export async function dryRunMessage(file: string, ruleSet: CompiledRuleSet, options: RulesTestOptions, cwd: string): Promise<DryRunResult> {
  const raw = await readFile(resolve(cwd, file));
  const message = await parseMessage(raw);
  const steps = options.preprocess === 'all' ? allSteps() : ruleSet.preprocess;
  const preprocessed = preprocessMessage(message, steps);
  const base = { file, subject: message.subject, from: message.from?.address || null, preprocess: preprocessed.trace, text: preprocessed.text, sender: describeSender(ruleSet, message) };
  try {
    const decision = await evaluateRules(ruleSet, { message, text: preprocessed.text, knownThread: options.knownThread ?? false });
    return {
      ...base,
      rule: decision.rule,
      action: decision.action,
      ...(decision.objectType === undefined ? {} : { objectType: decision.objectType }),
      fields: decision.fields,
      threadHint: decision.threadHint,
      postActions: decision.postActions,
      trace: decision.trace,
    };
  } catch (error) {
    const failure = toAppError(error, 'RULE_EVALUATION_FAILED');
    const trace = Array.isArray(failure.details.trace) ? (failure.details.trace as RuleDecision['trace']) : [];
    return { ...base, rule: null, action: null, fields: {}, threadHint: null, postActions: {}, trace, error: { code: failure.code, message: failure.message } };
  }
}

async function assertReadable(files: string[], cwd: string): Promise<void> {
  const missing: string[] = [];
  for (const file of files) {
    try {
      await access(resolve(cwd, file));
    } catch {
      missing.push(file);
    }
  }
  if (missing.length > 0) throw new AppError('USAGE', `cannot read ${missing.join(', ')}`, { details: { files: missing } });
}

/**
 * `mailroom rules test <message.eml…> [--rules <file>] [--preprocess all] [--json] [--expect] [--known-thread]`.
 * Throws AppError RULE_INVALID (exit 2) for a broken rule file and USAGE for bad arguments, before printing anything.
 * After printing: exit 1 (RULE_EXPECTATION_FAILED) when --expect found differences, and the exit code of a
 * message's own error (RULE_TIMEOUT, RULE_EVALUATION_FAILED: 1) when a rule failed on it.
 */
export async function runRulesTest(files: string[], options: RulesTestOptions, deps: RulesCliDeps): Promise<void> {
  if (options.preprocess !== undefined && options.preprocess !== 'all') {
    throw new AppError('USAGE', `--preprocess accepts only "all" (got "${options.preprocess}")`);
  }
  if (files.length === 0) throw new AppError('USAGE', 'name at least one .eml file');
  await assertReadable(files, deps.cwd);
  const rulesFile = options.rules ?? defaultRulesFile;
  const ruleSet = await loadRuleSet(rulesFile, { cwd: deps.cwd });

  const results: DryRunResult[] = [];
  for (const file of files) {
    const result = await dryRunMessage(file, ruleSet, options, deps.cwd);
    if (options.expect) {
      const expectedName = expectedFileFor(file);
      result.expectation = await checkExpectation(resolve(deps.cwd, expectedName), expectedName, result as unknown as Record<string, unknown>);
    }
    results.push(result);
    deps.stdout(options.json ? `${JSON.stringify(result)}\n` : formatDryRun(result, rulesFile, options));
  }

  const failedMessage = results.find((r) => r.error !== undefined);
  const differing = results.filter((r) => r.expectation !== undefined && !r.expectation.ok);
  if (!options.json && options.expect) {
    deps.stdout(`${results.length - differing.length} of ${results.length} message${results.length === 1 ? '' : 's'} as expected\n`);
  }
  // Exit codes are set, not thrown: everything is already printed and --json output stays one object per message.
  if (differing.length > 0) deps.setExitCode(errorCodes.RULE_EXPECTATION_FAILED.exit);
  if (failedMessage?.error) deps.setExitCode(errorCodes[failedMessage.error.code as ErrorCode].exit);
}
