import type { DeviceCodeRequest } from '@azure/msal-node';
import { AppError } from '../core/index.ts';
import type { ConnectionConfig } from '../config/connection-config.ts';
import type { TokenCacheStore } from './create-token-cache-plugin.ts';
import { createPublicApp, msalErrorContext, type AuthContext } from './create-msal-app.ts';
import { mapMsalError } from './map-msal-error.ts';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  /** Entra's own instruction sentence ("To sign in, use a web browser to open …"). */
  message: string;
  expiresInSeconds: number;
}

export interface SignInResult {
  username: string;
  tenantId: string;
  scopes: string[];
  expiresOn: Date | null;
}

/**
 * Delegated sign-in for a person's own mailbox or calendar: the device-code flow, because the CLI may run on a
 * server without a browser. The refresh token lands in the encrypted store through MSAL's cache plugin.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code
 */
export async function signInWithDeviceCode(
  connection: ConnectionConfig,
  context: AuthContext & { store: TokenCacheStore; onPrompt(prompt: DeviceCodePrompt): void; signal?: AbortSignal },
): Promise<SignInResult> {
  if (connection.delegated?.enabled !== true) {
    throw new AppError('USAGE', `connection ${connection.name} is not delegated`, {
      hint: 'Add "delegated": {"enabled": true} to the connection to let a person sign in with their own account.',
    });
  }
  const { app, hosts } = createPublicApp(connection, context);
  const request: DeviceCodeRequest = {
    scopes: hosts.delegatedScopes,
    deviceCodeCallback: (response) => {
      context.onPrompt({ userCode: response.userCode, verificationUri: response.verificationUri, message: response.message, expiresInSeconds: response.expiresIn });
    },
  };
  // MSAL polls until the code expires; setting `cancel` is its documented way to stop the polling loop.
  const onAbort = (): void => { request.cancel = true; };
  context.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await app.acquireTokenByDeviceCode(request);
    if (!result?.account) throw new AppError('AUTH_FAILED', `connection ${connection.name}: sign-in returned no account`);
    context.logger.info('signed in', { connection: connection.name, username: result.account.username });
    return { username: result.account.username, tenantId: result.account.tenantId, scopes: result.scopes, expiresOn: result.expiresOn };
  } catch (error) {
    if (context.signal?.aborted) throw new AppError('JOB_ABORTED', 'sign-in cancelled', { cause: error });
    throw mapMsalError(error, msalErrorContext(connection, hosts.authority));
  } finally {
    context.signal?.removeEventListener('abort', onAbort);
  }
}
