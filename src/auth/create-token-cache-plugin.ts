import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { decryptTokenCache, encryptTokenCache } from './token-cache-crypto.ts';

/** Where encrypted token caches live; the store module backs it with a MongoDB collection. */
export interface TokenCacheStore {
  load(key: string): Promise<string | null>;
  save(key: string, value: string): Promise<void>;
}

export function tokenCacheKey(connectionName: string): string {
  return `msal:${connectionName}`;
}

/**
 * MSAL calls beforeCacheAccess before every cache read and afterCacheAccess after; writing only when the cache
 * changed keeps a silent token lookup to one database read.
 * https://learn.microsoft.com/en-us/entra/msal/javascript/node/caching
 */
export function createTokenCachePlugin(store: TokenCacheStore, key: Buffer, cacheKey: string): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const stored = await store.load(cacheKey);
      if (stored !== null) context.tokenCache.deserialize(decryptTokenCache(stored, key, cacheKey));
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (context.cacheHasChanged) await store.save(cacheKey, encryptTokenCache(context.tokenCache.serialize(), key, cacheKey));
    },
  };
}
