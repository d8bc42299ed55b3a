import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../core/index.ts';
import type { SecretRef } from './secret-ref.ts';

/** One app registration in one tenant; validated by connection.schema.json. */
export interface ConnectionConfig {
  name: string;
  /** Tenant GUID or verified domain. */
  tenantId: string;
  clientId: string;
  credential: ConnectionCredential;
  /** ISO date (YYYY-MM-DD) the client secret expires, as the portal shows it. */
  secretExpiresAt?: string;
  cloud?: CloudName;
  /** `https://host`, no path; overrides the cloud's sign-in host. */
  authorityHost?: string;
  /** Ends in the version segment, e.g. `https://graph.microsoft.com/v1.0`. */
  graphBaseUrl?: string;
  scopes?: string[];
  timeZone?: string;
  lookupPrincipalName?: boolean;
  /** PEM CA trusted for this connection only (relative to the config root). */
  caFile?: string;
  /** For cloud emulator; default `.mailroom/emulator/state.json` (relative to the config root). */
  emulatorStateFile?: string;
  delegated?: { enabled: boolean; scopes?: string[] };
}

export type ConnectionCredential =
  | { clientSecret: SecretRef }
  | { certificate: { privateKey: SecretRef; thumbprint?: string; certificateFile?: string } };

export type CloudName = 'global' | 'usgov' | 'china' | 'emulator';

/** Where a connection signs in and calls Graph, after cloud defaults and the emulator state file are applied. */
export interface ConnectionHosts {
  /** `https://host[:port]`, no trailing slash. */
  authorityHost: string;
  /** `${authorityHost}/${tenantId}`: what MSAL is given. */
  authority: string;
  /** True for Microsoft's own sign-in hosts, whose endpoint metadata MSAL carries built in. */
  microsoftAuthority: boolean;
  /** Ends in the version segment, no trailing slash. */
  graphBaseUrl: string;
  /** Application scopes, e.g. `https://graph.microsoft.com/.default`. */
  scopes: string[];
  /** Delegated scopes for sign-in. */
  delegatedScopes: string[];
  /** Absolute path of a CA file to trust for this connection, if any. */
  caFile: string | undefined;
}

/** What a running emulator writes so a connection with `cloud: "emulator"` can find it. */
export interface EmulatorState {
  url: string;
  tenantId: string;
  clientId: string;
  caFile: string;
}

export const defaultEmulatorStateFile = '.mailroom/emulator/state.json';

// National cloud endpoints: https://learn.microsoft.com/en-us/graph/deployments#app-registration-and-token-service-root-endpoints
const clouds: Record<Exclude<CloudName, 'emulator'>, { login: string; graph: string }> = {
  global: { login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  usgov: { login: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  china: { login: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

const microsoftLoginHosts = new Set([
  'login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn',
  'login.microsoft.com', 'login.windows.net', 'login.usgovcloudapi.net',
]);

export function readEmulatorState(file: string): EmulatorState {
  let parsed: Partial<EmulatorState>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmulatorState>;
  } catch (error) {
    throw new AppError('EMULATOR_NOT_RUNNING', `the emulator state file ${file} cannot be read`, {
      cause: error,
      details: { file },
      hint: 'Start the emulator with `mailroom emulator` (it writes this file), or set authorityHost, graphBaseUrl and caFile on the connection.',
    });
  }
  if (typeof parsed.url !== 'string' || typeof parsed.caFile !== 'string') {
    throw new AppError('EMULATOR_NOT_RUNNING', `the emulator state file ${file} lacks url or caFile`, {
      details: { file },
      hint: 'Restart `mailroom emulator` so it rewrites the state file.',
    });
  }
  return { url: parsed.url.replace(/\/+$/, ''), tenantId: String(parsed.tenantId ?? ''), clientId: String(parsed.clientId ?? ''), caFile: parsed.caFile };
}

/**
 * Applies cloud defaults. For `cloud: "emulator"` the hosts and CA come from the emulator's state file unless the
 * connection states them, so the demo connection keeps working when the emulator picks another port.
 */
export function resolveConnectionHosts(connection: ConnectionConfig, context: { baseDir: string }): ConnectionHosts {
  const cloud = connection.cloud ?? 'global';
  let login: string;
  let graph: string;
  let caFile = connection.caFile === undefined ? undefined : resolve(context.baseDir, connection.caFile);
  if (cloud === 'emulator' && (connection.authorityHost === undefined || connection.graphBaseUrl === undefined || caFile === undefined)) {
    const state = readEmulatorState(resolve(context.baseDir, connection.emulatorStateFile ?? defaultEmulatorStateFile));
    login = connection.authorityHost ?? state.url;
    graph = connection.graphBaseUrl ?? `${state.url}/v1.0`;
    caFile ??= resolve(context.baseDir, state.caFile);
  } else if (cloud === 'emulator') {
    login = connection.authorityHost!;
    graph = connection.graphBaseUrl!;
  } else {
    login = connection.authorityHost ?? clouds[cloud].login;
    graph = connection.graphBaseUrl ?? `${clouds[cloud].graph}/v1.0`;
  }
  login = login.replace(/\/+$/, '');
  graph = graph.replace(/\/+$/, '');
  // The token audience is the Graph host: https://learn.microsoft.com/en-us/graph/deployments
  const resource = new URL(graph).origin;
  const defaultScope = cloud === 'emulator' ? 'https://graph.microsoft.com/.default' : `${resource}/.default`;
  return {
    authorityHost: login,
    authority: `${login}/${connection.tenantId}`,
    microsoftAuthority: microsoftLoginHosts.has(new URL(login).hostname),
    graphBaseUrl: graph,
    scopes: connection.scopes ?? [defaultScope],
    delegatedScopes: connection.delegated?.scopes ?? [defaultScope],
    caFile,
  };
}
