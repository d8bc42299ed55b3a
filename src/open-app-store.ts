import { join } from 'node:path';
import type { Environment } from './config/read-environment.ts';
import type { Logger } from './log/index.ts';
import { mailroomCacheDir, openStore, type Store } from './store/index.ts';

/** The store for a project folder: the user's MONGODB_URI when set, else the embedded server with data in .mailroom/db. */
export function openAppStore(root: string, env: Environment, logger: Logger): Promise<Store> {
  return openStore({
    uri: env.MONGODB_URI,
    dbName: env.MAILROOM_DB ?? 'mailroom',
    logger,
    embedded: { dataDir: join(root, '.mailroom', 'db'), cacheDir: mailroomCacheDir(env.XDG_CACHE_HOME), pathVariable: env.PATH },
  });
}
