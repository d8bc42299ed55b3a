import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnectionHosts, type ConnectionConfig } from '../../src/config/connection-config.ts';
import { validateWithSchema } from '../../src/config/schema-registry.ts';
import { isAppError } from '../../src/core/index.ts';

const base: ConnectionConfig = {
  name: 'support',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '11111111-2222-3333-4444-555555555555',
  credential: { clientSecret: { env: 'SUPPORT_SECRET' } },
};

test('the schema accepts secret and certificate credentials and every optional field', (t) => {
  t.deepEqual(validateWithSchema('connection.schema.json', base, 'c.json'), []);
  const full = {
    ...base,
    credential: { certificate: { privateKey: { file: 'keys/app.key' }, certificateFile: 'keys/app.crt', thumbprint: 'ab'.repeat(20) } },
    secretExpiresAt: '2027-01-31', cloud: 'usgov', authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://graph.microsoft.us/v1.0', scopes: ['https://graph.microsoft.us/.default'], timeZone: 'Europe/Berlin',
    lookupPrincipalName: true, caFile: 'ca.pem', delegated: { enabled: true, scopes: ['Mail.ReadWrite'] },
  };
  t.deepEqual(validateWithSchema('connection.schema.json', full, 'c.json'), []);
});

test('the schema names the field that is wrong', (t) => {
  const cases: [unknown, string][] = [
    [{ ...base, credential: { clientSecret: 'plain-text-secret' } }, '/credential/clientSecret'],
    [{ ...base, credential: { certificate: { privateKey: { env: 'K' } } } }, '/credential/certificate'],
    [{ ...base, cloud: 'moon' }, '/cloud'],
    [{ ...base, graphBaseUrl: 'http://graph.microsoft.com/v1.0' }, '/graphBaseUrl'],
    [{ ...base, scopes: ['Mail.Read'] }, '/scopes/0'],
    [{ ...base, secretExpiresAt: '31.01.2027' }, '/secretExpiresAt'],
    [{ ...base, clientId: 'not-a-guid' }, '/clientId'],
    [{ ...base, clientSecret: { env: 'X' } }, '/clientSecret'],
  ];
  for (const [data, pointer] of cases) {
    const problems = validateWithSchema('connection.schema.json', data, 'c.json');
    t.true(problems.some((p) => p.pointer === pointer), `${pointer}: ${JSON.stringify(problems)}`);
  }
});

test('clouds set the sign-in and Graph hosts and the default scope', (t) => {
  const global = resolveConnectionHosts(base, { baseDir: '/x' });
  t.is(global.authority, `https://login.microsoftonline.com/${base.tenantId}`);
  t.is(global.graphBaseUrl, 'https://graph.microsoft.com/v1.0');
  t.deepEqual(global.scopes, ['https://graph.microsoft.com/.default']);
  t.true(global.microsoftAuthority);
  const usgov = resolveConnectionHosts({ ...base, cloud: 'usgov' }, { baseDir: '/x' });
  t.is(usgov.authorityHost, 'https://login.microsoftonline.us');
  t.deepEqual(usgov.scopes, ['https://graph.microsoft.us/.default']);
  const china = resolveConnectionHosts({ ...base, cloud: 'china' }, { baseDir: '/x' });
  t.is(china.graphBaseUrl, 'https://microsoftgraph.chinacloudapi.cn/v1.0');
  const custom = resolveConnectionHosts({ ...base, authorityHost: 'https://sts.example.test/', caFile: 'ca.pem' }, { baseDir: '/project' });
  t.false(custom.microsoftAuthority);
  t.is(custom.authorityHost, 'https://sts.example.test');
  t.is(custom.caFile, '/project/ca.pem');
});

test('cloud emulator reads hosts and CA from the state file unless given, and says how to start it when missing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-hosts-'));
  await writeFile(join(dir, 'state.json'), JSON.stringify({ url: 'https://localhost:4711', tenantId: 't', clientId: 'c', caFile: join(dir, 'ca.pem') }));
  const hosts = resolveConnectionHosts({ ...base, cloud: 'emulator', emulatorStateFile: 'state.json' }, { baseDir: dir });
  t.is(hosts.authority, `https://localhost:4711/${base.tenantId}`);
  t.is(hosts.graphBaseUrl, 'https://localhost:4711/v1.0');
  t.is(hosts.caFile, join(dir, 'ca.pem'));
  t.false(hosts.microsoftAuthority);
  const explicit = resolveConnectionHosts({ ...base, cloud: 'emulator', authorityHost: 'https://localhost:1', graphBaseUrl: 'https://localhost:1/v1.0', caFile: 'mine.pem', emulatorStateFile: 'none.json' }, { baseDir: dir });
  t.is(explicit.authorityHost, 'https://localhost:1');
  const error = t.throws(() => resolveConnectionHosts({ ...base, cloud: 'emulator' }, { baseDir: dir }));
  t.true(isAppError(error, 'EMULATOR_NOT_RUNNING'));
  t.regex((error as Error & { hint: string }).hint, /mailroom emulator/);
});
