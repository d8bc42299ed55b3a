/** Who may use the HTTP API and console: API tokens, sessions, the demo's one-time link, people's Entra sign-in. */
export { accessScopes, scopesOfRole, isAccessScope, type AccessScope, type AccessRole } from './access-scopes.ts';
export { createApiTokenStore, type ApiTokenStore, type ApiTokenInfo } from './api-token-store.ts';
export { createSessionStore, type SessionStore, type SessionUser } from './session-store.ts';
export { createOneTimeSignIn, type OneTimeSignIn } from './one-time-sign-in.ts';
export type { Store as AccessStore } from '../../store/index.ts';
