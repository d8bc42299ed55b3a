import type { EnabledPacks } from '../packs/enabled-packs.ts';
import type { LanguagePack } from '../packs/pack-catalog.ts';
import type { StepDefinition } from '../step-definition.ts';
import { checkBoolean, checkKnownKeys, checkPatternList } from './option-checks.ts';
import { removeMatchingParagraphs } from './remove-paragraphs.ts';

/** Openings of the legal footers companies append, several languages. Matched against whole paragraphs near the end. */
export const defaultDisclaimerPatterns: readonly string[] = [
  String.raw`^(?:\*+\s*)?(?:(?:confidentiality|legal|privacy|e-?mail) (?:notice|disclaimer|warning)|disclaimer|haftungsausschluss|avis de confidentialit[ée]|aviso legal|avviso di riservatezza)\s*[:-]`,
  String.raw`^this (?:e-?mail|message|communication|transmission)(?: and any (?:files|attachments)[^.]{0,60}?| \(including any attachments\))? (?:is|are|contains?|may contain) (?:intended|confidential|strictly confidential|privileged|for the (?:sole|exclusive) use)`,
  String.raw`^the information (?:contained )?in this (?:e-?mail|message|communication)`,
  String.raw`^if you (?:are not the (?:intended|named) (?:recipient|addressee)|have received this (?:e-?mail|message|communication) in error)`,
  String.raw`^please consider the environment before printing`,
  String.raw`^diese (?:e-?mail|nachricht) (?:enthält|kann) vertrauliche`,
  String.raw`^(?:diese e-?mail|die information(?:en)? in dieser)[^.]{0,80}(?:vertraulich|ausschlie(?:ß|ss)lich)`,
  String.raw`^wenn sie nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)`,
  String.raw`^ce (?:message|courriel|e-?mail)(?: et (?:toutes )?(?:les|ses) pièces jointes)? (?:est|sont|contient|peut contenir) (?:confidentiel|strictement|destiné|établi)`,
  String.raw`^este (?:mensaje|correo(?: electrónico)?)(?: y sus (?:anexos|adjuntos))? (?:es|son|contiene|puede contener) (?:confidencial|privad|para uso)`,
  String.raw`^questo messaggio(?: e (?:i suoi|gli eventuali) allegati)? (?:è|sono|contiene|può contenere) (?:riservat|confidenzial|destinat)`,
  String.raw`^(?:dit e-?mail(?:bericht)?|deze e-?mail)(?: en (?:de|eventuele) bijlagen)? (?:is|zijn|bevat|kan) (?:vertrouwelijk|uitsluitend|bestemd)`,
  String.raw`^esta mensagem(?: e (?:os seus|quaisquer) anexos)? (?:é|são|contém|pode conter) (?:confidencial|destinada|reservad)`,
];

/** The language pack of each default pattern, by index. */
const defaultLanguages: readonly LanguagePack[] = ['en', 'en', 'en', 'en', 'en', 'de', 'de', 'de', 'fr', 'es', 'it', 'nl', 'pt'];

/** Default patterns count only when their language pack is on; the rule file's own patterns always do. */
function enabledPatterns(patterns: readonly { regex: RegExp; language: LanguagePack | null }[], packs: EnabledPacks): RegExp[] {
  return patterns.filter(({ language }) => language === null || packs.languages.has(language)).map(({ regex }) => regex);
}

interface DisclaimerOptions {
  patterns: { regex: RegExp; language: LanguagePack | null }[];
  /** Paragraphs starting within this many lines of the end are considered. */
  withinLinesFromEnd: number;
}

/** remove-disclaimer: drops legal footers ("This e-mail is confidential…") near the end of the text. */
export const removeDisclaimerStep: StepDefinition<DisclaimerOptions> = {
  name: 'remove-disclaimer',
  input: 'text',
  checkOptions: (options) => [
    ...checkKnownKeys(options, ['patterns', 'replaceDefaults', 'withinLinesFromEnd']),
    ...checkPatternList(options, 'patterns'),
    ...checkBoolean(options, 'replaceDefaults'),
    ...(options['withinLinesFromEnd'] === undefined || (Number.isInteger(options['withinLinesFromEnd']) && (options['withinLinesFromEnd'] as number) > 0)
      ? []
      : [{ pointer: '/withinLinesFromEnd', message: '"withinLinesFromEnd" must be a positive whole number' }]),
  ],
  parseOptions: (options) => ({
    patterns: [
      ...(options['replaceDefaults'] === true ? [] : defaultDisclaimerPatterns.map((source, index) => ({ regex: new RegExp(source, 'iu'), language: defaultLanguages[index] ?? null }))),
      ...((options['patterns'] as string[] | undefined) ?? []).map((source) => ({ regex: new RegExp(source, 'iu'), language: null })),
    ],
    withinLinesFromEnd: typeof options['withinLinesFromEnd'] === 'number' ? options['withinLinesFromEnd'] : 40,
  }),
  run(state, options) {
    state.text = removeMatchingParagraphs(state.text, enabledPatterns(options.patterns, state.packs), { fromEnd: options.withinLinesFromEnd });
  },
};
