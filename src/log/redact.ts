/**
 * Removes secrets from anything about to be logged. Works on keys (a field named clientSecret is masked whatever
 * its value) and on values (a bearer token or PEM key inside a message string is masked wherever it appears),
 * because secrets reach log records both ways: as option objects and inside error messages.
 */
const secretKey = /^(client_?secret|secret|password|passwd|pwd|access_?token|refresh_?token|id_?token|token|authorization|private_?key|client_?assertion|assertion|api_?key|encryption_?key|cookie|set-cookie|code_?verifier|device_?code)$/i;

const valuePatterns: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [REDACTED]'],
  // A JWT anywhere: three base64url parts, the first starting with {" encoded.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[REDACTED JWT]'],
  [/((?:client_secret|client_assertion|refresh_token|access_token|password)=)[^&\s"]+/gi, '$1[REDACTED]'],
  // The password in a connection string (mongodb://user:password@host, mongodb+srv://…, any scheme://user:pw@).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*:)[^@/\s"]+@/gi, '$1[REDACTED]@'],
];

export const REDACTED = '[REDACTED]';

export function redactString(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of valuePatterns) out = out.replace(pattern, replacement);
  return out;
}

export function redactValue(value: unknown, knownSecrets: readonly string[] = [], seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value, knownSecrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    const plain: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
    for (const [k, v] of Object.entries(value)) plain[k] = v;
    if (value.cause !== undefined) plain.cause = value.cause;
    return redactValue(plain, knownSecrets, seen);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, knownSecrets, seen));
  if (value instanceof Date) return value;
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = secretKey.test(key) && child !== undefined && child !== null && child !== '' ? REDACTED : redactValue(child, knownSecrets, seen);
  }
  return out;
}
