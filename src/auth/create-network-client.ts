import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { fetch, type Dispatcher } from 'undici';

export interface CountingNetworkClient extends INetworkModule {
  /** POSTs that reached a token endpoint (…/oauth2/v2.0/token). */
  readonly tokenRequests: number;
  /** Every URL MSAL asked for, so tests can prove no discovery call went out. */
  readonly requestedUrls: readonly string[];
}

/**
 * MSAL 7 talks HTTP through native fetch with the process-wide trust store. Giving it this module instead lets a
 * connection trust its own CA and lets us count real token requests (MSAL's cache hits make none).
 */
export function createNetworkClient(dispatcher: Dispatcher, timeoutMs: number): CountingNetworkClient {
  let tokenRequests = 0;
  const requestedUrls: string[] = [];

  async function send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    requestedUrls.push(url);
    if (method === 'POST' && /\/oauth2\/v2\.0\/token(\?|$)/.test(url)) tokenRequests += 1;
    const response = await fetch(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      dispatcher,
      signal: AbortSignal.timeout(timeout ?? timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => { headers[key] = value; });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // MSAL inspects error bodies as objects; a proxy's HTML error page becomes a recognisable server error.
      body = { error: 'non_json_response', error_description: `HTTP ${response.status} with a non-JSON body` };
    }
    return { headers, body: body as T, status: response.status };
  }

  return {
    get tokenRequests() { return tokenRequests; },
    requestedUrls,
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}
