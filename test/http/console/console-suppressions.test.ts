import test from 'ava';
import { createSessionStore } from '../../../src/auth/access/index.ts';
import { createSuppressionList } from '../../../src/notify/index.ts';
import { saveScreenshot, seriousAccessibilityViolations } from '../../helpers/launch-browser.ts';
import { startConsoleWorld } from './helpers/console-world.ts';

const bounce = { notificationId: 'n1', status: '5.1.10', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound', at: new Date('2026-12-01T08:00:00Z') };

test('an administrator lifts a suppression in the console: a confirmation, then the outcome; a form without its CSRF token is refused', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  const suppressions = createSuppressionList(cw.app.store, cw.app.clock);
  await suppressions.recordHardBounce('dana@fabrikam.example', bounce, 1);
  await suppressions.recordHardBounce('erin@fabrikam.example', { ...bounce, notificationId: 'n2' }, 1);

  const { page } = await cw.signedIn();
  await page.goto(`${cw.url}/console/notifications`);
  const row = page.getByRole('region', { name: 'Suppressed addresses' }).locator('tbody tr', { hasText: 'dana@fabrikam.example' });
  await row.getByRole('link', { name: /^Lift the suppression of dana@fabrikam\.example/ }).click();
  await page.waitForURL(/\/console\/notifications\/suppressions\/confirm\?address=dana%40fabrikam\.example$/);
  t.is(await page.locator('h1').textContent(), 'Mail dana@fabrikam.example again?');
  t.true((await page.locator('main').textContent())?.includes('550 5.1.10 RESOLVER.ADR.RecipientNotFound'));
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'suppression-confirm-1280');
  t.not(await suppressions.find('dana@fabrikam.example'), null, 'the confirmation page lifts nothing by itself');

  // The same form posted without the page's CSRF token (what another site could make a browser send) changes nothing.
  const forged = await page.request.post(`${cw.url}/console/notifications/suppressions/lift`, { form: { address: 'dana@fabrikam.example' }, maxRedirects: 0 });
  t.is(forged.status(), 403);
  t.true((await forged.text()).includes('API_CSRF_INVALID'));
  t.not(await suppressions.find('dana@fabrikam.example'), null);

  await page.getByRole('button', { name: 'Lift the suppression' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/notifications\?done=/);
  const outcome = (await page.getByRole('status').textContent()) ?? '';
  t.true(outcome.includes('Lifted: dana@fabrikam.example is mailed again'), outcome);
  t.is(await suppressions.find('dana@fabrikam.example'), null, 'lifted in the database');
  t.not(await suppressions.find('erin@fabrikam.example'), null, 'the other address stays suppressed');
  const left = page.getByRole('region', { name: 'Suppressed addresses' }).locator('tbody tr');
  t.is(await left.count(), 1);
  t.true((await left.textContent())?.includes('erin@fabrikam.example'));
  t.true((await page.locator('main p.empty').textContent())?.startsWith('Nothing sent yet'), 'an empty outbox without a filter says why, not "No  notifications"');
  t.deepEqual(await seriousAccessibilityViolations(page), []);
  await saveScreenshot(page, 'suppression-lifted-1280');

  // Its confirmation page again (a second tab, the back button): nothing to lift, and the list says so.
  await page.goto(`${cw.url}/console/notifications/suppressions/confirm?address=dana%40fabrikam.example`);
  await page.waitForURL(/\/console\/notifications\?failed=/);
  t.true((await page.getByRole('status').textContent())?.includes('dana@fabrikam.example is not suppressed (any more)'));
});

test('a reader sees suppressed addresses without the lift link, and may neither open the confirmation nor post the lift', async (t) => {
  const cw = await startConsoleWorld();
  t.teardown(() => cw.close());
  const suppressions = createSuppressionList(cw.app.store, cw.app.clock);
  await suppressions.recordHardBounce('dana@fabrikam.example', bounce, 1);
  const { id } = await createSessionStore(cw.app.store, cw.app.clock).create({ name: 'rita@contoso.example', displayName: 'Rita', role: 'reader', via: 'entra' }, 3_600_000);
  const context = await cw.browser.newContext();
  await context.addCookies([{ name: 'mailroom_session', value: id, url: cw.url }]);
  const page = await context.newPage();

  await page.goto(`${cw.url}/console/notifications`);
  t.true((await page.locator('.who').textContent())?.includes('(read only)'));
  const region = page.getByRole('region', { name: 'Suppressed addresses' });
  t.true((await region.textContent())?.includes('dana@fabrikam.example'));
  t.is(await region.getByRole('link').count(), 0, 'no lift link for a reader');
  t.deepEqual(await seriousAccessibilityViolations(page), []);

  const confirm = await page.goto(`${cw.url}/console/notifications/suppressions/confirm?address=dana%40fabrikam.example`);
  t.is(confirm?.status(), 403);
  t.true((await page.locator('main').textContent())?.includes('tickets:write'));
  const posted = await page.request.post(`${cw.url}/console/notifications/suppressions/lift`, { form: { address: 'dana@fabrikam.example' }, maxRedirects: 0 });
  t.is(posted.status(), 403);
  t.true((await posted.text()).includes('API_FORBIDDEN'));
  t.not(await suppressions.find('dana@fabrikam.example'), null, 'still suppressed');
});
