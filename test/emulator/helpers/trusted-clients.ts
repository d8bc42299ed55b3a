/**
 * Test-only wiring of the real @azure/msal-node and @microsoft/microsoft-graph-client to the emulator over HTTPS,
 * trusting the emulator's CA for these clients only (never process-wide).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfidentialClientApplication, PublicClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.ts';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface TestEmulator extends RunningEmulator {
  stateDir: string;
  agent: Agent;
  /** fetch that trusts the emulator CA. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'mailroom-emulator-test-'));
  const emulator = await startEmulator({ port: 0, stateDir, ...options });
  const agent = new Agent({ connect: { ca: emulator.caPem } });
  const trustedFetch = (url: string, init: RequestInit = {}): Promise<Response> =>
    // `dispatcher` is undici's extension of RequestInit, understood by Node's global fetch.
    fetch(url, { ...init, dispatcher: agent } as RequestInit);
  return {
    ...emulator,
    stateDir,
    agent,
    fetch: trustedFetch,
    stop: async () => {
      await emulator.close();
      await agent.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** An INetworkModule over fetch with the emulator's CA; records every URL MSAL asks for. */
export class TrustedNetworkModule implements INetworkModule {
  readonly urls: string[] = [];
  readonly #agent: Agent;

  constructor(agent: Agent) {
    this.#agent = agent;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'GET', options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'POST', options);
  }

  async #send<T>(url: string, method: string, options: NetworkRequestOptions | undefined): Promise<NetworkResponse<T>> {
    this.urls.push(`${method} ${url}`);
    if (new URL(url).hostname !== 'localhost') throw new Error(`test network refuses ${url}`);
    const init = { method, headers: options?.headers ?? {}, body: method === 'POST' ? (options?.body ?? '') : undefined, dispatcher: this.#agent };
    const response = await fetch(url, init as RequestInit);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  }
}

export interface MsalOptions {
  clientId?: string;
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256?: string; thumbprint?: string; privateKey: string; x5c?: string };
  tenant?: string;
  /** 'known' = knownAuthorities (default), 'cloud' = cloudDiscoveryMetadata, 'metadata-only' = authorityMetadata alone. */
  discovery?: 'known' | 'cloud' | 'metadata-only';
}

/** A ConfidentialClientApplication pointed at the emulator: https authority + knownAuthorities (graph-behaviour.md §1.4). */
export function createConfidentialApp(emulator: TestEmulator, options: MsalOptions = {}): { app: ConfidentialClientApplication; network: TrustedNetworkModule } {
  const network = new TrustedNetworkModule(emulator.agent);
  const tenant = options.tenant ?? emulator.tenantId;
  const host = `localhost:${emulator.port}`;
  const authority = `${emulator.url}/${tenant}`;
  const discovery = options.discovery ?? 'known';
  const credentials = options.clientCertificate !== undefined
    ? { clientCertificate: options.clientCertificate }
    : { clientSecret: options.clientSecret ?? emulator.clientSecret };
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId ?? emulator.clientId,
      ...credentials,
      authority,
      ...(discovery === 'known' ? { knownAuthorities: [host] } : {}),
      ...(discovery === 'cloud'
        ? { cloudDiscoveryMetadata: JSON.stringify({ tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] }) }
        : {}),
      ...(discovery === 'metadata-only' || discovery === 'cloud'
        ? {
            authorityMetadata: JSON.stringify({
              token_endpoint: `${authority}/oauth2/v2.0/token`,
              authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
              issuer: `${authority}/v2.0`,
              jwks_uri: `${authority}/discovery/v2.0/keys`,
            }),
          }
        : {}),
    },
    system: { networkClient: network },
  });
  return { app, network };
}

export function createPublicApp(emulator: TestEmulator, clientId = emulator.clientId): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId, authority: `${emulator.url}/${emulator.tenantId}`, knownAuthorities: [`localhost:${emulator.port}`] },
    system: { networkClient: new TrustedNetworkModule(emulator.agent) },
  });
}

/** A Graph client sending its bearer to the emulator: https baseUrl + customHosts (graph-behaviour.md §1.2). */
export function createGraphClient(emulator: TestEmulator, getAccessToken: () => Promise<string>): Client {
  return Client.initWithMiddleware({
    authProvider: { getAccessToken },
    baseUrl: `${emulator.url}/`,
    customHosts: new Set(['localhost']),
    // `dispatcher` is how Node's fetch takes a per-client CA; graph-client spreads fetchOptions into fetch().
    fetchOptions: { dispatcher: emulator.agent } as unknown as RequestInit,
    defaultVersion: 'v1.0',
  });
}

/** App-only token for the demo app via the real MSAL. */
export async function appToken(emulator: TestEmulator, options: MsalOptions = {}): Promise<string> {
  const { app } = createConfidentialApp(emulator, options);
  const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
  if (result === null) throw new Error('MSAL returned no token');
  return result.accessToken;
}

/** An emulator with the demo app's token and a Graph client using it: the set-up most conformance files share. */
export async function startAppClient(options: EmulatorOptions = {}): Promise<{ emulator: TestEmulator; token: string; client: Client }> {
  const emulator = await startTestEmulator(options);
  const token = await appToken(emulator);
  return { emulator, token, client: createGraphClient(emulator, async () => token) };
}

export function decodeJwt(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** POSTs raw MIME through the control API. */
export async function deliver(emulator: TestEmulator, upn: string, folder: string, mime: string): Promise<{ id: string; immutableId: string; internetMessageId: string }> {
  const response = await emulator.fetch(`${emulator.url}/_emulator/mailboxes/${upn}/messages?folder=${encodeURIComponent(folder)}`, { method: 'POST', body: mime, headers: { 'Content-Type': 'message/rfc822' } });
  if (response.status !== 201) throw new Error(`deliver failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; immutableId: string; internetMessageId: string };
}

export function simpleMime(subject: string, options: { from?: string; to?: string; body?: string; messageId?: string; extraHeaders?: string } = {}): string {
  return [
    `From: ${options.from ?? 'Customer <customer@fabrikam.example>'}`,
    `To: ${options.to ?? 'support@contoso.example'}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${options.messageId ?? `<${Math.random().toString(36).slice(2)}@fabrikam.example>`}`,
    ...(options.extraHeaders === undefined ? [] : [options.extraHeaders]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? `Body of ${subject}`,
    '',
  ].join('\r\n');
}
