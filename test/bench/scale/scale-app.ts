import { createApp, type App } from '../../../src/app.ts';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { secretValue, testConnection, testJob } from '../../helpers/mail-world.ts';
import { scaleMailbox } from './scale-tenant.ts';

/** The scale benchmark's application: `jobs` mail jobs agent-0… on mailboxes agent0@…, moving what they take. */
export function scaleApp(store: Store, env: { emulator: RunningEmulator; root: string; jobs: number; schedule: string }): App {
  const jobs = Array.from({ length: env.jobs }, (_, i) => testJob({
    name: `agent-${i}`, mailbox: scaleMailbox(i), schedule: env.schedule,
    postActions: { markRead: false, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed', flag: false, categories: [] },
    limits: { messagesPerRun: 1000, attachmentMaxBytes: 26_214_400, maxAttempts: 3 },
  }));
  return createApp({
    config: { root: env.root, env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(env.emulator)], jobs, ruleSets: { default: 'rules/default.json' }, notificationsFile: null },
    store,
    logger: createSilentLogger(),
  });
}
