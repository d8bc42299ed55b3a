import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { readEnvironment } from '../config/read-environment.ts';
import { createSilentLogger } from '../log/index.ts';
import { mailroomCacheDir } from './embedded/cache-dir.ts';
import { startEmbeddedServer, type EmbeddedServer } from './embedded/start-embedded-server.ts';
import { openStore, type Store } from './open-store.ts';

/**
 * MAILROOM_TEST_DB_JAVA_OPTIONS: extra JVM flags (space-separated) for the test and benchmark database when it is
 * mongo-java-server, e.g. `-XX:StartFlightRecording=filename=/tmp/db.jfr` to profile it during `npm run bench:mail`.
 */
function testJavaOptions(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env.MAILROOM_TEST_DB_JAVA_OPTIONS ?? '').split(/\s+/).filter((flag) => flag !== '');
}

let shared: Promise<{ uri: string; server: EmbeddedServer | null; dataDir: string | null }> | undefined;

/** One throw-away server per test process; each call gets a database of its own, so tests never see each other's data. */
function sharedServer(): Promise<{ uri: string; server: EmbeddedServer | null; dataDir: string | null }> {
  shared ??= (async () => {
    const env = readEnvironment();
    if (env.MONGODB_URI) return { uri: env.MONGODB_URI, server: null, dataDir: null };
    const dataDir = await mkdtemp(join(tmpdir(), 'mailroom-test-db-'));
    const server = await startEmbeddedServer({
      dataDir,
      cacheDir: mailroomCacheDir(env.XDG_CACHE_HOME),
      pathVariable: env.PATH,
      javaOptions: testJavaOptions(env),
      onProgress: (line) => process.stderr.write(`[test database] ${line}\n`),
    });
    // The server exits when this process does (its standard input closes); its folder goes too, or every test and
    // benchmark run left its data (up to gigabytes) in the temporary folder. Linux lets a file be removed while open.
    process.once('exit', () => {
      void server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { uri: server.uri, server, dataDir };
  })();
  return shared;
}

export interface TestDatabase {
  store: Store;
  uri: string;
  dbName: string;
  /** Drops the database and closes the client (the shared server lives until the process ends). */
  drop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const { uri } = await sharedServer();
  const dbName = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const store = await openStore({ uri, dbName, logger: createSilentLogger() });
  return {
    store,
    uri,
    dbName,
    drop: async () => {
      await store.db.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}

/** For tests that must restart the server itself (reconnect): a dedicated server they control. */
export async function startDedicatedServer(port?: number, dataDir?: string): Promise<{ server: EmbeddedServer; dataDir: string; cleanup(): Promise<void> }> {
  const env = readEnvironment();
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'mailroom-test-db-')));
  const server = await startEmbeddedServer({ dataDir: dir, cacheDir: mailroomCacheDir(env.XDG_CACHE_HOME), pathVariable: env.PATH, javaOptions: testJavaOptions(env), ...(port === undefined ? {} : { port }) });
  return { server, dataDir: dir, cleanup: async () => { await server.stop(); await rm(dir, { recursive: true, force: true }); } };
}
