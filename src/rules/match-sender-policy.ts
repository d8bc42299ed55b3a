import type { SenderPolicySettings } from './intake-settings.ts';

export interface SenderPolicyVerdict {
  /** allowed: on the allow list; denied: on the deny list; not-allowed: an allow list exists and the sender is not on it; none: no list applies. */
  verdict: 'allowed' | 'denied' | 'not-allowed' | 'none';
  /** The list entry that decided, or null. */
  pattern: string | null;
}

/**
 * Matches a sender against the allow and deny lists. Entries: an address (anna@kunde.example), a domain
 * (kunde.example, which is that domain only; *.kunde.example for its subdomains) or a wildcard pattern with * and ?
 * (noreply-*@*). The most specific entry wins (address over wildcard over domain); deny wins a tie.
 */
export function matchSenderPolicy(address: string | null, policy: SenderPolicySettings): SenderPolicyVerdict {
  const sender = (address ?? '').toLowerCase();
  const best = (list: readonly string[]): { pattern: string; rank: number } | null => {
    let found: { pattern: string; rank: number } | null = null;
    for (const pattern of list) {
      const rank = matchRank(sender, pattern);
      if (rank > 0 && (found === null || rank > found.rank)) found = { pattern, rank };
    }
    return found;
  };
  const deny = best(policy.deny);
  const allow = best(policy.allow);
  if (deny !== null && (allow === null || deny.rank >= allow.rank)) return { verdict: 'denied', pattern: deny.pattern };
  if (allow !== null) return { verdict: 'allowed', pattern: allow.pattern };
  if (policy.allow.length > 0) return { verdict: 'not-allowed', pattern: null };
  return { verdict: 'none', pattern: null };
}

/** 0: no match; 1: domain; 2: wildcard; 3: exact address. */
function matchRank(sender: string, pattern: string): number {
  if (sender === '') return 0;
  if (pattern.includes('@')) {
    if (!/[*?]/.test(pattern)) return sender === pattern ? 3 : 0;
    return wildcard(pattern).test(sender) ? 2 : 0;
  }
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  if (/[*?]/.test(pattern)) return wildcard(pattern).test(domain) ? 1 : 0;
  return domain === pattern ? 1 : 0;
}

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\=-]/g, '\\$&').replace(/\*/g, '[^\\s]*').replace(/\?/g, '[^\\s]');
  return new RegExp(`^${source}$`);
}
