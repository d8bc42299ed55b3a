/**
 * The words of an RTF body (the decompressed PR_RTF_COMPRESSED of a TNEF message), as plain text; or the HTML it
 * encapsulates when Outlook wrapped an HTML mail in RTF (\fromhtml1, [MS-OXRTFEX]
 * https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxrtfex ). Formatting is dropped: a ticket
 * needs the text. Linear in the input; unknown control words are skipped.
 */
const skippedDestinations = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'themedata', 'colorschememapping', 'latentstyles', 'datastore',
  'xmlnstbl', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'filetbl', 'revtbl', 'pgdsctbl', 'fldinst', 'xe', 'tc', 'bkmkstart', 'bkmkend',
]);
const symbols: Record<string, string> = { par: '\n', line: '\n', tab: '\t', emdash: '—', endash: '–', bullet: '•', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', emspace: ' ', enspace: ' ', qmspace: ' ', '~': ' ', '_': '-' };

interface GroupState {
  skip: boolean;
  uc: number;
  htmlTag: boolean;
}

export function rtfToText(rtf: string, decodeByte: (bytes: Uint8Array) => string): { text: string; html: string | null } {
  const fromHtml = /\\fromhtml1/.test(rtf.slice(0, 2000));
  const stack: GroupState[] = [];
  let state: GroupState = { skip: false, uc: 1, htmlTag: false };
  let htmlRtf = false;
  let out = '';
  let pendingBytes: number[] = [];
  let skipChars = 0;
  const flush = (): void => {
    if (pendingBytes.length > 0) out += decodeByte(Uint8Array.from(pendingBytes));
    pendingBytes = [];
  };
  const emit = (text: string): void => {
    flush();
    if (skipChars > 0) {
      const dropped = Math.min(skipChars, text.length);
      skipChars -= dropped;
      text = text.slice(dropped);
    }
    if (!state.skip && (!htmlRtf || state.htmlTag)) out += text;
  };
  let i = 0;
  while (i < rtf.length) {
    const c = rtf[i] as string;
    if (c === '{') {
      stack.push(state);
      state = { ...state };
      i++;
      // {\* … } is an ignorable destination unless it is the HTML the RTF carries.
      if (rtf.startsWith('\\*', i)) {
        const word = /^\\\*\\([a-z]+)/.exec(rtf.slice(i, i + 40))?.[1] ?? '';
        if (fromHtml && word.startsWith('htmltag')) state.htmlTag = true;
        else state.skip = true;
      }
      continue;
    }
    if (c === '}') {
      flush();
      state = stack.pop() ?? state;
      i++;
      continue;
    }
    if (c === '\\') {
      const next = rtf[i + 1] ?? '';
      if (next === "'") {
        const byte = Number.parseInt(rtf.slice(i + 2, i + 4), 16);
        i += 4;
        if (skipChars > 0) skipChars--;
        else if (!Number.isNaN(byte) && !state.skip && (!htmlRtf || state.htmlTag)) pendingBytes.push(byte);
        continue;
      }
      if (next === '\\' || next === '{' || next === '}') {
        emit(next);
        i += 2;
        continue;
      }
      const match = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(rtf.slice(i + 1, i + 48));
      if (match === null) {
        if (symbols[next] !== undefined) emit(symbols[next] as string);
        i += 2;
        continue;
      }
      i += 1 + match[0].length;
      const word = match[1] as string;
      const arg = match[2] === undefined ? null : Number(match[2]);
      if (skippedDestinations.has(word)) state.skip = true;
      else if (word === 'htmlrtf') {
        flush();
        htmlRtf = arg !== 0;
      } else if (word === 'uc' && arg !== null) state.uc = arg;
      else if (word === 'u' && arg !== null) {
        emit(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
        skipChars = state.uc;
      } else if (symbols[word] !== undefined) {
        // In encapsulated HTML the line breaks of the HTML source are \par too.
        emit(fromHtml && word === 'par' ? '\r\n' : (symbols[word] as string));
      }
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const run = /^[^\\{}\r\n]+/.exec(rtf.slice(i, i + 4096))?.[0] ?? c;
    emit(run);
    i += run.length;
  }
  flush();
  out = out.replace(/\0/g, '');
  if (fromHtml) return { text: '', html: out };
  return { text: out.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), html: null };
}
