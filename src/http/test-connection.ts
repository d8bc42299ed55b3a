import { createMongoTokenCacheStore } from '../auth/index.ts';
import { AppError } from '../core/index.ts';
import { runConnectionTest, type ConnectionTestReport } from '../graph/connection-test/run-connection-test.ts';
import { listPostActionFolders } from '../mail/connector/index.ts';
import type { HttpHost } from './http-host.ts';

/** The connection test as the API route and the console's button run it: the checks of `mailroom connection test`. */
export async function testConnection(host: HttpHost, name: string, options: { mailbox?: string; folder?: string } = {}): Promise<ConnectionTestReport> {
  const connection = host.config.connections.find((c) => c.name === name);
  if (!connection) throw new AppError('API_NOT_FOUND', `no connection named "${name}"`, { hint: `Known connections: ${host.config.connections.map((c) => c.name).join(', ') || 'none'}.` });
  const jobs = host.config.jobs.filter((j) => j.enabled && j.connection === connection.name);
  return runConnectionTest(connection, jobs, options, {
    env: host.config.env, baseDir: host.config.root, logger: host.logger, now: host.clock(),
    postActionFolders: (job) => listPostActionFolders(job, host.config.root),
    notificationsOn: (host.config.notificationsFile ?? null) !== null,
    ...(connection.delegated?.enabled === true ? { store: createMongoTokenCacheStore(host.store) } : {}),
  });
}
