import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../../auth/index.ts';
import { requestStateOf, requestUrl } from './request-state.ts';

/**
 * Adds the bearer token, but only for the connection's own Graph origin: a token must never follow a redirect or an
 * upload URL to another host. (The SDK's AuthenticationHandler does the same with its Graph host list + customHosts.)
 */
export class AuthMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly tokenProvider: TokenProvider, private readonly graphOrigin: string) {}

  async execute(context: Context): Promise<void> {
    const state = requestStateOf(context);
    const headers = (context.options ??= {}).headers as Record<string, string> | undefined ?? {};
    context.options.headers = headers;
    if (new URL(requestUrl(context)).origin === this.graphOrigin) {
      const token = await this.tokenProvider.getToken(state.signal);
      state.token = token;
      headers.Authorization = `Bearer ${token}`;
    } else {
      delete headers.Authorization;
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
