import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebhookReceiver } from '../notify/helpers/webhook-receiver.ts';
import { startApiWorld } from './helpers/api-world.ts';

test('webhooks configured in schedules/ are delivered by the notifications job after a PATCH', async (t) => {
  const secret = 'whsec_dGVzdC1zZWNyZXQtZm9yLXdlYmhvb2tz';
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-webhook-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'hook-secret'), secret);
  const receiver = await startWebhookReceiver(secret);
  t.teardown(() => receiver.close());
  const api = await startApiWorld({ http: { webhooks: [{ name: 'crm', url: receiver.url, secret: { file: join(dir, 'hook-secret') }, events: ['ticket.assigned'], enabled: true }] } });
  t.teardown(() => api.close());
  const token = await api.token('hooks', ['tickets:write', 'jobs:run']);
  const { ticket } = await api.app.tickets.createTicket({ createdFrom: 'mail:wh', requester: null, subject: 'Hook me', description: '.' });
  t.is((await api.call('PATCH', `/api/v1/tickets/${ticket.number}`, { token, body: { assignee: 'erin@contoso.example' } })).status, 200);
  const run = await api.call('POST', '/api/v1/jobs/notify/run?wait=true', { token });
  t.like(run.json, { status: 'succeeded', counts: { 'webhooks.delivered': 1 } });
  t.deepEqual(receiver.received.map((r) => [r.body.type, r.body.data.ticketNumber, r.signatureValid]), [['ticket.assigned', ticket.number, true]]);
});
