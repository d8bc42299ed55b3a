import test from 'ava';
import { Command } from 'commander';
import { createApp } from '../../src/app.ts';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { registerCommands } from '../../src/cli/register-commands.ts';
import { withHttpDefaults } from '../../src/config/http-config.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createApiTokenStore } from '../../src/auth/access/index.ts';
import { createHttpServer } from '../../src/http/index.ts';
import { createWebhookQueue, deliverWebhooks } from '../../src/notify/webhooks/index.ts';
import type { App } from '../../src/app.ts';
import { startMailWorld } from '../helpers/mail-world.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** `mailroom …` as registered, in-process on a real app; returns what it printed and the exit code it set. */
async function cli(app: App, args: string[]): Promise<{ out: string; code: number }> {
  let out = '';
  let code = 0;
  const deps: CliDeps = {
    stdout: (text) => void (out += text), stderr: () => undefined, cwd: app.config.root, env: {}, isTTY: false,
    loadConfig: async () => app.config, setExitCode: (c) => void (code = c), openStore: async () => app.store, openApp: async () => app, logger: createSilentLogger(),
  };
  const program = new Command().exitOverride();
  registerCommands(program, deps);
  await program.parseAsync(['node', 'mailroom', ...args]);
  return { out, code };
}

test('a webhook target that never accepts an event raises an alert (health) until it is fixed and `notifications redeliver` queues the event again', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const receiver = await startWebhookReceiver(secret);
  t.teardown(() => receiver.close());
  const http = withHttpDefaults({ port: 0, webhooks: [{ name: 'crm', url: receiver.url, secret: { env: 'CRM_SECRET' } }] }, 'schedules/http.json');
  const app = createApp({ config: { ...world.app.config, http, env: { ...world.app.config.env, CRM_SECRET: secret } }, store: world.db.store, logger: createSilentLogger() });
  const deliver = () => deliverWebhooks({ store: app.store, clock: app.clock, logger: createSilentLogger(), targets: http.webhooks, env: app.config.env, baseDir: process.cwd(), limits: { maxAttempts: 1 } });
  await deliver(); // the target's watermark starts now
  await app.tickets.createTicket({ createdFrom: 'mail:hook-1', requester: null, subject: 'Printer on fire', description: '.' });

  receiver.failNext(1, 503);
  t.like(await deliver(), { queued: 1, delivered: 0, failed: 1 });
  t.deepEqual((await createWebhookQueue(app.store, app.clock).failedByTarget()).map((f) => [f.target, f.failed, f.lastError?.message]), [['crm', 1, 'crm answered 503']]);
  const degraded = await cli(app, ['health', '--json']);
  const check = (JSON.parse(degraded.out) as { checks: { name: string; status: string; message: string }[] }).checks.find((c) => c.name.includes('webhook-failing:crm'));
  t.truthy(check, degraded.out);
  t.regex(check!.message, /webhook target crm did not accept 1 event in all their attempts \(last: crm answered 503\)/);

  // The API's face of the same: what failed, and who may queue it again.
  const server = await createHttpServer(app);
  t.teardown(() => server.close());
  const url = await server.listen();
  const tokens = createApiTokenStore(app.store, app.clock);
  const reader = (await tokens.create({ name: 'reader', scopes: ['notifications:read'] })).token;
  const operator = (await tokens.create({ name: 'operator', scopes: ['notifications:read', 'jobs:manage'] })).token;
  const api = async (method: string, path: string, token: string) => {
    const response = await fetch(`${url}/api/v1/notifications${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: await response.json() as Record<string, unknown> };
  };
  t.like(await api('GET', '/webhooks/failed', reader), { status: 200, json: { targets: [{ target: 'crm', failed: 1, lastError: { code: 'WEBHOOK_DELIVERY_FAILED' } }] } });
  t.is((await api('POST', '/webhooks/crm/redeliver', reader)).status, 403, 'a reader may not redeliver');
  t.like(await api('POST', '/webhooks/erp/redeliver', operator), { status: 400, json: { error: { code: 'USAGE' } } });

  const unknown = await t.throwsAsync(cli(app, ['notifications', 'redeliver', 'erp']));
  t.regex(String(unknown), /no webhook target named "erp" \(known: crm\)/);
  t.is((await cli(app, ['notifications', 'redeliver', 'crm'])).out, 'queued 1 event(s) to crm again: the notifications job delivers them on its next run\n');
  t.like(await deliver(), { queued: 0, delivered: 1 });
  t.deepEqual(receiver.received.map((r) => r.body.type), ['ticket.created', 'ticket.created'], 'the same event, sent again');
  t.is(new Set(receiver.received.map((r) => r.id)).size, 1, 'with its webhook-id, so the receiver can drop a repeat');
  const healthy = await cli(app, ['health', '--json']);
  t.false(healthy.out.includes('webhook-failing'), healthy.out);
  t.is((await cli(app, ['notifications', 'redeliver', 'crm'])).out, 'crm has no failed deliveries\n');
  t.like(await api('GET', '/webhooks/failed', reader), { status: 200, json: { targets: [] } });
  t.like(await api('POST', '/webhooks/crm/redeliver', operator), { status: 200, json: { target: 'crm', queued: 0 } });
});
