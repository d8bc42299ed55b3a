import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { createTokenProvider, readTokenRoles } from '../../src/auth/index.ts';
import { isAppError, type AppError, type ErrorCode } from '../../src/core/index.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { ids, startTestEmulator, type TestEmulator } from '../graph/emulator-tenant.ts';

let emu: TestEmulator;
const logger = createSilentLogger();

test.before(async () => {
  emu = await startTestEmulator();
});
test.after.always(async () => {
  await emu?.close();
});

const provider = (connection: ConnectionConfig, env: Record<string, string> = emu.env) => createTokenProvider(connection, { env, baseDir: emu.dir, logger });

async function failure(connection: ConnectionConfig, env?: Record<string, string>): Promise<AppError> {
  try {
    await provider(connection, env).getToken();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('getToken succeeded');
}

test.serial('client secret: a token with the granted roles, one token request for many calls, no discovery request', async (t) => {
  await emu.control('DELETE', '/stats');
  const tokens = provider(emu.connection());
  const first = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
  for (let i = 0; i < 20; i += 1) t.is(await tokens.getToken(), first[0]!);
  t.is(new Set(first).size, 1);
  t.is(tokens.tokenRequests, 1);
  const claims = readTokenRoles(first[0]!);
  t.deepEqual([...claims.roles].sort(), ['Calendars.ReadWrite', 'Mail.ReadWrite', 'Mail.Send', 'Place.Read.All', 'User.Read.All']);
  t.is(claims.tid, ids.tenant);
  t.is(claims.appid, ids.app);
  // knownAuthorities + authorityMetadata: MSAL goes straight to the token endpoint (graph-behaviour.md §2.1 case C).
  const stats = (await emu.control('GET', '/stats')) as { byRoute: Record<string, number>; requests: number };
  t.is(stats.requests, 1);
  t.true(Object.keys(stats.byRoute).every((route) => route.includes('oauth2/v2.0/token')), JSON.stringify(stats.byRoute));
});

test.serial('certificate from a PEM file (SHA-256 thumbprint, PS256) and by SHA-1 thumbprint (RS256) both get tokens', async (t) => {
  const byFile = provider(emu.connection({ clientId: ids.appCertificate, credential: { certificate: { privateKey: { file: emu.certificate.keyFile }, certificateFile: emu.certificate.certFile } } }));
  const token = await byFile.getToken();
  t.is(readTokenRoles(token).appid, ids.appCertificate);
  const sha1 = new X509Certificate(emu.certificate.pem).fingerprint.replaceAll(':', '');
  const byThumbprint = provider(emu.connection({ clientId: ids.appCertificate, credential: { certificate: { privateKey: { file: emu.certificate.keyFile }, thumbprint: sha1 } } }));
  t.deepEqual(readTokenRoles(await byThumbprint.getToken()).roles, ['Mail.ReadWrite']);
});

test.serial('each sign-in failure becomes its AUTH_* code with a sentence saying what to fix', async (t) => {
  const cases: [string, ConnectionConfig, Record<string, string> | undefined, ErrorCode, RegExp, RegExp][] = [
    ['secret ID pasted instead of the value', emu.connection(), { TEST_SECRET: ids.secretId }, 'AUTH_INVALID_SECRET', /client secret is wrong/, /Value, not its Secret ID/],
    ['expired secret', emu.connection({ clientId: ids.appExpired }), { TEST_SECRET: ids.expiredSecret }, 'AUTH_SECRET_EXPIRED', /has expired/, /Create a new client secret/],
    ['unknown application', emu.connection({ clientId: '0a1b2c3d-9999-4000-8000-000000000009' }), undefined, 'AUTH_UNKNOWN_APPLICATION', /is not registered in tenant/, /Application \(client\) ID/],
    ['unknown tenant', emu.connection({ tenantId: '00000000-1111-4222-8333-444444444444' }), undefined, 'AUTH_UNKNOWN_TENANT', /does not exist/, /Directory \(tenant\) ID/],
    ['scope without /.default', emu.connection({ scopes: ['Mail.Read'] }), undefined, 'AUTH_INVALID_SCOPE', /scope is not valid/, /\.default/],
    ['unregistered certificate', emu.connection({ credential: { certificate: { privateKey: { file: emu.certificate.keyFile }, certificateFile: emu.certificate.certFile } } }), undefined, 'AUTH_INVALID_CERTIFICATE', /rejected the certificate/, /Upload the certificate/],
    ['secret variable unset', emu.connection(), {}, 'CONFIG_SECRET_MISSING', /TEST_SECRET is not set/, /Set TEST_SECRET/],
  ];
  for (const [label, connection, env, code, message, hint] of cases) {
    const error = await failure(connection, env);
    t.is(error.code, code, label);
    t.regex(error.message, message, label);
    t.regex(error.hint ?? '', hint, label);
    t.false(JSON.stringify(error.toJSON()).includes(ids.secret), `${label}: secret leaked`);
  }
});

test.serial('an untrusted certificate or an unreachable authority is AUTH_AUTHORITY_UNREACHABLE: trust is per connection, never global', async (t) => {
  // The emulator's CA is trusted only through the connection's caFile; without it TLS must fail.
  const untrusted = emu.connection({ cloud: 'global', authorityHost: emu.emulator.url, graphBaseUrl: `${emu.emulator.url}/v1.0`, scopes: ['https://graph.microsoft.com/.default'] });
  const error = await failure(untrusted);
  t.is(error.code, 'AUTH_AUTHORITY_UNREACHABLE');
  t.regex(error.hint ?? '', /caFile/);
  const trusted = await provider({ ...untrusted, caFile: emu.emulator.caFile }).getToken();
  t.truthy(readTokenRoles(trusted).roles.length);
  const closed = await failure(emu.connection({ authorityHost: 'https://localhost:9', graphBaseUrl: 'https://localhost:9/v1.0', caFile: emu.emulator.caFile }));
  t.is(closed.code, 'AUTH_AUTHORITY_UNREACHABLE');
});

test.serial('an application without admin consent gets a token without roles', async (t) => {
  const token = await provider(emu.connection({ clientId: ids.appNoConsent }), { TEST_SECRET: 'no-consent-secret' }).getToken();
  t.deepEqual(readTokenRoles(token).roles, []);
});
