import { LogLevel, type Configuration, type ICachePlugin, type INetworkModule, type NodeAuthOptions } from '@azure/msal-node';
import type { ConnectionConfig, ConnectionHosts } from '../config/connection-config.ts';
import type { Logger } from '../log/index.ts';

/**
 * Endpoint options that keep MSAL off Microsoft's discovery endpoints for a non-Microsoft authority (the emulator,
 * a test double). `authorityMetadata` alone is not enough: MSAL still asks login.microsoftonline.com for instance
 * discovery unless the host is in `knownAuthorities` (graph-behaviour.md §2.1, cases B2 and C).
 * For Microsoft's own hosts MSAL ships the metadata, so nothing is added.
 */
export function authorityOptions(connection: ConnectionConfig, hosts: ConnectionHosts): Pick<NodeAuthOptions, 'authority' | 'knownAuthorities' | 'authorityMetadata'> {
  if (hosts.microsoftAuthority) return { authority: hosts.authority };
  const tenantBase = `${hosts.authorityHost}/${connection.tenantId}`;
  return {
    authority: hosts.authority,
    knownAuthorities: [new URL(hosts.authorityHost).host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
      authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${tenantBase}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
      issuer: `${tenantBase}/v2.0`,
      jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
    }),
  };
}

export function buildMsalConfiguration(options: {
  connection: ConnectionConfig;
  hosts: ConnectionHosts;
  credential: Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate'>;
  networkClient: INetworkModule;
  logger: Logger;
  cachePlugin?: ICachePlugin;
}): Configuration {
  const { connection, logger } = options;
  return {
    auth: { clientId: connection.clientId, ...authorityOptions(connection, options.hosts), ...options.credential },
    ...(options.cachePlugin ? { cache: { cachePlugin: options.cachePlugin } } : {}),
    system: {
      networkClient: options.networkClient,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback(level: LogLevel, message: string, containsPii: boolean) {
          if (containsPii) return;
          if (level <= LogLevel.Error) logger.warn('msal', { connection: connection.name, message });
          else logger.debug('msal', { connection: connection.name, message });
        },
      },
    },
  };
}
