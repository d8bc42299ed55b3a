import { attributionStarts, forwardIntros, forwardWords, originalMessageWords, wroteWords } from './quote-vocabulary.ts';
import { hasAddress, hasClientHeaderShape, isPlausibleHeaderBlock } from './header-block-shape.ts';
import type { HeaderField } from './quote-vocabulary.ts';
import { readLine, type ReadLine } from './read-line.ts';

export type QuoteKind = 'reply' | 'forward';

export interface QuoteBoundary {
  /** First line of the quote: everything from here on is quoted or forwarded. */
  start: number;
  /** First line after the header block (separator, attribution, From/Sent/To/Subject); equals start when there is none. */
  contentStart: number;
  kind: QuoteKind;
  /** What was recognised, for traces and tests. */
  marker: 'separator' | 'header-block' | 'attribution' | 'forward-intro' | 'quote-block';
}

export interface BoundaryContext {
  /** The message subject: an Outlook header block looks the same for a reply and a forward, the subject tells them apart. */
  subject?: string;
  /** Whether a marker found on these lines may be used (the enabled language packs read its words); default yes. */
  accept?: (markerLines: readonly string[]) => boolean;
}

// Every pattern below runs on one line (or three joined lines) of bounded length, and none nests quantifiers,
// so a long line costs linear time.
const MAX_LINE = 400;
const dashSeparator = /^[-–—=_*]{2,}[ \t]*([^-–—=_*\s][^-–—=_*]{0,200}?)[ \t]*[-–—=_*]{2,}[ \t]*(.*)$/u;
const ruleLine = /^(?:[_]{8,}|[-–—]{8,}|[=]{8,})$/u;
const dateEmailAttribution = /^\d.{0,120}(?:@|\[mailto:).{0,120}[:：]$/u;
const endsWithColon = /[:：]$/u;
const emailThenColon = /(?:<[^<>\s]+@[^<>\s]+>|[^\s<>()]+@[^\s<>()]+\.\w+)\s*\)?\s*[:：]$/u;
const endsWithWrote = /(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|skrev|napisał|kirjoitti)$/iu;
const forwardSubject =
  /^\s*(?:(?:re|aw|sv|antw|r|odp|ynt|res)\s*:\s*)*(?:fwd?|fw|wg|tr|rv|i|enc|doorst|vb|vl|pd|İlt|ilt|tov)\s*:/iu;

/**
 * Finds where the sender's own text ends in a plain-text body: the first quote or forward marker, or a trailing
 * block of '>'-quoted lines. Returns null when the whole text is the sender's.
 */
export function findQuoteBoundary(rawLines: readonly string[], context: BoundaryContext = {}): QuoteBoundary | null {
  const lines = rawLines.map((line) => readLine(line.length > MAX_LINE * 4 ? line.slice(0, MAX_LINE * 4) : line));
  const trailingQuote = findTrailingQuoteStart(lines);
  const subjectSaysForward = forwardSubject.test(context.subject ?? '');

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.blank) continue;
    // Inside an interleaved answer a quoted header only counts when nothing of the sender follows it.
    if (line.depth > 0 && i < trailingQuote) continue;
    const found = boundaryAt(lines, i, subjectSaysForward);
    if (found !== null && (context.accept === undefined || context.accept(rawLines.slice(found.start, Math.max(found.contentStart, found.start + 1))))) return found;
  }
  if (trailingQuote < lines.length) return quoteBlockBoundary(lines, trailingQuote);
  return null;
}

