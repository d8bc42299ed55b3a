import { Command } from 'commander';
import { toAppError } from '../../../src/core/index.ts';
import { registerRulesCommands } from '../../../src/cli/commands/rules-commands.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Code of the AppError the command threw, if any. */
  error: string | null;
}

/** Runs `mailroom rules …` in this process through commander, as main.ts wires it: thrown AppErrors become exit codes. */
export async function runRulesCommand(args: string[], cwd: string): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const program = new Command('mailroom').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerRulesCommands(program, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd,
    setExitCode: (c) => (code = Math.max(code, c)),
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code, stdout, stderr, error: null };
  } catch (error) {
    const appError = toAppError(error);
    return { code: appError.exitCode, stdout, stderr: `${stderr}${appError.message}`, error: appError.code };
  }
}
