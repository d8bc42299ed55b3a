// A child process that runs one calendar-publish job once, so a test can kill it with SIGKILL mid-run.
// Configuration comes from the environment the test sets.
import { createCalendarPublishHandler } from '../../../src/calendar/index.ts';
import { createJobResults, runJob } from '../../../src/jobs/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { graphForEmulator } from './calendar-world.ts';

const env = process.env;
const logger = createSilentLogger();
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger });
const clock = (): Date => new Date();
const handler = createCalendarPublishHandler({ store, graphFor: graphForEmulator({ url: env.EMU_URL!, caFile: env.EMU_CA! }), clock, logger });
const run = await runJob({
  name: 'plan.publish', type: 'calendar-publish', connection: 'test', enabled: true, schedule: '15 minutes', file: 'x',
  timeZone: 'Europe/Berlin', daysBack: 365, lookupPrincipalName: false, resources: null,
}, handler, { results: createJobResults(store, clock), logger });
await store.close();
process.stdout.write(`${JSON.stringify({ status: run.status, counts: run.counts })}\n`);
