import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { readEnvironment } from '../../../src/config/read-environment.ts';
import { ensureMongoJavaServer } from '../../../src/store/embedded/build-mongo-java-server.ts';
import { mailroomCacheDir } from '../../../src/store/embedded/cache-dir.ts';
import { findExecutable } from '../../../src/store/embedded/find-executable.ts';
import { findFreePort } from '../../../src/store/embedded/free-port.ts';

/**
 * Writes `<dataDir>/mailroom.mv.db` with the stock mongo-java-server H2 backend (LegacyMongoServer.java: the index
 * order and the Java-serialized documents Mailroom's embedded server used before MailroomH2Backend), `write` filling it.
 */
export async function writeLegacyFile(dataDir: string, write: (client: MongoClient) => Promise<void>): Promise<void> {
  const env = readEnvironment();
  const [mvn, javac, java] = await Promise.all(['mvn', 'javac', 'java'].map((name) => findExecutable(name, env.PATH)));
  const build = await ensureMongoJavaServer({ cacheDir: mailroomCacheDir(env.XDG_CACHE_HOME), mvn: mvn!, javac: javac!, onProgress: () => undefined });
  const classes = join(dataDir, 'legacy-classes');
  await promisify(execFile)(javac!, ['-nowarn', '-cp', build.classPath, '-d', classes, 'test/store/legacy-h2/LegacyMongoServer.java']);
  const port = await findFreePort();
  const child = spawn(java!, ['-cp', `${classes}:${build.classPath}`, 'LegacyMongoServer', join(dataDir, 'mailroom.mv.db'), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const client = await new MongoClient(`mongodb://127.0.0.1:${port}`, { directConnection: true }).connect();
  try {
    await write(client);
  } finally {
    await client.close();
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

