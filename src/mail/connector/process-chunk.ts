import { countRecentTicketsByRequester } from '../../tickets/index.ts';
import { AppError, toAppError } from '../../core/index.ts';
import type { RuleDecision } from '../../rules/index.ts';
import { applyChangeSet, type AppliedChange, type ThreadSnapshot } from '../../tickets/index.ts';
import { mergePostActions, planChanges, ticketsToLoad, type PlanInput } from '../actions/index.ts';
import { decideMessage, joinsTicket, type Decided } from '../decide/index.ts';
import type { Message } from '../parse/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import { ContentDigest } from './content-digest.ts';
import { failMail, quarantineMail } from './fail-mail.ts';
import { findReportedNotifications } from './find-reported-notifications.ts';
import { finishMail, type Finishing } from './finish-mail.ts';
import { identityOf, jobPostActions, outcomeOfAction, type MailRun, type WorkItem } from './mail-run.ts';
import type { LedgerEntry } from './message-ledger.ts';
import { readThreadHeaders } from './read-thread-headers.ts';
import { parseStoredMime, type StoredMime } from './stored-mime.ts';

/**
 * A fetched mail: its MIME in memory, or (a large one) in the file store already, parsed from there. `unreadable`:
 * Graph could not convert the mail to MIME; the message built from its properties, and `raw` a stand-in MIME of them.
 */
export type FetchedMail =
  | { work: WorkItem; raw: Uint8Array; stored?: never; unreadable?: Message; warning?: string }
  | { work: WorkItem; stored: StoredMime; raw?: never; unreadable?: never; warning?: never };

/** The MIME as failMail and the plan take it: the bytes, or the stored file. */
const rawOf = (mail: FetchedMail): Uint8Array | { fileId: string } => mail.raw ?? { fileId: mail.stored.fileId };

const defaultMessageMaxBytes = 50 * 1024 * 1024;
const bare = (id: string | null | undefined): string | null => id?.trim().replace(/^<|>$/g, '') || null;

function asMessageFailure(error: unknown): AppError {
  const appError = toAppError(error);
  if (!isMessageFailure(appError)) throw appError;
  return appError;
}

interface Sorted {
  fresh: (FetchedMail & { sha256: string; rawKey: string | null; warnings: string[] })[];
  duplicates: (FetchedMail & { sha256: string; of: LedgerEntry | { _id: string; outcome: null } })[];
}

/**
 * True duplicates (same Message-ID, same content digest: the mail delivered twice) and look-alikes (same
 * Message-ID, other content: processed on their own, with a warning). Compared with the ledger and within the chunk.
 */
async function sortDuplicates(run: MailRun, mails: readonly FetchedMail[]): Promise<Sorted> {
  // One pass over each mail's bytes: the content digest, and from it the raw MIME's key in the file store.
  const withDigest = mails.map((mail) => {
    const digest = mail.stored ? { digest: mail.stored.digest, rawKey: null } : new ContentDigest().update(mail.raw).finish();
    return { ...mail, sha256: digest.digest, rawKey: digest.rawKey, mid: bare(mail.work.item.internetMessageId) };
  });
  const keys = new Set(mails.map((m) => m.work.key));
  const mids = withDigest.flatMap((m) => (m.mid ? [m.mid] : []));
  const earlier = (await run.ledger.findByMessageIds(run.job.mailbox, [...new Set(mids.flatMap((id) => [id, `<${id}>`]))]))
    .filter((entry) => !keys.has(entry._id) && entry.status !== 'gone' && entry.status !== 'deferred');
  const sorted: Sorted = { fresh: [], duplicates: [] };
  const inChunk: { key: string; mid: string; sha256: string }[] = [];
  for (const mail of withDigest) {
    const { mid, sha256 } = mail;
    const own = mail.warning ? [mail.warning] : [];
    if (!mid) {
      sorted.fresh.push({ ...mail, warnings: own });
      continue;
    }
    const same = (entryMid: string | null | undefined): boolean => bare(entryMid) === mid;
    const first = earlier.find((e) => same(e.internetMessageId) && e.sha256 === sha256) ?? inChunk.find((c) => c.mid === mid && c.sha256 === sha256);
    if (first) {
      sorted.duplicates.push({ ...mail, of: 'status' in first ? first : { _id: first.key, outcome: null } });
      continue;
    }
    const lookalikes = [...earlier.filter((e) => same(e.internetMessageId)).map((e) => e._id), ...inChunk.filter((c) => c.mid === mid).map((c) => c.key)];
    const warnings = lookalikes.length > 0
      ? [...own, `another mail has the same Message-ID <${mid}> but different content (${lookalikes.join(', ')}); this one is processed on its own`]
      : own;
    inChunk.push({ key: mail.work.key, mid, sha256 });
    sorted.fresh.push({ ...mail, warnings });
  }
  return sorted;
}

