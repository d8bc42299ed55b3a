import test from 'ava';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { deliver, simpleMime, type TestEmulator, startAppClient } from './helpers/trusted-clients.ts';

// Change notifications (graph-behaviour.md §8; checklist 16). The receiver is an HTTPS server with the emulator's
// own localhost certificate, which the emulator trusts.
let emulator: TestEmulator;
let client: Client;
let receiver: https.Server;
let receiverUrl: string;
const received: { url: string; contentType: string; body: string }[] = [];
let validationMode: 'echo' | 'json' = 'echo';

test.before(async () => {
  ({ emulator, client } = await startAppClient());
  const [cert, key] = await Promise.all([readFile(path.join(emulator.stateDir, 'localhost-cert.pem'), 'utf8'), readFile(path.join(emulator.stateDir, 'localhost-key.pem'), 'utf8')]);
  receiver = https.createServer({ cert, key }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'https://localhost');
      received.push({ url: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        if (validationMode === 'json') {
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ validationToken: token }));
        } else {
          response.writeHead(200, { 'Content-Type': 'text/plain' }).end(token);
        }
        return;
      }
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `https://localhost:${(receiver.address() as AddressInfo).port}`;
});
test.after.always(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await emulator.stop();
});

const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

async function until<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test.serial('checklist 16: creation runs the validation handshake; new mail is notified with clientState; lifecycle notifications reach the lifecycle URL', async (t) => {
  validationMode = 'echo';
  const subscription = (await client.api('/subscriptions').post({
    changeType: 'created',
    notificationUrl: `${receiverUrl}/notify?tenant=contoso`,
    lifecycleNotificationUrl: `${receiverUrl}/lifecycle`,
    resource: "/users/support@contoso.example/mailFolders('inbox')/messages",
    expirationDateTime: inMinutes(60),
    clientState: 'secret-state-123',
  })) as { id: string; expirationDateTime: string; applicationId: string };
  t.is(subscription.applicationId, emulator.clientId);
  const handshake = received.find((r) => r.url.startsWith('/notify?tenant=contoso&validationToken='));
  t.truthy(handshake, 'the query string of the notification URL is kept');
  t.regex(handshake?.contentType ?? '', /^text\/plain/);
  t.truthy(received.find((r) => r.url.startsWith('/lifecycle?validationToken=')));
  const mail = await deliver(emulator, 'support@contoso.example', 'Inbox', simpleMime('Notify me'));
  const notification = await until(() => received.find((r) => r.url === '/notify?tenant=contoso' && r.body.includes(mail.id)));
  const payload = JSON.parse(notification.body) as { value: { subscriptionId: string; clientState: string; changeType: string; resource: string; tenantId: string; resourceData: { id: string; '@odata.type': string } }[] };
  t.like(payload.value[0], { subscriptionId: subscription.id, clientState: 'secret-state-123', changeType: 'created', tenantId: emulator.tenantId });
  t.is(payload.value[0]?.resourceData.id, mail.id);
  t.is(payload.value[0]?.resourceData['@odata.type'], '#Microsoft.Graph.Message');
  await deliver(emulator, 'support@contoso.example', 'Inbox/Support', simpleMime('Other folder'));
  const lifecycle = await emulator.fetch(`${emulator.url}/_emulator/subscriptions/${subscription.id}/lifecycle`, { method: 'POST', body: JSON.stringify({ lifecycleEvent: 'missed' }) });
  t.is(lifecycle.status, 200);
  const missed = await until(() => received.find((r) => r.url === '/lifecycle' && r.body.includes('"missed"')));
  t.is((JSON.parse(missed.body) as { value: { subscriptionId: string }[] }).value[0]?.subscriptionId, subscription.id);
  t.false(received.some((r) => r.body.includes('Other folder')), 'a folder subscription ignores other folders');
  const renewed = (await client.api(`/subscriptions/${subscription.id}`).patch({ expirationDateTime: inMinutes(120) })) as { expirationDateTime: string };
  t.true(Date.parse(renewed.expirationDateTime) > Date.parse(subscription.expirationDateTime));
  await client.api(`/subscriptions/${subscription.id}`).delete();
  const gone = (await t.throwsAsync(client.api(`/subscriptions/${subscription.id}`).get())) as unknown as { statusCode: number };
  t.is(gone.statusCode, 404);
});

test.serial('checklist 16: a token echoed as JSON fails the handshake; expirations beyond 10,080 minutes fail and under 45 minutes are raised', async (t) => {
  const base = { changeType: 'created,updated', resource: '/users/support@contoso.example/messages', clientState: 'x' };
  validationMode = 'json';
  const refused = (await t.throwsAsync(client.api('/subscriptions').post({ ...base, notificationUrl: `${receiverUrl}/json`, expirationDateTime: inMinutes(60) }))) as unknown as { statusCode: number };
  t.is(refused.statusCode, 400);
  validationMode = 'echo';
  const tooLong = (await t.throwsAsync(client.api('/subscriptions').post({ ...base, notificationUrl: `${receiverUrl}/n`, expirationDateTime: inMinutes(10_081) }))) as unknown as { statusCode: number };
  t.is(tooLong.statusCode, 400);
  const plainHttp = (await t.throwsAsync(client.api('/subscriptions').post({ ...base, notificationUrl: 'http://localhost:1/n', expirationDateTime: inMinutes(60) }))) as unknown as { statusCode: number };
  t.is(plainHttp.statusCode, 400);
  const short = (await client.api('/subscriptions').post({ ...base, notificationUrl: `${receiverUrl}/n`, expirationDateTime: inMinutes(5) })) as { expirationDateTime: string };
  t.true(Date.parse(short.expirationDateTime) >= Date.now() + 44 * 60_000);
});
