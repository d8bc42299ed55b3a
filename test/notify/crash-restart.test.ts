import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { secretValue, testConnection } from '../helpers/mail-world.ts';
import { killPoints, type KillPoint } from './helpers/kill-points.ts';
import { startNotifyWorld, supportMailbox, type NotifyWorld } from './helpers/notify-world.ts';

// With the Sent Items copy held back (Exchange may store it late: https://learn.microsoft.com/en-us/graph/outlook-immutable-id,
// "Immutable ID with sending mail"), a restart can never learn from Sent Items whether a mail went out; it must not need to.
const sentItemsDelayMs = 30 * 60_000;
const childPath = fileURLToPath(new URL('./helpers/crash-child.ts', import.meta.url));

/** Runs the notifications job in a child process that SIGKILLs itself at `point`; resolves with how it ended. */
function runCrashingChild(world: NotifyWorld, point: KillPoint): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
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
    // A safety net for a hung child only; the kill itself comes from the run's own progress.
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stdout, stderr });
    });
  });
}

const ann = { address: 'ann@fabrikam.example', name: 'Ann Lee' };

/** What Graph holds after the kill, before the restart: how many mails went out, how many drafts wait. */
const expectedAfterKill: Record<KillPoint, { sent: number; drafts: number; status: 'pending' | 'sending' }> = {
  'after-queue': { sent: 0, drafts: 0, status: 'pending' },
  'before-send': { sent: 0, drafts: 0, status: 'sending' },
  'after-draft-created': { sent: 0, drafts: 1, status: 'sending' },
  'after-draft-recorded': { sent: 0, drafts: 1, status: 'sending' },
  'after-send': { sent: 1, drafts: 0, status: 'sending' },
};

for (const point of killPoints) {
  test(`killed ${point}, with the Sent Items copy delayed: the restart sends the notification exactly once`, async (t) => {
    const world = await startNotifyWorld({ sentItemsDelayMs });
    t.teardown(() => world.close());
    await world.tickets.createTicket({ createdFrom: `mail:${point}`, requester: ann, subject: `Crash ${point}`, description: 'x' });

    const child = await runCrashingChild(world, point);
    t.is(child.signal, 'SIGKILL', child.stderr);
    const expected = expectedAfterKill[point];
    t.is((await world.sent()).length, expected.sent);
    t.is((await world.control.list(supportMailbox, 'Drafts')).length, expected.drafts);
    t.is((await world.control.list(supportMailbox, 'Sent Items')).length, 0, 'the copy is held back');
    const [entry] = await world.outbox.list();
    t.is(entry?.status, expected.status);

    if (expected.status === 'sending') {
      t.is((await world.run()).counts.sent ?? 0, 0, 'a live claim is left alone');
      world.clock.advance(11 * 60_000);
    }
    const restart = await world.run();
    t.is(restart.status, 'succeeded', JSON.stringify(restart.error));
    t.is(restart.counts.sent, 1);
    if (point === 'after-send') t.regex(String(restart.items[0]?.note), /sent already/);
    else t.is(restart.items[0]?.note, undefined, 'really sent by the restart');
    t.is((await world.run()).counts.sent ?? 0, 0, 'a further run sends nothing');

    const sent = await world.sent();
    t.is(sent.length, 1, 'never twice');
    const [done] = await world.outbox.list();
    t.is(done?.status, 'sent');
    t.is(sent[0]?.internetMessageId, done?.internetMessageId);
    t.deepEqual(await world.control.list(supportMailbox, 'Drafts'), [], 'no draft is left behind');
    t.is(await world.flushSentItems(), 1);
    t.deepEqual((await world.control.list(supportMailbox, 'Sent Items')).map((m) => m.internetMessageId), [done?.internetMessageId]);
  });
}
