import test from 'ava';
import { runCli } from '../helpers/run-cli.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

test('config validate prints every problem with file and pointer and exits 2', async (t) => {
  const project = await makeTempProject({
    'schedules/jobs.json': JSON.stringify({
      connections: [{ name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'X' } } }],
      jobs: [{ name: 'support', type: 'mail', connection: 'demo' }],
    }),
    'rules/default.json': '{\n  "name": "default",\n  "rules": [ { "name": "a", } ]\n}\n',
  });
  t.teardown(() => project.cleanup());
  const human = await runCli(['config', 'validate'], { cwd: project.dir });
  t.is(human.code, 2);
  t.regex(human.stderr, /schedules\/jobs\.json \/jobs\/0: missing required field "mailbox"/);
  t.regex(human.stderr, /rules\/default\.json:3:\d+ \(document\): JSON syntax error/);

  const json = await runCli(['config', 'validate', '--json'], { cwd: project.dir });
  t.is(json.code, 2);
  const parsed = JSON.parse(json.stdout) as { valid: boolean; problems: { file: string }[] };
  t.false(parsed.valid);
  t.deepEqual(parsed.problems.map((p) => p.file).sort(), ['rules/default.json', 'schedules/jobs.json']);
});

test('config validate exits 0 on the shipped configuration', async (t) => {
  const result = await runCli(['config', 'validate', '--json'], { cwd: process.cwd() });
  t.is(result.code, 0, result.stdout + result.stderr);
  t.true((JSON.parse(result.stdout) as { valid: boolean }).valid);
});

test('--version and --help exit 0; an unknown command exits 2', async (t) => {
  const version = await runCli(['--version'], { cwd: process.cwd() });
  t.is(version.code, 0);
  t.regex(version.stdout, /^\d+\.\d+\.\d+/);
  const help = await runCli(['--help'], { cwd: process.cwd() });
  t.is(help.code, 0);
  t.regex(help.stdout, /config/);
  const unknown = await runCli(['frobnicate'], { cwd: process.cwd() });
  t.is(unknown.code, 2);
});
