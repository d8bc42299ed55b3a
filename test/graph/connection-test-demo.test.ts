import test from 'ava';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

// The shipped demo: schedules/connections.json against the emulator as `mailroom emulator` starts it (demo tenant,
// state in <project>/.mailroom/emulator), through the CLI's own entry point and config loading. In-process rather
// than spawned binaries: three CLI processes cost more CPU than every other test here together.
const repo = fileURLToPath(new URL('../../', import.meta.url));
let project: { dir: string; cleanup(): Promise<void> };
let emulator: RunningEmulator | undefined;
let demo: { tenantId: string; applications: { clientId: string; displayName: string; secrets?: { id: string; value: string }[] }[] };

test.before(async () => {
  demo = JSON.parse(await readFile(join(repo, 'fixtures/tenants/demo.json'), 'utf8')) as typeof demo;
  const supportOnly = demo.applications.find((a) => a.displayName.includes('Support Only'))!;
  project = await makeTempProject({
    'schedules/jobs.json': JSON.stringify({
      connections: [{
        name: 'support-only', tenantId: demo.tenantId, clientId: supportOnly.clientId, cloud: 'emulator',
        credential: { clientSecret: { env: 'SUPPORT_ONLY_SECRET' } }, secretExpiresAt: '2099-12-31',
      }],
      jobs: [
        { name: 'support-inbox', type: 'mail', connection: 'demo', mailbox: 'support@contoso.example', folder: 'Inbox/Support' },
        { name: 'team-calendars', type: 'calendar-read', connection: 'support-only', users: ['alice@contoso.example'] },
      ],
    }),
  });
  await copyFile(join(repo, 'schedules/connections.json'), join(project.dir, 'schedules/connections.json'));
  await mkdir(join(project.dir, 'rules'));
  await copyFile(join(repo, 'rules/default.json'), join(project.dir, 'rules/default.json'));

  emulator = await startEmulator({ port: 0, tenantFile: join(repo, 'fixtures/tenants/demo.json'), stateDir: join(project.dir, '.mailroom/emulator') });
});

async function runCli(args: string[], options: { env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'mailroom', ...args], {
    cwd: project.dir,
    env: { PATH: process.env.PATH, ...options.env },
    logger: createSilentLogger(),
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr };
}

test.after.always(async () => {
  await emulator?.close();
  await project?.cleanup();
});

test.serial('`mailroom connection test demo` passes against `mailroom emulator`', async (t) => {
  const result = await runCli(['connection', 'test', 'demo']);
  t.is(result.code, 0, result.stdout + result.stderr);
  for (const step of ['token', 'roles', 'mailbox', 'folder', 'secret expiry']) t.regex(result.stdout, new RegExp(`ok\\s+${step}\\s`), step);
  t.regex(result.stdout, /support@contoso\.example Inbox\/Support resolves to/);
});

test.serial('without arguments it tests every connection an enabled job uses, and names a missing role with its job (--json)', async (t) => {
  const secret = demo.applications.find((a) => a.displayName.includes('Support Only'))!.secrets![0]!.value;
  const result = await runCli(['connection', 'test', '--json'], { env: { SUPPORT_ONLY_SECRET: secret } });
  t.is(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as { ok: boolean; connections: { connection: string; ok: boolean; steps: { step: string; status: string; reason: string }[] }[] };
  t.deepEqual(report.connections.map((c) => [c.connection, c.ok]), [['demo', true], ['support-only', false]]);
  const roles = report.connections[1]!.steps.find((s) => s.step === 'roles')!;
  t.is(roles.status, 'fail');
  t.regex(roles.reason, /Calendars\.Read, needed by job team-calendars \(calendar-read\)/);
});

test.serial('with a wrong secret it fails on the token step and says the secret is wrong', async (t) => {
  // The classic mistake: the portal's Secret ID pasted where the secret's Value belongs.
  const secretId = demo.applications[0]!.secrets![0]!.id;
  const secretFile = join(project.dir, '.mailroom/emulator/client-secret');
  const value = await readFile(secretFile, 'utf8');
  await writeFile(secretFile, secretId);
  try {
    const result = await runCli(['connection', 'test', 'demo']);
    t.is(result.code, 1);
    t.regex(result.stdout, /fail\s+token\s+the client secret is wrong/);
    t.regex(result.stdout, /Value, not its Secret ID/);
  } finally {
    await writeFile(secretFile, value);
  }
});
