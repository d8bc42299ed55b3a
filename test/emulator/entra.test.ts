import test from 'ava';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { SignJWT, importPKCS8 } from 'jose';
import {
  appToken, createConfidentialApp, createGraphClient, createPublicApp, decodeJwt, GRAPH_SCOPE, startTestEmulator, TrustedNetworkModule, type TestEmulator,
} from './helpers/trusted-clients.ts';

// Entra behaviour with the real @azure/msal-node (graph-behaviour.md §1–§2, checklist 1, 2, 4, 5, 6, 7).
let emulator: TestEmulator;
const demo = {
  noConsent: { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', secret: 'Xy7Q~noConsentAppSecret.NotForProduction-02' },
  expired: { clientId: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', secret: 'Ab3Q~expiredAppSecret.NotForProduction-03' },
  secretId: 'c0ffee00-1234-4abc-8def-0123456789ab',
};

test.before(async () => {
  emulator = await startTestEmulator({ deviceCodeIntervalSeconds: 0.2 });
});
test.after.always(async () => {
  await emulator.stop();
});

interface MsalServerError {
  errorCode: string;
  errorNo?: number | string;
  status?: number;
  errorMessage: string;
}

async function failure(promise: Promise<unknown>): Promise<MsalServerError> {
  try {
    await promise;
  } catch (error) {
    return error as MsalServerError;
  }
  throw new Error('expected the token request to fail');
}

async function tokenRequests(): Promise<number> {
  const stats = (await (await emulator.fetch(`${emulator.url}/_emulator/stats`)).json()) as { byRoute: Record<string, number> };
  return stats.byRoute['POST /{tenant}/oauth2/v2.0/token'] ?? 0;
}

test('checklist 1: MSAL refuses an http authority before any request', async (t) => {
  const network = new TrustedNetworkModule(emulator.agent);
  const error = await t.throwsAsync(async () => new ConfidentialClientApplication({
    auth: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, authority: `http://localhost:${emulator.port}/${emulator.tenantId}`, knownAuthorities: [`localhost:${emulator.port}`] },
    system: { networkClient: network },
  }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is((error as unknown as { errorCode: string }).errorCode, 'authority_uri_insecure');
  t.deepEqual(network.urls, []);
});

test('checklist 1: a Graph client without customHosts sends no bearer and the emulator answers 401', async (t) => {
  const token = await appToken(emulator);
  const { Client } = await import('@microsoft/microsoft-graph-client');
  const client = Client.initWithMiddleware({ authProvider: { getAccessToken: async () => token }, baseUrl: `${emulator.url}/`, fetchOptions: { dispatcher: emulator.agent } as unknown as RequestInit });
  const error = await t.throwsAsync(client.api('/users/support@contoso.example/mailFolders/inbox').get());
  t.is((error as unknown as { statusCode: number }).statusCode, 401);
  t.is((error as unknown as { code: string }).code, 'InvalidAuthenticationToken');
  const withHosts = createGraphClient(emulator, async () => token);
  t.is((await withHosts.api('/users/support@contoso.example/mailFolders/inbox').get()).displayName, 'Inbox');
});

test('checklist 2 and 6: knownAuthorities fetches discovery from the emulator; the token carries roles, tid, appid, aud, exp; MSAL shows tenantId ""', async (t) => {
  const { app, network } = createConfidentialApp(emulator);
  const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
  t.truthy(result);
  t.regex(network.urls[0] ?? '', /^GET https:\/\/localhost:\d+\/[0-9a-f-]+\/v2\.0\/\.well-known\/openid-configuration$/);
  t.regex(network.urls[1] ?? '', /^POST https:\/\/localhost:\d+\/[0-9a-f-]+\/oauth2\/v2\.0\/token\?client-request-id=/);
  t.is(result?.tenantId, '');
  const claims = decodeJwt(result?.accessToken ?? '');
  t.deepEqual(claims.roles, ['Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'User.Read.All', 'Place.Read.All']);
  t.is(claims.tid, emulator.tenantId);
  t.is(claims.appid, emulator.clientId);
  t.is(claims.aud, 'https://graph.microsoft.com');
  t.is(claims.idtyp, 'app');
  t.is(claims.appidacr, '1');
  t.true(Number(claims.exp) > Date.now() / 1000 + 3000);
  const again = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
  t.is(again?.fromCache, true);
});

test('checklist 2: authorityMetadata alone still sends MSAL to Microsoft instance discovery; cloudDiscoveryMetadata makes only the token POST', async (t) => {
  const metadataOnly = createConfidentialApp(emulator, { discovery: 'metadata-only' });
  await t.throwsAsync(metadataOnly.app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.true(metadataOnly.network.urls.some((u) => u.startsWith('GET https://login.microsoftonline.com/common/discovery/instance')));
  const cloud = createConfidentialApp(emulator, { discovery: 'cloud' });
  t.truthy(await cloud.app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(cloud.network.urls.length, 1);
  t.true(cloud.network.urls[0]?.startsWith('POST '));
});

test('checklist 4: a scope without /.default is AADSTS1002012 invalid_scope', async (t) => {
  const { app } = createConfidentialApp(emulator);
  const error = await failure(app.acquireTokenByClientCredential({ scopes: ['Mail.Read'] }));
  t.is(error.errorCode, 'invalid_scope');
  t.is(Number(error.errorNo), 1002012);
  t.is(error.status, 400);
});

test('secret errors carry the real AADSTS codes: wrong value, the secret id instead of the value, expired', async (t) => {
  const wrong = await failure(createConfidentialApp(emulator, { clientSecret: 'not-the-secret' }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(wrong.errorCode, 'invalid_client');
  t.is(Number(wrong.errorNo), 7000215);
  t.is(wrong.status, 401);
  const secretId = await failure(createConfidentialApp(emulator, { clientSecret: demo.secretId }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(Number(secretId.errorNo), 7000215);
  t.regex(secretId.errorMessage, /client secret value, not the client secret ID/);
  const expired = await failure(createConfidentialApp(emulator, { clientId: demo.expired.clientId, clientSecret: demo.expired.secret }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(expired.errorCode, 'invalid_client');
  t.is(Number(expired.errorNo), 7000222);
});

test('unknown application, unknown tenant and malformed tenant are told apart', async (t) => {
  const unknownApp = await failure(createConfidentialApp(emulator, { clientId: randomUUID() }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(unknownApp.errorCode, 'unauthorized_client');
  t.is(Number(unknownApp.errorNo), 700016);
  t.is(unknownApp.status, 400);
  const unknownTenant = await failure(createConfidentialApp(emulator, { tenant: randomUUID(), discovery: 'cloud' }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(unknownTenant.errorCode, 'invalid_request');
  t.is(Number(unknownTenant.errorNo), 90002);
  const malformed = await failure(createConfidentialApp(emulator, { tenant: 'not_a_tenant', discovery: 'cloud' }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(Number(malformed.errorNo), 900023);
  const byDomain = await appToken(emulator, { tenant: 'contoso.example', discovery: 'cloud' });
  t.is(decodeJwt(byDomain).tid, emulator.tenantId);
});

test('an application without admin consent gets a token without roles, and Graph denies it', async (t) => {
  const token = await appToken(emulator, { clientId: demo.noConsent.clientId, clientSecret: demo.noConsent.secret });
  t.false('roles' in decodeJwt(token));
  const error = await t.throwsAsync(createGraphClient(emulator, async () => token).api('/users/support@contoso.example/messages').get());
  t.is((error as unknown as { statusCode: number }).statusCode, 403);
  t.is((error as unknown as { code: string }).code, 'ErrorAccessDenied');
});

async function demoCertificate(): Promise<{ privateKey: string; thumbprintSha256: string; thumbprint: string }> {
  const pem = await readFile(new URL('../../fixtures/tenants/demo-app-cert.pem', import.meta.url), 'utf8');
  const privateKey = await readFile(new URL('../../fixtures/tenants/demo-app-key.pem', import.meta.url), 'utf8');
  const raw = new X509Certificate(pem).raw;
  return { privateKey, thumbprintSha256: createHash('sha256').update(raw).digest('hex'), thumbprint: createHash('sha1').update(raw).digest('hex') };
}

test('certificate credentials: PS256 with x5t#S256 and RS256 with x5t both verify against the registered certificate', async (t) => {
  const cert = await demoCertificate();
  const s256 = await appToken(emulator, { clientCertificate: { privateKey: cert.privateKey, thumbprintSha256: cert.thumbprintSha256 } });
  t.is(decodeJwt(s256).appidacr, '2');
  const sha1 = await appToken(emulator, { clientCertificate: { privateKey: cert.privateKey, thumbprint: cert.thumbprint } });
  t.is(decodeJwt(sha1).appid, emulator.clientId);
});

test('checklist 5: the assertion audience must be the emulator token endpoint MSAL resolved, not login.microsoftonline.com; a foreign key fails', async (t) => {
  const cert = await demoCertificate();
  const key = await importPKCS8(cert.privateKey, 'PS256');
  const tokenUrl = `${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`;
  const assertion = (aud: string): Promise<string> =>
    new SignJWT({ aud, iss: emulator.clientId, sub: emulator.clientId, jti: randomUUID() })
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(cert.thumbprintSha256, 'hex').toString('base64url') })
      .setIssuedAt().setNotBefore('0s').setExpirationTime('10m').sign(key);
  const post = async (aud: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const form = new URLSearchParams({ client_id: emulator.clientId, scope: GRAPH_SCOPE, grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(aud) });
    const response = await emulator.fetch(tokenUrl, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  t.is((await post(tokenUrl)).status, 200);
  const microsoft = await post(`https://login.microsoftonline.com/${emulator.tenantId}/oauth2/v2.0/token`);
  t.is(microsoft.status, 401);
  t.is(microsoft.body.error, 'invalid_client');
  const { generateKeyPairSync } = await import('node:crypto');
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const error = await failure(createConfidentialApp(emulator, { clientCertificate: { privateKey: stranger, thumbprintSha256: cert.thumbprintSha256 } }).app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }));
  t.is(error.errorCode, 'invalid_client');
  t.is(Number(error.errorNo), 700027);
});

test.serial('checklist 7: after a 503 from the token endpoint MSAL answers identical requests from its throttle cache; a new client reaches the server', async (t) => {
  await emulator.fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ method: 'POST', path: '/oauth2/v2\\.0/token', status: 503, retryAfter: 30, count: 1 }) });
  const { app } = createConfidentialApp(emulator, { discovery: 'cloud' });
  const scopes = ['https://graph.microsoft.com/.default'];
  const before = await tokenRequests();
  const first = await failure(app.acquireTokenByClientCredential({ scopes }));
  t.is(first.status, 503);
  const afterFirst = await tokenRequests();
  t.is(afterFirst, before + 1);
  await t.throwsAsync(app.acquireTokenByClientCredential({ scopes }));
  t.is(await tokenRequests(), afterFirst, 'the second attempt never reached the emulator');
  const fresh = createConfidentialApp(emulator, { discovery: 'cloud' }).app;
  t.truthy(await fresh.acquireTokenByClientCredential({ scopes }));
});

test('device code: polling sees authorization_pending until the control API approves; the delegated token has scp and reaches own and delegated mailboxes only', async (t) => {
  const pca = createPublicApp(emulator);
  let userCode = '';
  const result = await pca.acquireTokenByDeviceCode({
    scopes: ['Mail.ReadWrite', 'Mail.ReadWrite.Shared'],
    deviceCodeCallback: (response) => {
      userCode = response.userCode;
      // Approve after a couple of polls so that authorization_pending is really exercised.
      setTimeout(() => {
        void emulator.fetch(`${emulator.url}/_emulator/device/approve`, { method: 'POST', body: JSON.stringify({ userCode: response.userCode, upn: 'alice@contoso.example' }) });
      }, 500);
    },
  });
  t.regex(userCode, /^[A-Z0-9]{9}$/);
  t.is(result?.account?.username, 'alice@contoso.example');
  const claims = decodeJwt(result?.accessToken ?? '');
  t.is(claims.idtyp, 'user');
  t.true(String(claims.scp).split(' ').includes('Mail.ReadWrite'));
  t.false('roles' in claims);
  const client = createGraphClient(emulator, async () => result?.accessToken ?? '');
  t.is((await client.api('/me/mailFolders/inbox').get()).displayName, 'Inbox');
  t.is((await client.api('/users/support@contoso.example/mailFolders/inbox').get()).displayName, 'Inbox');
  const denied = await t.throwsAsync(client.api('/users/purchasing@contoso.example/mailFolders/inbox').get());
  t.is((denied as unknown as { statusCode: number }).statusCode, 403);
  const token = await appToken(emulator);
  const meError = await t.throwsAsync(createGraphClient(emulator, async () => token).api('/me/messages').get());
  t.is((meError as unknown as { statusCode: number }).statusCode, 400);
});
