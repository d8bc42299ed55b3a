import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallCounter, messagePath } from '../../../src/graph/index.ts';
import { createMessageLedger } from '../../../src/mail/connector/index.ts';
import { buildMime } from '../../helpers/build-mime.ts';
import { supportMailbox } from '../../helpers/mail-world.ts';
import { saveScreenshot, seriousAccessibilityViolations } from '../../helpers/launch-browser.ts';
import { startConsoleWorld } from './helpers/console-world.ts';

const ticketRule = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } };

test('replaying in the console a mail Graph could not convert, gone from the mailbox: the result and the run page show the stand-in warning', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-console-stand-in-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'rules'));
  const file = join(root, 'rules/hold.json');
  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [{ name: 'hold', when: '$isEncrypted()', action: 'quarantine', fields: { reason: '"encrypted"' } }, ticketRule] }));
  const cw = await startConsoleWorld({ mail: { root, ruleSets: { hold: file }, job: { rules: 'hold' } } });
  t.teardown(() => cw.close());
  const mime = buildMime({ from: 'Rita <rita@fabrikam.example>', subject: 'Protected offer', body: 'IRM body.', messageId: 'irm-console@fabrikam.example' });
  await cw.world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&unconvertible=true`, mime, 'message/rfc822');
  t.is((await cw.app.runJobNow('support')).counts.quarantined, 1);
  const [entry] = await createMessageLedger(cw.world.db.store).listQuarantined('support', 10);
  const graph = cw.app.graphFor('test', createCallCounter());
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId }));
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId })).catch(() => undefined);
  await writeFile(file, JSON.stringify({ name: 'hold', preprocess: [], rules: [ticketRule] }));

  const { page } = await cw.signedIn();
  await page.goto(`${cw.url}/console/jobs/support/quarantine`);
  await page.getByRole('link', { name: 'Replay…' }).click();
  await page.getByRole('button', { name: 'Replay now' }).click();
  await page.waitForURL(`${cw.url}/console/jobs/support/quarantine/replay`);
  const result = page.getByRole('status', { name: 'Replay result' });
  const text = (await result.textContent()) ?? '';
  t.true(text.includes('created') && text.includes('Warning: replayed from the stand-in kept in place of its MIME'), text);
  t.deepEqual(await seriousAccessibilityViolations(page), []);

  await result.locator('a[href^="/console/runs/"]').click();
  const line = page.locator('tbody tr', { hasText: 'Protected offer' });
  t.true((await line.textContent())?.includes('Warning: replayed from the stand-in'));
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'replay-stand-in-run-1280');
});
