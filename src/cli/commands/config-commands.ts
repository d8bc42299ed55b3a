import type { Command } from 'commander';
import { isAppError } from '../../core/index.ts';
import { formatProblem, type ConfigProblem } from '../../config/config-problem.ts';
import { roomSyncConfigWarnings } from '../../calendar/index.ts';
import type { CliDeps } from '../cli-deps.ts';

export function registerConfigCommands(program: Command, deps: CliDeps): void {
  const config = program.command('config').description('check schedules/ and rules/');
  config
    .command('validate')
    .description('validate every schedule and rule file; exit 0 when all is valid, 2 with the list of problems otherwise')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      let problems: ConfigProblem[] = [];
      let warnings: ConfigProblem[] = [];
      let summary = { connections: 0, jobs: 0, ruleSets: 0 };
      try {
        const loaded = await deps.loadConfig();
        summary = { connections: loaded.connections.length, jobs: loaded.jobs.length, ruleSets: Object.keys(loaded.ruleSets).length };
        warnings = roomSyncConfigWarnings(loaded.jobs);
      } catch (error) {
        if (!isAppError(error, 'CONFIG_INVALID')) throw error;
        problems = (error.details.problems as ConfigProblem[] | undefined) ?? [];
      }
      const valid = problems.length === 0;
      if (options.json) {
        deps.stdout(`${JSON.stringify({ valid, problems, warnings, ...(valid ? summary : {}) })}\n`);
      } else if (valid) {
        deps.stdout(`config is valid: ${summary.connections} connection(s), ${summary.jobs} job(s), ${summary.ruleSets} rule set(s)\n`);
        // Warnings do not fail validation.
        for (const warning of warnings) deps.stderr(`warning: ${formatProblem(warning)}\n`);
      } else {
        deps.stderr(`config is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
        for (const problem of problems) deps.stderr(`  ${formatProblem(problem)}\n`);
      }
      if (!valid) deps.setExitCode(2);
    });
}
