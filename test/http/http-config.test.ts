import test from 'ava';
import { loadConfig } from '../../src/config/load-config.ts';
import { isAppError } from '../../src/core/index.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'contoso', tenantId: 'contoso.onmicrosoft.com', clientId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', credential: { clientSecret: { env: 'SECRET' } } };

async function load(files: Record<string, unknown>, env: Record<string, string> = {}) {
  const project = await makeTempProject(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, JSON.stringify(v)])));
  try {
    return await loadConfig({ root: project.dir, env });
  } finally {
    await project.cleanup();
  }
}

async function problems(files: Record<string, unknown>, env: Record<string, string> = {}): Promise<{ file: string; pointer: string; message: string }[]> {
  try {
    await load(files, env);
  } catch (error) {
    if (isAppError(error, 'CONFIG_INVALID')) return error.details.problems as { file: string; pointer: string; message: string }[];
    throw error;
  }
  return [];
}

test('without an http object the server gets the demo defaults: loopback, port 8080, no sign-in, no webhooks', async (t) => {
  const config = await load({ 'schedules/c.json': { connections: [connection] } });
  t.like(config.http, { host: '127.0.0.1', port: 8080, signIn: null, webhooks: [], sessionHours: 12, trustProxy: false, file: null });
  const overridden = await load({ 'schedules/c.json': { connections: [connection] } }, { MAILROOM_HTTP_PORT: '0' });
  t.is(overridden.http?.port, 0);
});

test('an http object is read with its defaults filled in', async (t) => {
  const config = await load({ 'schedules/c.json': { connections: [connection], http: { host: '0.0.0.0', publicBaseUrl: 'https://mailroom.contoso.com/', signIn: { connection: 'contoso' }, webhooks: [{ name: 'crm', url: 'https://crm.contoso.com/h', secret: { env: 'HOOK' } }] } } });
  t.like(config.http, { host: '0.0.0.0', publicBaseUrl: 'https://mailroom.contoso.com', signIn: { connection: 'contoso', admins: [], readers: [] } });
  t.like(config.http?.webhooks[0], { name: 'crm', enabled: true, events: null });
});

test('bad http settings are reported with file and pointer', async (t) => {
  t.like((await problems({ 'schedules/c.json': { connections: [connection], http: { prot: 80 } } }))[0], { file: 'schedules/c.json', pointer: '/http/prot' });
  t.like((await problems({ 'schedules/c.json': { connections: [connection], http: { port: 'eighty' } } }))[0], { pointer: '/http/port' });
  t.like((await problems({ 'schedules/c.json': { connections: [connection], http: { signIn: { connection: 'fabrikam' } } } }))[0], { pointer: '/http/signIn/connection' });
  t.like((await problems({ 'schedules/c.json': { connections: [connection], http: { webhooks: [{ name: 'crm', url: 'https://x.example', secret: { env: 'H' }, events: ['ticket.deleted'] }] } } }))[0], { pointer: '/http/webhooks/0/events/0' });
  const twice = await problems({ 'schedules/a.json': { connections: [connection], http: {} }, 'schedules/b.json': { http: {} } });
  t.like(twice[0], { file: 'schedules/b.json', pointer: '/http' });
  t.regex(twice[0]!.message, /also configured in schedules\/a\.json/);
  t.like((await problems({ 'schedules/c.json': { connections: [connection] } }, { MAILROOM_HTTP_PORT: 'http' }))[0], { pointer: '/MAILROOM_HTTP_PORT' });
});
