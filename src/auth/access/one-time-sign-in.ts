import { hashSecret, newSecret } from './hash-secret.ts';

/**
 * The demo's way in when no Entra sign-in is configured (as Jupyter does): a random token in a link printed at start.
 * Each token works once; only its hash is kept, in memory, so it is valid only for the process that printed it.
 */
export interface OneTimeSignIn {
  issue(): string;
  /** True once per issued token. */
  redeem(token: string): boolean;
}

export function createOneTimeSignIn(options: { lifetimeMs?: number; now?: () => number } = {}): OneTimeSignIn {
  const lifetime = options.lifetimeMs ?? 24 * 3_600_000;
  const now = options.now ?? Date.now;
  const pending = new Map<string, number>();
  return {
    issue() {
      const token = newSecret('');
      pending.set(hashSecret(token), now() + lifetime);
      return token;
    },
    redeem(token) {
      const key = hashSecret(token);
      const expires = pending.get(key);
      pending.delete(key);
      return expires !== undefined && expires > now();
    },
  };
}