/**
 * A chunk of fetched mail: duplicates sorted out, an in-flight mark, `decide` for each mail (in order: a reply to a
 * mail earlier in the chunk threads in as if that mail had been written first), one `plan` and one `apply` for the
 * chunk, then the post-actions and one ledger write. Every mail ends with exactly one recorded outcome.
 */
export async function processChunk(run: MailRun, mails: readonly FetchedMail[]): Promise<void> {
  const { job, ledger, clock } = run;
  const { fresh, duplicates } = await sortDuplicates(run, mails);
  await ledger.markInflight(fresh.map((m) => ({ ...identityOf(run, m.work), sha256: m.sha256 })), mails.length === 1, clock());

  const stored = await run.threads.lookup(fresh.flatMap((m) => (m.unreadable ? [] : readThreadHeaders(m.stored?.head ?? m.raw!))));
  let threads: ThreadSnapshot = stored;
  // The sender cap against mail loops counts tickets per sender in the past hour: read once a chunk, then counted on
  // with each ticket this chunk decides to open, so a burst inside one chunk is capped too.
  const cap = run.ruleSet.intake?.senderPolicy.maxNewTicketsPerHour ?? null;
  const senderTickets = cap === null || fresh.length === 0 ? undefined : await countRecentTicketsByRequester(run.store, new Date(clock().getTime() - 3_600_000));
  const decided: { mail: (typeof fresh)[number]; decided: Decided }[] = [];
  for (const [index, mail] of fresh.entries()) {
    try {
      const result = await decideMessage({
        ...(mail.stored ? { message: await parseStored(run, mail.work, mail.stored) } : mail.unreadable ? { message: mail.unreadable } : { raw: mail.raw! }),
        ruleSet: run.ruleSet, threads, now: clock(), mailbox: job.mailbox, graphId: mail.work.item.id,
        ...(mail.work.item.conversationId ? { conversationId: mail.work.item.conversationId } : {}),
        ...(senderTickets ? { senderTicketsLastHour: senderTickets } : {}),
      });
      if (result.decision.action === 'quarantine') {
        // Set aside by a rule (e.g. encrypted mail for a person to open): the same quarantine as a failing mail, with
        // the rule's reason, so it is listed, alerted on and replayable, and no post-action touches it.
        const reason = typeof result.decision.fields.reason === 'string' && result.decision.fields.reason.trim() ? result.decision.fields.reason.trim() : `rule "${result.decision.rule}"`;
        const error = new AppError('MAIL_QUARANTINED_BY_RULE', `quarantined by rule "${result.decision.rule}": ${reason}`, { hint: 'Look at the mail (quarantine list, raw MIME), then replay it with `mailroom quarantine replay` once the rules let it through.' });
        await quarantineMail(run, mail.work, { key: mail.work.key, error, stage: 'decide' }, 0, rawOf(mail));
        continue;
      }
      if (joinsTicket(result.decision)) threads = threads.with(result.message.ids.internetMessageId, { createdBy: index });
      const sender = result.message.from?.address?.toLowerCase();
      if (senderTickets && sender && result.decision.action === 'create-ticket') senderTickets.set(sender, (senderTickets.get(sender) ?? 0) + 1);
      decided.push({ mail, decided: result });
    } catch (error) {
      await failMail(run, mail.work, { key: mail.work.key, error: asMessageFailure(error), stage: 'decide' }, { raw: rawOf(mail) });
    }
  }

  const maxBytes = job.limits.messageMaxBytes ?? defaultMessageMaxBytes;
  const reported = await findReportedNotifications(run, decided.map((d) => d.decided.message));
  const inputs = decided.map(({ mail, decided: d }, n): PlanInput => ({
    key: mail.work.key, message: d.message, text: d.text, decision: d.decision,
    raw: mail.stored ? { fileId: mail.stored.fileId } : { bytes: mail.raw!, filename: `${mail.work.item.id}.eml`, ...(mail.rawKey ? { checksum: mail.rawKey } : {}) },
    attachmentMaxBytes: job.limits.attachmentMaxBytes,
    ...(sizeOf(mail) > maxBytes ? { skipAttachments: `the mail (${sizeOf(mail)} bytes) is larger than the ${maxBytes}-byte limit; it is kept as raw MIME` } : {}),
    source: { job: job.name, connection: run.graph.connectionName, mailbox: job.mailbox, graphId: mail.work.item.id, internetMessageId: d.message.ids.internetMessageId, autoGenerated: [...d.message.autoGenerated], ...(mail.work.backlog || mail.work.entry?.backlog ? { backlog: true } : {}) },
    ...(reported[n] ? { sentNotification: reported[n] } : {}),
  }));
  const applied = await applyAll(run, inputs, decided.map((d) => d.decided.decision), stored);

  const finishing: Finishing[] = [];
  for (const [n, { mail, decided: d }] of decided.entries()) {
    const outcome = applied[n]!;
    if (outcome instanceof AppError) {
      await failMail(run, mail.work, { key: mail.work.key, error: outcome, stage: 'apply' }, { raw: rawOf(mail) });
      continue;
    }
    // A report on our own notification was handled whatever the rules said: no rule decided it, the job's post-actions apply.
    const bounce = outcome.action === 'recorded-bounce';
    const rule = bounce ? null : d.decision.rule;
    const postActions = bounce ? jobPostActions(job) : mergePostActions(jobPostActions(job), d.decision.postActions);
    const identity = identityOf(run, mail.work);
    finishing.push({
      work: mail.work, postActions, raw: rawOf(mail),
      mark: { ...withoutId(identity), internetMessageId: d.message.ids.internetMessageId, subject: d.message.subject, outcome: { rule, action: outcome.action, target: outcome.target }, postActions, sha256: mail.sha256, rawMimeFileId: outcome.rawMimeFileId },
      line: {
        outcome: outcomeOfAction(outcome.action), rule, action: outcome.action, target: outcome.target ?? '',
        ...(mail.warnings.length > 0 ? { warnings: mail.warnings } : {}),
        ...(d.message.parseWarnings.length > 0 ? { parseWarnings: d.message.parseWarnings } : {}),
      },
    });
  }
  // A duplicate of a mail earlier in this chunk names the target that mail got just now.
  const targets = new Map(decided.flatMap(({ mail }, n) => { const a = applied[n]!; return a instanceof AppError ? [] : [[mail.work.key, a.target] as const]; }));
  for (const dup of duplicates) {
    const postActions = jobPostActions(job);
    const target = dup.of.outcome?.target ?? targets.get(dup.of._id) ?? null;
    finishing.push({
      work: dup.work, postActions, raw: rawOf(dup),
      mark: { ...withoutId(identityOf(run, dup.work)), outcome: { rule: null, action: 'duplicate', target, duplicateOf: dup.of._id }, postActions, sha256: dup.sha256 },
      line: { outcome: 'duplicate', action: 'duplicate', duplicateOf: dup.of._id, ...(target ? { target } : {}) },
    });
  }
  await finishMail(run, finishing);
}

