import test from 'ava';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ensureMongoJavaServer } from '../../src/store/embedded/build-mongo-java-server.ts';
import { findExecutable } from '../../src/store/embedded/find-executable.ts';
import { claimDataFolder } from '../../src/store/embedded/claim-data-folder.ts';
import { mailroomCacheDir } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startCliProject } from '../helpers/cli-project.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, supportMailbox } from '../helpers/mail-world.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

/**
 * The embedded database's build lives in a cache folder of this test's own, linked to the real (finished) build, so
 * the test can take the build away and hold the build lock: then "being prepared" lasts exactly as long as it wants.
 */
async function privateCache(t: { teardown(fn: () => unknown): void }): Promise<{ xdg: string; unbuild(): Promise<void>; rebuild(): Promise<void>; lock: string }> {
  const which = (name: string): Promise<string | null> => findExecutable(name, process.env.PATH);
  const [mvn, javac] = await Promise.all([which('mvn'), which('javac')]);
  const real = await ensureMongoJavaServer({ cacheDir: mailroomCacheDir(process.env.XDG_CACHE_HOME), mvn: mvn!, javac: javac!, onProgress: () => undefined });
  const realBuild = dirname(real.classesDir);
  const xdg = await mkdtemp(join(tmpdir(), 'mailroom-cache-'));
  t.teardown(() => rm(xdg, { recursive: true, force: true }));
  const dir = join(xdg, 'mailroom', basename(dirname(realBuild)));
  await mkdir(dir, { recursive: true });
  const link = join(dir, 'build');
  await symlink(realBuild, link);
  return { xdg, lock: join(dir, 'build.lock'), unbuild: () => unlink(link), rebuild: () => symlink(realBuild, link) };
}

