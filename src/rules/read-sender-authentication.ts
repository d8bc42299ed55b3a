import type { AuthenticationResult, Message } from '../mail/parse/message.ts';
import type { SenderAuthenticationSettings } from './intake-settings.ts';

export interface SenderAuthentication {
  /** A trusted Authentication-Results header was found; the results below are null otherwise. */
  trusted: boolean;
  authservId: string | null;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  compauth: string | null;
  /** The From domain, lower-cased. */
  fromDomain: string | null;
  /** The From domain is the mailbox's or one of internalDomains (or a subdomain of one). */
  internal: boolean;
  /** DMARC failed, by a trusted header, for a domain outside the organisation: the sender must not be believed. */
  suspectedSpoofing: boolean;
}

/**
 * Picks the Authentication-Results our own side wrote (RFC 8601 §5: a receiver trusts only headers with its own
 * authserv-id; the topmost matching one, since each server prepends) and reads SPF, DKIM and DMARC from it.
 * Exchange Online's header has no authserv-id: with trustMissingAuthservId it is believed only as the topmost.
 */
export function readSenderAuthentication(message: Message, settings: SenderAuthenticationSettings, mailbox: string | null): SenderAuthentication {
  const results = message.authenticationResults ?? [];
  const trusted = results.find((result, index) => (result.authservId === null ? settings.trustMissingAuthservId && index === 0 : matchesAuthservId(result.authservId, settings.trustedAuthservIds))) ?? null;
  const fromAddress = message.from?.address ?? '';
  const fromDomain = fromAddress.includes('@') ? fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase() : null;
  const mailboxDomain = mailbox !== null && mailbox.includes('@') ? mailbox.slice(mailbox.lastIndexOf('@') + 1).toLowerCase() : null;
  const internalDomains = [...settings.internalDomains, ...(mailboxDomain === null ? [] : [mailboxDomain])];
  const internal = fromDomain !== null && internalDomains.some((domain) => fromDomain === domain || fromDomain.endsWith(`.${domain}`));
  const pick = (key: keyof Omit<AuthenticationResult, 'authservId'>): string | null => (trusted === null ? null : trusted[key]);
  return {
    trusted: trusted !== null,
    authservId: trusted?.authservId ?? null,
    spf: pick('spf'),
    dkim: pick('dkim'),
    dmarc: pick('dmarc'),
    compauth: pick('compauth'),
    fromDomain,
    internal,
    suspectedSpoofing: trusted !== null && trusted.dmarc === 'fail' && !internal,
  };
}

function matchesAuthservId(id: string, trustedIds: readonly string[]): boolean {
  return trustedIds.some((trustedId) => (trustedId.startsWith('*.') ? id.endsWith(trustedId.slice(1)) : id === trustedId));
}
