import type { Command } from 'commander';
import type { RulesCliDeps } from './rules-cli-deps.ts';
import { defaultRulesFile, runRulesTest, type RulesTestOptions } from './rules-test.ts';
import { runRulesPacks } from './rules-packs.ts';
import { runRulesValidate } from './rules-validate.ts';

export type { RulesCliDeps } from './rules-cli-deps.ts';

/**
 * Adds `mailroom rules validate`, `mailroom rules test` and `mailroom rules packs`. Results are printed and failures found while checking
 * set the exit code (validate: 2 on any problem; test --expect: 1 on any difference, 1 when a rule failed on a
 * message). Bad arguments and an invalid rule file for `test` throw AppError (USAGE, RULE_INVALID: exit 2).
 * Run with program.parseAsync.
 */
export function registerRulesCommands(program: Command, deps: RulesCliDeps): void {
  // program.command (not addCommand) so the group inherits exitOverride and output settings from main.ts.
  const rules = program.command('rules').description('check rule files and try them on saved messages');

  rules
    .command('validate')
    .description('compile every expression of rule files; default: rules/*.json except rules/notifications.json')
    .argument('[files...]', 'rule files')
    .option('--json', 'machine-readable output')
    .action(async (files: string[], options: { json?: boolean }) => {
      await runRulesValidate(files, options, deps);
    });

  rules
    .command('test')
    .description('dry run: parse, preprocess and evaluate rules on .eml files; no database, no network, no writes')
    .argument('<messages...>', '.eml files')
    .option('--rules <file>', 'rule file', defaultRulesFile)
    .option('--preprocess <mode>', '"all": every built-in preprocess step in its default order, whatever the rule file says')
    .option('--json', 'one JSON object per message and line: file, preprocess, text, rule, action, fields, threadHint, postActions, trace')
    .option('--expect', 'compare each x.eml with x.expected.json beside it (fields text, rule, action, objectType, fields, postActions, those present); exit 1 on any difference')
    .option('--known-thread', 'treat every message as a reply to a known message (knownThread = true); a dry run has no database, so it is false otherwise')
    .action(async (messages: string[], options: RulesTestOptions) => {
      await runRulesTest(messages, options, deps);
    });

  rules
    .command('packs')
    .description('the built-in client and language packs, and which ones a rule file enables in which order')
    .option('--rules <file>', 'rule file', defaultRulesFile)
    .option('--json', 'one JSON object: file, packs [{name, kind, title, recognises, enabled, position}]')
    .action(async (options: { rules: string; json?: boolean }) => {
      await runRulesPacks(options, deps);
    });
}