test('a command started while `mailroom start` prepares the database waits for it and sees its tickets; one server, private files', async (t) => {
  const { project, emulator } = await startCliProject(t, 'owner', [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', schedule: '1 hour' }]);
  for (let i = 0; i < 3; i += 1) {
    await emulatorClient(emulator).deliver(supportMailbox, buildMime({ from: 'Ann <ann@fabrikam.example>', subject: `Owner ${i}`, body: 'Hello.', messageId: `owner-${i}@fabrikam.example` }), 'Inbox/Support');
  }
  const cache = await privateCache(t);
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: '', MAILROOM_DEMO: '0', XDG_CACHE_HOME: cache.xdg, MAILROOM_HTTP_PORT: '0' };

  // First the worker makes its tickets, and stops.
  const first = startCli(['start'], { cwd: project, env });
  t.teardown(() => void first.child.kill('SIGKILL'));
  await first.waitForLine(/"message":"job support succeeded"/);
  first.child.kill('SIGTERM');
  t.is(await first.exited, 0, first.stderr().slice(-2000));

  // Its next start finds the database unprepared (the build taken away) and waits on the build lock this test holds.
  await cache.unbuild();
  await writeFile(cache.lock, String(process.pid));
  const service = startCli(['start'], { cwd: project, env });
  t.teardown(() => void service.child.kill('SIGKILL'));
  const ownerFile = join(project, '.mailroom/db/owner.json');
  const owner = await (async () => {
    for (;;) {
      const text = await readFile(ownerFile, 'utf8').catch(() => '');
      if (text.includes('"preparing"')) return JSON.parse(text) as { pid: number };
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  t.is(owner.pid, service.child.pid!);
  const reader = startCli(['tickets', 'list', '--json'], { cwd: project, env });
  t.teardown(() => void reader.child.kill('SIGKILL'));
  await reader.waitForLine(new RegExp(`waiting for the database that process ${service.child.pid} is preparing`));

  // The build is back and the lock released: the service starts its server, and the waiting command uses it.
  await cache.rebuild();
  await rm(cache.lock);
  t.is(await reader.exited, 0, reader.stderr().slice(-2000));
  const tickets = JSON.parse(reader.stdout()) as { subject: string }[];
  t.deepEqual(tickets.map((x) => x.subject).sort(), ['Owner 0', 'Owner 1', 'Owner 2']);
  const ready = JSON.parse(await readFile(ownerFile, 'utf8')) as { pid: number; state: string };
  t.like(ready, { pid: service.child.pid, state: 'ready' }, 'the service still owns the one server');

  t.is(await mode(join(project, '.mailroom')), 0o700);
  t.is(await mode(join(project, '.mailroom/db')), 0o700);
  t.is(await mode(join(project, '.mailroom/db/mailroom.mv.db')), 0o600);
  t.is(await mode(ownerFile), 0o600);

  service.child.kill('SIGTERM');
  t.is(await service.exited, 0, service.stderr().slice(-2000));
  await t.throwsAsync(stat(ownerFile), undefined, 'the owner gave the folder up');
});

test('a data folder held by a live process whose database does not answer is an error that says so', async (t) => {
  const project = await mkdtemp(join(tmpdir(), 'mailroom-owner-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await mkdir(join(project, '.mailroom/db'), { recursive: true });
  // This test process is alive and listens nowhere: a holder without a working address.
  await writeFile(join(project, '.mailroom/db/owner.json'), JSON.stringify({ pid: process.pid, state: 'ready', lasting: true, since: new Date().toISOString(), uri: 'mongodb://127.0.0.1:9/', port: 9 }));
  const result = await runCli(['tickets', 'list'], { cwd: project, env: { MONGODB_URI: '' } });
  t.is(result.code, 1);
  t.regex(result.stderr, new RegExp(`STORE_EMBEDDED_UNAVAILABLE: the data folder .* is held by process ${process.pid}, whose database at mongodb://127\\.0\\.0\\.1:9/ does not answer`));
  await writeFile(join(project, '.mailroom/db/owner.json'), JSON.stringify({ pid: process.pid, state: 'unknown', lasting: true, since: new Date().toISOString() }));
  const noAddress = await runCli(['tickets', 'list'], { cwd: project, env: { MONGODB_URI: '' } });
  t.regex(noAddress.stderr, /which gives no database address/);
});

test("a dead owner's claim is taken over; two claims at once make one owner", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-owner-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dead = startCli(['--version'], { cwd: dir });
  await dead.exited;
  await writeFile(join(dir, 'owner.json'), JSON.stringify({ pid: dead.child.pid, state: 'preparing', lasting: false, since: new Date().toISOString() }));
  const claims = await Promise.all([0, 1, 2].map(() => claimDataFolder(dir, { lasting: false, onProgress: () => undefined, waitMs: 100, pollMs: 20 }).catch((error: Error) => error)));
  const owners = claims.filter((c) => !(c instanceof Error) && c.role === 'owner');
  t.is(owners.length, 1, 'one takes the folder over; the others wait for it (and time out here, as nobody makes it ready)');
  t.true(claims.filter((c) => c instanceof Error).every((e) => /timed out waiting for process/.test((e as Error).message)));
  t.is(await mode(join(dir, 'owner.json')), 0o600);
  t.is(await mode(dir), 0o700);
});

test("a service waits for a short command's server rather than lean on it; a short owner stops only after its guests", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-owner-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const listener = createServer().listen(0, '127.0.0.1');
  await once(listener, 'listening');
  t.teardown(() => void listener.close());
  const port = (listener.address() as AddressInfo).port;
  const quick = { onProgress: () => undefined, pollMs: 20 };
  let ownerSaid: (line: string) => void = () => undefined;
  const owner = await claimDataFolder(dir, { lasting: false, onProgress: (line) => ownerSaid(line), pollMs: 20 });
  if (owner.role !== 'owner') return t.fail('the first claim owns the folder');
  await owner.ready({ uri: `mongodb://127.0.0.1:${port}/`, port, pid: process.pid });
  const guest = await claimDataFolder(dir, { lasting: false, ...quick });
  t.like(guest, { role: 'guest', uri: `mongodb://127.0.0.1:${port}/` });
  const lines: string[] = [];
  const service = await claimDataFolder(dir, { lasting: true, onProgress: (line) => lines.push(line), pollMs: 20, waitMs: 300 }).catch((error: Error) => error);
  t.true(service instanceof Error, 'a service does not become the guest of a short command');
  t.regex(lines.join('\n'), new RegExp(`waiting for process ${process.pid} to finish with the database`));
  let stopped = false;
  const waiting = new Promise<string>((resolve) => (ownerSaid = resolve));
  const released = owner.release(async () => void (stopped = true));
  t.regex(await waiting, /waiting for 1 other command\(s\) using the database/);
  t.false(stopped, 'the owner keeps its server while a guest uses it');
  await guest.release();
  await released;
  t.true(stopped);
  await t.throwsAsync(stat(join(dir, 'owner.json')));
});
