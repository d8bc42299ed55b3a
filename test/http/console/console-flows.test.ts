import test from 'ava';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSuppressionList } from '../../../src/notify/index.ts';
import { buildMime } from '../../helpers/build-mime.ts';
import { supportMailbox } from '../../helpers/mail-world.ts';
import { saveScreenshot, seriousAccessibilityViolations } from '../../helpers/launch-browser.ts';
import { startConsoleWorld } from './helpers/console-world.ts';

const ticketRule = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } };
const explode = { name: 'explode', when: "$contains(subject, 'POISON') ? $error('cannot handle this mail') : false", action: 'ignore' };

test('a quarantined mail is listed with its reason; replayed after the rule fix (with a confirmation) it becomes a ticket, shown on the page', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-console-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await cp('rules/default.json', join(root, 'rules/default.json'));
  const file = join(root, 'rules/poison.json');
  await writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [explode, ticketRule] }));
  const cw = await startConsoleWorld({ mail: { root, ruleSets: { poison: file }, job: { rules: 'poison', limits: { messagesPerRun: 1000, attachmentMaxBytes: 1_000_000, maxAttempts: 1 } } } });
  t.teardown(() => cw.close());
  await cw.world.control.deliver(supportMailbox, buildMime({ from: 'Eve <eve@fabrikam.example>', subject: 'POISON pill', body: 'A mail the rules choke on.', messageId: 'poison@fabrikam.example' }), 'Inbox/Support');
  t.is((await cw.app.runJobNow('support')).counts.quarantined, 1);

  const { page } = await cw.signedIn();
  await page.goto(`${cw.url}/console/jobs/support`);
  await page.getByRole('link', { name: 'quarantined mail of this job' }).click();
  const row = page.locator('tbody tr', { hasText: 'POISON pill' });
  t.true((await row.textContent())?.includes('RULE_EVALUATION_FAILED'));
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'quarantine-1280');

  await writeFile(file, JSON.stringify({ name: 'poison', preprocess: [], rules: [ticketRule] }));
  // Keyboard only: focus the row's replay link and follow it, then confirm with the keyboard too.
  await row.getByRole('link', { name: 'Replay…' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/quarantine\/confirm/);
  t.is(await page.locator('h1').textContent(), 'Replay this mail?');
  await page.getByRole('button', { name: 'Replay now' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${cw.url}/console/jobs/support/quarantine/replay`);
  const result = page.getByRole('status', { name: 'Replay result' });
  t.true((await result.textContent())?.includes('created'));
  await result.getByRole('link', { name: /ticket \d+/ }).click();
  t.regex((await page.locator('h1').textContent()) ?? '', /\[#\d+\] POISON pill/);
  t.is((await cw.app.tickets.listTickets()).length, 1);
  t.deepEqual(await cw.app.quarantine.list('support'), []);
});

test('assigning a ticket in the console sends the assignment notification (the notifications job), seen in the outbox page', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  await cw.world.control.deliver(supportMailbox, buildMime({ from: 'Dana <dana@fabrikam.example>', subject: 'Laptop will not boot', body: 'It shows a black screen.', messageId: 'boot@fabrikam.example' }), 'Inbox/Support');
  await cw.app.runJobNow('support');
  const [ticket] = await cw.app.tickets.listTickets();

  const { page } = await cw.signedIn();
  await page.goto(`${cw.url}/console/tickets`);
  await page.getByLabel('Search words').fill('boot');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: String(ticket!.number), exact: true }).click();
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await page.getByLabel('Assignee (address)').fill('bob@contoso.example');
  await page.getByLabel('Status', { exact: true }).selectOption('open');
  await page.getByRole('button', { name: 'Save' }).click();
  t.true((await page.getByRole('status').textContent())?.includes('Saved: status and assignee changed') || (await page.getByRole('status').textContent())?.includes('Saved: assignee and status changed'));
  t.is((await page.locator('dl.facts').textContent())?.includes('bob@contoso.example'), true);
  await saveScreenshot(page, 'ticket-1280');

  const notify = await cw.app.runJobNow('notify');
  t.is(notify.status, 'succeeded');
  await page.goto(`${cw.url}/console/notifications?status=sent`);
  const sent = page.locator('tbody tr', { hasText: 'bob@contoso.example' });
  t.is(await sent.count(), 1);
  t.true((await sent.textContent())?.includes('sent'));
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'notifications-1280');
  const mails = await cw.world.control.sent(supportMailbox);
  t.is(mails.filter((m) => JSON.stringify(m.to).includes('bob@contoso.example')).length, 1, 'the assignment mail went out once');

  // An address suppressed after hard bounces is listed under the outbox, with what to do.
  await createSuppressionList(cw.app.store, cw.app.clock).recordHardBounce('dana@fabrikam.example', { notificationId: 'n1', status: '5.1.10', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound', at: new Date() }, 1);
  await page.goto(`${cw.url}/console/notifications`);
  const row = page.getByRole('region', { name: 'Suppressed addresses' }).locator('tbody tr');
  t.regex((await row.textContent()) ?? '', /dana@fabrikam\.example\s*1\s*5\.1\.10 550 5\.1\.10 RESOLVER/);
  t.deepEqual(await seriousAccessibilityViolations(page), []);
});

test('a connection with a wrong secret: the test button shows the failing token check with its fix', async (t) => {
  const cw = await startConsoleWorld({ env: { TEST_CLIENT_SECRET: 'not-the-secret-at-all-0123456789abcdefghij' } });
  t.teardown(() => cw.close());
  const { page } = await cw.signedIn();
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Test the connection' }).click();
  const token = page.locator('.checks li', { hasText: 'token' }).first();
  const text = (await token.textContent()) ?? '';
  t.true(text.startsWith('fail'), text);
  t.true(text.includes('AUTH_INVALID_SECRET'), text);
  t.true(text.includes('Fix:'), text);
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'connection-test-1280');
});
