function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const patterns = new Map<string, RegExp>();

/**
 * The ticket number in a token such as "[#1234]" (prefix "#") or "[Ticket#1234]" (prefix "Ticket#"), or null.
 * The first token wins: "RE: [#12] Fwd: [#34]" threads into 12, the ticket the reply was written to.
 */
export function findTicketToken(subject: string, prefix = '#'): number | null {
  let pattern = patterns.get(prefix);
  if (!pattern) {
    pattern = new RegExp(`\\[\\s*${escapeRegExp(prefix)}\\s*(\\d{1,9})\\s*\\]`, 'i');
    patterns.set(prefix, pattern);
  }
  const match = pattern.exec(subject);
  return match?.[1] === undefined ? null : Number(match[1]);
}
