import { AppError, toAppError } from '../../core/index.ts';
import { evaluateRules, type CompiledRuleSet, type RuleDecision } from '../../rules/index.ts';
import { parseMessage, type Message } from '../parse/index.ts';
import { preprocessMessage, type PreprocessStepConfig, type PreprocessTrace } from '../preprocess/index.ts';
import { pickThread, type ThreadSnapshot } from '../../tickets/thread-snapshot.ts';

/**
 * The raw MIME, parsed here; or the message already parsed: from its stream, for mail too large to hold
 * (`parseMessageStream`), or from its properties when Graph could not convert it to MIME (`buildUnreadableMessage`).
 */
export type DecideInput = DecideContext & ({ raw: Uint8Array; message?: never } | { message: Message; raw?: never });

export interface DecideContext {
  ruleSet: CompiledRuleSet;
  /** The stored thread links for the mail's references, plus what earlier mail of the same chunk starts. */
  threads: ThreadSnapshot;
  /** The run's clock value: when the decision was taken (no clock is read in here). */
  now: Date;
  mailbox?: string | null;
  graphId?: string;
  conversationId?: string;
  /**
   * Tickets each sender (lower-cased address) opened in the past hour, for the rule set's sender cap; counted by the
   * connector, which has the store. Absent: unknown, and `$overSenderCap()` is false.
   */
  senderTicketsLastHour?: ReadonlyMap<string, number>;
  /** Steps instead of the rule set's own (`rules test --preprocess all`). */
  preprocess?: readonly PreprocessStepConfig[];
}

export interface Decided {
  message: Message;
  /** The preprocessed text the rules saw. */
  text: string;
  preprocess: PreprocessTrace[];
  /** The decision with the rules tried and why (`decision.trace`). */
  decision: RuleDecision;
  knownThread: boolean;
  decidedAt: Date;
}

/** In-Reply-To first, then References: what a mail's thread is looked up by. */
export function threadReferences(message: Message): string[] {
  return [...(message.ids.inReplyTo ? [message.ids.inReplyTo] : []), ...message.ids.references];
}

/**
 * Raw MIME → message, cleaned text and decision: parse → preprocess → thread lookup → rules. Pure: no database, no
 * network, no clock; the connector and `mailroom rules test` both call it, so a dry run is the production path.
 * A large mail comes parsed already (streamed, its attachments stored on the way): the rest is the same path.
 * Throws the AppError of the step that failed (MAIL_UNPARSEABLE, RULE_EVALUATION_FAILED, RULE_TIMEOUT…).
 */
export async function decideMessage(input: DecideInput): Promise<Decided> {
  const message = input.message ?? await parseMessage(input.raw!, { ...(input.graphId ? { graphId: input.graphId } : {}), ...(input.conversationId ? { conversationId: input.conversationId } : {}) });
  const preprocessed = preprocessMessage(message, input.preprocess ?? input.ruleSet.preprocess);
  const knownThread = pickThread(threadReferences(message), input.threads) !== undefined;
  let decision: RuleDecision;
  try {
    const from = message.from?.address?.toLowerCase();
    const senderStats = input.senderTicketsLastHour && from ? { senderStats: { newTicketsLastHour: input.senderTicketsLastHour.get(from) ?? 0 } } : {};
    decision = await evaluateRules(input.ruleSet, { message, text: preprocessed.text, knownThread, mailbox: input.mailbox ?? null, ...senderStats });
  } catch (error) {
    // What was decided before the rules failed, for a dry run's report (subject, sender, cleaned text).
    const failure = toAppError(error, 'RULE_EVALUATION_FAILED');
    throw new AppError(failure.code, failure.message, {
      cause: failure.cause ?? failure, ...(failure.hint ? { hint: failure.hint } : {}),
      details: { ...failure.details, decided: { subject: message.subject, from: message.from?.address || null, preprocess: preprocessed.trace, text: preprocessed.text } },
    });
  }
  return { message, text: preprocessed.text, preprocess: preprocessed.trace, decision, knownThread, decidedAt: input.now };
}

/** Whether a decision puts the mail into a ticket, so replies later in the chunk count as a known thread. */
export function joinsTicket(decision: RuleDecision): boolean {
  return decision.action === 'add-to-ticket' || decision.action === 'create-ticket';
}
