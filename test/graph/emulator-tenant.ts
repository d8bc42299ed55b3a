import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { startEmulator, type RunningEmulator, type TenantDefinition } from '../../src/emulator/index.ts';

/** Ids of the test tenant: one application per failure the connection code must explain. */
export const ids = {
  tenant: '5d3e1a70-0c1b-4c2d-9e3f-4a5b6c7d8e90',
  app: '0a1b2c3d-0000-4000-8000-000000000001',
  appNoConsent: '0a1b2c3d-0000-4000-8000-000000000002',
  appExpired: '0a1b2c3d-0000-4000-8000-000000000003',
  appCertificate: '0a1b2c3d-0000-4000-8000-000000000004',
  appPolicy: '0a1b2c3d-0000-4000-8000-000000000005',
  appCalendarOnly: '0a1b2c3d-0000-4000-8000-000000000006',
  secretId: '5ec7e700-0000-4000-8000-000000000001',
  secret: 'Qx8~test-secret-value-for-the-main-app',
  expiredSecret: 'Qx8~expired-secret-value',
};

const secret = (n: number, value: string, expires = '2099-01-01T00:00:00Z') => ({ id: `5ec7e700-0000-4000-8000-00000000000${n}`, value, expires });

function tenantDefinition(certificatePem: string): TenantDefinition {
  const mailbox = (folders: string[]) => ({ folders: folders.map((path) => ({ path })) });
  return {
    tenantId: ids.tenant,
    displayName: 'Test tenant',
    domains: ['contoso.example'],
    applications: [
      { clientId: ids.app, displayName: 'Mailroom', secrets: [{ ...secret(1, ids.secret), id: ids.secretId }], adminConsent: true,
        applicationPermissions: ['Mail.ReadWrite', 'Mail.Send', 'User.Read.All', 'Calendars.ReadWrite', 'Place.Read.All'],
        delegatedPermissions: ['Mail.ReadWrite', 'Calendars.ReadWrite'], allowPublicClient: true },
      { clientId: ids.appNoConsent, displayName: 'No consent', secrets: [secret(2, 'no-consent-secret')], adminConsent: false, applicationPermissions: ['Mail.ReadWrite'] },
      { clientId: ids.appExpired, displayName: 'Expired', secrets: [secret(3, ids.expiredSecret, '2020-01-01T00:00:00Z')], adminConsent: true, applicationPermissions: ['Mail.ReadWrite'] },
      { clientId: ids.appCertificate, displayName: 'Certificate', certificates: [{ pem: certificatePem }], adminConsent: true, applicationPermissions: ['Mail.ReadWrite'] },
      { clientId: ids.appPolicy, displayName: 'Policy', secrets: [secret(5, 'policy-secret')], adminConsent: true, applicationPermissions: ['Mail.ReadWrite'],
        mailboxAccess: { restrictTo: ['purchasing@contoso.example'] } },
      { clientId: ids.appCalendarOnly, displayName: 'Calendar only', secrets: [secret(6, 'calendar-secret')], adminConsent: true, applicationPermissions: ['Calendars.Read'] },
    ],
    users: [
      { id: 'a0000000-0000-4000-8000-000000000001', userPrincipalName: 'support@contoso.example', displayName: 'Support', mail: 'support@contoso.example', mailbox: mailbox(['Inbox/Support', 'Inbox/Support/Tier2']) },
      { id: 'a0000000-0000-4000-8000-000000000002', userPrincipalName: 'purchasing@contoso.example', displayName: 'Purchasing', mail: 'purchasing@contoso.example', mailbox: mailbox([]) },
      { id: 'a0000000-0000-4000-8000-000000000003', userPrincipalName: 'ex.user@contoso.example', displayName: 'No mailbox', mail: 'ex.user@contoso.example', mailbox: false },
      { id: 'a0000000-0000-4000-8000-000000000004', userPrincipalName: 'jdoe@contoso.onmicrosoft.example', displayName: 'Jane Doe', mail: 'jane.doe@contoso.example', mailbox: mailbox([]) },
    ],
  };
}

export interface TestEmulator {
  emulator: RunningEmulator;
  dir: string;
  /** PEM files of the certificate credential, inside `dir`. */
  certificate: { keyFile: string; certFile: string; pem: string };
  /** A connection to the emulator; the main app's secret comes from env TEST_SECRET. */
  connection(overrides?: Partial<ConnectionConfig>): ConnectionConfig;
  env: Record<string, string>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Delivers a plain text message into a folder; returns its Graph id. */
  deliver(upn: string, folder: string, subject: string): Promise<string>;
  close(): Promise<void>;
}

/** One emulator over real HTTPS with the test tenant, its state (CA, state.json) in a throw-away folder. */
export async function startTestEmulator(options: { deviceCodeIntervalSeconds?: number; latencyMs?: number } = {}): Promise<TestEmulator> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-graph-test-'));
  const pair = await generate([{ name: 'commonName', value: 'mailroom-test-app' }], { keySize: 2048, algorithm: 'sha256' });
  const keyFile = join(dir, 'app.key');
  const certFile = join(dir, 'app.crt');
  await writeFile(keyFile, pair.private);
  await writeFile(certFile, pair.cert);
  const emulator = await startEmulator({ port: 0, stateDir: join(dir, 'emulator'), tenant: tenantDefinition(pair.cert), deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 1, latencyMs: options.latencyMs ?? 0 });
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { ca: emulator.caPem } });
  return {
    emulator,
    dir,
    certificate: { keyFile, certFile, pem: pair.cert },
    env: { TEST_SECRET: ids.secret },
    connection: (overrides = {}) => ({
      name: 'test',
      tenantId: ids.tenant,
      clientId: ids.app,
      credential: { clientSecret: { env: 'TEST_SECRET' } },
      cloud: 'emulator',
      emulatorStateFile: join(dir, 'emulator', 'state.json'),
      ...overrides,
    }),
    async control(method, path, body) {
      const response = await fetch(`${emulator.url}/_emulator${path}`, {
        method,
        dispatcher: agent,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
      return text === '' ? undefined : JSON.parse(text);
    },
    async deliver(upn, folder, subject) {
      const mime = [
        'From: Customer <customer@example.net>', `To: ${upn}`, `Subject: ${subject}`,
        `Message-ID: <${subject.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2)}@example.net>`,
        'Date: Mon, 03 Mar 2025 10:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Body of ${subject}`, '',
      ].join('\r\n');
      const response = await fetch(`${emulator.url}/_emulator/mailboxes/${encodeURIComponent(upn)}/messages?folder=${encodeURIComponent(folder)}`, {
        method: 'POST', dispatcher: agent, body: mime, headers: { 'content-type': 'message/rfc822' },
      });
      const created = (await response.json()) as { id: string };
      if (!response.ok) throw new Error(`deliver: ${response.status} ${JSON.stringify(created)}`);
      return created.id;
    },
    async close() {
      await emulator.close();
      await agent.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
