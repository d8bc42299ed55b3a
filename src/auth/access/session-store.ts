import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import type { Clock } from '../../core/index.ts';
import type { AccessRole } from './access-scopes.ts';
import { hashSecret, newSecret } from './hash-secret.ts';

/** Who a console session belongs to. */
export interface SessionUser {
  /** The account (user principal name), or `local` for the demo's one-time sign-in. */
  name: string;
  displayName: string;
  role: AccessRole;
  /** How the person signed in. */
  via: 'one-time-link' | 'entra';
}

interface SessionRecord {
  /** SHA-256 of the cookie value: a copy of the database does not hand out sessions. */
  _id: string;
  user: SessionUser;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  /** Returns the cookie value (shown to the browser only). */
  create(user: SessionUser, lifetimeMs: number): Promise<{ id: string; expiresAt: Date }>;
  find(id: string): Promise<{ user: SessionUser; expiresAt: Date } | null>;
  remove(id: string): Promise<void>;
  /** Deletes every session whose time is up (they sign no one in); returns how many. */
  purgeExpired(): Promise<number>;
}

export function createSessionStore(store: Store, clock: Clock): SessionStore {
  const sessions = store.collection<SessionRecord>(collectionNames.httpSessions);
  return {
    async create(user, lifetimeMs) {
      const id = newSecret('');
      const now = clock();
      const expiresAt = new Date(now.getTime() + lifetimeMs);
      await withStoreErrors('create session', () => sessions.insertOne({ _id: hashSecret(id), user, createdAt: now, expiresAt }));
      return { id, expiresAt };
    },
    async find(id) {
      const found = await withStoreErrors('read session', () => sessions.findOne({ _id: hashSecret(id) }));
      if (!found || found.expiresAt.getTime() <= clock().getTime()) return null;
      return { user: found.user, expiresAt: found.expiresAt };
    },
    async remove(id) {
      await withStoreErrors('remove session', () => sessions.deleteOne({ _id: hashSecret(id) }));
    },
    async purgeExpired() {
      const now = clock();
      const { deletedCount } = await withStoreErrors('purge expired sessions', () => sessions.deleteMany({ expiresAt: { $lte: now } }));
      return deletedCount;
    },
  };
}
