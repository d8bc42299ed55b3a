import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from './config/read-environment.ts';
import type { Logger } from './log/index.ts';
import { mailroomCacheDir, openStore, type Store } from './store/index.ts';

export interface AppStoreOptions {
  /** A service (`start`, `worker`): it owns the embedded server rather than lean on a short command's. */
  lasting?: boolean;
}

/**
 * The store for a project folder: the user's MONGODB_URI when set, else the embedded server with data in
 * .mailroom/db, shared by every command in the folder. .mailroom/ is the owner's only (0700): it holds the
 * database's files and the emulator's secrets, and the embedded database has no users of its own.
 */
export async function openAppStore(root: string, env: Environment, logger: Logger, options: AppStoreOptions = {}): Promise<Store> {
  const uri = env.MONGODB_URI;
  const local = join(root, '.mailroom');
  if (uri === undefined || uri === '') await mkdir(local, { recursive: true, mode: 0o700 });
  // Also when it was made before, or by the emulator with a wider umask.
  await chmod(local, 0o700).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return openStore({
    uri,
    dbName: env.MAILROOM_DB ?? 'mailroom',
    logger,
    embedded: {
      dataDir: join(root, '.mailroom', 'db'),
      cacheDir: mailroomCacheDir(env.XDG_CACHE_HOME),
      pathVariable: env.PATH,
      lasting: options.lasting ?? false,
      downloadMirror: env.MONGOMS_DOWNLOAD_MIRROR,
    },
  });
}
