/**
 * A notifications run in a process of its own that kills itself (SIGKILL: no cleanup, no finally) at a chosen point,
 * so the crash test can prove what a restart does. Argument: JSON { point, uri, dbName, connection, secret, rulesFile, now, dir }.
 */
import type { ConnectionConfig } from '../../../src/config/connection-config.ts';
import { createTokenProvider } from '../../../src/auth/index.ts';
import { createGraphClient } from '../../../src/graph/index.ts';
import { createJobResults, runJob } from '../../../src/jobs/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { createNotificationsHandler } from '../../../src/notify/index.ts';
import { openStore } from '../../../src/store/index.ts';
import type { KillPoint } from './kill-points.ts';
import { notificationsJob, supportMailbox } from './notify-world.ts';

interface ChildArgs {
  point: KillPoint;
  uri: string;
  dbName: string;
  connection: ConnectionConfig;
  secret: string;
  rulesFile: string;
  now: string;
  dir: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const logger = createSilentLogger();
const clock = (): Date => new Date(args.now);
const store = await openStore({ uri: args.uri, dbName: args.dbName, logger });
const client = createGraphClient(args.connection, {
  tokenProvider: createTokenProvider(args.connection, { env: { TEST_CLIENT_SECRET: args.secret }, baseDir: args.dir, logger }),
  logger, baseDir: args.dir,
});
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
await runJob(notificationsJob, createNotificationsHandler({
  store, clock, logger, notificationsFile: args.rulesFile, ownMailboxes: [supportMailbox],
  graphFor: (_name, counter) => client.withCounter(counter),
  hooks: {
    afterQueue: () => (args.point === 'after-queue' ? die() : undefined),
    beforeSend: () => (args.point === 'before-send' ? die() : undefined),
    afterDraftCreated: () => (args.point === 'after-draft-created' ? die() : undefined),
    afterDraftRecorded: () => (args.point === 'after-draft-recorded' ? die() : undefined),
    afterSend: () => (args.point === 'after-send' ? die() : undefined),
  },
}), { results: createJobResults(store, clock), logger });
process.stdout.write('finished without crashing\n');
await store.close();
