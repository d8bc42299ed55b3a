import { randomUUID } from 'node:crypto';
import { AppError, isAppError, type Clock } from '../../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import { isAccessScope, type AccessScope } from './access-scopes.ts';
import { hashSecret, newSecret } from './hash-secret.ts';

/** An API token as stored and listed: never the token itself, only its SHA-256. */
export interface ApiTokenRecord {
  _id: string;
  name: string;
  /** The name while the token is active; revoked tokens give their name free for a new token. Unique. */
  activeName: string;
  hash: string;
  /** The token's first characters, so a person can tell which token a log or a list means. */
  prefix: string;
  scopes: AccessScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ApiTokenInfo = Omit<ApiTokenRecord, 'hash' | 'activeName'>;

export interface ApiTokenStore {
  /** The token is returned once here and never again. */
  create(input: { name: string; scopes: readonly string[] }): Promise<{ token: string; info: ApiTokenInfo }>;
  list(): Promise<ApiTokenInfo[]>;
  /** By name (of an active token) or id. API_NOT_FOUND when there is none. */
  revoke(nameOrId: string): Promise<ApiTokenInfo>;
  /** The active token with this value, its last use recorded; null when unknown or revoked. */
  verify(token: string): Promise<ApiTokenInfo | null>;
}

const TOKEN_PREFIX = 'mrt_';
const namePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function info(record: ApiTokenRecord): ApiTokenInfo {
  const { hash: _hash, activeName: _active, ...rest } = record;
  return rest;
}

export function createApiTokenStore(store: Store, clock: Clock): ApiTokenStore {
  const tokens = store.collection<ApiTokenRecord>(collectionNames.apiTokens);
  return {
    async create(input) {
      if (!namePattern.test(input.name)) {
        throw new AppError('USAGE', `token name "${input.name}" is not allowed`, { hint: 'Use lower case letters, digits, dot, dash and underscore (at most 64).' });
      }
      const unknown = input.scopes.filter((s) => !isAccessScope(s));
      if (unknown.length > 0 || input.scopes.length === 0) {
        throw new AppError('USAGE', unknown.length > 0 ? `unknown scope(s): ${unknown.join(', ')}` : 'a token needs at least one scope', {
          hint: 'Scopes: tickets:read, tickets:write, jobs:read, jobs:run, jobs:manage, connections:test, notifications:read, quarantine:replay.',
        });
      }
      const token = newSecret(TOKEN_PREFIX);
      const record: ApiTokenRecord = {
        _id: randomUUID(), name: input.name, activeName: input.name, hash: hashSecret(token), prefix: token.slice(0, TOKEN_PREFIX.length + 4),
        scopes: [...new Set(input.scopes as AccessScope[])], createdAt: clock(), lastUsedAt: null, revokedAt: null,
      };
      try {
        await withStoreErrors('create API token', () => tokens.insertOne(record));
      } catch (error) {
        if (!isAppError(error, 'STORE_DUPLICATE_KEY')) throw error;
        throw new AppError('API_CONFLICT', `an active API token named "${input.name}" exists`, { hint: `Revoke it first (\`mailroom api-tokens revoke ${input.name}\`) or pick another name.` });
      }
      return { token, info: info(record) };
    },

    async list() {
      const found = await withStoreErrors('list API tokens', () => tokens.find({}).sort({ createdAt: 1 }).toArray());
      return found.map(info);
    },

    async revoke(nameOrId) {
      const found = await withStoreErrors('find API token', () => tokens.findOne({ $or: [{ activeName: nameOrId }, { _id: nameOrId }] }));
      if (!found) throw new AppError('API_NOT_FOUND', `no active API token named "${nameOrId}"`, { hint: 'List tokens with `mailroom api-tokens list`.' });
      if (found.revokedAt) return info(found);
      const revokedAt = clock();
      await withStoreErrors('revoke API token', () => tokens.updateOne({ _id: found._id }, { $set: { revokedAt, activeName: `${found.name}#revoked:${found._id}` } }));
      return info({ ...found, revokedAt });
    },

    async verify(token) {
      if (!token.startsWith(TOKEN_PREFIX)) return null;
      const now = clock();
      const found = await withStoreErrors('check API token', () =>
        tokens.findOneAndUpdate({ hash: hashSecret(token), revokedAt: null }, { $set: { lastUsedAt: now } }, { returnDocument: 'after' }),
      );
      return found ? info(found) : null;
    },
  };
}
