/** Authentication for every job: MSAL confidential clients, delegated sign-in, token caches. The only importer of @azure/msal-node. */
export { createTokenProvider, type TokenProvider } from './create-token-provider.ts';
export type { AuthContext } from './create-msal-app.ts';
export { readTokenRoles, type TokenRoles } from './read-token-roles.ts';
export { mapMsalError, type MsalErrorContext } from './map-msal-error.ts';
export { createTlsDispatcher } from './create-tls-dispatcher.ts';
export { resolveCredential, type ResolvedCredential } from './resolve-credential.ts';
export { signInWithDeviceCode, type DeviceCodePrompt, type SignInResult } from './sign-in-with-device-code.ts';
export { createTokenCachePlugin, tokenCacheKey, type TokenCacheStore } from './create-token-cache-plugin.ts';
export { encryptTokenCache, decryptTokenCache, parseEncryptionKey } from './token-cache-crypto.ts';
export { createMongoTokenCacheStore } from './create-mongo-token-cache-store.ts';
