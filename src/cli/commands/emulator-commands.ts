import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/index.ts';
import { startEmulator } from '../../emulator/index.ts';
import type { CliDeps } from '../cli-deps.ts';

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
function untilStopped(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerEmulatorCommands(program: Command, deps: CliDeps): void {
  program
    .command('emulator')
    .description('run the local Microsoft Graph + Entra ID emulator (for the demo, tests and trying rules without a tenant)')
    .option('--port <n>', 'HTTPS port; 0 picks a free one', '8443')
    .option('--tenant <file>', 'tenant definition', 'fixtures/tenants/demo.json')
    .option('--quiet', 'do not log requests')
    .action(async (options: { port: string; tenant: string; quiet?: boolean }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('USAGE', `--port must be 0..65535, not "${options.port}"`);
      const emulator = await startEmulator({
        port,
        tenantFile: resolve(deps.cwd, options.tenant),
        stateDir: resolve(deps.cwd, '.mailroom', 'emulator'),
        ...(options.quiet ? {} : { log: (line: Record<string, unknown>) => deps.logger.info('request', line) }),
      });
      // The one machine-readable line on stdout; the demo secret is the emulator's own, not a real credential.
      deps.stdout(`${JSON.stringify({ ready: true, url: emulator.url, tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: emulator.clientSecret, caFile: emulator.caFile })}\n`);
      await untilStopped();
      await emulator.close();
    });
}
