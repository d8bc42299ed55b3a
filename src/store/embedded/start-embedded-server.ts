import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { AppError } from '../../core/index.ts';
import { ensureFerretdbBinary } from './build-ferretdb.ts';
import { ensureMongoJavaServer } from './build-mongo-java-server.ts';
import { join } from 'node:path';
import { findExecutable } from './find-executable.ts';
import { findFreePort } from './free-port.ts';
import { waitForPort } from './wait-for-port.ts';

export type EmbeddedKind = 'mongod' | 'mongo-java-server' | 'ferretdb' | 'memory-server';

export interface EmbeddedServer {
  uri: string;
  kind: EmbeddedKind;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** Where the data lives: a git-ignored folder for `mailroom start`, a temporary one for tests. */
  dataDir: string;
  /** The per-user cache holding the FerretDB build. */
  cacheDir: string;
  /** The PATH to search for `mongod` and `go`. */
  pathVariable: string | undefined;
  /** Reuse a port (a restart over the same data); default: a free one. */
  port?: number;
  onProgress?: (line: string) => void;
}

function spawnServer(command: string, args: string[]): { child: ChildProcess; exitReason: () => string | null } {
  // stdin stays an open pipe: the FerretDB wrapper exits when it closes, i.e. when this process dies in any way.
  const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
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
    await waitForPort(port, 30_000, exitReason);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, kind, port, dataDir, stop: () => stopChild(child) };
}

async function startMemoryServer(dataDir: string, port: number): Promise<EmbeddedServer> {
  // Loaded only on this path: it downloads a real mongod, which needs internet access.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({ instance: { dbPath: dataDir, ip: '127.0.0.1', port, storageEngine: 'wiredTiger' } });
  return { uri: server.getUri(), kind: 'memory-server', port, dataDir, stop: async () => void (await server.stop({ doCleanup: false })) };
}

/**
 * Starts a local MongoDB-compatible server, trying in order: a real `mongod` on the PATH; mongo-java-server (H2),
 * prepared with Maven and javac on first use; FerretDB (SQLite), built with Go on first use, fit for one worker
 * only (its findAndModify is not atomic, so Agenda's locks cannot keep two workers apart); mongodb-memory-server
 * (downloads mongod). Never a fake: if none works, say how to get one.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const progress = options.onProgress ?? (() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const attempts: string[] = [];
  const which = (name: string): Promise<string | null> => findExecutable(name, options.pathVariable);

  const mongod = await which('mongod');
  if (mongod) {
    try {
      return await startChild('mongod', mongod, ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', options.dataDir, '--quiet'], port, options.dataDir);
    } catch (error) {
      attempts.push(`mongod (${mongod}): ${(error as Error).message}`);
    }
  } else attempts.push('mongod: not on the PATH');

  const [java, javac, mvn] = await Promise.all([which('java'), which('javac'), which('mvn')]);
  if (java && javac && mvn) {
    try {
      const build = await ensureMongoJavaServer({ cacheDir: options.cacheDir, mvn, javac, onProgress: progress });
      const classPath = `${build.classesDir}:${build.classPath}`;
      return await startChild('mongo-java-server', java, ['-Xmx1g', '-XX:+UseSerialGC', '-cp', classPath, 'MailroomMongoServer', join(options.dataDir, 'mailroom.mv.db'), String(port)], port, options.dataDir);
    } catch (error) {
      attempts.push(`mongo-java-server: ${(error as Error).message}`);
    }
  } else attempts.push('mongo-java-server: needs java, javac and mvn on the PATH');

  const go = await which('go');
  if (go) {
    try {
      const binary = await ensureFerretdbBinary({ cacheDir: options.cacheDir, goBinary: go, onProgress: progress });
      progress('FerretDB serves a single worker only: its findAndModify is not atomic, so run one `mailroom worker` at a time');
      return await startChild('ferretdb', binary, ['-listen', `127.0.0.1:${port}`, '-dir', options.dataDir], port, options.dataDir);
    } catch (error) {
      attempts.push(`FerretDB: ${(error as Error).message}`);
    }
  } else attempts.push('FerretDB: Go is not installed, so it cannot be built');

  try {
    progress('trying mongodb-memory-server (downloads a MongoDB binary)');
    return await startMemoryServer(options.dataDir, port);
  } catch (error) {
    attempts.push(`mongodb-memory-server: ${(error as Error).message.split('\n')[0]}`);
  }

  throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `no local database server could be started:\n  ${attempts.join('\n  ')}`, {
    details: { attempts },
    hint: 'Set MONGODB_URI to a MongoDB server (local or Atlas), install MongoDB so `mongod` is on the PATH, or install a JDK with Maven (or Go) so Mailroom can prepare its embedded server.',
  });
}
