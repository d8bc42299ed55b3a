import { headerLabels, type HeaderField } from './quote-vocabulary.ts';

/** A line as the quote detector sees it: quote depth ('>' prefixes) taken off, invisible characters and markdown bold gone. */
export interface ReadLine {
  depth: number;
  /** Trimmed text without quote markers. */
  text: string;
  blank: boolean;
  field: HeaderField | null;
  /** Value after the header label, when the line is a header field. */
  fieldValue: string;
}

const labelToField = new Map<string, HeaderField>(
  (Object.entries(headerLabels) as [HeaderField, readonly string[]][]).flatMap(([field, labels]) => labels.map((label) => [label, field] as const)),
);

// Label: up to 30 characters without a colon; the optional '*' pairs are markdown bold ("*From:*") some clients write.
const headerFieldPattern = /^\*{0,2}([^:：*<>@]{1,30}?)\s*\*{0,2}\s*[:：]\s*\*{0,2}\s*(.*)$/u;

export function readLine(raw: string): ReadLine {
  let rest = raw.replace(/[\u00a0\u2007\u202f]/g, ' ').replace(/[\ufeff\u200b\u200e\u200f]/g, '');
  let depth = 0;
  // '>' markers may be separated by spaces ("> > text"); each one is a level.
  for (;;) {
    const match = /^[ \t]*>/.exec(rest);
    if (match === null) break;
    depth++;
    rest = rest.slice(match[0].length);
  }
  // Some generators leave literal "\n" sequences in HTML text; they are noise around the words, not words.
  const text = rest.trim().replace(/^(?:\\n\s*)+|(?:\s*\\n)+$/g, '').trim();
  const header = headerFieldPattern.exec(text);
  const field = header === null ? null : (labelToField.get((header[1] ?? '').trim().toLowerCase()) ?? null);
  return { depth, text, blank: text === '', field, fieldValue: field === null ? '' : (header?.[2] ?? '').trim() };
}
