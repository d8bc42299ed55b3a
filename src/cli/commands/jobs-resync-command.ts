import type { Command } from 'commander';
import { AppError } from '../../core/index.ts';
import { createDeltaStateStore, readMailBacklog } from '../../mail/connector/index.ts';
import type { CliDeps } from '../cli-deps.ts';

/**
 * `mailroom jobs resync <job>`: the next run of a mail job drops its saved delta position and reads the folder in
 * full (the ledger keeps every mail once). Added to the `jobs` group, which lives in jobs-commands.ts.
 */
export function registerJobsResyncCommand(program: Command, deps: CliDeps): void {
  const jobs = program.commands.find((command) => command.name() === 'jobs') ?? program.command('jobs');
  jobs
    .command('resync')
    .description('make the next run of a mail job read its folder in full')
    .argument('<name>', 'mail job name from schedules/')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const app = await deps.openApp();
      const job = app.findJob(name);
      if (job.type !== 'mail') throw new AppError('USAGE', `job ${name} is a ${job.type} job; \`jobs resync\` is for mail jobs (calendar jobs: \`mailroom calendar resync\`)`);
      const positions = await createDeltaStateStore(app.store).requestResync(name, app.clock());
      // The first run is kept: a resync skips the same backlog again (README, "First connection to a full mailbox").
      const cutoff = (await readMailBacklog(app.store, job))?.cutoff ?? null;
      if (options.json) return void deps.stdout(`${JSON.stringify({ job: name, positions, backlogBefore: cutoff })}\n`);
      deps.stdout(positions > 0
        ? `the next run of ${name} reads ${job.folder} in full (no mail is processed twice); run it now with \`mailroom jobs run ${name}\`\n`
        : `${name} has no saved position yet: its next run reads ${job.folder} in full anyway\n`);
      if (cutoff) deps.stdout(`mail received before ${cutoff.toISOString()} stays skipped as backlog (to import older mail: backlog "import" with an earlier \`since\`, then resync)\n`);
    });
}
