import { attachmentShare, corpusMail, type CorpusMail } from './corpus-mail.ts';
import { seededRandom } from './seeded-random.ts';

export interface CorpusOptions {
  seed: number;
  count: number;
  /** Date of the first mail; the others follow minutes apart. */
  start?: Date;
  /** Share of mail with attachments; default 0.15. The scale benchmark uses 0 to keep the emulator's memory small. */
  attachmentShare?: number;
  /** Distinguishes the Message-IDs of several corpora delivered to one tenant (default: the seed). */
  tag?: string;
}

/**
 * The realistic benchmark corpus, one mail at a time (the whole corpus is never held in memory): the same seed gives
 * byte-identical mail. Nothing is copied from real mail; see corpus-mail.ts for the shares of each kind.
 */
export function* generateCorpus(options: CorpusOptions): Generator<CorpusMail> {
  const r = seededRandom(options.seed);
  const earlier: string[] = [];
  let when = (options.start ?? new Date('2026-11-20T08:00:00Z')).getTime();
  for (let index = 0; index < options.count; index += 1) {
    when += r.int(1, 30) * 1000;
    const mail = corpusMail(r, { index, date: new Date(when), earlier, seedTag: options.tag ?? String(options.seed), attachmentShare: options.attachmentShare ?? attachmentShare });
    if (earlier.length < 500) earlier.push(mail.messageId);
    else earlier[r.int(0, earlier.length - 1)] = mail.messageId;
    yield mail;
  }
}
