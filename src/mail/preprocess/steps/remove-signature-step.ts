import type { StepDefinition } from '../step-definition.ts';
import { TextLineView } from '../view/text-line-view.ts';
import { checkBoolean, checkKnownKeys } from './option-checks.ts';
import { allPacks, type EnabledPacks } from '../packs/enabled-packs.ts';
import { closingLineFor, isMobileFooter } from './signature-patterns.ts';

interface SignatureOptions {
  /** Cut at a "-- " line (RFC 3676 §4.3 signature separator). Default true. */
  delimiter: boolean;
  /** Cut at "Sent from my iPhone" and similar app footers. Default true. */
  mobileFooters: boolean;
  /** Also cut at a closing formula ("Best regards,") and the name under it. Default false: a sign-off is the sender's words. */
  closings: boolean;
  /** A signature is at most this many non-blank lines; anything longer above the end is not cut. */
  maxLines: number;
}

/** remove-signature: drops the signature block at the end of what the sender wrote. Runs on text. */
export const removeSignatureStep: StepDefinition<SignatureOptions> = {
  name: 'remove-signature',
  input: 'text',
  checkOptions: (options) => [
    ...checkKnownKeys(options, ['delimiter', 'mobileFooters', 'closings', 'maxLines']),
    ...checkBoolean(options, 'delimiter'),
    ...checkBoolean(options, 'mobileFooters'),
    ...checkBoolean(options, 'closings'),
    ...(options['maxLines'] === undefined || (Number.isInteger(options['maxLines']) && (options['maxLines'] as number) > 0 && (options['maxLines'] as number) <= 50)
      ? []
      : [{ pointer: '/maxLines', message: '"maxLines" must be a whole number from 1 to 50' }]),
  ],
  parseOptions: (options) => ({
    delimiter: options['delimiter'] !== false,
    mobileFooters: options['mobileFooters'] !== false,
    closings: options['closings'] === true,
    maxLines: typeof options['maxLines'] === 'number' ? options['maxLines'] : 10,
  }),
  run(state, options) {
    const view = new TextLineView(state.text);
    const cut = findSignatureStart(view.lines, options, state.packs);
    if (cut !== null) view.cutFrom(cut);
    state.text = view.toString();
  },
};

/** Mobile footers and closings are those of the enabled packs (every pack by default); "-- " needs none. */
export function findSignatureStart(lines: readonly string[], options: SignatureOptions, packs: EnabledPacks = allPacks): number | null {
  const closingLine = closingLineFor(packs);
  const nonBlankAfter = (i: number): string[] => lines.slice(i + 1).filter((line) => line.trim() !== '');
  const hasTextAbove = (i: number): boolean => lines.slice(0, i).some((line) => line.trim() !== '');

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const text = raw.trim();
    if (text === '' || !hasTextAbove(i)) continue;
    if (options.delimiter && (raw.replace(/\s+$/, ' ') === '-- ' || text === '--') && nonBlankAfter(i).length <= options.maxLines) return i;
    if (options.mobileFooters && isMobileFooter(text, packs)) {
      // Other footers may follow; anything else after it must be short (a name, a disclaimer-free line or two).
      const others = nonBlankAfter(i).filter((line) => !isMobileFooter(line, packs));
      if (others.length <= 3) return i;
    }
    if (options.closings && closingLine.test(text)) {
      // Only a closing with a name (and maybe a title) under it: a lone "Thanks!" at the end is a sentence.
      const after = nonBlankAfter(i);
      if (after.length >= 1 && after.length <= 4 && after.every((line) => line.trim().length <= 60)) return i;
    }
    if (options.delimiter && /^_{2,}$/.test(text) && isListFooter(nonBlankAfter(i))) return i;
  }
  return null;
}

/** What a mailing list appends under "__": its name, address and listinfo/unsubscribe link, a few lines. */
function isListFooter(lines: readonly string[]): boolean {
  return lines.length >= 1 && lines.length <= 6 && lines.some((line) => /mailing list|listinfo|unsubscribe|abmelden|désinscri|darse de baja/i.test(line));
}
