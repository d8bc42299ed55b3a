import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../../auth/index.ts';
import { discardBody, requestStateOf, requestUrl, type RequestState } from './request-state.ts';

/**
 * Adds the bearer token, but only for the connection's own Graph origin: a token must never follow a redirect or an
 * upload URL to another host. (The SDK's AuthenticationHandler does the same with its Graph host list + customHosts.)
 *
 * A 401 means Graph rejected the token before running the request (revoked, or expired before its stated expiry, as
 * after a credential change: https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#token-lifetime),
 * so the request is sent once more, whatever its method, with a new token; a second 401 goes to the caller.
 */
export class AuthMiddleware implements Middleware {
  private next: Middleware | undefined;
  /** Requests that already had their one retry with a new token (across the retry middleware's attempts). */
  private readonly renewed = new WeakSet<RequestState>();

  constructor(private readonly tokenProvider: TokenProvider, private readonly graphOrigin: string) {}

  async execute(context: Context): Promise<void> {
    const state = requestStateOf(context);
    const headers = (context.options ??= {}).headers as Record<string, string> | undefined ?? {};
    context.options.headers = headers;
    if (new URL(requestUrl(context)).origin !== this.graphOrigin) {
      delete headers.Authorization;
      await this.next!.execute(context);
      return;
    }
    await this.sendWithToken(context, state, headers);
    if (context.response?.status === 401 && state.token !== undefined && !this.renewed.has(state)) {
      this.renewed.add(state);
      if (state.stream) await discardBody(context.response);
      this.tokenProvider.invalidate(state.token);
      await this.sendWithToken(context, state, headers);
    }
  }

  private async sendWithToken(context: Context, state: RequestState, headers: Record<string, string>): Promise<void> {
    const token = await this.tokenProvider.getToken(state.signal);
    state.token = token;
    headers.Authorization = `Bearer ${token}`;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