function boundaryAt(lines: readonly ReadLine[], i: number, subjectSaysForward: boolean): QuoteBoundary | null {
  const line = lines[i] as ReadLine;
  const text = line.text;
  const sameDepth = (j: number): boolean => (lines[j]?.depth ?? -1) === line.depth;

  const separator = dashSeparator.exec(text);
  if (separator !== null && text.length < MAX_LINE) {
    const words = separator[1] ?? '';
    const tail = (separator[2] ?? '').trim();
    // "-------- Preposlaná správa --- Forwarded Message --------": a second framed title is still the separator.
    const rest = /[-–—=_*]{2,}$/.test(tail) && !tail.includes(':') ? '' : tail;
    const isForward = forwardWords.test(words) || (rest === '' && forwardWords.test(tail));
    // Zoho: "---- On Tue, 22 Dec 2015 14:17:36 +0530 Sam <sam@example.com> wrote ----".
    if (!isForward && wroteWords.test(words) && /\d/.test(words)) return { start: i, contentStart: i + 1, kind: 'reply', marker: 'attribution' };
    // A framed title of unknown words ("--- Notes ---") only counts over a header block of the real shape.
    if (isForward || originalMessageWords.test(words) || headerBlockEnd(lines, nextNonBlank(lines, i + 1), 'strict') !== null || /^\S+\s*:/.test(rest)) {
      const block = rest === '' ? headerBlockEnd(lines, nextNonBlank(lines, i + 1)) : null;
      return {
        start: i,
        contentStart: block ?? i + 1,
        kind: isForward || (subjectSaysForward && !/original/i.test(words)) ? 'forward' : 'reply',
        marker: 'separator',
      };
    }
  }

  if (ruleLine.test(text)) {
    const next = nextNonBlank(lines, i + 1);
    const block = headerBlockEnd(lines, next);
    if (block !== null) return { start: i, contentStart: block, kind: subjectSaysForward ? 'forward' : 'reply', marker: 'header-block' };
  }

  if (text.length < 80 && endsWithColon.test(text) && !text.includes('@') && (forwardIntros.test(text) || forwardWords.test(text))) {
    const next = nextNonBlank(lines, i + 1);
    if (next < lines.length && (lines[next]?.field !== null || next === i + 1 || forwardIntros.test(text))) {
      const block = headerBlockEnd(lines, next);
      return { start: i, contentStart: block ?? i + 1, kind: 'forward', marker: 'forward-intro' };
    }
  }

  if (line.field !== null) {
    // Nothing above marks a quote: only the shape mail clients write counts, never a sentence starting "From:".
    const block = headerBlockEnd(lines, i, 'strict');
    if (block !== null) return { start: headerBlockIntro(lines, i), contentStart: block, kind: subjectSaysForward ? 'forward' : 'reply', marker: 'header-block' };
    // "From: someone@example.com" directly followed by quoted lines (Hotmail, some web mailers).
    const next = nextNonBlank(lines, i + 1);
    if (line.field === 'from' && hasAddress(line.fieldValue) && (lines[next]?.depth ?? 0) > line.depth) {
      return { start: i, contentStart: next, kind: 'reply', marker: 'header-block' };
    }
  }

  const attribution = attributionEnd(lines, i, sameDepth);
  if (attribution !== null) {
    return { start: i, contentStart: attribution, kind: subjectSaysForward && line.depth === 0 ? 'forward' : 'reply', marker: 'attribution' };
  }
  return null;
}

/**
 * If an attribution line ("On … wrote:") starts at i, returns the line after it. Clients wrap it: over up to three
 * lines at the same depth, and, when it clearly starts like one ("On <date>"), over up to six lines that may include
 * blank lines and a stray ">:" or "> wrote:" where a mail address was broken.
 */
