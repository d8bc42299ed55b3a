import type { HeaderField } from './quote-vocabulary.ts';

/** The first value of each field of a header block, as headerBlockEnd collected it. */
export type HeaderBlockValues = ReadonlyMap<HeaderField, string>;

const anyAddress = /[^\s<>()[\]"':;,]+@[^\s<>()[\]"':;,]+\.\p{L}{2,}/u;
// What surrounds addresses in header values: <…>, [mailto:…], (…) and html-to-text's leftovers of them.
const addressParts = /<[^<>]*>|\[[^\]]*\]|\([^()]*\)|\S*@\S*/gu;
// A name as Outlook writes it for a colleague in the address book: "Anna Example", "Example, Anna", "Sally54721".
const nameOnly = /^["'“]?\p{L}[\p{L}\p{N}\p{M}._'’()-]*(?:,?\s+[\p{L}\p{N}\p{M}._'’()-]+){0,5}["'”]?$/u;
const sentenceEnd = /[.!?;]$/u;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

/** Whether a value reads as a person's sentence rather than a field a mail client filled in. */
function readsLikeSentence(field: HeaderField, value: string): boolean {
  if (field === 'subject') return false;
  const words = wordCount(value.replace(addressParts, ' '));
  if (field === 'date') return words > 12 || (words >= 4 && sentenceEnd.test(value) && !isDateLike(value));
  return words > 8 || (words >= 4 && sentenceEnd.test(value));
}

/** An address with at most a name and Outlook's "on behalf of" around it; "please write to x@y.example." is prose. */
export function hasAddress(value: string | undefined): boolean {
  if (value === undefined || !anyAddress.test(value)) return false;
  return wordCount(value.replace(addressParts, ' ')) <= 8;
}

/** A date or time as clients print it in any language: a year, a clock time or a numeric date. */
export function isDateLike(value: string | undefined): boolean {
  if (value === undefined || value.length > 100) return false;
  return /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(value) || /(?<!\d)\d{1,2}[:h]\d{2}(?!\d)/.test(value) || /(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)/.test(value);
}

function hasYearAndTime(value: string | undefined): boolean {
  return value !== undefined && /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(value) && /(?<!\d)\d{1,2}[:h]\d{2}(?!\d)/.test(value);
}

/**
 * Loose check, after an unambiguous marker (-----Original Message-----, a forward title, Outlook's rule line):
 * no address or date field may read like a sentence.
 */
export function isPlausibleHeaderBlock(values: HeaderBlockValues): boolean {
  return [...values].every(([field, value]) => !readsLikeSentence(field, value));
}

/**
 * Strict check, for a header block with nothing above it that marks a quote: the shape mail clients really write.
 * The sender's own lines ("From: next week on, …", "Sent: twice already.") must never cut the text, so the From
 * value must be an address or a name, the usual fields must be there together (Outlook, Gmail, Apple Mail and
 * Thunderbird all print a Subject line), and an address or a real date must anchor the block.
 */
export function hasClientHeaderShape(values: HeaderBlockValues): boolean {
  if (!isPlausibleHeaderBlock(values)) return false;
  const from = values.get('from');
  const date = values.get('date');
  const recipientHasAddress = hasAddress(values.get('to')) || hasAddress(values.get('cc'));
  if (from === undefined) return values.has('subject') && isDateLike(date) && recipientHasAddress;
  const fromHasAddress = hasAddress(from);
  if (!fromHasAddress && !nameOnly.test(from)) return false;
  // Without a Subject line (Windows Mail, some mobile clients): the date must carry a year and a clock time, as
  // every client prints it; "From: Berlin / To: Munich / Date: 13.10.2025" in a booking request stays text.
  if (!values.has('subject')) return isDateLike(date) && (fromHasAddress || (values.has('to') && hasYearAndTime(date)));
  // A name alone ("From: Anna Example", Outlook for a colleague) needs the full date and time Outlook prints.
  return fromHasAddress || recipientHasAddress || hasYearAndTime(date);
}
