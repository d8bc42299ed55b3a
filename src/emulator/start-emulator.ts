import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/index.ts';
import type { EmulatorOptions, RunningEmulator } from './index.ts';
import type { TenantDefinition } from './tenant-definition.ts';
import { ensureTlsMaterial, writeAtomically } from './tls-certificates.ts';

export async function startEmulatorServer(options: EmulatorOptions): Promise<RunningEmulator> {
  const stateDir = path.resolve(options.stateDir ?? path.join(process.cwd(), '.mailroom', 'emulator'));
  const tenantFile = path.resolve(options.tenantFile ?? 'fixtures/tenants/demo.json');
  const tenant = options.tenant ?? (JSON.parse(await readFile(tenantFile, 'utf8')) as TenantDefinition);
  const tls = await ensureTlsMaterial(stateDir);
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'NotFound', message: `No route for ${request.method} ${request.url}` } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new AppError('EMULATOR_START_FAILED', `Cannot listen: ${error.message}`, { cause: error })));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}`;
  const app = tenant.applications[0];
  const secret = app?.secrets?.[0];
  if (app === undefined || secret === undefined) {
    server.close();
    throw new AppError('EMULATOR_START_FAILED', 'The tenant needs a first application with a secret.');
  }
  await writeAtomically(path.join(stateDir, 'client-secret'), secret.value, 0o600);
  await writeAtomically(
    path.join(stateDir, 'state.json'),
    `${JSON.stringify({ url, tenantId: tenant.tenantId, clientId: app.clientId, caFile: tls.caFile }, null, 2)}\n`,
    0o644,
  );
  return {
    url,
    port,
    caFile: tls.caFile,
    caPem: tls.caPem,
    tenantId: tenant.tenantId,
    clientId: app.clientId,
    clientSecret: secret.value,
    tenant,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
