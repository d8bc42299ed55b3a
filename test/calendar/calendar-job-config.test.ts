import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'DEMO_SECRET' } } };

test('calendar job types load with their defaults', async (t) => {
  const project = await makeTempProject({
    'schedules/calendar.json': JSON.stringify({
      connections: [connection],
      jobs: [
        { name: 'plan.publish', type: 'calendar-publish', connection: 'demo', resources: [{ mailbox: 'alice@contoso.example' }, { mailbox: 'bob@contoso.example', active: false }] },
        { name: 'my.calendar', type: 'calendar-read', connection: 'demo', users: ['carol@contoso.example'] },
        { name: 'rooms', type: 'room-sync', connection: 'demo', roomList: 'rooms@contoso.example' },
      ],
    }),
  });
  t.teardown(() => project.cleanup());
  const config = await loadConfig({ root: project.dir, env: {} });
  const [publish, read, rooms] = config.jobs;
  if (publish?.type !== 'calendar-publish' || read?.type !== 'calendar-read' || rooms?.type !== 'room-sync') return t.fail('unexpected job types');
  t.like(publish, { timeZone: 'Europe/Berlin', daysBack: 365, lookupPrincipalName: false, enabled: true });
  t.deepEqual(publish.resources, [{ mailbox: 'alice@contoso.example', active: true }, { mailbox: 'bob@contoso.example', active: false }]);
  t.like(read, { daysBack: 30, daysAhead: 90, users: ['carol@contoso.example'] });
  t.like(rooms, { timeZone: 'Europe/Berlin', daysBack: 7, daysAhead: 180, roomList: 'rooms@contoso.example' });
});

test('calendar job fields are validated with pointers', async (t) => {
  const project = await makeTempProject({
    'schedules/calendar.json': JSON.stringify({
      connections: [connection],
      jobs: [
        { name: 'plan.publish', type: 'calendar-publish', connection: 'demo', daysBack: -1, resources: [{ mailbox: 'a@b.c', activ: false }] },
        { name: 'my.calendar', type: 'calendar-read', connection: 'demo' },
      ],
    }),
  });
  t.teardown(() => project.cleanup());
  const error = await t.throwsAsync(loadConfig({ root: project.dir, env: {} }));
  t.true(isAppError(error, 'CONFIG_INVALID'));
  if (!isAppError(error)) return;
  const pointers = (error.details.problems as ConfigProblem[]).map((p) => p.pointer);
  t.true(pointers.includes('/jobs/0/daysBack'));
  t.true(pointers.includes('/jobs/0/resources/0/activ'));
  t.true(pointers.includes('/jobs/1'), pointers.join(', '));
});
