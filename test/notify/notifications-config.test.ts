import { readFile } from 'node:fs/promises';
import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'DEMO_SECRET' } } };

test('a notifications job gets its defaults and rules/notifications.json is found', async (t) => {
  const project = await makeTempProject({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'notify', type: 'notifications', connection: 'demo', mailbox: 'support@contoso.example' }] }),
    'rules/notifications.json': await readFile('rules/notifications.json', 'utf8'),
  });
  t.teardown(() => project.cleanup());
  const config = await loadConfig({ root: project.dir, env: {} });
  t.deepEqual(config.jobs.map((j) => [j.name, j.type, j.schedule, j.enabled, 'mailbox' in j ? j.mailbox : null]), [['notify', 'notifications', '1 minute', true, 'support@contoso.example']]);
  t.regex(config.notificationsFile ?? '', /rules[/\\]notifications\.json$/);
  t.deepEqual(config.ruleSets, {}, 'notifications.json is not a rule set');
});

test('a notifications job without a mailbox and an invalid notifications.json are reported with the rest', async (t) => {
  const project = await makeTempProject({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'notify', type: 'notifications', connection: 'demo', folder: 'Inbox' }] }),
    'rules/notifications.json': JSON.stringify({ rules: [{ name: 'ack', trigger: 'ticket.created', recipients: ['everyone'], template: 'x' }] }),
  });
  t.teardown(() => project.cleanup());
  const error = await t.throwsAsync(loadConfig({ root: project.dir, env: {} }));
  t.true(isAppError(error, 'CONFIG_INVALID'));
  const problems = (error as unknown as { details: { problems: ConfigProblem[] } }).details.problems.map((p) => `${p.file} ${p.pointer}`);
  t.true(problems.includes('schedules/a.json /jobs/0'), problems.join('\n'));
  t.true(problems.includes('schedules/a.json /jobs/0/folder'), problems.join('\n'));
  t.true(problems.some((p) => p.startsWith('rules/notifications.json /rules/0/recipients/0')), problems.join('\n'));
});
