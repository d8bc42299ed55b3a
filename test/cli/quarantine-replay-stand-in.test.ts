import test from 'ava';
import { Command } from 'commander';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { registerCommands } from '../../src/cli/register-commands.ts';
import { createCallCounter, messagePath } from '../../src/graph/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createMessageLedger } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

const ticketRule = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } };

/** The commands as `mailroom` registers them, on the mail world's app; what they print is collected. */
async function cli(world: MailWorld, args: string[]): Promise<string> {
  let out = '';
  const deps: CliDeps = {
    stdout: (text) => void (out += text), stderr: () => undefined, cwd: world.app.config.root, env: {}, isTTY: false,
    loadConfig: async () => world.app.config, setExitCode: () => undefined, openStore: async () => world.app.store, openApp: async () => world.app, logger: createSilentLogger(),
  };
  const program = new Command().exitOverride();
  registerCommands(program, deps);
  await program.parseAsync(['node', 'mailroom', ...args]);
  return out;
}

test('quarantine replay and jobs show say in words that a mail Graph could not convert was replayed from its stand-in', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-cli-stand-in-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'rules'));
  const file = join(root, 'rules/hold.json');
  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [{ name: 'hold', when: '$isEncrypted()', action: 'quarantine', fields: { reason: '"encrypted"' } }, ticketRule] }));
  const world = await startMailWorld({ root, ruleSets: { hold: file }, job: { rules: 'hold' } });
  t.teardown(() => world.close());
  const mime = buildMime({ from: 'Rita <rita@fabrikam.example>', subject: 'Protected offer', body: 'IRM body.', messageId: 'irm-cli@fabrikam.example' });
  await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&unconvertible=true`, mime, 'message/rfc822');
  t.deepEqual((await world.run(t)).counts, { seen: 1, quarantined: 1 });
  const [entry] = await createMessageLedger(world.db.store).listQuarantined('support', 10);
  const graph = world.app.graphFor('test', createCallCounter());
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId }));
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId })).catch(() => undefined);
  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [ticketRule] }));

  const replayed = await cli(world, ['quarantine', 'replay', 'support', entry!._id]);
  t.regex(replayed, /^created {2}Protected offer {2}#\d+\n {2}warning: replayed from the stand-in kept in place of its MIME/m);
  t.regex(replayed, /"Protected offer" was replayed from the stand-in kept in place of its MIME \(gone from the mailbox, and Graph could not convert it\): sender, subject and date only/);
  const runId = /in run (\S+) \(succeeded\)/.exec(replayed)?.[1];
  t.truthy(runId, replayed);
  const shown = await cli(world, ['jobs', 'show', runId!]);
  t.regex(shown, /warning \(Protected offer\): replayed from the stand-in kept in place of its MIME/);
});
