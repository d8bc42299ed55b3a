import type { Command } from 'commander';
import type { CliDeps } from './cli-deps.ts';
import { registerConfigCommands } from './commands/config-commands.ts';

/** The one list of command groups; each group lives in its own file under commands/. */
export function registerCommands(program: Command, deps: CliDeps): void {
  registerConfigCommands(program, deps);
}
