import type { Command } from 'commander';
import type { CliDeps } from './cli-deps.ts';
import { registerHealthCommands } from './commands/health-commands.ts';
import { registerConfigCommands } from './commands/config-commands.ts';
import { registerConnectionCommands } from './commands/connection-commands.ts';
import { registerEmulatorCommands } from './commands/emulator-commands.ts';
import { registerJobsCommands } from './commands/jobs-commands.ts';
import { registerRulesCommands } from './commands/rules-commands.ts';
import { registerTicketsCommands } from './commands/tickets-commands.ts';
import { registerNotificationsCommands } from './commands/notifications-commands.ts';
import { registerCalendarCommands } from './commands/calendar-commands.ts';
import { registerServiceCommands } from './commands/service-commands.ts';
import { registerQuarantineCommands } from './commands/quarantine-commands.ts';
import { registerJobsResyncCommand } from './commands/jobs-resync-command.ts';
import { registerServeCommands } from './commands/serve-commands.ts';
import { registerApiTokensCommands } from './commands/api-tokens-commands.ts';

/** The one list of command groups; each group lives in its own file under commands/. */
export function registerCommands(program: Command, deps: CliDeps): void {
  registerConfigCommands(program, deps);
  registerConnectionCommands(program, deps);
  registerRulesCommands(program, deps);
  registerJobsCommands(program, deps);
  registerJobsResyncCommand(program, deps);
  registerQuarantineCommands(program, deps);
  registerTicketsCommands(program, deps);
  registerNotificationsCommands(program, deps);
  registerCalendarCommands(program, deps);
  registerServiceCommands(program, deps);
  registerServeCommands(program, deps);
  registerApiTokensCommands(program, deps);
  registerEmulatorCommands(program, deps);
  registerHealthCommands(program, deps);
}
