import { CryptoProvider, ResponseMode } from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import type { ConnectionConfig } from '../../config/connection-config.ts';
import { AppError } from '../../core/index.ts';
import { createConfidentialApp, msalErrorContext, type AuthContext } from '../create-msal-app.ts';
import { mapMsalError } from '../map-msal-error.ts';
import type { AccessRole } from './access-scopes.ts';

export interface SignInStart {
  /** Where to send the browser (Entra ID's authorize endpoint). */
  url: string;
  state: string;
  verifier: string;
  nonce: string;
}

export interface SignedInPerson {
  /** preferred_username: the account's user principal name. */
  upn: string;
  name: string;
  /** App role values from the ID token's `roles` claim. */
  roles: string[];
}

export interface PeopleSignIn {
  begin(redirectUri: string): Promise<SignInStart>;
  complete(input: { code: string; redirectUri: string; verifier: string; nonce: string }): Promise<SignedInPerson>;
}

const scopes = ['openid', 'profile'];

/**
 * People sign in with their Entra ID account on a connection's app registration: OpenID Connect authorization code
 * flow with PKCE through MSAL's confidential client (the app proves itself with its secret or certificate too).
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
 */
export function createPeopleSignIn(connection: ConnectionConfig, context: AuthContext): PeopleSignIn {
  const { app, hosts } = createConfidentialApp(connection, context);
  const crypto = new CryptoProvider();
  return {
    async begin(redirectUri) {
      const pkce = await crypto.generatePkceCodes();
      const state = randomBytes(32).toString('base64url');
      const nonce = randomBytes(16).toString('base64url');
      try {
        const url = await app.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', state, nonce, responseMode: ResponseMode.QUERY, prompt: 'select_account' });
        return { url, state, verifier: pkce.verifier, nonce };
      } catch (error) {
        throw mapMsalError(error, msalErrorContext(connection, hosts.authority));
      }
    },
    async complete(input) {
      let result;
      try {
        result = await app.acquireTokenByCode({ code: input.code, scopes, redirectUri: input.redirectUri, codeVerifier: input.verifier, nonce: input.nonce });
      } catch (error) {
        const mapped = mapMsalError(error, msalErrorContext(connection, hosts.authority));
        throw new AppError('SIGN_IN_FAILED', `the sign-in could not be completed: ${mapped.message}`, { cause: mapped, hint: mapped.hint ?? 'Sign in again.' });
      }
      const claims = (result?.idTokenClaims ?? {}) as { nonce?: string; preferred_username?: string; name?: string; roles?: unknown };
      // The nonce ties the ID token to this sign-in (a replayed token from another one is refused).
      if (claims.nonce !== input.nonce) throw new AppError('SIGN_IN_FAILED', 'the ID token does not belong to this sign-in (nonce mismatch)', { hint: 'Sign in again.' });
      const upn = claims.preferred_username ?? result?.account?.username;
      if (!upn) throw new AppError('SIGN_IN_FAILED', 'the ID token names no account (preferred_username)');
      return { upn, name: claims.name ?? upn, roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [] };
    },
  };
}

/**
 * Who gets in: the app role Mailroom.Admin (full access) or Mailroom.Reader (read-only) in the ID token, else a
 * place on the configured lists; anyone else is refused (SIGN_IN_DENIED).
 * https://learn.microsoft.com/en-us/entra/identity-platform/howto-add-app-roles-in-apps
 */
export function decideRole(person: SignedInPerson, lists: { admins: readonly string[]; readers: readonly string[] }): AccessRole {
  const upn = person.upn.toLowerCase();
  if (person.roles.includes('Mailroom.Admin') || lists.admins.some((a) => a.toLowerCase() === upn)) return 'admin';
  if (person.roles.includes('Mailroom.Reader') || lists.readers.some((r) => r.toLowerCase() === upn)) return 'reader';
  throw new AppError('SIGN_IN_DENIED', `${person.upn} may not use Mailroom`, {
    details: { account: person.upn },
    hint: 'An administrator assigns the app role Mailroom.Admin or Mailroom.Reader to the account (Enterprise applications → Users and groups), or adds it to http.signIn.admins/readers in schedules/.',
  });
}
