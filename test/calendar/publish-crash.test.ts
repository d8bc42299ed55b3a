import { spawn } from 'node:child_process';
import test from 'ava';
import { createCalendarPublishHandler, createPlanStore, type PlannedItemInput } from '../../src/calendar/index.ts';
import type { CalendarPublishJobConfig } from '../../src/config/job-config.ts';
import { collectionNames } from '../../src/store/index.ts';
import { alice, bob, startCalendarWorld, type CalendarWorld } from './helpers/calendar-world.ts';
import { itemKeysIn, writesSince } from './helpers/calendar-assertions.ts';

const dayMs = 86_400_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;

const job: CalendarPublishJobConfig = {
  name: 'plan.publish', type: 'calendar-publish', connection: 'test', enabled: true, schedule: '15 minutes', file: 'x',
  timeZone: 'Europe/Berlin', daysBack: 365, lookupPrincipalName: false, resources: null,
};

function plan(count: number): PlannedItemInput[] {
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(today + (1 + Math.floor(i / 4)) * dayMs + (7 + (i % 4) * 2) * 3_600_000);
    return { kind: 'appointment', externalId: `C${String(i).padStart(3, '0')}`, title: `Job ${i}`, resource: i % 2 === 0 ? alice : bob, start, end: new Date(start.getTime() + 3_600_000) };
  });
}

/** Starts the publish job in a child process and kills it with SIGKILL as soon as the emulator has executed `afterWrites` writes. */
async function killMidRun(world: CalendarWorld, afterWrites: number): Promise<{ killed: boolean; writesAtKill: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/calendar/helpers/publish-child.ts'], {
    env: { ...process.env, EMU_URL: world.emulator.url, EMU_CA: world.emulator.caFile, DB_URI: world.db.uri, DB_NAME: world.db.dbName },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const done = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => { exited = true; resolve(signal); }));
  let writes = 0;
  while (!exited) {
    writes = (await writesSince(world.control)).total;
    if (writes >= afterWrites) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { killed: (await done) === 'SIGKILL', writesAtKill: writes };
}

test('publish: a run killed mid-batch and run again leaves exactly one event per item; lost state creates nothing twice', async (t) => {
  const world = await startCalendarWorld();
  t.teardown(() => world.close());
  const items = plan(50);
  await createPlanStore(world.db.store, () => new Date()).upsertItems(items);
  await world.control.resetStats();

  const kill = await killMidRun(world, 1);
  t.true(kill.killed, 'the child was killed while it ran');
  const createdBeforeKill = (await itemKeysIn(world.control, alice)).length + (await itemKeysIn(world.control, bob)).length;
  t.true(createdBeforeKill < items.length, `killed before the end (${createdBeforeKill} events existed)`);
  t.log(`killed after ${kill.writesAtKill} writes, ${createdBeforeKill} events existed`);

  const handler = createCalendarPublishHandler(world.deps);
  const resumed = await world.run(job, handler);
  t.is(resumed.status, 'succeeded');
  const expected = (resource: string): string[] => items.filter((i) => i.resource === resource).map((i) => `appointment:${i.externalId}`).sort();
  t.deepEqual(await itemKeysIn(world.control, alice), expected(alice));
  t.deepEqual(await itemKeysIn(world.control, bob), expected(bob));

  // The database forgets what it published (e.g. restored from an old backup): the events are found by our property.
  await world.db.store.collection(collectionNames.calendarState).deleteMany({});
  await world.control.resetStats();
  const afterLoss = await world.run(job, handler);
  t.like(afterLoss.counts, { unchanged: 50 });
  t.is((await writesSince(world.control)).total, 0);
  t.deepEqual(await itemKeysIn(world.control, alice), expected(alice));
});
