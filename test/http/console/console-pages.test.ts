import test from 'ava';
import { buildMime } from '../../helpers/build-mime.ts';
import { supportMailbox } from '../../helpers/mail-world.ts';
import { saveScreenshot, seriousAccessibilityViolations } from '../../helpers/launch-browser.ts';
import { startConsoleWorld } from './helpers/console-world.ts';

test('sign in with the one-time link, see the jobs, open a run and its lines; no serious accessibility problem at 1280 and 390 px', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  await cw.world.control.deliver(supportMailbox, buildMime({ from: 'Dana <dana@fabrikam.example>', subject: 'VPN drops every hour', body: 'The VPN drops every hour.', messageId: 'vpn-1@fabrikam.example' }), 'Inbox/Support');
  const run = await cw.app.runJobNow('support');
  t.is(run.counts.created, 1);

  const { page } = await cw.signedIn(1280);
  t.is(await page.locator('h1').textContent(), 'Jobs');
  const row = page.locator('tr', { hasText: 'support' }).first();
  t.true((await row.textContent())?.includes('support@contoso.example / Inbox/Support'));
  // Dates are shown in the viewer's time zone by the page's script (the markup carries UTC).
  const when = await row.locator('time').first().getAttribute('title');
  t.is(when, run.startedAt.toISOString());
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'overview-1280');

  await row.locator('a', { hasText: 'succeeded' }).click();
  await page.waitForURL(`${cw.url}/console/runs/${run._id}`);
  const line = page.locator('tbody tr', { hasText: 'VPN drops every hour' });
  t.is(await line.count(), 1);
  t.true((await line.textContent())?.includes('created'));
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'run-1280');

  const narrow = await cw.signedIn(390);
  await narrow.page.goto(`${cw.url}/console/runs/${run._id}`);
  t.deepEqual(await seriousAccessibilityViolations(narrow.page), []);
  // Nothing of the page is cut off sideways: wide tables scroll inside their own box.
  const overflow = await narrow.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth - (globalThis as unknown as { document: { documentElement: { clientWidth: number } } }).document.documentElement.clientWidth);
  t.true(overflow <= 0, `page is ${overflow}px wider than a 390px screen`);
  await saveScreenshot(narrow.page, 'run-390');
});

test('a page for something that does not exist says so and what to do, as a page', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  const { page } = await cw.signedIn();
  const response = await page.goto(`${cw.url}/console/runs/nope`);
  t.is(response?.status(), 404);
  t.is(await page.locator('h1').textContent(), 'Not found');
  t.true((await page.locator('main').textContent())?.includes('JOB_RUN_NOT_FOUND'));
  const jobs = await page.goto(`${cw.url}/console/jobs/nope`);
  t.is(jobs?.status(), 404);
  t.true((await page.locator('main').textContent())?.includes('Known jobs: support, notify'));
});

test('without a session a page sends the browser to sign in', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  const context = await cw.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${cw.url}/console`);
  t.true(page.url().startsWith(`${cw.url}/auth/sign-in`));
});

test('a mail job\'s page shows its backlog setting and, once connected, its first connection', async (t) => {
  const cw = await startConsoleWorld({ mail: { job: { backlog: 'skip', since: undefined } } });
  t.teardown(() => cw.close());
  const { page } = await cw.signedIn();
  await page.goto(`${cw.url}/console/jobs/support`);
  const facts = page.locator('dl.facts');
  t.true((await facts.textContent())?.includes('skip: only mail received after the first connection; not connected yet'));
  await cw.app.runJobNow('support');
  await page.reload();
  t.true((await facts.textContent())?.includes('skip: only mail received after the first connection; first connected'));
  const [connected] = await cw.app.store.collection<{ _id: string; firstRunAt: Date }>('mail_backlog').find({ _id: 'support' }).toArray();
  t.is(await facts.locator('time').first().getAttribute('datetime'), connected!.firstRunAt.toISOString());
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'job-backlog-1280');
});