const sizeOf = (mail: FetchedMail): number => mail.stored?.length ?? mail.raw!.byteLength;

/**
 * A large mail parsed from the file store; its attachments are stored on the way (none when the mail is over the
 * size limit: they are listed as skipped then).
 */
async function parseStored(run: MailRun, work: WorkItem, mime: StoredMime): Promise<Message> {
  const { limits } = run.job;
  const over = mime.length > (limits.messageMaxBytes ?? defaultMessageMaxBytes);
  return parseStoredMime(run.store, mime, {
    attachmentMaxBytes: over ? 0 : limits.attachmentMaxBytes,
    meta: { graphId: work.item.id, ...(work.item.conversationId ? { conversationId: work.item.conversationId } : {}) },
  });
}

function withoutId<T extends { _id: string }>(value: T): Omit<T, '_id'> {
  const { _id: _ignored, ...rest } = value;
  return rest;
}

/** Plan and apply the chunk at once; if one mail breaks the chunk's writes, each mail again alone (all idempotent). */
async function applyAll(run: MailRun, inputs: readonly PlanInput[], decisions: readonly RuleDecision[], stored: ThreadSnapshot): Promise<(AppliedChange | AppError)[]> {
  if (inputs.length === 0) return [];
  const existing = await run.tickets.findTickets(ticketsToLoad(decisions, stored));
  try {
    return await applyChangeSet(run.store, run.tickets, run.threads, planChanges(inputs, existing, stored), run.bounces);
  } catch (error) {
    asMessageFailure(error);
    const results: (AppliedChange | AppError)[] = [];
    for (const input of inputs) {
      try {
        const own = await run.threads.lookup([...(input.message.ids.inReplyTo ? [input.message.ids.inReplyTo] : []), ...input.message.ids.references]);
        results.push((await applyChangeSet(run.store, run.tickets, run.threads, planChanges([input], await run.tickets.findTickets(ticketsToLoad([input.decision], own)), own), run.bounces))[0]!);
      } catch (single) {
        results.push(asMessageFailure(single));
      }
    }
    return results;
  }
}
