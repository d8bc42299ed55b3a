import type { Message } from '../mail/parse/message.ts';
import { defaultIntakeSettings } from './intake-settings.ts';
import { matchSenderPolicy, type SenderPolicyVerdict } from './match-sender-policy.ts';
import { readSenderAuthentication, type SenderAuthentication } from './read-sender-authentication.ts';
import type { CompiledRuleSet } from './rule-types.ts';

export interface SenderDescription {
  policy: SenderPolicyVerdict;
  authentication: SenderAuthentication;
}

/** What the rule set's sender policy and authentication settings say about a message, for `rules test` and traces. */
export function describeSender(ruleSet: CompiledRuleSet, message: Message, mailbox: string | null = null): SenderDescription {
  const intake = ruleSet.intake ?? defaultIntakeSettings;
  return {
    policy: matchSenderPolicy(message.from?.address ?? null, intake.senderPolicy),
    authentication: readSenderAuthentication(message, intake.senderAuthentication, mailbox),
  };
}

/** One line: "sender policy denied (spam.example); authentication dmarc=fail spf=fail dkim=none (Exchange Online), suspected spoofing". */
export function formatSenderDescription(sender: SenderDescription): string {
  const { policy, authentication: auth } = sender;
  const verdict = `sender policy ${policy.verdict}${policy.pattern === null ? '' : ` (${policy.pattern})`}`;
  const results = auth.trusted
    ? `authentication dmarc=${auth.dmarc ?? 'none'} spf=${auth.spf ?? 'none'} dkim=${auth.dkim ?? 'none'} (${auth.authservId ?? 'header without authserv-id'})`
    : 'authentication: no trusted Authentication-Results';
  return `${verdict}; ${results}${auth.suspectedSpoofing ? ', suspected spoofing' : ''}`;
}
