import { addressOf, companyName, paragraph, personName } from './prose.ts';
import type { SeededRandom } from './seeded-random.ts';

/** One earlier message of a quoted thread: who wrote it, when, and what. */
export interface ThreadMessage {
  name: string;
  address: string;
  date: Date;
  paragraphs: string[];
}

export function threadMessage(r: SeededRandom, date: Date): ThreadMessage {
  const name = personName(r);
  return { name, address: addressOf(name, companyName(r)), date, paragraphs: Array.from({ length: r.int(1, 4) }, () => paragraph(r)) };
}

export const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The body an HTML builder produced, with the plain-text alternative and the content ids its signature uses. */
export interface HtmlBody {
  html: string;
  text: string;
}
