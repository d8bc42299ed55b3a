import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/index.ts';
import { withBuildLock } from './build-lock.ts';

export const MONGO_JAVA_SERVER_VERSION = '1.46.0';
const sourceDir = join(dirname(fileURLToPath(import.meta.url)), 'mongo-java-server');
const sources = ['MailroomMongoServer.java', 'MailroomH2Backend.java'];

/** The build folder is named for the sources it was built from, so a changed launcher is built afresh, not reused. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [...sources, 'pom.xml']) hash.update(name).update(await readFile(join(sourceDir, name)));
  return hash.digest('hex').slice(0, 12);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-3000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun() : reject(new AppError('STORE_EMBEDDED_UNAVAILABLE', `${command} ${args[0]} failed (exit ${code}):\n${tail}`))));
  });
}

export interface JavaServerBuild {
  classesDir: string;
  classPath: string;
}

export interface JavaBuildOptions {
  cacheDir: string;
  mvn: string;
  javac: string;
  onProgress: (line: string) => void;
}

/**
 * Resolves mongo-java-server and its dependencies from Maven Central and compiles the small launcher, once per
 * user (in the cache folder). Written to a temporary folder and renamed, so an interrupted build leaves nothing half-done.
 */
export async function ensureMongoJavaServer(options: JavaBuildOptions): Promise<JavaServerBuild> {
  const dir = join(options.cacheDir, `mongo-java-server-${MONGO_JAVA_SERVER_VERSION}-${await sourceHash()}`);
  const done = join(dir, 'build');
  const read = async (): Promise<JavaServerBuild> => ({ classesDir: join(done, 'classes'), classPath: (await readFile(join(done, 'classpath.txt'), 'utf8')).trim() });
  try {
    await access(join(done, 'classpath.txt'));
    return await read();
  } catch {
    // not built yet
  }
  await mkdir(dir, { recursive: true });
  return withBuildLock(join(dir, 'build.lock'), async () => {
    try {
      await access(join(done, 'classpath.txt'));
      return await read();
    } catch {
      // still not built: build it
    }
    const temp = join(dir, `build.${process.pid}.tmp`);
    await rm(temp, { recursive: true, force: true });
    await mkdir(join(temp, 'classes'), { recursive: true });
    const started = Date.now();
    options.onProgress(`preparing the embedded database (mongo-java-server ${MONGO_JAVA_SERVER_VERSION}) in ${dir}: first use only`);
    await run(options.mvn, ['-q', '-B', '-f', join(sourceDir, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${join(temp, 'classpath.txt')}`], sourceDir);
    const classPath = (await readFile(join(temp, 'classpath.txt'), 'utf8')).trim();
    await run(options.javac, ['-nowarn', '-cp', classPath, '-d', join(temp, 'classes'), ...sources.map((name) => join(sourceDir, name))], sourceDir);
    await rename(temp, done);
    options.onProgress(`embedded database prepared in ${Math.round((Date.now() - started) / 1000)} s`);
    return read();
  });
}