function attributionEnd(lines: readonly ReadLine[], i: number, sameDepth: (j: number) => boolean): number | null {
  const first = lines[i] as ReadLine;
  const strongStart = (attributionStarts.test(first.text) || /^\d/.test(first.text) || hasDateTime(first.text)) && /\d/.test(first.text);
  let joined = '';
  let used = 0;
  for (let j = i; j < lines.length && j - i < (strongStart ? 6 : 3); j++) {
    const current = lines[j] as ReadLine;
    if (current.blank) {
      if (!strongStart) return null;
      continue;
    }
    if (!sameDepth(j) && !(strongStart && current.text.length <= 10)) return null;
    joined = used === 0 ? current.text : `${joined} ${current.text}`;
    used++;
    if (joined.length > MAX_LINE) return null;
    if (endsWithColon.test(current.text)) return looksLikeAttribution(joined, first.text, used - 1) ? j + 1 : null;
    // "On <date> Ann <ann@example.com> wrote" without the colon.
    if (strongStart && joined.includes('@') && endsWithWrote.test(current.text)) return j + 1;
    // A wrapped attribution never has a sentence end inside it.
    if (/[.!?]$/.test(current.text) && !/\b(?:[A-Z][a-z]{1,3}|\d{1,2})\.$/.test(current.text)) return null;
  }
  return dateFirstAttribution(first) ? i + 1 : null;
}

/** Gmail in some locales: "2013/7/20 Ann <ann@example.com>" or "2016-03-03 17:21 GMT+01:00 Ann", no colon. */
function dateFirstAttribution(line: ReadLine): boolean {
  const text = line.text;
  if (text.length > 160) return false;
  return (
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b.{0,100}(?:<[^<>\s]+@[^<>\s]+>|\S+@\S+\.\w+)$/u.test(text) ||
    /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2} GMT[+-]\d{1,2}(?::\d{2})? \S.{0,80}$/u.test(text)
  );
}

