import test from 'ava';
import { spawn } from 'node:child_process';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

const REQUESTS = 150;
const REPLIES = 50;

function runChild(env: Record<string, string>, killAfterMs: number | null): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/mail/run-job-child.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', output });
    });
  });
}

test('a job killed with SIGKILL at many points and restarted ends with exactly one ticket per request and one comment per reply', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  for (let i = 0; i < REQUESTS; i += 1) {
    await world.control.deliver(supportMailbox, buildMime({ from: `user${i % 17}@fabrikam.example`, subject: `Request ${i}: something is broken`, body: `Details of request ${i}.`, messageId: `req-${i}@fabrikam.example` }), 'Inbox/Support');
  }
  for (let i = 0; i < REPLIES; i += 1) {
    await world.control.deliver(supportMailbox, buildMime({ from: `user${i % 17}@fabrikam.example`, subject: `Re: Request ${i}: something is broken`, body: `More about request ${i}.`, messageId: `reply-${i}@fabrikam.example`, inReplyTo: `req-${i}@fabrikam.example`, references: [`req-${i}@fabrikam.example`] }), 'Inbox/Support');
  }
  const env = { EMU_URL: world.emulator.url, EMU_CA: world.emulator.caFile, DB_URI: world.db.uri, DB_NAME: world.db.dbName };

  // Kill points spread over start-up, the delta round, MIME fetches, writes and post-actions.
  let kills = 0;
  for (let attempt = 0; attempt < 40 && kills < 22; attempt += 1) {
    const delay = 700 + ((attempt * 137) % 1600);
    const result = await runChild(env, delay);
    if (result.killed) kills += 1;
    else break;
  }
  const final = await runChild(env, null);
  t.regex(final.output, /"status":"(succeeded|partial)"/, final.output);
  t.true(kills >= 20, `only ${kills} kills landed before the job finished`);

  const tickets = await world.app.tickets.listTickets({ limit: 1000 });
  t.is(tickets.length, REQUESTS);
  t.is(new Set(tickets.map((x) => x.createdFrom)).size, REQUESTS);
  let comments = 0;
  for (const ticket of tickets) comments += (await world.app.tickets.listComments(ticket.number)).length;
  t.is(comments, REPLIES);
  const leftInFolder = await world.control.list(supportMailbox, 'Inbox/Support');
  t.is(leftInFolder.length, 0, 'every mail ends up processed and moved');
  t.is((await world.control.list(supportMailbox, 'Inbox/Processed')).length, REQUESTS + REPLIES);
});
