import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError, errorCodes, toAppError, type ErrorCode } from '../../core/index.ts';
import { decideMessage } from '../../mail/decide/index.ts';
import { defaultStepOrder, type PreprocessStepConfig } from '../../mail/preprocess/index.ts';
import { loadRuleSet, type CompiledRuleSet, type RuleDecision } from '../../rules/index.ts';
import { threadSnapshot } from '../../tickets/index.ts';
import type { RulesCliDeps } from './rules-cli-deps.ts';
import { checkExpectation, expectedFileFor } from './rules-expect.ts';
import { formatDryRun } from './rules-test-format.ts';
import type { DryRunResult, RulesTestOptions } from './rules-test-types.ts';

export type { DryRunResult, RulesTestOptions } from './rules-test-types.ts';

export const defaultRulesFile = 'rules/default.json';

function allSteps(): PreprocessStepConfig[] {
  return defaultStepOrder.map((s) => ({ ...s, enabled: true }));
}

/**
 * `decide` on one .eml, the function the connector calls: the production path with no database, network or writes.
 * `--known-thread` stands for a thread index that knows the mail's references.
 */
export async function dryRunMessage(file: string, ruleSet: CompiledRuleSet, options: RulesTestOptions, cwd: string): Promise<DryRunResult> {
  const raw = new Uint8Array(await readFile(resolve(cwd, file)));
  const threads = threadSnapshot(new Map());
  const knownThreads = { ...threads, has: () => options.knownThread ?? false, get: () => (options.knownThread ? { number: 0 } : undefined), with: () => knownThreads };
  const preprocess = options.preprocess === 'all' ? { preprocess: allSteps() } : {};
  try {
    const { message, text, preprocess: trace, decision } = await decideMessage({ raw, ruleSet, threads: knownThreads, now: new Date(0), ...preprocess });
    return {
      file, subject: message.subject, from: message.from?.address || null, preprocess: trace, text,
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
    if (!failure.code.startsWith('RULE_') || failure.code === 'RULE_INVALID') throw failure;
    const trace = Array.isArray(failure.details.trace) ? (failure.details.trace as RuleDecision['trace']) : [];
    const partial = (failure.details.decided ?? {}) as { subject?: string; from?: string | null; preprocess?: DryRunResult['preprocess']; text?: string };
    return { file, subject: partial.subject ?? '', from: partial.from ?? null, preprocess: partial.preprocess ?? [], text: partial.text ?? '', rule: null, action: null, fields: {}, threadHint: null, postActions: {}, trace, error: { code: failure.code, message: failure.message } };
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
