/** Lines mail apps append under what the sender typed ("Sent from my iPhone" and its cousins), several languages. */
const deviceWords =
  /iphone|ipad|ipod|android|mobile|phone|cell|samsung|galaxy|htc|blackberry|windows|huawei|pixel|nokia|xperia|motorola|oneplus|xiaomi|smartphone|tablet|device|mobilger[äa]t|handy|portable|m[óo]vil|cellulare|telefoon|celular|telem[óo]vel/i;

const footerStarts = [
  /^\(?\s*sent (?:from|via|with|by|using) /i,
  /^<<\s*sent by /i,
  /^get (?:\[)?outlook for /i,
  /^(?:outlook|outlook-app) f[üu]r (?:ios|android) (?:herunterladen|beziehen)/i,
  /^t[ée]l[ée]charger outlook pour /i,
  /^(?:obtener|descargar) outlook para /i,
  /^scarica outlook per /i,
  /^outlook voor (?:ios|android) downloaden/i,
  /^obter o outlook para /i,
  /^von meine[mr] .{1,40} gesendet/i,
  /^gesendet (?:von|mit|vom) (?:meinem |mein )?/i,
  /^diese nachricht wurde von meinem /i,
  /^envoy[ée] (?:de|depuis) (?:mon|ma) /i,
  /^envoy[ée] à partir de /i,
  /^envoy[ée] (?:de|depuis|avec) /i,
  /^enviado (?:desde|do|de|com|con) (?:mi|meu|o meu|o|a|my)? ?/i,
  /^inviato da(?:l mio| mio| iphone| ipad| android| outlook)/i,
  /^verzonden (?:vanaf|met|van) /i,
  /^verstuurd (?:vanaf|met|van) /i,
  /^sendt fra /i,
  /^skickat fr[åa]n /i,
  /^wys[łl]ane z /i,
  /^отправлено (?:с|из) /i,
  /^l[äa]hetetty /i,
  /^從我的 .{1,20} 傳送/,
  /^从我的.{1,20}发送/,
  /^from my (?:iphone|ipad|android|mobile)/i,
  /^(?:\()?sent from (?:a|my) (?:phone|mobile)/i,
];

/** A line an app wrote, not the sender: short, or naming a device; "Sent from my desk, which…" is prose. */
export function isMobileFooter(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > 120) return false;
  if (!footerStarts.some((pattern) => pattern.test(text))) return false;
  if (/^(?:\(?\s*)?sent from my /i.test(text) || /^enviado desde mi /i.test(text)) {
    const afterMy = text.replace(/^\(?\s*sent from my |^enviado desde mi /i, '');
    return deviceWords.test(afterMy.split(/\s+/).slice(0, 4).join(' ')) || (text.length <= 32 && !text.includes(','));
  }
  return true;
}

/** Closing formulas ("Best regards,", "Mit freundlichen Grüßen", "Cordialement") on a line of their own. */
export const closingLine =
  /^(?:(?:best|kind|warm|warmest|many|with)?\s*(?:regards|wishes)|br|thanks(?: again| a lot| in advance)?|many thanks|thank you(?: very much)?|cheers|sincerely(?: yours)?|yours(?: truly| sincerely)?|(?:mit )?(?:freundlichen|besten|herzlichen|lieben|viele) gr[üu](?:ß|ss)en?|viele gr[üu](?:ß|ss)e|lg|mfg|gr[üu](?:ß|ss)e|cordialement|bien (?:cordialement|à vous)|salutations|merci(?: beaucoup)?|(?:un )?saludos?(?: cordiales)?|atentamente|un saluto|cordiali saluti|distinti saluti|saluti|grazie|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groet(?:en|jes)?|atenciosamente|cumprimentos|obrigad[oa])\s*[,.!]?$/iu;
