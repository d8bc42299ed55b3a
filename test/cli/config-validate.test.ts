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
  const human = await runCli(['config', 'validate'], { cwd: project.dir, env: { X: undefined } });
  t.is(human.code, 2);
  t.regex(human.stderr, /schedules\/jobs\.json \/jobs\/0: missing required field "mailbox"/);
  t.regex(human.stderr, /rules\/default\.json:3:\d+ \(document\): JSON syntax error/);

  // The job's schema problem does not hide the connection's unset secret in the same file.
  t.regex(human.stderr, /schedules\/jobs\.json \/connections\/0\/credential\/clientSecret: environment variable X is not set/);

  const json = await runCli(['config', 'validate', '--json'], { cwd: project.dir, env: { X: undefined } });
  t.is(json.code, 2);
  const parsed = JSON.parse(json.stdout) as { valid: boolean; problems: { file: string }[] };
  t.false(parsed.valid);
  t.deepEqual(parsed.problems.map((p) => p.file).sort(), ['rules/default.json', 'schedules/jobs.json', 'schedules/jobs.json']);
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

const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = '66666666-7777-8888-9999-000000000000';

/** A project whose files are each valid JSON and schema-valid, with every deeper problem issue 15 names. */
function deeperProblems(): Record<string, string> {
  return {
    'schedules/connections.json': JSON.stringify({
      connections: [
        { name: 'by-env', tenantId, clientId, credential: { clientSecret: { env: 'MAILROOM_TEST_UNSET_SECRET' } } },
        { name: 'by-file', tenantId, clientId, credential: { clientSecret: { file: 'secrets/missing.txt' } } },
        { name: 'cert', tenantId, clientId, credential: { certificate: { privateKey: { file: 'secrets/key.pem' }, thumbprint: 'a'.repeat(40) } } },
      ],
    }, null, 2),
    'secrets/key.pem': '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n',
    'schedules/jobs.json': JSON.stringify({
      jobs: [
        { name: 'support', type: 'mail', connection: 'by-env', mailbox: 'support@contoso.example', rules: 'broken' },
        { name: 'risky', type: 'mail', connection: 'by-file', mailbox: 'risky@contoso.example', rules: 'risky' },
      ],
    }, null, 2),
    'rules/broken.json': JSON.stringify({ name: 'broken', preprocess: [], rules: [{ name: 'typo', when: '$contains(subject, ', action: 'ignore' }] }),
    'rules/risky.json': JSON.stringify({ name: 'risky', preprocess: [], rules: [{ name: 'all-a', when: '$contains(text, /(a+)+$/)', action: 'ignore' }] }),
  };
}

test('config validate compiles the rules jobs use, resolves every secret and flags risky patterns: all at once, with file, rule and pointer', async (t) => {
  const project = await makeTempProject(deeperProblems());
  t.teardown(() => project.cleanup());
  const json = await runCli(['config', 'validate', '--json'], { cwd: project.dir, env: { MAILROOM_TEST_UNSET_SECRET: undefined } });
  t.is(json.code, 2, json.stderr);
  const { valid, problems } = JSON.parse(json.stdout) as { valid: boolean; problems: { file: string; pointer: string; rule?: string; message: string }[] };
  t.false(valid);
  const found = problems.map((p) => [p.file, p.pointer, p.rule ?? null]);
  t.deepEqual(found, [
    ['schedules/connections.json', '/connections/0/credential/clientSecret', null],
    ['schedules/connections.json', '/connections/1/credential/clientSecret', null],
    ['schedules/connections.json', '/connections/2/credential/certificate/privateKey', null],
    ['rules/broken.json', '/rules/0/when', 'typo'],
    ['rules/risky.json', '/rules/0/when', 'all-a'],
  ]);
  t.regex(problems[0]!.message, /environment variable MAILROOM_TEST_UNSET_SECRET is not set/);
  t.regex(problems[1]!.message, /cannot read secret file .*secrets\/missing\.txt/);
  t.regex(problems[2]!.message, /key file .*secrets\/key\.pem does not parse as a PEM private key/);
  t.regex(problems[4]!.message, /can backtrack catastrophically/);

  const human = await runCli(['config', 'validate'], { cwd: project.dir });
  t.is(human.code, 2);
  t.regex(human.stderr, /rules\/broken\.json rule "typo" \/rules\/0\/when: JSONata/);
});

