import type { Command } from 'commander';
import type { CliDeps } from './cli-deps.ts';
import { registerConfigCommands } from './commands/config-commands.ts';
import { registerConnectionCommands } from './commands/connection-commands.ts';
import { registerEmulatorCommands } from './commands/emulator-commands.ts';
import { registerJobsCommands } from './commands/jobs-commands.ts';
import { registerRulesCommands } from './commands/rules-commands.ts';
import { registerTicketsCommands } from './commands/tickets-commands.ts';

/** The one list of command groups; each group lives in its own file under commands/. */
export function registerCommands(program: Command, deps: CliDeps): void {
  registerConfigCommands(program, deps);
  registerConnectionCommands(program, deps);
  registerRulesCommands(program, deps);
  registerJobsCommands(program, deps);
  registerTicketsCommands(program, deps);
  registerEmulatorCommands(program, deps);
}
