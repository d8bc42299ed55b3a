/** Deterministic bytes that differ by seed and position, so a test can stream a large file and compare it later. */
export function patternedBytes(seed: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) {
    const at = offset + i;
    out[i] = (at * 31 + seed * 17 + (at >>> 11) * 7) & 0xff;
  }
  return out;
}
