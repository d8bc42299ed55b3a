import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { resolveConnectionHosts, type ConnectionConfig, type ConnectionHosts } from '../config/connection-config.ts';
import { describeSecretRef } from '../config/secret-ref.ts';
import type { Logger } from '../log/index.ts';
import { buildMsalConfiguration } from './build-msal-configuration.ts';
import { createNetworkClient, type CountingNetworkClient } from './create-network-client.ts';
import { createTlsDispatcher } from './create-tls-dispatcher.ts';
import { createTokenCachePlugin, tokenCacheKey, type TokenCacheStore } from './create-token-cache-plugin.ts';
import type { MsalErrorContext } from './map-msal-error.ts';
import { resolveCredential, type ResolvedCredential } from './resolve-credential.ts';
import { parseEncryptionKey } from './token-cache-crypto.ts';
import type { TokenRetryPolicy } from './token-retry-policy.ts';

export interface AuthContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Config root: relative secret files, CA files and the emulator state file resolve against it. */
  baseDir: string;
  logger: Logger;
  /** Backs the encrypted delegated token cache; required for delegated connections only. */
  store?: TokenCacheStore;
  /** How token requests are retried (default: 4 attempts, 500 ms doubling, Retry-After up to 10 s). */
  tokenRetry?: TokenRetryPolicy;
}

export const tokenTimeoutMs = 30_000;

function credentialSource(connection: ConnectionConfig): string {
  return 'clientSecret' in connection.credential
    ? describeSecretRef(connection.credential.clientSecret)
    : describeSecretRef(connection.credential.certificate.privateKey);
}

export function msalErrorContext(connection: ConnectionConfig, authority: string): MsalErrorContext {
  return {
    connectionName: connection.name,
    tenantId: connection.tenantId,
    clientId: connection.clientId,
    authority,
    credentialKind: 'clientSecret' in connection.credential ? 'secret' : 'certificate',
    credentialSource: credentialSource(connection),
  };
}

export interface ConfidentialApp {
  app: ConfidentialClientApplication;
  hosts: ConnectionHosts;
  credential: ResolvedCredential;
  network: CountingNetworkClient;
}

/** One ConfidentialClientApplication per connection: its in-memory cache is what makes repeated calls free. */
export function createConfidentialApp(connection: ConnectionConfig, context: AuthContext): ConfidentialApp {
  const hosts = resolveConnectionHosts(connection, context);
  const credential = resolveCredential(connection, context);
  const network = createNetworkClient(createTlsDispatcher(hosts.caFile), tokenTimeoutMs, context.tokenRetry);
  const app = new ConfidentialClientApplication(buildMsalConfiguration({ connection, hosts, credential: credential.msal, networkClient: network, logger: context.logger }));
  return { app, hosts, credential, network };
}

export interface PublicApp {
  app: PublicClientApplication;
  hosts: ConnectionHosts;
  network: CountingNetworkClient;
}

/**
 * Device-code sign-in is a public-client flow (the app registration needs "Allow public client flows"); its
 * refresh token lives in the encrypted store so jobs can act as the person later.
 */
export function createPublicApp(connection: ConnectionConfig, context: AuthContext & { store: TokenCacheStore }): PublicApp {
  const hosts = resolveConnectionHosts(connection, context);
  const key = parseEncryptionKey(context.env);
  const network = createNetworkClient(createTlsDispatcher(hosts.caFile), tokenTimeoutMs, context.tokenRetry);
  const cachePlugin = createTokenCachePlugin(context.store, key, tokenCacheKey(connection.name));
  const app = new PublicClientApplication(buildMsalConfiguration({ connection, hosts, credential: {}, networkClient: network, logger: context.logger, cachePlugin }));
  return { app, hosts, network };
}
