import { setTimeout as sleep } from 'node:timers/promises';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { fetch, type Dispatcher } from 'undici';
import { defaultTokenRetryPolicy, isTransientNetworkError, isTransientTokenAnswer, parseRetryAfterHeader, tokenBackoffMs, type TokenRetryPolicy } from './token-retry-policy.ts';

export interface CountingNetworkClient extends INetworkModule {
  /** POSTs that reached a token endpoint (…/oauth2/v2.0/token), retries included. */
  readonly tokenRequests: number;
  /** Every URL MSAL asked for, so tests can prove no discovery call went out. */
  readonly requestedUrls: readonly string[];
}

/**
 * MSAL 7 talks HTTP through native fetch with the process-wide trust store. Giving it this module instead lets a
 * connection trust its own CA, lets us count real token requests (MSAL's cache hits make none), and retries what a
 * busy sign-in service answers (token-retry-policy.ts) before MSAL sees it: MSAL itself does not retry.
 */
export function createNetworkClient(dispatcher: Dispatcher, timeoutMs: number, retry: TokenRetryPolicy = defaultTokenRetryPolicy): CountingNetworkClient {
  let tokenRequests = 0;
  const requestedUrls: string[] = [];

  async function sendOnce<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
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

  async function send<T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    requestedUrls.push(url);
    for (let attempt = 1; ; attempt += 1) {
      let delay: number;
      try {
        const response = await sendOnce<T>(url, method, options, timeout);
        if (attempt >= retry.maxAttempts || !isTransientTokenAnswer(response.status, response.body)) return response;
        const after = parseRetryAfterHeader(response.headers['retry-after']);
        if (after !== undefined && after > retry.maxRetryAfterMs) return response;
        delay = after ?? tokenBackoffMs(attempt, retry.baseDelayMs);
      } catch (error) {
        if (attempt >= retry.maxAttempts || !isTransientNetworkError(error)) throw error;
        delay = tokenBackoffMs(attempt, retry.baseDelayMs);
      }
      await sleep(delay);
    }
  }

  return {
    get tokenRequests() { return tokenRequests; },
    requestedUrls,
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}
