import type { Command } from 'commander';
import { createHttpServer, type HttpServer } from '../../http/index.ts';
import type { App } from '../../app.ts';
import type { CliDeps } from '../cli-deps.ts';
import { untilSignal } from '../until-signal.ts';

/**
 * Starts the HTTP server on the app's services and says where it listens. Without an Entra sign-in the demo's
 * one-time link goes to stdout, not into the log (it is a secret, as Jupyter's token is).
 */
export async function startHttpServer(app: App, deps: CliDeps): Promise<HttpServer> {
  const server = await createHttpServer(app);
  const url = await server.listen();
  deps.logger.info(`http server listening at ${url}; API description at ${server.baseUrl()}/api/v1/openapi.json`);
  const link = server.issueSignInUrl();
  if (link) deps.stdout(`Mailroom console (one-time sign-in link, valid once): ${link}\n`);
  else deps.stdout(`Mailroom console: ${server.baseUrl()}/ (sign in with your Microsoft account)\n`);
  return server;
}

export function registerServeCommands(program: Command, deps: CliDeps): void {
  program
    .command('serve')
    .description('only the HTTP server (API, console, sign-in), without running jobs; `mailroom start` runs it together with a worker')
    .action(async () => {
      // A service: it owns the embedded database like `start` does, so a later `start` can share it.
      const app = await deps.openApp({ lasting: true });
      const server = await startHttpServer(app, deps);
      const signal = await untilSignal();
      deps.logger.info(`${signal}: stopping the http server`);
      await server.close();
      deps.logger.info('stopped');
    });
}
