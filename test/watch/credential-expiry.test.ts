import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { generate } from 'selfsigned';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { createOutbox } from '../../src/notify/index.ts';
import { listActiveAlerts, readCredentialExpiry } from '../../src/watch/index.ts';
import { adminAddress, alertsJob, startAlertsWorld } from './alerts-world.ts';
import { testConnection } from '../helpers/mail-world.ts';

const dayMs = 86_400_000;

async function writeCertificate(file: string, notAfter: Date, notBefore: Date): Promise<void> {
  const pems = await generate([{ name: 'commonName', value: 'mailroom-test' }], { keySize: 2048, notBeforeDate: notBefore, notAfterDate: notAfter });
  await writeFile(file, pems.cert);
}

test('certificate expiry is read from the certificate file: a warning within 30 days, one more mail within 7, recovered when renewed', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const now = world.clock();
  const file = join(world.dir, 'app-cert.pem');
  await writeCertificate(file, new Date(now.getTime() + 20 * dayMs), new Date(now.getTime() - dayMs));
  const connection: ConnectionConfig = {
    ...testConnection(world.emulator), name: 'cert', credential: { certificate: { privateKey: { env: 'UNUSED_KEY' }, certificateFile: file } },
  };
  t.is((await readCredentialExpiry(connection, '/')).source, 'certificateFile');
  // Days pass between the runs here: the alerts job's own silence is not what this test is about.
  const app = world.app([alertsJob({ rules: { jobSilent: { enabled: false } } })], [connection]);
  const outbox = createOutbox(world.db.store, world.clock);

  const first = await app.runJobNow('alerts');
  t.is(first.counts.fired, 1, JSON.stringify(first.items));
  const [warning] = await listActiveAlerts(world.db.store);
  t.is(warning!.key, 'credential-expiry:cert');
  t.is(warning!.severity, 'warning');
  t.regex(warning!.summary, /the certificate of connection cert expires on \d{4}-\d\d-\d\d, in 20 days/);

  world.clock.advance(7 * dayMs);
  const second = await app.runJobNow('alerts');
  t.is(second.counts.queued ?? 0, 0, JSON.stringify(second.items));

  world.clock.advance(7 * dayMs);
  const critical = await app.runJobNow('alerts');
  t.is(critical.counts.escalated, 1);
  t.is((await listActiveAlerts(world.db.store))[0]!.severity, 'critical');

  // The certificate is renewed in place: the next evaluation reads the new file and clears the alert.
  await writeCertificate(file, new Date(world.clock().getTime() + 365 * dayMs), world.clock());
  const renewed = await app.runJobNow('alerts');
  t.is(renewed.counts.recovered, 1);
  t.deepEqual(await listActiveAlerts(world.db.store), []);

  const mails = (await outbox.list({ limit: 10 })).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  t.deepEqual(mails.map((m) => [m.to, m.subject.replace(/ on .*/, '')]), [
    [adminAddress, '[Mailroom] Warning: the certificate of connection cert expires'],
    [adminAddress, '[Mailroom] Critical now: the certificate of connection cert expires'],
    [adminAddress, '[Mailroom] Recovered: the certificate of connection cert expires'],
  ]);
});

test('an unreadable certificate file is a warning that names the file, not a crash of the alerts job', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const file = join(world.dir, 'not-a-cert.pem');
  await writeFile(file, 'hello');
  const connection: ConnectionConfig = { ...testConnection(world.emulator), name: 'broken', credential: { certificate: { privateKey: { env: 'UNUSED_KEY' }, certificateFile: file } } };
  const run = await world.app([alertsJob()], [connection]).runJobNow('alerts');
  t.is(run.status, 'succeeded');
  const [alert] = await listActiveAlerts(world.db.store);
  t.is(alert!.severity, 'warning');
  t.true(alert!.summary.includes(file), alert!.summary);
});

test('never a storm: past maxMailsPerHour an alert is recorded in the outbox as rate-limited, not sent', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const base = testConnection(world.emulator);
  const connections: ConnectionConfig[] = ['a', 'b', 'c'].map((name) => ({ ...base, name, secretExpiresAt: '2026-11-25' }));
  const run = await world.app([alertsJob({ maxMailsPerHour: 2 })], connections).runJobNow('alerts');
  t.is(run.counts.fired, 3);
  t.is(run.counts.queued, 2);
  const entries = await createOutbox(world.db.store, world.clock).list();
  t.deepEqual(entries.map((e) => e.status).sort(), ['pending', 'pending', 'suppressed']);
  t.is(entries.find((e) => e.status === 'suppressed')?.reason, 'rate-limited');
  t.is((await listActiveAlerts(world.db.store)).length, 3, 'all three are still shown');
});
