import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { secretValue, testConnection } from '../helpers/mail-world.ts';
import { startNotifyWorld, type NotifyWorld } from './helpers/notify-world.ts';

const childPath = fileURLToPath(new URL('./helpers/crash-child.ts', import.meta.url));

/** Runs the notifications job in a child process that SIGKILLs itself at `point`; resolves with how it ended. */
function runCrashingChild(world: NotifyWorld, point: string): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const args = {
    point, uri: world.db.uri, dbName: world.db.dbName, connection: testConnection(world.emulator), secret: secretValue,
    rulesFile: world.notificationsFile, now: world.clock().toISOString(), dir: world.dir,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childPath, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stdout, stderr });
    });
  });
}

const ann = { address: 'ann@fabrikam.example', name: 'Ann Lee' };

test('killed between the outbox write and the send: the restart sends the mail exactly once', async (t) => {
  const world = await startNotifyWorld();
  t.teardown(() => world.close());
  await world.tickets.createTicket({ createdFrom: 'mail:c1', requester: ann, subject: 'Crash me', description: 'x' });

  const child = await runCrashingChild(world, 'after-queue');
  t.is(child.signal, 'SIGKILL', child.stderr);
  const [queued] = await world.outbox.list();
  t.is(queued?.status, 'pending', 'the outbox entry survived the crash');
  t.is((await world.sent()).length, 0);

  const restart = await world.run();
  t.is(restart.counts.sent, 1);
  t.is((await world.run()).counts.sent ?? 0, 0);
  t.is((await world.sent()).length, 1);
});

test('killed after claiming but before sending: after the lease the restart checks Sent Items, finds nothing, sends once', async (t) => {
  const world = await startNotifyWorld();
  t.teardown(() => world.close());
  await world.tickets.createTicket({ createdFrom: 'mail:c2', requester: ann, subject: 'Crash before send', description: 'x' });

  t.is((await runCrashingChild(world, 'before-send')).signal, 'SIGKILL');
  t.is((await world.outbox.list())[0]?.status, 'sending');
  t.is((await world.run()).counts.sent ?? 0, 0, 'a live claim is left alone');

  world.clock.advance(11 * 60_000);
  const restart = await world.run();
  t.is(restart.counts.sent, 1);
  t.is(restart.items[0]?.note, undefined, 'really sent, not found');
  t.is((await world.sent()).length, 1);
});

test('killed after Graph accepted the mail but before it was marked sent: the restart finds it in Sent Items and does not send again', async (t) => {
  const world = await startNotifyWorld();
  t.teardown(() => world.close());
  await world.tickets.createTicket({ createdFrom: 'mail:c3', requester: ann, subject: 'Crash after send', description: 'x' });

  t.is((await runCrashingChild(world, 'after-send')).signal, 'SIGKILL');
  t.is((await world.sent()).length, 1);
  t.is((await world.outbox.list())[0]?.status, 'sending');

  world.clock.advance(11 * 60_000);
  const restart = await world.run();
  t.is(restart.counts.sent, 1);
  t.regex(String(restart.items[0]?.note), /found in Sent Items/);
  t.is((await world.outbox.list())[0]?.status, 'sent');
  t.is((await world.sent()).length, 1, 'never twice');
});
