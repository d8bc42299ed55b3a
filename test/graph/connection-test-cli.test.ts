import test from 'ava';
import { Command } from 'commander';
import { registerConnectionCommands, type ConnectionCliDeps } from '../../src/cli/commands/connection-commands.ts';
import type { ConnectionJob } from '../../src/graph/connection-test/required-roles.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { ids, startTestEmulator, type TestEmulator } from './emulator-tenant.ts';

let emu: TestEmulator;

test.before(async () => {
  emu = await startTestEmulator();
});
test.after.always(async () => {
  await emu?.close();
});

const mailJob = (name: string, connection: string, extra: Partial<ConnectionJob> = {}): ConnectionJob =>
  ({ name, type: 'mail', connection, enabled: true, mailbox: 'support@contoso.example', folder: 'Inbox/Support', ...extra });

async function run(args: string[], config: { connections: ConnectionConfig[]; jobs: ConnectionJob[] }, env: Record<string, string> = emu.env) {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const deps: ConnectionCliDeps = {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    cwd: emu.dir,
    env,
    setExitCode: (code) => { exitCode = Math.max(exitCode, code); },
    loadConfig: async () => config,
    testing: { now: new Date('2026-06-01T12:00:00Z'), graph: { retryBaseDelayMs: 20 } },
  };
  const program = new Command('mailroom').exitOverride();
  registerConnectionCommands(program, deps);
  await program.parseAsync(['node', 'mailroom', ...args]);
  return { stdout, stderr, exitCode };
}

const line = (output: string, status: string, step: string): string | undefined =>
  output.split('\n').find((l) => new RegExp(`^\\s+${status}\\s+${step}\\s`).test(l));

