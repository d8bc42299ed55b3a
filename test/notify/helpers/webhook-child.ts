/**
 * A webhook delivery run in a process of its own, for the crash test: the test SIGKILLs it when the receiver holds
 * a request. Argument: JSON { uri, dbName, url, secret, now }.
 */
import { createSilentLogger } from '../../../src/log/index.ts';
import { deliverWebhooks } from '../../../src/notify/webhooks/index.ts';
import { openStore } from '../../../src/store/index.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { uri: string; dbName: string; url: string; secret: string; now: string };
const logger = createSilentLogger();
const store = await openStore({ uri: args.uri, dbName: args.dbName, logger });
const counts = await deliverWebhooks({
  store, clock: () => new Date(args.now), logger, env: { HOOK_SECRET: args.secret }, baseDir: process.cwd(),
  targets: [{ name: 'hook', url: args.url, secret: { env: 'HOOK_SECRET' }, events: null, enabled: true }],
});
process.stdout.write(`${JSON.stringify(counts)}\n`);
await store.close();
