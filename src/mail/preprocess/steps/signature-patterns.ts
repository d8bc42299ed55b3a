import { allPacks, forEnabledPacks, type EnabledPacks } from '../packs/enabled-packs.ts';
import type { ClientPack, LanguagePack } from '../packs/pack-catalog.ts';

/** Lines mail apps append under what the sender typed ("Sent from my iPhone" and its cousins), several languages. */
const deviceWords =
  /iphone|ipad|ipod|android|mobile|phone|cell|samsung|galaxy|htc|blackberry|windows|huawei|pixel|nokia|xperia|motorola|oneplus|xiaomi|smartphone|tablet|device|mobilger[äa]t|handy|portable|m[óo]vil|cellulare|telefoon|celular|telem[óo]vel/i;

type Tagged = { pattern: RegExp; language: LanguagePack; client?: ClientPack };

/** App footers by the language they are written in (and the client pack, for Outlook's own). */
const footerStarts: readonly Tagged[] = [
  { language: 'en', pattern: /^\(?\s*sent (?:from|via|with|by|using) /i },
  { language: 'en', pattern: /^<<\s*sent by /i },
  { language: 'en', client: 'outlook-mobile', pattern: /^get (?:\[)?outlook for /i },
  { language: 'de', client: 'outlook-mobile', pattern: /^(?:outlook|outlook-app) f[üu]r (?:ios|android) (?:herunterladen|beziehen)/i },
  { language: 'fr', client: 'outlook-mobile', pattern: /^t[ée]l[ée]charger outlook pour /i },
  { language: 'es', client: 'outlook-mobile', pattern: /^(?:obtener|descargar) outlook para /i },
  { language: 'it', client: 'outlook-mobile', pattern: /^scarica outlook per /i },
  { language: 'nl', client: 'outlook-mobile', pattern: /^outlook voor (?:ios|android) downloaden/i },
  { language: 'pt', client: 'outlook-mobile', pattern: /^obter o outlook para /i },
  { language: 'de', pattern: /^von meine[mr] .{1,40} gesendet/i },
  { language: 'de', pattern: /^gesendet (?:von|mit|vom) (?:meinem |mein )?/i },
  { language: 'de', pattern: /^diese nachricht wurde von meinem /i },
  { language: 'fr', pattern: /^envoy[ée] (?:de|depuis) (?:mon|ma) /i },
  { language: 'fr', pattern: /^envoy[ée] à partir de /i },
  { language: 'fr', pattern: /^envoy[ée] (?:de|depuis|avec) /i },
  { language: 'es', pattern: /^enviado (?:desde|do|de|com|con) (?:mi|meu|o meu|o|a|my)? ?/i },
  { language: 'pt', pattern: /^enviado (?:desde|do|de|com|con) (?:mi|meu|o meu|o|a|my)? ?/i },
  { language: 'it', pattern: /^inviato da(?:l mio| mio| iphone| ipad| android| outlook)/i },
  { language: 'nl', pattern: /^verzonden (?:vanaf|met|van) /i },
  { language: 'nl', pattern: /^verstuurd (?:vanaf|met|van) /i },
  { language: 'more-languages', pattern: /^sendt fra /i },
  { language: 'more-languages', pattern: /^skickat fr[åa]n /i },
  { language: 'more-languages', pattern: /^wys[łl]ane z /i },
  { language: 'more-languages', pattern: /^отправлено (?:с|из) /i },
  { language: 'more-languages', pattern: /^l[äa]hetetty /i },
  { language: 'more-languages', pattern: /^從我的 .{1,20} 傳送/ },
  { language: 'more-languages', pattern: /^从我的.{1,20}发送/ },
  { language: 'en', pattern: /^from my (?:iphone|ipad|android|mobile)/i },
  { language: 'en', pattern: /^(?:\()?sent from (?:a|my) (?:phone|mobile)/i },
];

/**
 * A line an app wrote, not the sender: short, or naming a device; "Sent from my desk, which…" is prose.
 * Only the footers of the enabled packs count (every pack by default).
 */
export function isMobileFooter(line: string, packs: EnabledPacks = allPacks): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > 120) return false;
  if (!forEnabledPacks(footerStarts, packs).some(({ pattern }) => pattern.test(text))) return false;
  if (/^(?:\(?\s*)?sent from my /i.test(text) || /^enviado desde mi /i.test(text)) {
    const afterMy = text.replace(/^\(?\s*sent from my |^enviado desde mi /i, '');
    return deviceWords.test(afterMy.split(/\s+/).slice(0, 4).join(' ')) || (text.length <= 32 && !text.includes(','));
  }
  return true;
}

/** Closing formulas per language, each alternative written for a whole line. */
const closings: Record<Exclude<LanguagePack, 'more-languages'>, string> = {
  en: String.raw`(?:best|kind|warm|warmest|many|with)?\s*(?:regards|wishes)|br|thanks(?: again| a lot| in advance)?|many thanks|thank you(?: very much)?|cheers|sincerely(?: yours)?|yours(?: truly| sincerely)?`,
  de: String.raw`(?:mit )?(?:freundlichen|besten|herzlichen|lieben|viele) gr[üu](?:ß|ss)en?|viele gr[üu](?:ß|ss)e|lg|mfg|gr[üu](?:ß|ss)e`,
  fr: String.raw`cordialement|bien (?:cordialement|à vous)|salutations|merci(?: beaucoup)?`,
  es: String.raw`(?:un )?saludos?(?: cordiales)?|atentamente`,
  it: String.raw`un saluto|cordiali saluti|distinti saluti|saluti|grazie`,
  nl: String.raw`met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groet(?:en|jes)?`,
  pt: String.raw`atenciosamente|cumprimentos|obrigad[oa]`,
};

const closingCache = new Map<string, RegExp>();

/** Closing formulas ("Best regards,", "Mit freundlichen Grüßen", "Cordialement") on a line of their own, in the enabled languages. */
export function closingLineFor(packs: EnabledPacks = allPacks): RegExp {
  const languages = (Object.keys(closings) as (keyof typeof closings)[]).filter((language) => packs.languages.has(language));
  const key = languages.join(',');
  let pattern = closingCache.get(key);
  if (pattern === undefined) {
    // With no language on, a pattern that matches nothing.
    pattern = languages.length === 0 ? /(?!)/ : new RegExp(`^(?:${languages.map((language) => closings[language]).join('|')})\\s*[,.!]?$`, 'iu');
    closingCache.set(key, pattern);
  }
  return pattern;
}

/** Every language's closings. */
export const closingLine = closingLineFor(allPacks);
