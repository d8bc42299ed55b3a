import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/index.ts';
import { ensureMongoJavaServer } from './build-mongo-java-server.ts';
import { findExecutable } from './find-executable.ts';
import { findFreePort } from './free-port.ts';
import { findMongod } from './find-mongod.ts';
import { waitForPort } from './wait-for-port.ts';

export type EmbeddedKind = 'mongod' | 'mongo-java-server';

export interface EmbeddedServer {
  uri: string;
  kind: EmbeddedKind;
  port: number;
  dataDir: string;
  /** The server's process id, so a later command can stop a server whose owner died. */
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** Where the data lives: a git-ignored folder for `mailroom start`, a temporary one for tests. */
  dataDir: string;
  /** The per-user cache holding the mongo-java-server build. */
  cacheDir: string;
  /** The PATH to search for `mongod`, `java`, `javac` and `mvn`. */
  pathVariable: string | undefined;
  /** Reuse a port (a restart over the same data); default: a free one. */
  port?: number;
  /** May mongodb-memory-server download a mongod when none is found? Default true (it is tried with a short probe). */
  allowMongodDownload?: boolean;
  /** MONGOMS_DOWNLOAD_MIRROR, when set. */
  downloadMirror?: string | undefined;
  onProgress?: (line: string) => void;
  /** Extra JVM flags for mongo-java-server, before the class name (profiling: `-XX:StartFlightRecording=…`). */
  javaOptions?: readonly string[];
}

/** The data file of mongo-java-server in the data folder; mongod keeps its own files (storage.bson, WiredTiger…). */
export const javaDataFile = 'mailroom.mv.db';

/** Data written by one engine is unreadable to the other: a folder that has data keeps the engine that wrote it. */
async function engineOfData(dataDir: string): Promise<EmbeddedKind | null> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  if (names.includes(javaDataFile)) return 'mongo-java-server';
  if (names.includes('storage.bson') || names.includes('WiredTiger')) return 'mongod';
  return null;
}

function spawnServer(command: string, args: string[]): { child: ChildProcess; exitReason: () => string | null } {
  // The server creates its files for the owner only (0600): the umask is inherited by the child at spawn, and set
  // back at once (spawn is synchronous up to the fork). stdin stays an open pipe: mongo-java-server exits when it
  // closes, i.e. when this process dies in any way.
  const previous = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  } finally {
    process.umask(previous);
  }
  let stderr = '';
  let reason: string | null = null;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  child.on('error', (error) => {
    reason = error.message;
  });
  child.on('exit', (code, signal) => {
    reason ??= `exited early (${signal ?? `code ${code}`}): ${stderr.trim()}`;
  });
  // The server must not keep this process alive on its own: whoever needs it holds a database client open.
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { child, exitReason: () => reason };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    // Closing stdin asks for a clean shutdown (the servers flush their data); signals only if that is ignored.
    const term = setTimeout(() => child.kill('SIGTERM'), 5000);
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(term);
      clearTimeout(force);
      resolveStop();
    });
    child.stdin?.end();
  });
}

async function startChild(kind: EmbeddedKind, command: string, args: string[], port: number, dataDir: string): Promise<EmbeddedServer> {
  const { child, exitReason } = spawnServer(command, args);
  try {
    await waitForPort(port, 60_000, exitReason);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, kind, port, dataDir, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

async function startMongod(options: EmbeddedServerOptions, port: number, attempts: string[]): Promise<EmbeddedServer | null> {
  const found = await findMongod({
    pathVariable: options.pathVariable, allowDownload: options.allowMongodDownload, downloadMirror: options.downloadMirror, onProgress: options.onProgress ?? (() => undefined),
  });
  if ('reason' in found) {
    attempts.push(`mongod: ${found.reason}`);
    return null;
  }
  try {
    // Loopback only: the embedded database has no users; it is for one person's machine.
    return await startChild('mongod', found.path, ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', options.dataDir, '--quiet'], port, options.dataDir);
  } catch (error) {
    attempts.push(`mongod (${found.path}, from ${found.from}): ${(error as Error).message}`);
    return null;
  }
}

async function startJavaServer(options: EmbeddedServerOptions, port: number, attempts: string[]): Promise<EmbeddedServer | null> {
  const which = (name: string): Promise<string | null> => findExecutable(name, options.pathVariable);
  const [java, javac, mvn] = await Promise.all([which('java'), which('javac'), which('mvn')]);
  if (!java || !javac || !mvn) {
    attempts.push('mongo-java-server: needs java, javac and mvn on the PATH');
    return null;
  }
  try {
    const build = await ensureMongoJavaServer({ cacheDir: options.cacheDir, mvn, javac, onProgress: options.onProgress ?? (() => undefined) });
    const classPath = `${build.classesDir}:${build.classPath}`;
    // TieredStopAtLevel=1: the server starts in about half the time, and a small server does not need C2's code.
    return await startChild('mongo-java-server', java, ['-Xmx1g', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...(options.javaOptions ?? []), '-cp', classPath, 'MailroomMongoServer', join(options.dataDir, javaDataFile), String(port)], port, options.dataDir);
  } catch (error) {
    attempts.push(`mongo-java-server: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Starts a local MongoDB-compatible server for one data folder, preferring a real mongod (on the PATH, cached or
 * downloadable by mongodb-memory-server), else mongo-java-server (H2), prepared with Maven and javac on first use.
 * A folder that already holds data stays with the engine that wrote it. Never a fake: if none works, say how to
 * get one. Callers go through claimDataFolder first, so one folder never gets two servers.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  const port = options.port ?? (await findFreePort());
  const attempts: string[] = [];
  const engine = await engineOfData(options.dataDir);
  if (engine !== 'mongo-java-server') {
    const mongod = await startMongod(options, port, attempts);
    if (mongod) return mongod;
  } else attempts.push(`mongod: not tried, ${join(options.dataDir, javaDataFile)} holds data written by mongo-java-server`);
  if (engine !== 'mongod') {
    const java = await startJavaServer(options, port, attempts);
    if (java) return java;
  } else attempts.push(`mongo-java-server: not tried, ${options.dataDir} holds data written by mongod`);

  throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `no local database server could be started:\n  ${attempts.join('\n  ')}`, {
    details: { attempts },
    hint: 'Set MONGODB_URI to a MongoDB server (local or Atlas), install MongoDB so `mongod` is on the PATH, or install a JDK with Maven so Mailroom can prepare its embedded server.',
  });
}
