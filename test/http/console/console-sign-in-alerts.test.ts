import test from 'ava';
import { withAlertsDefaults } from '../../../src/config/alerts-job-defaults.ts';
import type { JobConfig } from '../../../src/config/job-config.ts';
import { supportMailbox } from '../../helpers/mail-world.ts';
import { saveScreenshot, seriousAccessibilityViolations } from '../../helpers/launch-browser.ts';
import { startConsoleWorld } from './helpers/console-world.ts';

test('sign in with Entra ID against the emulator: the console sends the browser to the authorize page and back; a reader sees no forms', async (t) => {
  const cw = await startConsoleWorld({ http: { signIn: { connection: 'test' } } });
  t.teardown(() => cw.close());
  // The emulator's HTTPS has its own CA: this browser context trusts it as a person's browser would after installing it.
  const context = await cw.browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${cw.url}/console/tickets`);
  await page.waitForURL((url) => url.origin === cw.world.emulator.url);
  t.true((await page.content()).includes(supportMailbox), 'the emulator shows its sign-in page with the tenant\'s accounts');
  const state = new URL(page.url()).searchParams.get('state');
  const approved = (await cw.world.control.call('POST', '/_emulator/sign-ins/approve', { state, upn: supportMailbox, roles: ['Mailroom.Reader'] })) as { location: string };
  await page.goto(approved.location);
  await page.waitForURL(`${cw.url}/console/tickets`);
  t.is(await page.locator('h1').textContent(), 'Tickets');
  t.true((await page.locator('.who').textContent())?.includes('(read only)'));
  const { ticket } = await cw.app.tickets.createTicket({ createdFrom: 'mail:console-reader', requester: null, subject: 'Read only here', description: '.' });
  await page.goto(`${cw.url}/console/tickets/${ticket.number}`);
  t.is(await page.getByRole('button', { name: 'Save' }).count(), 0, 'a reader gets no assign form');
  t.deepEqual(await seriousAccessibilityViolations(page), []);
});

test('an alert (a client secret expiring in 3 days) is a banner on the console pages', async (t) => {
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const alerts = withAlertsDefaults({ name: 'alerts', type: 'alerts', connection: 'test', recipients: ['it-ops@contoso.example'] }, 'schedules/test.json');
  const cw = await startConsoleWorld({ connection: { secretExpiresAt: soon }, jobs: (world) => [...world.app.config.jobs, alerts as JobConfig] });
  t.teardown(() => cw.close());
  const { page } = await cw.signedIn();
  t.is(await page.getByRole('alert', { name: 'Alerts' }).count(), 0, 'no banner before the alerts job has found anything');
  const run = await cw.app.runJobNow('alerts');
  t.not(run.status, 'failed', JSON.stringify(run.error));
  await page.goto(`${cw.url}/console/tickets`);
  const banner = page.getByRole('alert', { name: 'Alerts' });
  const text = (await banner.textContent()) ?? '';
  t.true(/test/.test(text) && /expire/i.test(text), text);
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'alert-banner-1280');
});
