import { escapeHtml, threadMessage, type HtmlBody, type ThreadMessage } from './thread-message.ts';
import type { SeededRandom } from './seeded-random.ts';

// The shape classic Outlook for Windows writes: a Word style sheet in the head, MsoNormal paragraphs, and each
// earlier message flat below a top-bordered "From: / Sent: / To: / Subject:" block (no nested blockquotes).
const wordStyles = `<style><!--
/* Font Definitions */
@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}
@font-face {font-family:Aptos; panose-1:2 11 0 4 2 2 2 2 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Aptos",sans-serif; mso-ligatures:standardcontextual; mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; text-decoration:underline;}
a:visited, span.MsoHyperlinkFollowed {mso-style-priority:99; color:#954F72; text-decoration:underline;}
span.EmailStyle17 {mso-style-type:personal-compose; font-family:"Aptos",sans-serif; color:windowtext;}
span.EmailStyle20 {mso-style-type:personal-reply; font-family:"Aptos",sans-serif; color:windowtext;}
.MsoChpDefault {mso-style-type:export-only; font-size:10.0pt; mso-ligatures:none;}
@page WordSection1 {size:612.0pt 792.0pt; margin:72.0pt 72.0pt 72.0pt 72.0pt;}
div.WordSection1 {page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->`;

const para = (text: string): string => `<p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt">${escapeHtml(text)}<o:p></o:p></span></p>\n<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>\n`;

function signature(name: string, cid: string | null): string {
  const image = cid ? `<p class="MsoNormal"><span lang="EN-US"><img width="180" height="48" style="width:1.875in;height:.5in" id="Picture_x0020_1" src="cid:${cid}" alt="Company logo"></span><o:p></o:p></p>\n` : '';
  return `<p class="MsoNormal"><span lang="EN-US">Kind regards<o:p></o:p></span></p>\n<p class="MsoNormal"><b><span lang="EN-US" style="color:#1F3864">${escapeHtml(name)}</span></b><span lang="EN-US"><br>IT Operations | Phone +44 20 7946 0000<o:p></o:p></span></p>\n${image}`;
}

function quotedHeader(m: ThreadMessage, to: string, subject: string): string {
  return `<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b><span lang="EN-US">From:</span></b><span lang="EN-US"> ${escapeHtml(m.name)} &lt;${m.address}&gt; <br><b>Sent:</b> ${m.date.toUTCString()}<br><b>To:</b> ${escapeHtml(to)}<br><b>Subject:</b> ${escapeHtml(subject)}<o:p></o:p></span></p></div>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n`;
}

/** An Outlook reply of about targetBytes of HTML: the new text on top, then earlier messages until the size is reached. */
export function outlookHtml(r: SeededRandom, opts: { author: string; body: string[]; subject: string; date: Date; signatureCid: string | null; targetBytes: number }): HtmlBody {
  let html = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)">${wordStyles}</head><body lang="EN-GB" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1">\n`;
  let text = '';
  for (const p of opts.body) {
    html += para(p);
    text += `${p}\n\n`;
  }
  html += signature(opts.author, opts.signatureCid);
  text += `Kind regards\n${opts.author}\nIT Operations | Phone +44 20 7946 0000\n`;
  let when = opts.date.getTime();
  while (html.length < opts.targetBytes) {
    when -= r.int(20, 2000) * 60_000;
    const m = threadMessage(r, new Date(when));
    html += quotedHeader(m, 'Support <support@contoso.example>', opts.subject) + m.paragraphs.map(para).join('') + signature(m.name, r.chance(0.5) ? `image00${r.int(1, 9)}.png@01DB${r.int(1000, 9999)}.${r.int(1000, 9999)}` : null);
    text += `\nFrom: ${m.name} <${m.address}>\nSent: ${m.date.toUTCString()}\nSubject: ${opts.subject}\n\n${m.paragraphs.join('\n\n')}\n`;
  }
  html += '</div>\n</body>\n</html>\n';
  return { html, text };
}
