import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage } from '../../../src/mail/parse/index.ts';
import { convertHtmlToText } from '../../../src/mail/preprocess/html/convert-html-to-text.ts';
import { quotesAndSignatures, quotesOnly, type BenchCase } from './bench-case.ts';

/**
 * Reads the corpora under ../shared/corpora (each folder's README says how it states expectations) into cases.
 * Which of our steps run per corpus follows what the corpus measures: Discourse and Crisp expect mobile
 * signatures gone, Crisp also "Regards," sign-offs; talon measures quotes only. Every corpus is scored on
 * forwards as a reply trimmer: text above a forward header is the answer (our product default instead keeps the
 * forward; that is checked separately).
 */
const read = (path: string): string => readFileSync(path, 'utf8');
const readJson = <T>(path: string): T => JSON.parse(read(path)) as T;

export async function loadCorpora(root: string): Promise<BenchCase[]> {
  return [
    ...loadDiscourse(join(root, 'discourse-email-reply-trimmer')),
    ...loadCrispReply(join(root, 'crisp-email-reply-parser')),
    ...(await loadTalon(join(root, 'mailgun-talon'))),
    ...loadTalonJsHtml(join(root, 'talonjs-html')),
    ...loadCrispForward(join(root, 'crisp-email-forward-parser')),
  ];
}

function loadDiscourse(dir: string): BenchCase[] {
  return readdirSync(join(dir, 'emails'))
    .sort()
    .map((file) => ({
      corpus: 'discourse-email-reply-trimmer',
      id: file,
      input: { type: 'text', body: read(join(dir, 'emails', file)), subject: '' },
      expect: { kind: 'equals', text: read(join(dir, 'trimmed', file)) },
      compare: 'collapse',
      steps: quotesAndSignatures(),
    }));
}

interface CrispReplyCase {
  file: string;
  expect: {
    reply_equals?: string;
    reply_starts_with?: string;
    reply_includes?: string[];
    reply_excludes?: string[];
    nothing_removed?: boolean;
    quoted_includes?: string[];
    needs_custom_rule?: string;
    template?: string;
    template_values?: string[];
    no_content_assertion?: boolean;
  };
}

function loadCrispReply(dir: string): BenchCase[] {
  const { cases } = readJson<{ cases: CrispReplyCase[] }>(join(dir, 'expected.json'));
  return cases.flatMap((c): BenchCase[] => {
    // Upstream asserts nothing about these two; they are not cases.
    if (c.expect.no_content_assertion === true) return [];
    const body = read(join(dir, 'fixtures', c.file));
    const steps = quotesAndSignatures({ closings: true });
    if (c.expect.needs_custom_rule !== undefined) {
      // The tenant-specific rule the case names, written as one of our user-defined steps.
      const rule = /\/(.*)\/([a-z]*)$/.exec(c.expect.needs_custom_rule.replace(/^quote header regex /, ''));
      if (rule !== null) steps.splice(1, 0, { step: 'cut-after', options: { pattern: rule[1], flags: (rule[2] ?? '').replace(/[^imsu]/g, '') } });
    }
    const e = c.expect;
    const bodies = e.template !== undefined ? (e.template_values ?? []).map((v) => body.split(e.template as string).join(v)) : [body];
    return bodies.map((text, index) => ({
      corpus: 'crisp-email-reply-parser',
      id: bodies.length > 1 ? `${c.file}#${index + 1}` : c.file,
      input: { type: 'text', body: text, subject: '' },
      expect:
        e.reply_equals !== undefined
          ? { kind: 'equals', text: e.reply_equals }
          : {
              kind: 'checks',
              startsWith: e.reply_starts_with,
              includes: e.reply_includes,
              excludes: [...(e.reply_excludes ?? []), ...(e.quoted_includes ?? [])],
              nothingRemoved: e.nothing_removed,
            },
      compare: 'collapse',
      steps,
    }));
  });
}

interface TalonCase {
  file: string;
  input: string;
  sender_file?: string;
  expect: {
    reply_text_equals_ignoring_all_whitespace?: string;
    reply_equals?: string;
    reply_equals_file?: string;
    reply_not_empty?: boolean;
    reply_excludes?: string[];
    signature_equals_file?: string;
  };
}

