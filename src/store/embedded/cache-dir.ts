import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user cache (outside any checkout), so every clone on the machine reuses one mongo-java-server build.
 * XDG_CACHE_HOME is passed in by the caller: config is the only reader of process.env.
 */
export function mailroomCacheDir(xdgCacheHome: string | undefined): string {
  return join(xdgCacheHome && xdgCacheHome !== '' ? xdgCacheHome : join(homedir(), '.cache'), 'mailroom');
}
