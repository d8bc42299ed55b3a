import { open, rm, stat } from 'node:fs/promises';
import { AppError } from '../../core/index.ts';

/** Serialises builds across processes (parallel test workers, two clones) with an exclusive lock file. */
export async function withBuildLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.write(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lockPath).then((s) => s.mtimeMs).catch(() => Date.now()));
      if (age > 15 * 60_000) await rm(lockPath, { force: true });
      if (Date.now() > deadline) throw new AppError('STORE_EMBEDDED_UNAVAILABLE', `timed out waiting for another build of the embedded database (${lockPath})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

