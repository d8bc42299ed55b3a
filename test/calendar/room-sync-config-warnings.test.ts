import test from 'ava';
import { runCli } from '../helpers/run-cli.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

test('config validate warns (without failing) when strict mode is on with delegation or with creating in users\' calendars', async (t) => {
  const room = { type: 'room-sync', connection: 'demo', roomList: 'rooms@contoso.example' };
  const project = await makeTempProject({
    'schedules/jobs.json': JSON.stringify({
      connections: [{ name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'X' } } }],
      jobs: [
        { ...room, name: 'plain' },
        { ...room, name: 'strict-only', userCalendarStrictMode: true },
        { ...room, name: 'both', userCalendarStrictMode: true, enableUserCalendarDelegation: true },
        { ...room, name: 'strict-create', userCalendarStrictMode: true, createUserCalendarReservations: true },
      ],
    }),
  });
  t.teardown(() => project.cleanup());

  const human = await runCli(['config', 'validate'], { cwd: project.dir, env: { X: 'secret-value-of-the-test-connection' } });
  t.is(human.code, 0, human.stderr);
  t.regex(human.stdout, /config is valid: 1 connection\(s\), 4 job\(s\)/);
  t.regex(human.stderr, /warning: schedules\/jobs\.json \/jobs\/2\/userCalendarStrictMode: job "both": with enableUserCalendarDelegation also on, user calendars are still queried/);
  t.regex(human.stderr, /warning: schedules\/jobs\.json \/jobs\/3\/userCalendarStrictMode: job "strict-create": .*still written into their organizers' calendars/);

  const json = await runCli(['config', 'validate', '--json'], { cwd: project.dir, env: { X: 'secret-value-of-the-test-connection' } });
  t.is(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { valid: boolean; warnings: { pointer: string }[] };
  t.true(parsed.valid);
  t.deepEqual(parsed.warnings.map((w) => w.pointer), ['/jobs/2/userCalendarStrictMode', '/jobs/3/userCalendarStrictMode']);

  const bad = await makeTempProject({ 'schedules/jobs.json': JSON.stringify({ jobs: [{ ...room, name: 'x', userCalendarStrictMode: 'yes' }] }) });
  t.teardown(() => bad.cleanup());
  const invalid = await runCli(['config', 'validate'], { cwd: bad.dir, env: { X: 'secret-value-of-the-test-connection' } });
  t.is(invalid.code, 2);
  t.regex(invalid.stderr, /\/jobs\/0\/userCalendarStrictMode: /);
});
