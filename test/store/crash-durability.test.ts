import test from 'ava';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openAppStore } from '../../src/open-app-store.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { clientId, secretValue, supportMailbox, tenantId, testTenant } from '../helpers/mail-world.ts';
import { startCli } from '../helpers/run-cli.ts';

const rounds = 21;
/**
 * With 30 mails waiting, a run makes about 11 Graph requests: token, folder look-ups, delta, then per chunk of 20 a
 * $batch fetch and a $batch of post-actions (the 9th and 11th). Most kill points sit right after a move, the window
 * where acknowledged but lost writes would lose mail; the others spread over the rest of the run.
 */
/**
 * Kill points named by the run's own steps, not by a request count (which changes whenever a run learns to need fewer
 * requests): right after the n-th `$batch` (with 30 mails waiting: the fetches of both chunks, then the moves of each,
 * so the 3rd and 4th come right after mail was moved, the window where acknowledged but lost writes would lose mail),
 * or after the token, the folder look-up or the delta request. A run that meets fewer steps (a round that finds less
 * to do) ends on its own and does not count as a kill.
 */
const killPoints: { step: RegExp; nth: number }[] = [
  { step: /\$batch/, nth: 3 }, { step: /\$batch/, nth: 4 }, { step: /\/messages\/delta/, nth: 1 }, { step: /\$batch/, nth: 3 },
  { step: /\$batch/, nth: 4 }, { step: /\$batch/, nth: 2 }, { step: /\$batch/, nth: 3 }, { step: /\$batch/, nth: 4 },
  { step: /\/oauth2\/v2\.0\/token/, nth: 1 }, { step: /\$batch/, nth: 3 }, { step: /\$batch/, nth: 4 }, { step: /\$batch/, nth: 1 },
  { step: /\$batch/, nth: 3 }, { step: /\$batch/, nth: 4 }, { step: /\/mailFolders/, nth: 1 }, { step: /\$batch/, nth: 3 }, { step: /\$batch/, nth: 1 },
];
const bare = (id: string | null | undefined): string => (id ?? '').trim().replace(/^<|>$/g, '');

/**
 * The whole process group of `mailroom jobs run` (the CLI and the embedded database it started) is killed at points
 * taken from the run's own progress: right after its k-th Graph request (as the emulator, in this process, answers
 * it: a fetch, a move…) or right after its first ticket write is visible in the database. Then the next round starts
 * afresh on the same data. Afterwards, every mail that left the folder must have its outcome in the database.
 */
test('killing the run and its embedded database at 20+ progress points loses no mail that left the folder', async (t) => {
  t.timeout(5 * 60_000);
  const project = await mkdtemp(join(tmpdir(), 'mailroom-crash-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await cp('rules/default.json', join(project, 'rules/default.json'));
  let onRequest: ((line: Record<string, unknown>) => void) | null = null;
  const emulator = await startEmulator({ port: 0, stateDir: join(project, '.mailroom/emulator'), tenant: testTenant(), log: (line) => onRequest?.(line) });
  t.teardown(() => emulator.close());
  await mkdir(join(project, 'schedules'));
  await writeFile(join(project, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', postActions: { markRead: true, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed' } }],
  }));
  const control = emulatorClient(emulator);
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: '', MAILROOM_JOB_LOCK_SECONDS: '1', LOG_LEVEL: 'warn' };
  let delivered = 0;
  const topUp = async (): Promise<void> => {
    const waiting = (await control.list(supportMailbox, 'Inbox/Support')).length;
    for (let i = waiting; i < 30; i += 1, delivered += 1) {
      await control.deliver(supportMailbox, buildMime({ from: `User ${delivered} <u${delivered}@fabrikam.example>`, subject: `Crash ${delivered}`, body: `Request ${delivered}.`, messageId: `crash-${delivered}@fabrikam.example` }), 'Inbox/Support');
    }
  };

  let kills = 0;
  let killsAfterAMove = 0;
  for (let round = 0; round < rounds; round += 1) {
    await topUp();
    const movedBefore = (await control.list(supportMailbox, 'Inbox/Processed')).length;
    const run = startCli(['jobs', 'run', 'support', '--wait'], { cwd: project, env, detached: true });
    const killGroup = (): void => {
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    t.teardown(killGroup);
    if (round % 5 === 4) {
      // After the run's first ticket write, seen by polling its database.
      void (async () => {
        let client: MongoClient | null = null;
        let before = -1;
        try {
          for (;;) {
            const owner = JSON.parse(await readFile(join(project, '.mailroom/db/owner.json'), 'utf8').catch(() => '{}')) as { pid?: number; state?: string; uri?: string };
            if (owner.pid === run.child.pid && owner.state === 'ready' && owner.uri) {
              client ??= await new MongoClient(owner.uri, { serverSelectionTimeoutMS: 2000 }).connect();
              const tickets = await client.db('mailroom').collection('tickets').countDocuments({});
              if (before === -1) before = tickets;
              else if (tickets > before) break;
            }
            if (run.child.exitCode !== null || run.child.signalCode !== null) return;
            await new Promise((r) => setTimeout(r, 5));
          }
          killGroup();
        } catch {
          // the run ended (or was killed) while we looked
        } finally {
          await client?.close().catch(() => undefined);
        }
      })();
    } else {
      // Right after the n-th request of one step of the run (a $batch of fetches or moves, the delta request, …).
      const { step, nth } = killPoints[round % killPoints.length]!;
      let seen = 0;
      onRequest = (line) => {
        if (step.test(String(line.path)) && (seen += 1) === nth) killGroup();
      };
    }
    const exit = await run.exited;
    onRequest = null;
    if (exit === 'SIGKILL') {
      kills += 1;
      if ((await control.list(supportMailbox, 'Inbox/Processed')).length > movedBefore) killsAfterAMove += 1;
    } else t.is(exit, 0, run.stderr().slice(-2000));
  }
  t.true(kills >= 20, `${kills} of ${rounds} rounds were killed mid-run`);
  t.true(killsAfterAMove >= 5, `${killsAfterAMove} kills came after the run had moved mail`);

  const store = await openAppStore(project, { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME }, createSilentLogger());
  t.teardown(() => store.close());
  const recorded = new Set<string>();
  for (const name of ['tickets', 'ticket_comments', 'objects'] as const) {
    for (const doc of await store.collection(name).find({}, { projection: { 'source.internetMessageId': 1 } }).toArray()) recorded.add(bare((doc.source as { internetMessageId?: string } | undefined)?.internetMessageId));
  }
  for (const entry of await store.collection('mail_ledger').find({}, { projection: { internetMessageId: 1 } }).toArray()) recorded.add(bare(entry.internetMessageId as string));
  const moved = [...(await control.list(supportMailbox, 'Inbox/Processed')), ...(await control.list(supportMailbox, 'Inbox/Failed'))];
  t.true(moved.length >= 20, `${moved.length} mails left the folder`);
  const lost = moved.filter((m) => !recorded.has(bare(m.internetMessageId)));
  t.deepEqual(lost.map((m) => m.internetMessageId), [], 'mail moved out without a ticket, comment or ledger outcome');
  const tickets = await store.collection('tickets').countDocuments({});
  t.is(tickets, new Set((await store.collection('tickets').find({}).toArray()).map((x) => bare((x.source as { internetMessageId: string }).internetMessageId))).size, 'no mail made two tickets');
});
