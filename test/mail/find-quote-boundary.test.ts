import test from 'ava';
import { findQuoteBoundary } from '../../src/mail/preprocess/quote/find-quote-boundary.ts';

/** Header blocks and attributions as clients write them in plain text, one table row per client and language. */
const boundaries: { name: string; text: string; start: number; kind: 'reply' | 'forward'; subject?: string }[] = [
  { name: 'Outlook en', text: 'Answer\n\nFrom: A <a@x.example>\nSent: Monday, October 13, 2025 4:02 PM\nTo: B\nSubject: Hi\n\nOld', start: 2, kind: 'reply' },
  { name: 'Outlook de', text: 'Antwort\n\nVon: A <a@x.example>\nGesendet: Montag, 13. Oktober 2025 16:02\nAn: B\nBetreff: Hallo\n\nAlt', start: 2, kind: 'reply' },
  { name: 'Outlook fr', text: 'Réponse\n\nDe : A <a@x.example>\nEnvoyé : lundi 13 octobre 2025 16:02\nÀ : B\nObjet : Salut\n\nVieux', start: 2, kind: 'reply' },
  { name: 'Outlook es', text: 'Respuesta\n\nDe: A <a@x.example>\nEnviado el: lunes, 13 de octubre de 2025 16:02\nPara: B\nAsunto: Hola\n\nViejo', start: 2, kind: 'reply' },
  { name: 'Outlook it', text: 'Risposta\n\nDa: A <a@x.example>\nInviato: lunedì 13 ottobre 2025 16:02\nA: B\nOggetto: Ciao\n\nVecchio', start: 2, kind: 'reply' },
  { name: 'Outlook nl', text: 'Antwoord\n\nVan: A <a@x.example>\nVerzonden: maandag 13 oktober 2025 16:02\nAan: B\nOnderwerp: Hoi\n\nOud', start: 2, kind: 'reply' },
  { name: 'Outlook pt', text: 'Resposta\n\nDe: A <a@x.example>\nEnviado: segunda-feira, 13 de outubro de 2025 16:02\nPara: B\nAssunto: Olá\n\nVelho', start: 2, kind: 'reply' },
  { name: 'Outlook web rule line', text: 'Answer\n________________________________\nFrom: A <a@x.example>\nSent: Monday\nTo: B\nSubject: Hi\n\nOld', start: 1, kind: 'reply' },
  { name: 'Outlook forward by subject', text: 'FYI\n\nFrom: A <a@x.example>\nSent: Monday\nTo: B\nSubject: Hi\n\nOld', start: 2, kind: 'forward', subject: 'FW: Hi' },
  { name: 'Outlook German forward by subject', text: 'Zur Info\n\nVon: A <a@x.example>\nGesendet: Montag\nAn: B\nBetreff: Hallo\n\nAlt', start: 2, kind: 'forward', subject: 'WG: Hallo' },
  { name: '-----Original Message-----', text: 'Answer\n\n-----Original Message-----\nFrom: A\nSent: Monday\nTo: B\nSubject: Hi\n\nOld', start: 2, kind: 'reply' },
  { name: '-----Message d\'origine-----', text: 'Réponse\n\n-----Message d\'origine-----\nDe : A\nEnvoyé : lundi\nÀ : B\nObjet : Salut', start: 2, kind: 'reply' },
  { name: 'Gmail en wrapped', text: 'Answer\n\nOn Mon, Oct 13, 2025 at 4:02 PM Ann Example <\nann@x.example> wrote:\n\n> Old', start: 2, kind: 'reply' },
  { name: 'Gmail de', text: 'Antwort\n\nAm Mo., 13. Okt. 2025 um 16:02 Uhr schrieb Ann <ann@x.example>:\n\n> Alt', start: 2, kind: 'reply' },
  { name: 'Gmail fr', text: 'Réponse\n\nLe lun. 13 oct. 2025 à 16:02, Ann <ann@x.example> a écrit :\n\n> Vieux', start: 2, kind: 'reply' },
  { name: 'Gmail es', text: 'Respuesta\n\nEl lun, 13 oct 2025 a las 16:02, Ann (<ann@x.example>) escribió:\n\n> Viejo', start: 2, kind: 'reply' },
  { name: 'Gmail it', text: 'Risposta\n\nIl giorno lun 13 ott 2025 alle ore 16:02 Ann <ann@x.example> ha scritto:\n\n> Vecchio', start: 2, kind: 'reply' },
  { name: 'Gmail nl', text: 'Antwoord\n\nOp ma 13 okt 2025 om 16:02 schreef Ann <ann@x.example>:\n\n> Oud', start: 2, kind: 'reply' },
  { name: 'Gmail pt', text: 'Resposta\n\nEm seg., 13 de out. de 2025 às 16:02, Ann <ann@x.example> escreveu:\n\n> Velho', start: 2, kind: 'reply' },
  { name: 'Gmail forward', text: 'FYI\n\n---------- Forwarded message ---------\nFrom: Ann <ann@x.example>\nDate: Mon\nSubject: Hi\nTo: <b@x.example>\n\nOld', start: 2, kind: 'forward' },
  { name: 'Gmail forward de', text: 'Info\n\n---------- Weitergeleitete Nachricht ---------\nVon: Ann <ann@x.example>\nDate: Mo.\nSubject: Hallo\nTo: <b@x.example>\n\nAlt', start: 2, kind: 'forward' },
  { name: 'Apple Mail', text: 'Answer\n\n> On 13. Oct 2025, at 16:02, Ann <ann@x.example> wrote:\n>\n> Old', start: 2, kind: 'reply' },
  { name: 'Apple Mail forward', text: 'FYI\n\nBegin forwarded message:\n\nFrom: Ann <ann@x.example>\nSubject: Hi\nDate: 13 October 2025\nTo: b@x.example\n\nOld', start: 2, kind: 'forward' },
  { name: 'Apple Mail forward fr', text: 'Info\n\nDébut du message réexpédié :\n\nDe: Ann <ann@x.example>\nObjet: Salut\nDate: 13 octobre 2025\nÀ: b@x.example\n\nVieux', start: 2, kind: 'forward' },
  { name: 'Thunderbird', text: 'Answer\n\nOn 13.10.25 16:02, Ann wrote:\n> Old', start: 2, kind: 'reply' },
  { name: 'Thunderbird forward', text: 'FYI\n\n-------- Forwarded Message --------\nSubject: \tHi\nDate: \tMon, 13 Oct 2025 16:02:00 +0200\nFrom: \tAnn <ann@x.example>\nTo: \tb@x.example\n\nOld', start: 2, kind: 'forward' },
  { name: 'trailing quote without header', text: 'Answer\n\n> Old\n> Older', start: 2, kind: 'reply' },
];

for (const { name, text, start, kind, subject } of boundaries) {
  test(`boundary: ${name}`, (t) => {
    const found = findQuoteBoundary(text.split('\n'), subject === undefined ? {} : { subject });
    t.is(found?.start, start);
    t.is(found?.kind, kind);
  });
}

const noBoundary: [string, string][] = [
  ['prose starting with On', 'On Monday we restarted the server.\nIt works now.'],
  ['a line that ends with wrote:', 'Here is what my colleague wrote:\nthe printer is broken.'],
  ['Q and A labels', 'Question: why?\nAnswer: because.\nOne: yes\nTwo: no'],
  ['one From: line in prose', 'From: the start of the week the VPN fails.\nPlease check.'],
  ['timestamps in prose', 'At 2024-03-01 10:00 the backup ran.\nAt 2024-03-02 10:00 it failed.'],
  ['markdown rule', 'Notes\n---\nKey points below'],
  ['interleaved quotes in the middle', '> Which room?\nRoom 3.\n> Since when?\nSince Monday.'],
];
for (const [name, text] of noBoundary) {
  test(`no boundary: ${name}`, (t) => {
    t.is(findQuoteBoundary(text.split('\n')), null);
  });
}