async function loadTalon(dir: string): Promise<BenchCase[]> {
  const { cases } = readJson<{ cases: TalonCase[] }>(join(dir, 'expected.json'));
  const out: BenchCase[] = [];
  for (const c of cases) {
    const base = { corpus: 'mailgun-talon', id: c.file };
    const e = c.expect;
    if (c.input === 'text/html') {
      out.push({ ...base, input: { type: 'html', body: read(join(dir, c.file)), subject: '' }, expect: { kind: 'equals', text: e.reply_text_equals_ignoring_all_whitespace ?? '' }, compare: 'no-whitespace', steps: quotesOnly });
    } else if (c.file.endsWith('.eml') && c.file.startsWith('standard_replies/')) {
      // "use its text/plain part": parsed by our parser for every library alike.
      const message = await parseMessage(readFileSync(join(dir, c.file)));
      const expected = e.reply_equals_file !== undefined ? read(join(dir, e.reply_equals_file)) : (e.reply_equals ?? '');
      out.push({ ...base, input: { type: 'text', body: message.text ?? '', subject: message.subject }, expect: { kind: 'equals', text: expected }, compare: 'collapse', steps: quotesOnly });
    } else if (e.reply_not_empty === true) {
      out.push({ ...base, input: { type: 'text', body: read(join(dir, c.file)), subject: '' }, expect: { kind: 'checks', excludes: e.reply_excludes ?? [], includes: [] }, compare: 'collapse', steps: quotesOnly });
    } else if (e.signature_equals_file !== undefined) {
      const body = read(join(dir, c.file)).trim();
      const signature = read(join(dir, e.signature_equals_file)).trim();
      const expected = signature !== '' && body.endsWith(signature) ? body.slice(0, -signature.length) : signature === '' ? body : null;
      // sparse_signature is not the end of its body (talon cuts signatures to a line limit): the reply is the text above it.
      const reply = expected ?? body.slice(0, body.indexOf(signature.split('\n')[0] ?? ''));
      out.push({ ...base, input: { type: 'text', body, subject: '' }, expect: { kind: 'equals', text: reply }, compare: 'collapse', steps: quotesAndSignatures({ closings: true }) });
    }
  }
  return out;
}

interface TalonJsCase {
  file: string;
  expect: { reply_html_equals_file?: string; reply_includes?: string[]; reply_excludes?: string[]; nothing_removed?: boolean; must_not_throw?: boolean };
}

function loadTalonJsHtml(dir: string): BenchCase[] {
  const { cases } = readJson<{ cases: TalonJsCase[] }>(join(dir, 'expected.json'));
  return cases.map((c): BenchCase => {
    const body = read(join(dir, c.file));
    const e = c.expect;
    const expect: BenchCase['expect'] =
      e.reply_html_equals_file !== undefined
        ? { kind: 'equals', text: convertHtmlToText(read(join(dir, e.reply_html_equals_file))) }
        : e.must_not_throw === true
          ? { kind: 'mustNotThrow' }
          : { kind: 'checks', includes: e.reply_includes, excludes: e.reply_excludes, nothingRemoved: e.nothing_removed };
    return { corpus: 'talonjs-html', id: c.file, input: { type: 'html', body, subject: '' }, expect, compare: 'no-whitespace', steps: quotesOnly };
  });
}

interface ForwardCase {
  file: string;
  subject_file?: string;
  expect: { forwarded: boolean; new_text_above_forward?: string | null; forwarded_body?: string };
}

/** Variant 4 of every client is a reply, not a forward; all ten files carry the same answer above the attribution. */
const VARIANT_4_REPLY = "That's true!\n\nRegards,\n\ne.";

function loadCrispForward(dir: string): BenchCase[] {
  const { cases } = readJson<{ cases: ForwardCase[] }>(join(dir, 'expected.json'));
  return cases.map((c): BenchCase => {
    const body = read(join(dir, 'fixtures', c.file));
    const subjectPath = c.subject_file === undefined ? '' : join(dir, 'fixtures', c.subject_file);
    const subject = subjectPath !== '' && existsSync(subjectPath) ? read(subjectPath).trim() : '';
    const above = c.expect.new_text_above_forward ?? '';
    const expect: BenchCase['expect'] = !c.expect.forwarded
      ? { kind: 'equals', text: VARIANT_4_REPLY }
      : above !== ''
        ? { kind: 'equals', text: above }
        : // Nothing written above the forward: dropping it ("") or unwrapping its body are both right.
          { kind: 'equals', text: c.expect.forwarded_body ?? '', orEmpty: true };
    return { corpus: 'crisp-email-forward-parser', id: `${c.file}${c.subject_file !== undefined ? ` (${c.subject_file})` : ''}`, input: { type: 'text', body, subject }, expect, compare: 'collapse', steps: quotesOnly };
  });
}