function looksLikeAttribution(joined: string, firstLine: string, extraLines: number): boolean {
  const hasDateOrAddress = /\d/.test(joined) || joined.includes('@');
  // Joined over several lines, the first must itself look like the start of one, or "Thanks,\nAnn\nOn … wrote:"
  // would swallow the sign-off.
  if (extraLines > 0 && !attributionStarts.test(firstLine) && !/^\d/.test(firstLine) && !firstLine.includes('@') && !hasDateTime(firstLine) && !/^["'“„«]?[\p{Lu}][\p{L}.'-]*(?: [\p{Lu}][\p{L}.'-]*){0,3}["'”»]? *[<(]/u.test(firstLine)) return false;
  if (wroteWords.test(joined)) {
    if (attributionStarts.test(firstLine) || hasDateOrAddress) return true;
    // "Ann Smith wrote:" on its own: short, a capitalised name and the verb, nothing else.
    return extraLines === 0 && joined.length < 60 && /^["'“]?[\p{Lu}][\p{L}.'-]*(?: [\p{Lu}][\p{L}.'-]*){0,3}["'”]? \S+(?: \S+)?[:：]$/u.test(joined);
  }
  // Gmail and Mail.ru in many languages: "<date>, <time>, Ann <ann@example.com>:" with no verb at all.
  return extraLines <= 1 && (dateEmailAttribution.test(joined) || (hasDateTime(joined) && emailThenColon.test(joined)));
}

/** A year and a clock time: what every attribution line carries and prose rarely does in one line. */
function hasDateTime(text: string): boolean {
  return /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(text) && /(?<!\d)\d{1,2}[:.]\d{2}(?!\d)/.test(text);
}

/**
 * If a block of header fields (From/Sent/To/Subject in any of our languages) starts at i, returns the first line
 * after it. Wrapped values and single blank lines between fields are allowed, as html-to-text writes them.
 * 'loose' (after an unambiguous quote marker) only refuses values that read like sentences; 'strict' (nothing
 * else marks a quote) also wants the shape clients write: see hasClientHeaderShape.
 */
export function headerBlockEnd(lines: readonly ReadLine[], i: number, check: 'loose' | 'strict' = 'loose'): number | null {
  const start = lines[i];
  if (start === undefined || start.field === null) return null;
  const fields = new Set<string>();
  const values = new Map<HeaderField, string>();
  let lastField: HeaderField | null = null;
  let end = i;
  let j = i;
  let continuation = 0;
  while (j < lines.length && j - i < 30) {
    const line = lines[j] as ReadLine;
    if (line.depth !== start.depth && !line.blank) break;
    if (line.field !== null && !(fields.has(line.field) && line.field !== 'to' && line.field !== 'cc')) {
      fields.add(line.field);
      if (!values.has(line.field)) values.set(line.field, line.fieldValue);
      lastField = line.field;
      end = j + 1;
      continuation = 0;
    } else if (line.blank) {
      const next = nextNonBlank(lines, j);
      if (next - j > 2 || (lines[next]?.field ?? null) === null || fields.has(lines[next]?.field ?? '')) break;
    } else if (continuation < 2 && end === j && !fields.has('subject')) {
      // html-to-text puts a long value on the line after its label ("From:\nAnn <ann@x.example>").
      if (lastField !== null && values.get(lastField) === '') values.set(lastField, line.text);
      continuation++;
      end = j + 1;
    } else if (continuation < 1 && end === j && fields.has('subject') && lines[j - 1]?.field === 'subject' && line.text.length < 80) {
      // A subject wrapped onto a second line.
      continuation++;
      end = j + 1;
    } else {
      break;
    }
    j++;
  }
  const strong = fields.has('from') && (fields.has('date') || fields.has('to') || fields.has('subject'));
  const countOthers = ['date', 'to', 'subject', 'cc'].filter((f) => fields.has(f)).length;
  if (!strong && countOthers < 3) return null;
  return (check === 'strict' ? hasClientHeaderShape(values) : isPlausibleHeaderBlock(values)) ? end : null;
}

/**
 * Lines right above a header block that belong to it: a rule ("====", "____"), or a short dated intro such as
 * "Message du : 12/12/2016 13:20". Returns the new start.
 */
function headerBlockIntro(lines: readonly ReadLine[], blockStart: number): number {
  let start = blockStart;
  for (let k = 0; k < 2; k++) {
    const above = previousNonBlank(lines, start - 1);
    const line = lines[above];
    if (line === undefined || blockStart - above > 3) break;
    if (ruleLine.test(line.text) || /^[=_-]{4,}$/.test(line.text) || (line.text.length <= 60 && hasDateTime(line.text) && endsOrHasColon(line.text))) start = above;
    else break;
  }
  return start;
}

function endsOrHasColon(text: string): boolean {
  return /[:：]/.test(text);
}

/** Index of the first line of the trailing run of quoted (or blank) lines; lines.length when the text does not end quoted. */
function findTrailingQuoteStart(lines: readonly ReadLine[]): number {
  let start = lines.length;
  // A signature under the quote ("-- " and a few lines) does not make the quote interleaved.
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0 && lines.length - i <= 12; i--) {
    const line = lines[i] as ReadLine;
    if (line.depth > 0) break;
    if (line.text === '--' || line.text === '-- ') {
      end = i;
      break;
    }
  }
  for (let i = end - 1; i >= 0; i--) {
    const line = lines[i] as ReadLine;
    if (line.blank) continue;
    if (line.depth === 0) break;
    start = i;
  }
  return start === end ? lines.length : start;
}

function quoteBlockBoundary(lines: readonly ReadLine[], quoteStart: number): QuoteBoundary {
  let start = quoteStart;
  const above = previousNonBlank(lines, quoteStart - 1);
  const intro = lines[above];
  // A short line ending in ':' right above the quote introduces it ("Ann Smith <ann@example.com>:").
  if (intro !== undefined && intro.depth === 0 && endsWithColon.test(intro.text) && intro.text.length < 120 && (/\d/.test(intro.text) || intro.text.includes('@'))) {
    start = above;
  }
  return { start, contentStart: quoteStart, kind: 'reply', marker: 'quote-block' };
}

function nextNonBlank(lines: readonly ReadLine[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i]?.blank === true) i++;
  return i;
}

function previousNonBlank(lines: readonly ReadLine[], from: number): number {
  let i = from;
  while (i >= 0 && lines[i]?.blank === true) i--;
  return i;
}
