import type { EnabledPacks } from '../packs/enabled-packs.ts';
import type { LanguagePack } from '../packs/pack-catalog.ts';
import type { StepDefinition } from '../step-definition.ts';
import { checkBoolean, checkKnownKeys, checkPatternList } from './option-checks.ts';
import { removeMatchingParagraphs } from './remove-paragraphs.ts';

/**
 * Warnings a mail gateway puts at the top of external mail (Microsoft 365 safety tips, Mimecast, Proofpoint and
 * typical transport-rule texts), several languages. Matched against whole paragraphs near the top.
 */
export const defaultBannerPatterns: readonly string[] = [
  String.raw`^\[?\s*(?:external|extern|externe?|externo|esterno|extern[ae])\s*(?:e-?mail|sender|message|mail)?\s*\]?\s*[:!]?\s*(?:this (?:e-?mail|message) (?:originated|was sent|came) from outside|caution|warning|use caution|do not click)`,
  String.raw`^(?:\*+\s*)?(?:caution|warning|attention|notice|external)\s*[:!-]\s*(?:external\s+(?:e-?mail|sender|message)|this (?:e-?mail|message) (?:originated|was sent|came|is) from (?:outside|an external))`,
  String.raw`^this (?:e-?mail|message) (?:originated|was sent|came) from outside (?:of )?(?:the|your|our) (?:organi[sz]ation|company|network)`,
  String.raw`^you don't often get email from \S+\.? learn why this is important`,
  String.raw`^some people who received this message don't often get email from`,
  String.raw`^(?:achtung|vorsicht|warnung)\s*[:!]\s*diese (?:e-?mail|nachricht) (?:stammt|kommt|wurde) (?:von )?(?:au(?:ß|ss)erhalb|einem externen)`,
  String.raw`^diese (?:e-?mail|nachricht) (?:stammt|kommt) von (?:au(?:ß|ss)erhalb|einem externen absender)`,
  String.raw`^(?:attention|avertissement|prudence)\s*:?\s*(?:ce (?:courriel|message|mail) (?:provient|a été envoyé) de l'extérieur)`,
  String.raw`^ce (?:courriel|message|mail) provient de l'extérieur`,
  String.raw`^(?:precaución|atención|aviso)\s*:\s*este correo (?:electrónico )?(?:se originó|proviene|procede) (?:fuera|de fuera|del exterior)`,
  String.raw`^(?:attenzione)\s*:\s*questa (?:e-?mail|email|mail) (?:proviene|è stata inviata) da(?:ll')? (?:esterno|fuori)`,
  String.raw`^(?:let op|waarschuwing)\s*:\s*deze e-?mail is afkomstig van buiten`,
  String.raw`^(?:atenção|cuidado|aviso)\s*:\s*este e-?mail (?:foi originado|é proveniente|veio) de fora`,
];

/** The language pack of each default pattern, by index. */
const defaultLanguages: readonly LanguagePack[] = ['en', 'en', 'en', 'en', 'en', 'de', 'de', 'fr', 'fr', 'es', 'it', 'nl', 'pt'];

/** Default patterns count only when their language pack is on; the rule file's own patterns always do. */
function enabledPatterns(patterns: readonly { regex: RegExp; language: LanguagePack | null }[], packs: EnabledPacks): RegExp[] {
  return patterns.filter(({ language }) => language === null || packs.languages.has(language)).map(({ regex }) => regex);
}

/** "[EXTERNAL]" / "[EXT]" tags that gateways prepend to the first line (and to the subject). */
const inlineTag = /^\s*\[(?:external|ext|extern|externe|externo|esterno|external sender|external email)\]\s*/i;

interface BannerOptions {
  patterns: { regex: RegExp; language: LanguagePack | null }[];
  /** Paragraphs starting within this many lines of the top are considered. */
  withinLines: number;
}

/** remove-banner: drops "[EXTERNAL]" / "CAUTION: This email originated from outside…" banners near the top. */
export const removeBannerStep: StepDefinition<BannerOptions> = {
  name: 'remove-banner',
  input: 'text',
  checkOptions: (options) => [
    ...checkKnownKeys(options, ['patterns', 'replaceDefaults', 'withinLines']),
    ...checkPatternList(options, 'patterns'),
    ...checkBoolean(options, 'replaceDefaults'),
    ...(options['withinLines'] === undefined || (Number.isInteger(options['withinLines']) && (options['withinLines'] as number) > 0)
      ? []
      : [{ pointer: '/withinLines', message: '"withinLines" must be a positive whole number' }]),
  ],
  parseOptions: (options) => ({
    patterns: [
      ...(options['replaceDefaults'] === true ? [] : defaultBannerPatterns.map((source, index) => ({ regex: new RegExp(source, 'iu'), language: defaultLanguages[index] ?? null }))),
      ...((options['patterns'] as string[] | undefined) ?? []).map((source) => ({ regex: new RegExp(source, 'iu'), language: null })),
    ],
    withinLines: typeof options['withinLines'] === 'number' ? options['withinLines'] : 15,
  }),
  run(state, options) {
    const text = removeMatchingParagraphs(state.text, enabledPatterns(options.patterns, state.packs), { maxStart: options.withinLines });
    state.text = text.replace(inlineTag, '');
  },
};
