import { withStoreErrors, type Store } from '../store/index.ts';
import type { TokenCacheStore } from './create-token-cache-plugin.ts';

interface TokenCacheDocument {
  _id: string;
  /** `v1:iv:tag:ciphertext`, see token-cache-crypto.ts. */
  value: string;
  updatedAt: Date;
}

/** The delegated token caches, one document per connection in `token_cache`, already encrypted by the plugin. */
export function createMongoTokenCacheStore(store: Store): TokenCacheStore {
  const collection = store.collection<TokenCacheDocument>('token_cache');
  return {
    async load(key) {
      const doc = await withStoreErrors(`load token cache ${key}`, () => collection.findOne({ _id: key }));
      return doc?.value ?? null;
    },
    async save(key, value) {
      await withStoreErrors(`save token cache ${key}`, () => collection.updateOne({ _id: key }, { $set: { value, updatedAt: new Date() } }, { upsert: true }));
    },
  };
}
