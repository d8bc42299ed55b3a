import { InteractionRequiredAuthError, type AuthenticationResult } from '@azure/msal-node';
import { AppError, isAppError } from '../core/index.ts';
import type { ConnectionConfig } from '../config/connection-config.ts';
import { createConfidentialApp, createPublicApp, msalErrorContext, type AuthContext, type ConfidentialApp, type PublicApp } from './create-msal-app.ts';
import { mapMsalError } from './map-msal-error.ts';

export interface TokenProvider {
  /** A valid access token; served from MSAL's cache until 5 minutes before expiry, then renewed. */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * Graph rejected `token` (401: revoked, or expired early): the next getToken fetches a new one instead of serving
   * the cached token. A token already replaced is ignored, so many requests failing at once cause one renewal.
   */
  invalidate(token: string): void;
  readonly connectionName: string;
  /** Requests that actually reached the token endpoint (cache hits excluded); for tests and diagnostics. */
  readonly tokenRequests: number;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AppError('JOB_ABORTED', 'token request aborted', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AppError('JOB_ABORTED', 'token request aborted', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function accessTokenOf(result: AuthenticationResult | null, connection: ConnectionConfig): string {
  if (!result?.accessToken) throw new AppError('AUTH_FAILED', `connection ${connection.name}: the sign-in service returned no access token`);
  return result.accessToken;
}

/**
 * The token source for one connection. The MSAL application is built on first use (so a missing secret surfaces
 * from getToken, where the caller reports it) and then reused for the life of the provider. Concurrent callers share
 * one in-flight request. MSAL serves cached tokens until `expiresOn - 300 s` and then fetches a new one, so a token
 * handed out here is valid for at least five more minutes.
 */
export function createTokenProvider(connection: ConnectionConfig, context: AuthContext): TokenProvider {
  let confidential: ConfidentialApp | undefined;
  let publicApp: PublicApp | undefined;
  let inflight: Promise<string> | undefined;
  let delegatedMemo: { token: string; renewAt: number } | undefined;
  let lastToken: string | undefined;
  let forceRefresh = false;
  const delegated = connection.delegated?.enabled === true;

  async function acquireAppOnly(): Promise<string> {
    confidential ??= createConfidentialApp(connection, context);
    const { app, hosts } = confidential;
    try {
      // skipCache: MSAL would serve the rejected token from its cache until 5 minutes before its expiry.
      const skipCache = forceRefresh;
      forceRefresh = false;
      const result = await app.acquireTokenByClientCredential({ scopes: hosts.scopes, ...(skipCache ? { skipCache: true } : {}) });
      context.logger.debug('token', { connection: connection.name, fromCache: result?.fromCache ?? false, expiresOn: result?.expiresOn });
      return accessTokenOf(result, connection);
    } catch (error) {
      throw mapMsalError(error, msalErrorContext(connection, hosts.authority));
    }
  }

  async function acquireDelegated(): Promise<string> {
    if (!context.store) {
      throw new AppError('INTERNAL', `connection ${connection.name} is delegated but no token cache store was given to createTokenProvider`);
    }
    publicApp ??= createPublicApp(connection, { ...context, store: context.store });
    const { app, hosts } = publicApp;
    const signInHint = `Run \`mailroom connection sign-in ${connection.name}\` and sign in with the mailbox owner's account.`;
    let accounts;
    try {
      accounts = await app.getTokenCache().getAllAccounts();
    } catch (error) {
      throw isAppError(error) ? error : mapMsalError(error, msalErrorContext(connection, hosts.authority));
    }
    const account = accounts[0];
    if (!account) {
      throw new AppError('AUTH_SIGN_IN_REQUIRED', `connection ${connection.name}: nobody has signed in yet`, { hint: signInHint, details: { connection: connection.name } });
    }
    const refresh = forceRefresh;
    forceRefresh = false;
    if (!refresh && delegatedMemo && Date.now() < delegatedMemo.renewAt) return delegatedMemo.token;
    try {
      const result = await app.acquireTokenSilent({ account, scopes: hosts.delegatedScopes, ...(refresh ? { forceRefresh: true } : {}) });
      const token = accessTokenOf(result, connection);
      // MSAL files a delegated token under the scopes the server granted, which never match a requested `.default`,
      // so its cache would miss and spend the refresh token on every call. Keep the token here until 5 minutes
      // before expiry, as MSAL does for app-only tokens.
      if (result?.expiresOn) delegatedMemo = { token, renewAt: result.expiresOn.getTime() - 300_000 };
      return token;
    } catch (error) {
      // interaction_required and friends: the refresh token expired or was revoked; only the person can fix that.
      if (error instanceof InteractionRequiredAuthError) {
        throw new AppError('AUTH_SIGN_IN_REQUIRED', `connection ${connection.name}: the stored sign-in of ${account.username} is no longer valid`, { cause: error, hint: signInHint });
      }
      throw mapMsalError(error, msalErrorContext(connection, hosts.authority));
    }
  }

  return {
    connectionName: connection.name,
    get tokenRequests() {
      return (confidential?.network.tokenRequests ?? 0) + (publicApp?.network.tokenRequests ?? 0);
    },
    getToken(signal?: AbortSignal): Promise<string> {
      inflight ??= (delegated ? acquireDelegated() : acquireAppOnly())
        .then((token) => { lastToken = token; return token; })
        .finally(() => { inflight = undefined; });
      return abortable(inflight, signal);
    },
    invalidate(token: string): void {
      if (token !== lastToken) return;
      lastToken = undefined;
      delegatedMemo = undefined;
      forceRefresh = true;
    },
  };
}