test.serial('a healthy connection passes every step and exits 0', async (t) => {
  const connection = emu.connection({ name: 'demo', secretExpiresAt: '2027-01-31' });
  const { stdout, exitCode } = await run(['connection', 'test', 'demo'], { connections: [connection], jobs: [mailJob('support-inbox', 'demo')] });
  t.is(exitCode, 0, stdout);
  t.regex(line(stdout, 'ok', 'token') ?? '', /token acquired from https:\/\/localhost:\d+\//);
  t.regex(line(stdout, 'ok', 'roles') ?? '', /covers Mail\.ReadWrite/);
  t.regex(line(stdout, 'ok', 'mailbox') ?? '', /support@contoso\.example reachable \(job support-inbox\)/);
  t.regex(line(stdout, 'ok', 'folder') ?? '', /Inbox\/Support resolves to \S+/);
  t.regex(line(stdout, 'ok', 'secret expiry') ?? '', /expires on 2027-01-31 \(in 244 days\)/);
});

test.serial('a wrong secret fails on the token step, says the secret is wrong, and exits 1', async (t) => {
  const connection = emu.connection({ name: 'demo', secretExpiresAt: '2027-01-31' });
  const { stdout, exitCode } = await run(['connection', 'test', 'demo'], { connections: [connection], jobs: [mailJob('support-inbox', 'demo')] }, { TEST_SECRET: ids.secretId });
  t.is(exitCode, 1);
  t.regex(line(stdout, 'fail', 'token') ?? '', /the client secret is wrong \(AADSTS7000215\)/);
  t.regex(stdout, /fix: Paste the secret's Value, not its Secret ID/);
  t.truthy(line(stdout, 'skip', 'roles'));
  t.false(stdout.includes(ids.secretId), 'the wrong secret itself is not printed');
});

test.serial('a missing role is named with the job that needs it', async (t) => {
  const connection = emu.connection({ name: 'calendar', clientId: ids.appCalendarOnly, secretExpiresAt: '2027-01-31' });
  const jobs = [mailJob('support-inbox', 'calendar'), { name: 'rooms', type: 'room-sync', connection: 'calendar', enabled: true }, mailJob('old-inbox', 'calendar', { enabled: false })];
  const { stdout, exitCode } = await run(['connection', 'test', 'calendar'], { connections: [connection], jobs }, { TEST_SECRET: 'calendar-secret' });
  t.is(exitCode, 1);
  const roles = line(stdout, 'fail', 'roles') ?? '';
  t.regex(roles, /Mail\.ReadWrite, needed by job support-inbox \(mail\)/);
  t.regex(roles, /Calendars\.ReadWrite, needed by job rooms \(room-sync\)/);
  t.regex(roles, /Place\.Read\.All, needed by job rooms \(room-sync\)/);
  t.false(roles.includes('old-inbox'), 'disabled jobs do not count');
  t.regex(stdout, /fix: Add Mail\.ReadWrite, Calendars\.ReadWrite, Place\.Read\.All as application permissions/);
});

test.serial('no admin consent, an access policy and a missing folder each fail with their sentence (--json)', async (t) => {
  const noConsent = emu.connection({ name: 'no-consent', clientId: ids.appNoConsent, secretExpiresAt: '2027-01-31' });
  const consent = await run(['connection', 'test', 'no-consent', '--json'], { connections: [noConsent], jobs: [mailJob('inbox', 'no-consent')] }, { TEST_SECRET: 'no-consent-secret' });
  const consentReport = JSON.parse(consent.stdout) as { ok: boolean; connections: { steps: { step: string; status: string; reason: string; hint?: string }[] }[] };
  t.false(consentReport.ok);
  const rolesStep = consentReport.connections[0]!.steps.find((s) => s.step === 'roles')!;
  t.is(rolesStep.status, 'fail');
  t.regex(rolesStep.reason, /admin consent is missing/);
  t.regex(rolesStep.hint ?? '', /Grant admin consent/);

  const policy = emu.connection({ name: 'policy', clientId: ids.appPolicy, secretExpiresAt: '2027-01-31' });
  const blocked = await run(['connection', 'test', 'policy', '--mailbox', 'support@contoso.example', '--json'], { connections: [policy], jobs: [] }, { TEST_SECRET: 'policy-secret' });
  const mailbox = (JSON.parse(blocked.stdout) as typeof consentReport).connections[0]!.steps.find((s) => s.step === 'mailbox')!;
  t.is(mailbox.status, 'fail');
  t.regex(mailbox.reason, /application access policy keeps it out/);
  t.is(blocked.exitCode, 1);

  const folder = await run(['connection', 'test', 'policy', '--mailbox', 'purchasing@contoso.example', '--folder', 'Inbox/Orders'], { connections: [policy], jobs: [] }, { TEST_SECRET: 'policy-secret' });
  t.regex(line(folder.stdout, 'fail', 'folder') ?? '', /mailbox purchasing@contoso\.example has no folder "Orders" under "Inbox"/);
  t.regex(line(folder.stdout, 'ok', 'mailbox') ?? '', /purchasing@contoso\.example reachable/);
});

test.serial('secret expiry: under 30 days warns (exit 0), past fails, unknown warns', async (t) => {
  const config = (secretExpiresAt?: string) => ({ connections: [emu.connection({ name: 'demo', ...(secretExpiresAt ? { secretExpiresAt } : {}) })], jobs: [] });
  const soon = await run(['connection', 'test', 'demo'], config('2026-06-20'));
  t.regex(line(soon.stdout, 'warn', 'secret expiry') ?? '', /expires on 2026-06-20, in 19 days/);
  t.is(soon.exitCode, 0);
  const past = await run(['connection', 'test', 'demo'], config('2026-05-01'));
  t.regex(line(past.stdout, 'fail', 'secret expiry') ?? '', /client secret expired on 2026-05-01/);
  t.is(past.exitCode, 1);
  const unknown = await run(['connection', 'test', 'demo'], config());
  t.regex(line(unknown.stdout, 'warn', 'secret expiry') ?? '', /expiry unknown/);
});

test.serial('without a name every connection used by an enabled job is tested', async (t) => {
  const connections = [
    emu.connection({ name: 'used', secretExpiresAt: '2027-01-31' }),
    emu.connection({ name: 'idle', clientId: ids.appExpired }),
    emu.connection({ name: 'disabled-only', clientId: ids.appExpired }),
  ];
  const jobs = [mailJob('a', 'used'), mailJob('b', 'disabled-only', { enabled: false })];
  const { stdout, exitCode } = await run(['connection', 'test'], { connections, jobs });
  t.is(exitCode, 0, stdout);
  t.deepEqual(stdout.split('\n').filter((l) => l.startsWith('connection ')), ['connection used']);
});
