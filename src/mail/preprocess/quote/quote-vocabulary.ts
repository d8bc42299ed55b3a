/**
 * Words mail clients write above a quoted or forwarded message, per language. Data only: the patterns that use
 * it live in find-quote-boundary.ts. Collected from what Outlook (desktop, web, mobile), Gmail, Apple Mail,
 * Thunderbird, Yahoo and others write in en, de, fr, es, it, nl, pt and the other languages we see.
 */

/** Header-block labels, lower-cased, by the field they stand for. */
export const headerLabels = {
  from: [
    'from', 'von', 'de', 'de la', 'da', 'van', 'fra', 'från', 'frá', 'od', 'lähettäjä', 'от', 'від', 'від кого', 'отправитель',
    'kimden', 'gönderen', 'feladó', 'šalje', 'saatja', 'expeditorul', 'mittente', 'remitente', 'nadawca', 'afzender', 'remetente',
    'expéditeur', 'absender', '送信元', '差出人', '发件人', '寄件者', '보낸 사람', 'odesílatel',
  ],
  date: [
    'date', 'sent', 'datum', 'data', 'dato', 'dátum', 'дата', 'tarih', 'päivämäärä', 'päiväys', 'fecha', 'dată', 'gesendet',
    'envoyé', 'envoyé le', 'enviado', 'enviada', 'enviado el', 'inviato', 'verzonden', 'verstuurd', 'sendt', 'skickat', 'wysłano',
    'wysłane', 'отправлено', 'надіслано', 'odesláno', 'elküldve', 'gönderildi', 'trimis', 'poslano', 'lähetetty', 'gesendet am',
    '日付', '送信日時', '发送时间', '日期', '보낸 날짜',
  ],
  to: [
    'to', 'an', 'à', 'a', 'para', 'aan', 'til', 'till', 'do', 'vastaanottaja', 'кому', 'komu', 'címzett', 'kime', 'prima', 'pre',
    'pour', 'destinatarul', 'către', 'adresat', 'saaja', 'alıcı', 'destinatario', 'destinataire', '送信先', '宛先', '收件人', '받는 사람',
  ],
  cc: [
    'cc', 'kopie', 'kopie (cc)', 'kopia', 'kopi', 'kopio', 'копия', 'копія', 'kópia', 'másolat', 'másolatot kap', 'bilgi', 'dw',
    'copie à', 'copia', 'cco', 'bcc', 'ccn', 'koopia', 'kopie an', '抄送', '副本',
  ],
  subject: [
    'subject', 'betreff', 'objet', 'sujet', 'asunto', 'oggetto', 'onderwerp', 'assunto', 'emne', 'ämne', 'temat', 'aihe', 'тема',
    'předmět', 'predmet', 'tárgy', 'konu', 'subiect', 'subiectul', 'naslov', 'teema', 'efni', '件名', '主题', '主旨', '제목',
  ],
  replyTo: ['reply-to', 'antwort an', 'répondre à', 'responder a', 'rispondi a', 'antwoord aan'],
} as const;

export type HeaderField = keyof typeof headerLabels;

/** Words of a dash-framed separator ("---------- Forwarded message ---------") that mean a forward. */
export const forwardWords =
  /forward|weitergeleitet|transf[ée]r[ée]|reenviado|inoltrat|doorgestuurd|encaminhad|reencaminhad|vidarebefordra|videresend|edelleenl[äa]hetetty|przesłan|przekazan|przekazywan|transmis|перенаправлен|переслан|пересыла|[iİ]letil|p[řr]eposlan|p[řr]epos[íi]lan|пересланн|переадресован|пересила|転送|iletilmi|ileti başlangıcı|továbbított|redirec[țt]ionat|proslije[đd]en|preposlan|välitetty|réexpédié/i;

/** Words of a dash-framed separator that mean a quoted original (Outlook's "-----Original Message-----"). */
export const originalMessageWords =
  /original message|originalnachricht|urspr[üu]ngliche nachricht|message d'origine|message original|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht|mensagem original|oprindelig (?:besked|meddelelse)|opprinnelig melding|ursprungligt meddelande|alkuper[äa]inen viesti|wiadomo[śs][ćc] oryginalna|oryginalna wiadomo|исходное сообщение|исходное письмо|původní zpráva|eredeti üzenet|orijinal mesaj|mesaj original|izvorna poruka|pôvodná správa/i;

/** Verbs of an attribution line ("On …, Ann wrote:", "Am … schrieb Ann:", "Le … a écrit :"). */
export const wroteWords = new RegExp(
  '(?<!\\p{L})(?:wrote|writes|schrieb|schreibt|a [ée]crit|escribi[óo]|ha scritto|scrisse|schreef|geschreven|escreveu|skrev|skriver|' +
    'napisa[łl]a?|napisa[łl]\\(a\\)|nap[íi]sal|napsal|kirjoitti|ezt [íi]rta|[íi]rta|yazd[ıi]|a scris|je napisao|napisao|kirjutas|' +
    'skrifa[ðd]i|citando|quoting|zitat von|ha escrit|escrit|pisze|napsal\\(a\\)|написал(?:а|\\(а\\))?|пишет|написав|написала)(?!\\p{L})|写道|書きました|のメッセージ|작성',
  'iu',
);

/** Words an attribution line starts with, before the date. */
export const attributionStarts =
  /^(?:on|am|le|el|il|op|em|den|d\.|p[åa]|dne|dnia|w dniu|il giorno|quoting|citando|zitat von|в|у|la|în|the|at|日|在)(?!\p{L})/iu;

/** Apple Mail's and others' forward intros ("Begin forwarded message:") that carry no forward word. */
export const forwardIntros = /^(?:begin forwarded message|forwarded message|[iİ]leti başlangıcı|anfang der weitergeleiteten nachricht)\s*:?$/iu;
