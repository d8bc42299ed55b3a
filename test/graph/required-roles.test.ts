import test from 'ava';
import { missingRoles, requiredRoles } from '../../src/graph/connection-test/required-roles.ts';

const job = (name: string, type: string, extra: object = {}) => ({ name, type, connection: 'c', enabled: true, ...extra });

test('each job type needs its roles; a broader granted role satisfies a narrower need', (t) => {
  const needs = requiredRoles([job('inbox', 'mail'), job('cal', 'calendar-read'), job('rooms', 'room-sync')], { lookupPrincipalName: true, notificationsOn: false });
  t.deepEqual(needs.map((n) => `${n.role}:${n.job}`), ['Mail.ReadWrite:inbox', 'Calendars.Read:cal', 'Calendars.ReadWrite:rooms', 'Place.Read.All:rooms', 'User.Read.All:lookupPrincipalName']);
  t.deepEqual(missingRoles(needs, ['Mail.ReadWrite', 'Calendars.ReadWrite', 'Place.Read.All', 'Directory.Read.All']), []);
  t.deepEqual(missingRoles(needs, ['Mail.ReadWrite', 'Calendars.Read']).map((n) => `${n.role}:${n.job}`), ['Calendars.ReadWrite:rooms', 'Place.Read.All:rooms', 'User.Read.All:lookupPrincipalName']);
});

test('mail jobs need Mail.Send when notifications are on or the job sends mail', (t) => {
  t.true(requiredRoles([job('inbox', 'mail')], { lookupPrincipalName: false, notificationsOn: true }).some((n) => n.role === 'Mail.Send'));
  t.true(requiredRoles([job('inbox', 'mail', { sendsMail: true })], { lookupPrincipalName: false, notificationsOn: false }).some((n) => n.role === 'Mail.Send'));
  t.false(requiredRoles([job('inbox', 'mail')], { lookupPrincipalName: false, notificationsOn: false }).some((n) => n.role === 'Mail.Send'));
});

test('a notifications job needs Mail.Send and Mail.ReadWrite (its drafts); a calendar job resolving users by mail needs User.Read.All', (t) => {
  const needs = requiredRoles([job('notify', 'notifications'), job('cal', 'calendar-publish', { lookupPrincipalName: true })], { lookupPrincipalName: false, notificationsOn: false });
  t.deepEqual(needs.map((n) => `${n.role}:${n.job}`), ['Mail.Send:notify', 'Mail.ReadWrite:notify', 'Calendars.ReadWrite:cal', 'User.Read.All:cal']);
});
