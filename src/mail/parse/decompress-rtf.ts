/**
 * Compressed RTF ("LZFu", [MS-OXRTFCP] https://learn.microsoft.com/openspecs/exchange_server_protocols/ms-oxrtfcp ):
 * a 16-byte header, then LZ77 runs against a 4096-byte dictionary that starts with a fixed RTF prefix.
 */
const PREFIX =
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx';
const COMPRESSED = 0x75465a4c; // "LZFu"
const UNCOMPRESSED = 0x414c454d; // "MELA"

export function decompressRtf(input: Uint8Array): Uint8Array {
  if (input.byteLength < 16) throw new Error('compressed RTF shorter than its header');
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const rawSize = view.getUint32(4, true);
  const magic = view.getUint32(8, true);
  if (magic === UNCOMPRESSED) return input.subarray(16, 16 + rawSize);
  if (magic !== COMPRESSED) throw new Error(`unknown compressed RTF type 0x${magic.toString(16)}`);
  const dictionary = new Uint8Array(4096);
  for (let i = 0; i < PREFIX.length; i++) dictionary[i] = PREFIX.charCodeAt(i);
  let write = PREFIX.length;
  // The header's raw size bounds the output: a crafted stream cannot make it grow further.
  const output = new Uint8Array(rawSize);
  let produced = 0;
  let at = 16;
  while (at < input.byteLength && produced < rawSize) {
    const control = input[at++] as number;
    for (let bit = 0; bit < 8 && at < input.byteLength && produced < rawSize; bit++) {
      if ((control & (1 << bit)) === 0) {
        const byte = input[at++] as number;
        output[produced++] = byte;
        dictionary[write] = byte;
        write = (write + 1) % 4096;
        continue;
      }
      if (at + 1 >= input.byteLength) return output.subarray(0, produced);
      const reference = ((input[at] as number) << 8) | (input[at + 1] as number);
      at += 2;
      const offset = reference >> 4;
      const length = (reference & 0x0f) + 2;
      if (offset === write) return output.subarray(0, produced);
      for (let k = 0; k < length && produced < rawSize; k++) {
        const byte = dictionary[(offset + k) % 4096] as number;
        output[produced++] = byte;
        dictionary[write] = byte;
        write = (write + 1) % 4096;
      }
    }
  }
  return output.subarray(0, produced);
}