test('mailroom start refuses to start with the same report, exit 2', async (t) => {
  const project = await makeTempProject(deeperProblems());
  t.teardown(() => project.cleanup());
  const result = await runCli(['start'], { cwd: project.dir, env: { MAILROOM_TEST_UNSET_SECRET: undefined, MAILROOM_DEMO: '0' } });
  t.is(result.code, 2, result.stderr);
  t.regex(result.stderr, /CONFIG_INVALID|invalid configuration/);
  t.regex(result.stderr, /schedules\/connections\.json \/connections\/0\/credential\/clientSecret: environment variable MAILROOM_TEST_UNSET_SECRET is not set/);
  t.regex(result.stderr, /rules\/broken\.json rule "typo" \/rules\/0\/when/);
  t.notRegex(result.stderr, /scheduled \d+ job/);
});

test('JSON syntax errors name the line and column of the mistake, not the end of the file', async (t) => {
  const project = await makeTempProject({
    'schedules/jobs.json': '{\n  "jobs": [\n    { "name": "support", "type": "mail"\n      "connection": "x" }\n  ]\n}\n',
    'rules/default.json': '{\n  "name": "default",\n  "preprocess": [],\n  "rules": [ { "name": "a", } ]\n}\n',
  });
  t.teardown(() => project.cleanup());
  const result = await runCli(['config', 'validate'], { cwd: project.dir });
  t.is(result.code, 2);
  t.regex(result.stderr, /schedules\/jobs\.json:4:7 \(document\): JSON syntax error: comma expected/);
  t.regex(result.stderr, /rules\/default\.json:4:29 \(document\): JSON syntax error: property name expected/);
});

test('config validate reports every problem of a file at once: a schema problem hides neither a bad since nor a JSONata error nor a missing secret', async (t) => {
  const project = await makeTempProject({
    'schedules/jobs.json': JSON.stringify({
      connections: [{ name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'MAILROOM_TEST_UNSET_SECRET' } } }],
      jobs: [{ name: 'support', type: 'mail', connection: 'demo', mailbox: 'support@contoso.example', rules: 'broken', backlog: 'later', since: 'soon' }],
    }),
    'rules/broken.json': JSON.stringify({ name: 'broken', preprocess: [], rules: [{ name: 'typo', when: '$contains(subject, ', action: 'ignore', colour: 'red' }] }),
  });
  t.teardown(() => project.cleanup());
  const json = await runCli(['config', 'validate', '--json'], { cwd: project.dir, env: { MAILROOM_TEST_UNSET_SECRET: undefined } });
  t.is(json.code, 2, json.stderr);
  const { problems } = JSON.parse(json.stdout) as { problems: { file: string; pointer: string; message: string }[] };
  t.deepEqual(problems.map((p) => [p.file, p.pointer]), [
    ['schedules/jobs.json', '/connections/0/credential/clientSecret'],
    ['schedules/jobs.json', '/jobs/0/backlog'],
    ['schedules/jobs.json', '/jobs/0/since'],
    ['rules/broken.json', '/rules/0/colour'],
    ['rules/broken.json', '/rules/0/when'],
  ], JSON.stringify(problems, null, 1));
  t.regex(problems[1]!.message, /must be one of "import", "skip"/);
  t.regex(problems[2]!.message, /"soon" is neither "all"/);
  t.regex(problems[3]!.message, /unknown field/);
  t.regex(problems[4]!.message, /JSONata/);

  const human = await runCli(['config', 'validate'], { cwd: project.dir, env: { MAILROOM_TEST_UNSET_SECRET: undefined } });
  t.is(human.code, 2);
  t.regex(human.stderr, /config is invalid \(5 problems\)/);
  t.regex(human.stderr, /schedules\/jobs\.json \/jobs\/0\/backlog: must be one of/);
  t.regex(human.stderr, /schedules\/jobs\.json \/jobs\/0\/since: "soon" is neither/);
  t.regex(human.stderr, /rules\/broken\.json rule "typo" \/rules\/0\/when: JSONata/);
});
