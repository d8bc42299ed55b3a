import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/index.ts';
import { createControlRouter } from './control/control-api.ts';
import { createRequestHandler } from './emulator-server.ts';
import { TokenVerifier } from './entra/access-tokens.ts';
import { DeviceFlow } from './entra/device-flow.ts';
import { createEntraRouter } from './entra/entra-routes.ts';
import { createSigningKey } from './entra/signing-key.ts';
import { createGraphRouter } from './graph/graph-router.ts';
import type { GraphEnvironment } from './graph/operation-context.ts';
import type { EmulatorOptions, RunningEmulator } from './emulator-options.ts';
import { FaultInjector } from './limits/fault-injector.ts';
import { MailboxThrottle } from './limits/mailbox-throttle.ts';
import { RequestStats } from './limits/request-stats.ts';
import { assertValidTenant, loadTenantFile } from './load-tenant.ts';
import { SubscriptionService } from './graph/subscription-service.ts';
import { TenantState } from './state/tenant-state.ts';
import { SentItemsQueue } from './state/sent-items-queue.ts';
import { ensureTlsMaterial, writeAtomically } from './tls-certificates.ts';

const DEFAULT_TENANT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tenants/demo.json');

async function buildState(options: EmulatorOptions): Promise<TenantState> {
  if (options.tenant !== undefined) {
    return TenantState.build(assertValidTenant(options.tenant, '<options.tenant>'), process.cwd());
  }
  const file = path.resolve(options.tenantFile ?? DEFAULT_TENANT_FILE);
  return TenantState.build(await loadTenantFile(file), path.dirname(file));
}

export async function startEmulatorServer(options: EmulatorOptions): Promise<RunningEmulator> {
  const stateDir = path.resolve(options.stateDir ?? path.join(process.cwd(), '.mailroom', 'emulator'));
  let state = await buildState(options);
  const tls = await ensureTlsMaterial(stateDir);
  const key = createSigningKey();
  let deviceFlow = new DeviceFlow();
  const throttle = {
    concurrentPerMailbox: options.throttle?.concurrentPerMailbox ?? 4,
    requestsPerWindow: options.throttle?.requestsPerWindow ?? 10_000,
    windowMs: options.throttle?.windowMs ?? 600_000,
  };
  const env: GraphEnvironment = {
    url: '',
    state: () => state,
    verifier: new TokenVerifier(key, () => state),
    stats: new RequestStats(),
    faults: new FaultInjector(),
    throttle: new MailboxThrottle(throttle),
    latencyMs: options.latencyMs ?? 0,
    syncStatesRetained: options.syncStatesPerFolder ?? 1000,
    epoch: randomBytes(6).toString('hex'),
    subscriptions: new SubscriptionService(tls.caPem, () => state.definition.tenantId),
    sentItems: new SentItemsQueue(options.sentItemsDelayMs ?? 0),
  };
  const reset = async (): Promise<void> => {
    state = await buildState(options);
    deviceFlow = new DeviceFlow();
    env.epoch = randomBytes(6).toString('hex');
    env.verifier.clear();
    env.stats.reset();
    env.faults.clear();
    env.throttle.reset();
    env.subscriptions.clear();
    env.sentItems.clear();
  };
  const handler = createRequestHandler({
    env,
    graph: createGraphRouter(),
    entra: createEntraRouter(),
    entraContext: () => ({ url: env.url, state, key, deviceFlow, deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5 }),
    control: createControlRouter({ env, deviceFlow: () => deviceFlow, reset }),
    log: options.log,
  });
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new AppError('EMULATOR_START_FAILED', `The emulator cannot listen: ${error.message}`, { cause: error })));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  env.url = `https://localhost:${port}`;
  const tenant = state.definition;
  const app = tenant.applications[0];
  const secret = app?.secrets?.[0];
  if (app === undefined || secret === undefined) {
    server.close();
    throw new AppError('EMULATOR_START_FAILED', 'The tenant needs a first application with a secret.');
  }
  await writeAtomically(path.join(stateDir, 'client-secret'), secret.value, 0o600);
  await writeAtomically(
    path.join(stateDir, 'state.json'),
    `${JSON.stringify({ url: env.url, tenantId: tenant.tenantId, clientId: app.clientId, caFile: tls.caFile }, null, 2)}\n`,
    0o644,
  );
  return {
    url: env.url,
    port,
    caFile: tls.caFile,
    caPem: tls.caPem,
    tenantId: tenant.tenantId,
    clientId: app.clientId,
    clientSecret: secret.value,
    tenant,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        void env.subscriptions.close();
        env.sentItems.clear();
      }),
  };
}
