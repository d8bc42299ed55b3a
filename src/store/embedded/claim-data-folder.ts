import { chmod, mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { AppError } from '../../core/index.ts';

/**
 * One owner per embedded data folder. The first command to need the database creates `owner.json` exclusively,
 * prepares and starts the server, then writes where it listens; every other command reads that file and uses the
 * same server, waiting while it is still being prepared. A folder never gets a second server, whatever the timing.
 *
 * Lasting commands (`start`, `worker`) never lean on a short command's server (it stops when that command ends):
 * they wait for it to finish and then own the folder. A short owner waits, before it stops its server, until the
 * short commands using it (guests, one file each) are done.
 */
interface OwnerRecord {
  pid: number;
  state: 'preparing' | 'ready';
  lasting: boolean;
  since: string;
  uri?: string;
  port?: number;
  /** The server's process, so a command finding a dead owner can stop the server it left (mongod outlives it). */
  serverPid?: number;
}

const ownerFile = 'owner.json';
const guestPrefix = 'guest-';

export type DataFolderClaim =
  | {
    role: 'owner';
    ready(server: { uri: string; port: number; pid: number }): Promise<void>;
    /** Waits for the guests, runs `stopServer`, then gives the folder up (in this order: never two servers at once). */
    release(stopServer?: () => Promise<void>): Promise<void>;
  }
  | { role: 'guest'; uri: string; release(): Promise<void> };

export interface ClaimOptions {
  /** A service that runs until stopped (`start`, `worker`), rather than a command that ends in seconds. */
  lasting: boolean;
  onProgress: (line: string) => void;
  /** How long to wait for another process to prepare the database (ms). Default 20 minutes (a first build). */
  waitMs?: number;
  /** How often to look again while waiting (ms). Default 250. */
  pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolvePause) => setTimeout(resolvePause, ms));

async function readRecord(path: string): Promise<{ text: string; record: OwnerRecord | null } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return { text, record: JSON.parse(text) as OwnerRecord };
  } catch {
    // Being written (the exclusive create and the first write are two steps): look again shortly.
    return { text, record: null };
  }
}

/** Writes the whole record under a temporary name and renames it over the old one, so readers never see half of it. */
async function writeRecord(dataDir: string, record: OwnerRecord): Promise<void> {
  const temporary = join(dataDir, `${ownerFile}.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
  await rename(temporary, join(dataDir, ownerFile));
}

async function stopOrphanServer(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && alive(pid); i += 1) await pause(100);
}

async function liveGuests(dataDir: string): Promise<number> {
  let count = 0;
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    if (!name.startsWith(guestPrefix)) continue;
    const pid = Number(name.slice(guestPrefix.length));
    if (Number.isInteger(pid) && alive(pid)) count += 1;
    else await rm(join(dataDir, name), { force: true });
  }
  return count;
}

async function becomeGuest(dataDir: string, uri: string): Promise<DataFolderClaim> {
  const path = join(dataDir, `${guestPrefix}${process.pid}`);
  await writeFile(path, '', { mode: 0o600 });
  return { role: 'guest', uri, release: () => rm(path, { force: true }) };
}

async function becomeOwner(dataDir: string, lasting: boolean, since: string, pollMs: number, onProgress: (line: string) => void): Promise<DataFolderClaim> {
  let record: OwnerRecord = { pid: process.pid, state: 'preparing', lasting, since };
  return {
    role: 'owner',
    ready: async (server) => {
      record = { ...record, state: 'ready', uri: server.uri, port: server.port, serverPid: server.pid };
      await writeRecord(dataDir, record);
    },
    release: async (stopServer) => {
      // Short commands using this server finish first (a dead one's file is dropped). A service being stopped gives
      // them a few seconds only: its shutdown must stay within its grace period.
      const until = Date.now() + (lasting ? 5000 : 10 * 60_000);
      let told = false;
      for (let guests = await liveGuests(dataDir); guests > 0 && Date.now() < until; guests = await liveGuests(dataDir)) {
        if (!told) onProgress(`waiting for ${guests} other command(s) using the database to finish before stopping it`);
        told = true;
        await pause(pollMs);
      }
      await stopServer?.();
      const current = await readRecord(join(dataDir, ownerFile));
      if (current?.record?.pid === process.pid) await rm(join(dataDir, ownerFile), { force: true });
    },
  };
}

/** Claims the data folder: as its owner (start the server, then call ready) or as a guest of the live owner's server. */
export async function claimDataFolder(dataDir: string, options: ClaimOptions): Promise<DataFolderClaim> {
  // The folder and all in it are the owner's only: the database has no users of its own.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const path = join(dataDir, ownerFile);
  const pollMs = options.pollMs ?? 250;
  const deadline = Date.now() + (options.waitMs ?? 20 * 60_000);
  let announced = '';
  const announce = (line: string): void => {
    if (line !== announced) options.onProgress(line);
    announced = line;
  };
  for (;;) {
    const since = new Date().toISOString();
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, state: 'preparing', lasting: options.lasting, since } satisfies OwnerRecord));
      } finally {
        await handle.close();
      }
      return await becomeOwner(dataDir, options.lasting, since, pollMs, options.onProgress);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = await readRecord(path);
    const record = found?.record;
    if (found && record && !alive(record.pid)) {
      // Its owner died (killed): stop the server it may have left, and take the folder over. Removed only if the
      // file still says the same, so two commands finding it at once do not remove each other's fresh claim.
      if (record.serverPid) await stopOrphanServer(record.serverPid);
      const again = await readRecord(path);
      if (again?.text === found.text) await rm(path, { force: true });
      continue;
    }
    if (found && record?.state === 'ready' && record.uri && record.port) {
      if (!(await answers(record.port))) {
        throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `the data folder ${dataDir} is held by process ${record.pid}, whose database at ${record.uri} does not answer`, {
          hint: `Stop process ${record.pid} (or wait for it to end), then try again.`,
        });
      }
      if (!options.lasting || record.lasting) return becomeGuest(dataDir, record.uri);
      announce(`waiting for process ${record.pid} to finish with the database in ${dataDir}, so this service can own it`);
    } else if (found && record && record.state !== 'preparing') {
      throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `the data folder ${dataDir} is held by process ${record.pid}, which gives no database address`, {
        hint: `Stop process ${record.pid}, or remove ${path} if that process is not Mailroom.`,
      });
    } else if (record) {
      announce(`waiting for the database that process ${record.pid} is preparing in ${dataDir}…`);
    }
    if (Date.now() > deadline) {
      throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `timed out waiting for process ${record?.pid ?? '?'} to prepare the database in ${dataDir}`, {
        hint: 'Is a first build stuck? Stop that process and try again.',
      });
    }
    await pause(pollMs);
  }
}
