import test from 'ava';
import { Command, CommanderError } from 'commander';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { registerNotificationsCommands } from '../../src/cli/commands/notifications-commands.ts';
import { isAppError } from '../../src/core/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startNotifyWorld, supportMailbox, type NotifyWorld } from './helpers/notify-world.ts';

/** Runs `mailroom notifications …` through commander against the world's database; returns what it printed. */
async function cli(world: NotifyWorld, args: string[]): Promise<{ stdout: string; error: unknown }> {
  let stdout = '';
  const unused = async (): Promise<never> => { throw new Error('not used by notifications commands'); };
  const deps: CliDeps = {
    stdout: (text) => void (stdout += text), stderr: () => undefined, cwd: process.cwd(), env: {}, isTTY: false,
    loadConfig: unused, openApp: unused, setExitCode: () => undefined, logger: createSilentLogger(),
    openStore: async () => world.db.store,
  };
  const program = new Command('mailroom').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerNotificationsCommands(program, deps);
  try {
    await program.parseAsync(['node', 'mailroom', 'notifications', 'list', ...args]);
    return { stdout, error: undefined };
  } catch (error) {
    return { stdout, error };
  }
}

test('notifications list shows sent and suppressed notifications, filters by status, and speaks JSON', async (t) => {
  const world = await startNotifyWorld();
  t.teardown(() => world.close());
  const { ticket } = await world.tickets.createTicket({ createdFrom: 'mail:cli1', requester: { address: 'ann@fabrikam.example', name: 'Ann' }, subject: 'Printer jammed', description: 'x' });
  await world.tickets.createTicket({ createdFrom: 'mail:cli2', requester: { address: supportMailbox, name: 'Support' }, subject: 'Loop?', description: 'x' });
  await world.run();

  const all = JSON.parse((await cli(world, ['--json'])).stdout) as { key: string; status: string; to: string; subject: string; reason: string | null; html?: unknown }[];
  t.deepEqual(all.map((n) => [n.status, n.to, n.reason]).sort(), [['sent', 'ann@fabrikam.example', null], ['suppressed', supportMailbox, 'own-mailbox']]);
  t.true(all.find((n) => n.status === 'sent')!.subject.includes(`[#${ticket.number}]`));
  t.is(all[0]!.html, undefined, 'bodies stay out of the listing');

  const suppressed = JSON.parse((await cli(world, ['--status', 'suppressed', '--json'])).stdout) as { to: string }[];
  t.deepEqual(suppressed.map((n) => n.to), [supportMailbox]);

  const table = (await cli(world, ['--status', 'sent'])).stdout;
  t.regex(table, /^status\s+ticket\s+to/);
  t.regex(table, new RegExp(`sent\\s+#${ticket.number}\\s+ann@fabrikam\\.example`));
  t.notRegex(table, /own-mailbox/);

  t.regex((await cli(world, ['--status', 'failed'])).stdout, /no notifications with status failed/);
  const wrong = await cli(world, ['--status', 'bogus']);
  t.true(isAppError(wrong.error, 'USAGE'), String(wrong.error));
  const badLimit = await cli(world, ['--limit', 'x']);
  t.true(isAppError(badLimit.error, 'USAGE') || badLimit.error instanceof CommanderError);
});
