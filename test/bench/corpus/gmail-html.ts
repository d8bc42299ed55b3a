import { escapeHtml, threadMessage, type HtmlBody, type ThreadMessage } from './thread-message.ts';
import type { SeededRandom } from './seeded-random.ts';

// The shape Gmail writes: a dir="ltr" div, a gmail_signature block, and the earlier message in a gmail_quote
// blockquote with its own "On …, X wrote:" line, nested once per message.
const quoteStyle = 'margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex';

function signature(name: string, cid: string | null): string {
  const image = cid ? `<div><img src="cid:${cid}" alt="logo" width="160" height="40"><br></div>` : '';
  return `<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr"><div><b>${escapeHtml(name)}</b></div><div>Service Desk Coordinator</div>${image}</div></div>`;
}

function messageHtml(paragraphs: string[]): string {
  return paragraphs.map((p) => `<div>${escapeHtml(p)}</div><div><br></div>`).join('');
}

function quoted(m: ThreadMessage, inner: string): string {
  return `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On ${m.date.toUTCString()}, ${escapeHtml(m.name)} &lt;<a href="mailto:${m.address}">${m.address}</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="${quoteStyle}"><div dir="ltr">${messageHtml(m.paragraphs)}${inner}</div></blockquote></div>`;
}

/** A Gmail reply of about targetBytes of HTML, with the thread nested below it. */
export function gmailHtml(r: SeededRandom, opts: { author: string; body: string[]; date: Date; signatureCid: string | null; targetBytes: number }): HtmlBody {
  const top = `<div dir="ltr">${messageHtml(opts.body)}${signature(opts.author, opts.signatureCid)}</div>`;
  const thread: ThreadMessage[] = [];
  let when = opts.date.getTime();
  let size = top.length;
  while (size < opts.targetBytes) {
    when -= r.int(20, 2000) * 60_000;
    const m = threadMessage(r, new Date(when));
    thread.push(m);
    size += m.paragraphs.join('').length + 560;
  }
  // Innermost (oldest) first, so each message quotes the whole thread before it.
  let inner = '';
  for (const m of [...thread].reverse()) inner = quoted(m, inner);
  const text = [...opts.body, '', '-- ', opts.author, 'Service Desk Coordinator', ...thread.flatMap((m, depth) => ['', `On ${m.date.toUTCString()}, ${m.name} <${m.address}> wrote:`, ...m.paragraphs.map((p) => `${'>'.repeat(depth + 1)} ${p}`)])].join('\n');
  return { html: `${top}${inner}\n`, text: `${text}\n` };
}
