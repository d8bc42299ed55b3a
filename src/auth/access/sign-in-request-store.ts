import type { Clock } from '../../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import { hashSecret } from './hash-secret.ts';

/** A person's sign-in between the redirect to Entra ID and the callback: what the callback must check. */
export interface SignInRequest {
  /** PKCE code verifier (the authorize request carried its S256 challenge). */
  verifier: string;
  nonce: string;
  /** Local path to go to after signing in. */
  next: string;
}

interface StoredRequest extends SignInRequest {
  /** SHA-256 of the state parameter. */
  _id: string;
  expiresAt: Date;
}

export interface SignInRequestStore {
  save(state: string, request: SignInRequest, lifetimeMs: number): Promise<void>;
  /** Returns the request once and removes it: a state is good for one callback. */
  take(state: string): Promise<SignInRequest | null>;
  /** Deletes the requests whose time is up (sign-ins never finished: their verifier and nonce serve no one); returns how many. */
  purgeExpired(): Promise<number>;
}

/** In the database, so the callback may reach any server process behind a load balancer. */
export function createSignInRequestStore(store: Store, clock: Clock): SignInRequestStore {
  const requests = store.collection<StoredRequest>(collectionNames.signInRequests);
  return {
    async save(state, request, lifetimeMs) {
      await withStoreErrors('save sign-in request', () => requests.insertOne({ _id: hashSecret(state), ...request, expiresAt: new Date(clock().getTime() + lifetimeMs) }));
    },
    async take(state) {
      const found = await withStoreErrors('read sign-in request', () => requests.findOneAndDelete({ _id: hashSecret(state) }));
      if (!found || found.expiresAt.getTime() <= clock().getTime()) return null;
      return { verifier: found.verifier, nonce: found.nonce, next: found.next };
    },
    async purgeExpired() {
      const now = clock();
      const { deletedCount } = await withStoreErrors('purge expired sign-in requests', () => requests.deleteMany({ expiresAt: { $lte: now } }));
      return deletedCount;
    },
  };
}
