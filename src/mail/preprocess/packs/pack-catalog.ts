/**
 * The built-in cleaning, shipped as packs a rule file enables and orders ("pre-configured rules for the popular
 * email clients … initially disabled … you can view the rules and change their order"). A client pack lets the
 * steps trust that client's markup and footers; a language pack lets them read that language's words (header
 * labels, "wrote", "Original Message", closings, banners, disclaimers). A rule file without a `packs` list has
 * every pack off: only language-free markers work then ('>' quotes, "-- " signatures).
 */
export const clientPackNames = ['outlook-desktop', 'outlook-web', 'outlook-mobile', 'gmail', 'apple-mail', 'thunderbird', 'yahoo-mail'] as const;
export const languagePackNames = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'more-languages'] as const;

export type ClientPack = (typeof clientPackNames)[number];
export type LanguagePack = (typeof languagePackNames)[number];
export type PackName = ClientPack | LanguagePack;

export interface PackDescription {
  name: PackName;
  kind: 'client' | 'language';
  title: string;
  /** What the pack makes the built-in steps recognise. */
  recognises: string[];
}

const clients: Record<ClientPack, Omit<PackDescription, 'name' | 'kind'>> = {
  'outlook-desktop': { title: 'Outlook for Windows and Mac', recognises: ['the header divider <div style="border-top:solid #E1E1E1 1.0pt"> (#B5C4DF in 2007/2010)', 'OLK_SRC_BODY_SECTION (Outlook for Mac)'] },
  'outlook-web': { title: 'Outlook on the web and new Outlook', recognises: ['<div id="divRplyFwdMsg"> and the <hr> above it', '<div id="appendonsend">'] },
  'outlook-mobile': { title: 'Outlook for iOS and Android', recognises: ['<div id="divRplyFwdMsg">', '"Get Outlook for iOS/Android" footers in the enabled languages'] },
  gmail: { title: 'Gmail (web and apps)', recognises: ['<div class="gmail_quote"> holding the attribution and the quote'] },
  'apple-mail': { title: 'Apple Mail and iOS Mail', recognises: ['<blockquote type="cite"> with the attribution above it'] },
  thunderbird: { title: 'Thunderbird', recognises: ['<div class="moz-cite-prefix">', '<blockquote type="cite">'] },
  'yahoo-mail': { title: 'Yahoo Mail', recognises: ['<div class="yahoo_quoted">'] },
};

const languages: Record<LanguagePack, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  'more-languages': 'Other languages (Nordic, Slavic, Baltic, Hungarian, Romanian, Turkish, Japanese, Chinese, Korean)',
};

const languageRecognises = ['reply and forward header labels (From/Sent/To/Subject)', '"… wrote:" attributions', '"Original Message" and forward separators', 'mobile-app footers', 'closing formulas', 'external-sender banners', 'legal disclaimers'];

export const packCatalog: readonly PackDescription[] = Object.freeze([
  ...clientPackNames.map((name) => ({ name, kind: 'client' as const, ...clients[name] })),
  ...languagePackNames.map((name) => ({ name, kind: 'language' as const, title: languages[name], recognises: languageRecognises })),
]);

export const packNames: readonly PackName[] = packCatalog.map((pack) => pack.name);

export function isPackName(value: unknown): value is PackName {
  return typeof value === 'string' && (packNames as readonly string[]).includes(value);
}
