import { forwardIntros, forwardWords, headerLabels, originalMessageWords, wroteWords } from '../quote/quote-vocabulary.ts';
import { readLine } from '../quote/read-line.ts';
import type { EnabledPacks } from './enabled-packs.ts';
import type { LanguagePack } from './pack-catalog.ts';

type NamedLanguage = Exclude<LanguagePack, 'more-languages'>;

/** Header labels per language pack; a label of headerLabels that none of these lists belongs to "more-languages". */
const labels: Record<NamedLanguage, readonly string[]> = {
  en: ['from', 'sent', 'date', 'to', 'cc', 'bcc', 'subject', 'reply-to'],
  de: ['von', 'absender', 'gesendet', 'gesendet am', 'datum', 'an', 'cc', 'kopie', 'kopie (cc)', 'kopie an', 'betreff', 'antwort an'],
  fr: ['de', 'de la', 'expéditeur', 'envoyé', 'envoyé le', 'date', 'à', 'pour', 'destinataire', 'cc', 'copie à', 'objet', 'sujet', 'répondre à'],
  es: ['de', 'remitente', 'enviado', 'enviado el', 'fecha', 'para', 'destinatario', 'cc', 'cco', 'asunto', 'responder a'],
  it: ['da', 'mittente', 'inviato', 'data', 'a', 'destinatario', 'cc', 'ccn', 'copia', 'oggetto', 'rispondi a'],
  nl: ['van', 'afzender', 'verzonden', 'verstuurd', 'datum', 'aan', 'cc', 'kopie', 'onderwerp', 'antwoord aan'],
  pt: ['de', 'remetente', 'enviado', 'enviada', 'data', 'para', 'cc', 'cco', 'assunto', 'responder a'],
};

/** Attribution verbs, separator and intro words per language pack. */
const words: Record<NamedLanguage, RegExp> = {
  en: /(?<!\p{L})(?:wrote|writes|quoting|original message|forward(?:ed)?|begin forwarded message)(?!\p{L})/iu,
  de: /schrieb|schreibt|zitat von|originalnachricht|urspr[üu]ngliche nachricht|weitergeleitet|anfang der weitergeleiteten/iu,
  fr: /a [ée]crit|message d'origine|message original|transf[ée]r[ée]|r[ée]exp[ée]di[ée]/iu,
  es: /escribi[óo]|mensaje original|reenviado|citando/iu,
  it: /ha scritto|scrisse|messaggio originale|inoltrat/iu,
  nl: /schreef|geschreven|oorspronkelijk bericht|origineel bericht|doorgestuurd/iu,
  pt: /escreveu|citando|mensagem original|encaminhad|reencaminhad/iu,
};

const named = Object.keys(labels) as NamedLanguage[];
const labelLanguages = new Map<string, Set<LanguagePack>>();
for (const language of named) for (const label of labels[language]) (labelLanguages.get(label) ?? labelLanguages.set(label, new Set()).get(label))?.add(language);
for (const label of Object.values(headerLabels).flat()) if (!labelLanguages.has(label)) labelLanguages.set(label, new Set(['more-languages']));

const headerLabel = /^\*{0,2}([^:：*<>@]{1,30}?)\s*\*{0,2}\s*[:：]/u;

/**
 * The language packs whose words make up a quote marker (lines start..end of a boundary): header labels, wrote
 * verbs, separator words. Empty when the marker has no words of any language ('>' quotes, "2013/7/20 Ann <a@b>").
 */
export function markerLanguages(lines: readonly string[]): Set<LanguagePack> {
  const found = new Set<LanguagePack>();
  for (const raw of lines.slice(0, 12)) {
    const line = readLine(raw);
    if (line.blank) continue;
    if (line.field !== null) {
      const label = headerLabel.exec(line.text)?.[1]?.trim().toLowerCase() ?? '';
      for (const language of labelLanguages.get(label) ?? []) found.add(language);
      continue;
    }
    let any = false;
    for (const language of named) {
      if (words[language].test(line.text)) {
        found.add(language);
        any = true;
      }
    }
    if (!any && (wroteWords.test(line.text) || originalMessageWords.test(line.text) || forwardWords.test(line.text) || forwardIntros.test(line.text))) found.add('more-languages');
  }
  return found;
}

/** Whether the enabled language packs read this marker: one of its languages is on, or it has no words at all. */
export function packsReadMarker(lines: readonly string[], packs: EnabledPacks): boolean {
  const languages = markerLanguages(lines);
  return languages.size === 0 || [...languages].some((language) => packs.languages.has(language));
}
