import test from 'ava';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('`mailroom connection test` checks every folder a mail job\'s post-actions and rules move mail to', async (t) => {
  const project = await makeTempProject({
    'schedules/jobs.json': JSON.stringify({
      jobs: [{
        name: 'support-inbox', type: 'mail', connection: 'demo', mailbox: 'support@contoso.example', folder: 'Inbox/Support', rules: 'moves',
        postActions: { markRead: true, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed' },
      }],
    }),
    'rules/moves.json': JSON.stringify({
      name: 'moves', preprocess: [],
      rules: [
        { name: 'to-archive', when: "$contains(subject, 'invoice')", action: 'create-ticket', fields: { subject: 'subject' }, postActions: { moveTo: 'Inbox/Renamed Away' } },
        { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject' } },
      ],
    }),
  });
  t.teardown(() => project.cleanup());
  await copyFile(join(repo, 'schedules/connections.json'), join(project.dir, 'schedules/connections.json'));
  await mkdir(join(project.dir, '.mailroom'), { recursive: true });
  const emulator = await startEmulator({ port: 0, tenantFile: join(repo, 'fixtures/tenants/demo.json'), stateDir: join(project.dir, '.mailroom/emulator') });
  t.teardown(() => emulator.close());
  let stdout = '';
  const code = await main(['node', 'mailroom', 'connection', 'test', 'demo', '--json'], {
    cwd: project.dir, env: { PATH: process.env.PATH }, logger: createSilentLogger(),
    stdout: (text) => { stdout += text; }, stderr: () => undefined,
  });
  t.is(code, 1, stdout);
  const report = JSON.parse(stdout) as { connections: { steps: { step: string; status: string; reason: string }[] }[] };
  const folderSteps = report.connections[0]!.steps.filter((s) => s.step === 'post-action-folder');
  t.deepEqual(folderSteps.map((s) => s.status), ['ok', 'ok', 'fail']);
  t.regex(folderSteps[0]!.reason, /Inbox\/Processed \(postActions.moveTo\) exists/);
  t.regex(folderSteps[1]!.reason, /Inbox\/Failed \(postActions.moveFailedTo\) exists/);
  t.regex(folderSteps[2]!.reason, /job support-inbox: rule "to-archive" moves mail to "Inbox\/Renamed Away"/);
});
