import test from 'ava';
import { readTokenRoles } from '../../src/auth/index.ts';

const jwt = (payload: object): string =>
  [{ typ: 'JWT', alg: 'RS256', nonce: 'x' }, payload].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.sig';

test('app-only token: roles, tenant, app id and expiry are read from the payload', (t) => {
  const token = jwt({ roles: ['Mail.ReadWrite', 'Mail.Send'], tid: 'tenant-1', appid: 'app-1', exp: 1_700_000_000, idtyp: 'app' });
  t.deepEqual(readTokenRoles(token), { roles: ['Mail.ReadWrite', 'Mail.Send'], scp: [], tid: 'tenant-1', appid: 'app-1', exp: 1_700_000_000 });
});

test('delegated token: scp is split into scopes; a v2 token names the app in azp', (t) => {
  const claims = readTokenRoles(jwt({ scp: 'Mail.ReadWrite  Calendars.Read', azp: 'app-2' }));
  t.deepEqual(claims.scp, ['Mail.ReadWrite', 'Calendars.Read']);
  t.deepEqual(claims.roles, []);
  t.is(claims.appid, 'app-2');
});

test('a token without roles (no admin consent) or an opaque token reads as no permissions', (t) => {
  t.deepEqual(readTokenRoles(jwt({ tid: 't' })).roles, []);
  t.deepEqual(readTokenRoles('not-a-jwt'), { roles: [], scp: [] });
  t.deepEqual(readTokenRoles('a.%%%.c'), { roles: [], scp: [] });
});
