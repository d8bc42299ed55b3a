import { AppError, toAppError, type Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import { evaluateRules, type CompiledRuleSet, type PostActions, type RuleDecision } from '../../rules/index.ts';
import type { Store } from '../../store/index.ts';
import type { TicketStore } from '../../tickets/index.ts';
import { applyDecisions, bareMessageId, loadKnownMessages, mergePostActions, pickThread, type AppliedDecision, type ApplyInput } from '../actions/index.ts';
import { parseMessage, type Message } from '../parse/index.ts';
import { preprocessMessage } from '../preprocess/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import type { DeltaMessage } from './delta-item.ts';
import type { LedgerMark, MessageLedger } from './message-ledger.ts';

export interface ProcessContext {
  store: Store;
  tickets: TicketStore;
  ledger: MessageLedger;
  ruleSet: CompiledRuleSet;
  job: MailJobConfig;
  connection: string;
  clock: Clock;
}

export interface ProcessedMessage {
  key: string;
  graphId: string;
  subject: string;
  sender: string | null;
  rule: string | null;
  applied: AppliedDecision;
  postActions: PostActions;
  parseWarnings: string[];
  /** What the ledger records once the post-actions are done. */
  ledger: NonNullable<LedgerMark['entry']>;
}

/** The job's post-processing defaults in the rules' vocabulary. */
export function jobPostActions(job: MailJobConfig): PostActions {
  const { markRead, moveTo, flag, categories } = job.postActions;
  return { markRead, flag, ...(moveTo ? { moveTo } : {}), ...(categories.length > 0 ? { categories } : {}) };
}

export interface MessageToProcess {
  item: DeltaMessage;
  key: string;
  raw: Uint8Array;
}

/** A mail that failed on its own (unparseable, a failing rule): count it, retry it on a later run. */
export interface FailedMessage {
  key: string;
  error: AppError;
}

interface Decided {
  index: number;
  message: Message;
  text: string;
  decision: RuleDecision;
}

/** A failure that belongs to the mail is returned; any other (store outage, abort) ends the run. */
function asMessageFailure(error: unknown): AppError {
  const appError = toAppError(error);
  if (!isMessageFailure(appError)) throw appError;
  return appError;
}

/**
 * A chunk of mail through the pipeline, in the order given: parse → preprocess → thread lookup → rules → idempotent
 * writes. The caller records the results in the ledger after the post-actions. The database work is done for the whole chunk at once (one thread lookup, one write of
 * each kind, one ledger write), because every round trip to the database costs more than the work per mail.
 * A reply to a mail earlier in the chunk threads in as if that mail had been written first. Results in input order.
 */
export async function processMessages(ctx: ProcessContext, batch: readonly MessageToProcess[]): Promise<(ProcessedMessage | FailedMessage)[]> {
  const { job } = ctx;
  const results: (ProcessedMessage | FailedMessage | undefined)[] = new Array<undefined>(batch.length);
  const parsed: { index: number; message: Message; text: string }[] = [];
  for (const [index, { item, key, raw }] of batch.entries()) {
    try {
      const message = await parseMessage(raw, { graphId: item.id, ...(item.conversationId ? { conversationId: item.conversationId } : {}) });
      parsed.push({ index, message, text: preprocessMessage(message, ctx.ruleSet.preprocess).text });
    } catch (error) {
      results[index] = { key, error: asMessageFailure(error) };
    }
  }

  const referencesOf = (message: Message): string[] => [...(message.ids.inReplyTo ? [message.ids.inReplyTo] : []), ...message.ids.references];
  const known = await loadKnownMessages(ctx.store, parsed.flatMap(({ message }) => referencesOf(message)));
  // Mail earlier in the chunk that will be written to a ticket counts as known to the replies after it.
  const threadIds = new Map<string, boolean>([...known.keys()].map((id) => [id, true]));
  const decided: Decided[] = [];
  for (const { index, message, text } of parsed) {
    try {
      const knownThread = pickThread(referencesOf(message), threadIds) !== undefined;
      const decision = await evaluateRules(ctx.ruleSet, { message, text, knownThread, mailbox: job.mailbox });
      if ((decision.action === 'add-to-ticket' || decision.action === 'create-ticket') && message.ids.internetMessageId) threadIds.set(bareMessageId(message.ids.internetMessageId), true);
      decided.push({ index, message, text, decision });
    } catch (error) {
      results[index] = { key: batch[index]!.key, error: asMessageFailure(error) };
    }
  }

  const inputs = decided.map(({ index, message, text, decision }): ApplyInput => {
    const { item, key, raw } = batch[index]!;
    return {
      key, message, text, decision,
      raw: { bytes: raw, filename: `${item.id}.eml` },
      attachmentMaxBytes: job.limits.attachmentMaxBytes,
      source: { job: job.name, connection: ctx.connection, mailbox: job.mailbox, graphId: item.id, internetMessageId: message.ids.internetMessageId, autoGenerated: [...message.autoGenerated] },
    };
  });
  let applied: (AppliedDecision | AppError)[];
  try {
    applied = await applyDecisions(ctx.store, ctx.tickets, inputs, known);
  } catch (error) {
    asMessageFailure(error);
    // One mail broke the chunk's writes: write them one by one (all idempotent), so only that mail fails.
    applied = [];
    for (const input of inputs) {
      try {
        applied.push((await applyDecisions(ctx.store, ctx.tickets, [input], known))[0]!);
      } catch (single) {
        applied.push(asMessageFailure(single));
      }
    }
  }

  for (const [n, { index, message, decision }] of decided.entries()) {
    const { item, key } = batch[index]!;
    const outcome = applied[n]!;
    if (outcome instanceof AppError) {
      results[index] = { key, error: outcome };
      continue;
    }
    const postActions = mergePostActions(jobPostActions(job), decision.postActions);
    const ledger = {
      job: job.name, mailbox: job.mailbox, graphId: item.id, internetMessageId: message.ids.internetMessageId, subject: message.subject,
      outcome: { rule: decision.rule, action: outcome.action, target: outcome.target }, postActions,
    };
    results[index] = { key, graphId: item.id, subject: message.subject, sender: message.from?.address ?? null, rule: decision.rule, applied: outcome, postActions, parseWarnings: message.parseWarnings, ledger };
  }
  return results.map((result) => result!);
}
