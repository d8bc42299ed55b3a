import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp, type App } from '../../../../src/app.ts';
import { withHttpDefaults } from '../../../../src/config/http-config.ts';
import type { JobConfig } from '../../../../src/config/job-config.ts';
import type { ConnectionConfig } from '../../../../src/config/connection-config.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/index.ts';
import { createSilentLogger } from '../../../../src/log/index.ts';
import { launchBrowser } from '../../../helpers/launch-browser.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../../../helpers/mail-world.ts';

export interface ConsoleWorld {
  world: MailWorld;
  app: App;
  server: HttpServer;
  url: string;
  browser: Browser;
  /** A browser window signed in through a fresh one-time link, at the given width. */
  signedIn(width?: number): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * The console as a person meets it: the emulator, a throw-away database, the app and its HTTP server on 127.0.0.1,
 * and Debian's Chromium driven by playwright-core. Jobs: the mail world's `support` and a notifications job `notify`.
 */
export async function startConsoleWorld(options: { jobs?: (world: MailWorld) => JobConfig[]; mail?: Parameters<typeof startMailWorld>[0]; env?: Record<string, string>; http?: Record<string, unknown>; connection?: Partial<ConnectionConfig> } = {}): Promise<ConsoleWorld> {
  const world = await startMailWorld(options.mail);
  const notify: JobConfig = { name: 'notify', type: 'notifications', connection: 'test', enabled: true, schedule: '1 minute', file: 'schedules/test.json', mailbox: supportMailbox };
  const jobs = options.jobs ? options.jobs(world) : [...world.app.config.jobs, notify];
  const connections = world.app.config.connections.map((c) => ({ ...c, ...options.connection }));
  const config = { ...world.app.config, connections, env: { ...world.app.config.env, ...options.env }, jobs, http: withHttpDefaults({ port: 0, ...options.http }, 'schedules/http.json'), notificationsFile: join(process.cwd(), 'rules/notifications.json') };
  const app = createApp({ config, store: world.db.store, logger: createSilentLogger() });
  const server = await createHttpServer(app);
  const url = await server.listen();
  const browser = await launchBrowser();
  return {
    world, app, server, url, browser,
    async signedIn(width = 1280) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
      const page = await context.newPage();
      const link = server.issueSignInUrl('/console');
      if (!link) throw new Error('no one-time sign-in link (Entra sign-in configured?)');
      await page.goto(link);
      await page.waitForURL(`${url}/console`);
      return { context, page };
    },
    async close() {
      await browser.close();
      await server.close();
      await world.close();
    },
  };
}
