import { failMail, interrupted, quarantineMail } from './fail-mail.ts';
import { fetchBatched, fetchedAlone, fetchOne, planFetches, type Fetched } from './fetch-mail.ts';
import { finishMail } from './finish-mail.ts';
import { checkAbort, identityOf, outcomeOfAction, recordOutcome, type MailRun, type WorkItem } from './mail-run.ts';
import { processChunk, type FetchedMail } from './process-chunk.ts';
import { UnitPrefetch } from './unit-prefetch.ts';

/** At most this many mails per chunk, and a chunk is processed as soon as its MIME reaches `chunkBytes`. */
const CHUNK = 20;
const chunkBytes = 16 * 1024 * 1024;

/**
 * Works through mail in order, within the run's cap: the rest is `deferred` (seen, left for the next run). Mail
 * left in flight by a run that died is handled first: if it was alone, that counts as a failed attempt (quarantined
 * after maxAttempts: a mail that kills the process never loops); if it was in a chunk, it is processed on its own.
 * Returns false when the cap stopped it.
 */
export async function workThrough(run: MailRun, work: readonly WorkItem[]): Promise<boolean> {
  const room = Math.max(0, run.job.limits.messagesPerRun - run.handled);
  const now = work.slice(0, room);
  const later = work.slice(room);
  const ready: WorkItem[] = [];
  for (const w of now) {
    if (w.entry?.status !== 'inflight') {
      ready.push(w);
      continue;
    }
    if (!w.entry.inflight?.alone) {
      ready.push({ ...w, suspect: true });
      continue;
    }
    const failure = interrupted(w.key);
    const attempts = await run.ledger.recordFailure(identityOf(run, w), { code: failure.error.code, message: failure.error.message }, run.clock());
    if (attempts >= run.job.limits.maxAttempts) await quarantineMail(run, w, failure, attempts);
    else ready.push({ ...w, suspect: true, entry: { ...w.entry, attempts } });
  }
  const groups: WorkItem[][] = [];
  for (let i = 0; i < ready.length; i += groups.at(-1)!.length) groups.push(ready[i]!.suspect ? [ready[i]!] : takeGroup(ready, i));
  // Each group's fetch units, planned within the group (a unit never spans two groups), in the order their first mail
  // is reached (a batch goes on past a mail fetched alone, so planFetches lists that one first), fetched one unit ahead.
  const prefetch = new UnitPrefetch(groups.flatMap((group) => inMailOrder(group.filter((w) => !w.pending))), (unit) => fetchUnit(run, unit));
  run.graphIdle = () => prefetch.idle();
  try {
    for (const group of groups) {
      checkAbort(run);
      await handleGroup(run, group, prefetch);
      await run.ctx.run.flush();
    }
  } finally {
    // A fetch still in flight (the run stopped) ends before the run does: nothing of it runs on after the job.
    delete run.graphIdle;
    await prefetch.idle();
  }
  if (later.length > 0) {
    await run.ledger.markSettled(later.map((w) => identityOf(run, w)), 'deferred', run.clock());
    for (const w of later) recordOutcome(run, w, { outcome: 'deferred' });
    await run.ctx.run.flush();
    return false;
  }
  return true;
}

function inMailOrder(fresh: readonly WorkItem[]): WorkItem[][] {
  const position = new Map(fresh.map((w, i) => [w.key, i]));
  return planFetches(fresh).sort((a, b) => position.get(a[0]!.key)! - position.get(b[0]!.key)!);
}

/** One fetch unit: a mail alone (streamed), or small mail in one `$batch`. */
async function fetchUnit(run: MailRun, unit: readonly WorkItem[]): Promise<Map<string, Fetched>> {
  return unit.length === 1 && fetchedAlone(unit[0]!) ? new Map([[unit[0]!.key, await fetchOne(run, unit[0]!)]]) : fetchBatched(run, unit);
}

function takeGroup(ready: readonly WorkItem[], from: number): WorkItem[] {
  const group: WorkItem[] = [];
  for (let i = from; i < ready.length && group.length < CHUNK && !ready[i]!.suspect; i += 1) group.push(ready[i]!);
  return group;
}

/** Mail whose writes are done only needs its post-actions; the rest is fetched (small mail batched) and processed in chunks bounded by bytes. */
async function handleGroup(run: MailRun, group: readonly WorkItem[], prefetch: UnitPrefetch): Promise<void> {
  const pending = group.filter((w) => w.pending);
  if (pending.length > 0) {
    await finishMail(run, pending.map((w) => ({
      work: w, postActions: w.entry?.postActions ?? {},
      line: { outcome: outcomeOfAction(w.entry?.outcome?.action ?? 'none'), rule: w.entry?.outcome?.rule ?? null, action: w.entry?.outcome?.action ?? 'none', target: w.entry?.outcome?.target ?? '' },
    })));
  }
  const fresh = group.filter((w) => !w.pending);
  let chunk: FetchedMail[] = [];
  let bytes = 0;
  // Mail in its order; its fetch unit (a mail alone, or a $batch sized by bytes) is taken when its first mail is
  // reached (the prefetch has it under way by then), so no more MIME is held than that unit, the next one in flight
  // and the chunk being filled.
  const fetched = new Map<string, Fetched>();
  for (const w of fresh) {
    if (!fetched.has(w.key)) for (const [key, result] of await prefetch.take(w)) fetched.set(key, result);
    const result = fetched.get(w.key)!;
    fetched.delete(w.key);
    if (result.kind === 'gone') {
      await run.ledger.markSettled([identityOf(run, w)], 'gone', run.clock());
      recordOutcome(run, w, { outcome: 'gone' });
      continue;
    }
    if (result.kind === 'failed') {
      await failMail(run, w, result.failure);
      continue;
    }
    // A stored mail holds only its header block here: it joins the chunk without counting towards its bytes.
    if (result.kind === 'stored') chunk.push({ work: w, stored: result.stored });
    else {
      chunk.push({ work: w, raw: result.bytes, ...(result.kind === 'unreadable' ? { unreadable: result.message, ...(result.warning ? { warning: result.warning } : {}) } : {}) });
      bytes += result.bytes.byteLength;
    }
    if (bytes >= chunkBytes || chunk.length >= CHUNK) {
      await processChunk(run, chunk);
      chunk = [];
      bytes = 0;
    }
  }
  if (chunk.length > 0) await processChunk(run, chunk);
}
