import { Writable } from 'node:stream';
import { createApp, type App } from '../../../src/app.ts';
import { createApiTokenStore, type AccessScope } from '../../../src/auth/access/index.ts';
import { withHttpDefaults, type HttpConfig } from '../../../src/config/http-config.ts';
import type { JobConfig } from '../../../src/config/job-config.ts';
import { createHttpServer, type HttpServer, type RouteGroup } from '../../../src/http/index.ts';
import { createLogger } from '../../../src/log/index.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../../helpers/mail-world.ts';
import { join } from 'node:path';

export interface ApiWorld {
  world: MailWorld;
  app: App;
  server: HttpServer;
  url: string;
  /** Every log line the app wrote (JSON objects). */
  logLines(): Record<string, unknown>[];
  /** A new API token with these scopes (printed once, as the CLI does). */
  token(name: string, scopes: readonly AccessScope[]): Promise<string>;
  call(method: string, path: string, options?: { token?: string; cookie?: string; body?: unknown; headers?: Record<string, string>; form?: Record<string, string> }): Promise<CallResult>;
  /** Signs in with a fresh one-time link; returns the session cookie header value. */
  signIn(): Promise<string>;
  close(): Promise<void>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** The emulator, a throw-away database, the app and its HTTP server listening on 127.0.0.1:0; requests go over real HTTP. */
/** Jobs: the mail world's mail job `support` and a notifications job `notify` sending from the support mailbox with rules/notifications.json. */
export async function startApiWorld(options: { http?: Record<string, unknown>; groups?: RouteGroup[]; jobs?: (world: MailWorld) => JobConfig[]; notificationsFile?: string } = {}): Promise<ApiWorld> {
  const world = await startMailWorld();
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)); done(); } });
  const logger = createLogger({ level: 'info', format: 'json', stream });
  const settings: HttpConfig = withHttpDefaults({ port: 0, ...options.http }, 'schedules/http.json');
  const notify: JobConfig = { name: 'notify', type: 'notifications', connection: 'test', enabled: true, schedule: '1 minute', file: 'schedules/test.json', mailbox: supportMailbox };
  const jobs = options.jobs ? options.jobs(world) : [...world.app.config.jobs, notify];
  const config = { ...world.app.config, http: settings, jobs, notificationsFile: options.notificationsFile ?? join(process.cwd(), 'rules/notifications.json') };
  const app = createApp({ config, store: world.db.store, logger });
  const server = await createHttpServer(app, { ...(options.groups ? { extraGroups: options.groups } : {}) });
  const url = await server.listen();
  const tokens = createApiTokenStore(world.db.store, app.clock);

  async function call(method: string, path: string, o: Parameters<ApiWorld['call']>[2] = {}): Promise<CallResult> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.cookie) headers.cookie = o.cookie;
    let body: string | undefined;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    const response = await fetch(`${url}${path}`, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  return {
    world, app, server, url, call,
    logLines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    token: async (name, scopes) => (await tokens.create({ name, scopes })).token,
    async signIn() {
      const link = server.issueSignInUrl();
      if (!link) throw new Error('sign-in with Entra is configured: no one-time link');
      const response = await fetch(link, { redirect: 'manual' });
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mailroom_session='));
      if (!cookie) throw new Error(`one-time sign-in set no session cookie (status ${response.status})`);
      return cookie.split(';')[0]!;
    },
    async close() {
      await server.close();
      await world.close();
    },
  };
}

/** The JSON body of an error answer. */
export function errorOf(result: CallResult): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
  return (result.json as { error: { code: string; message: string; hint?: string; details?: Record<string, unknown> } }).error;
}
