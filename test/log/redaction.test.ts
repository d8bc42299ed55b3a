import test from 'ava';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/index.ts';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

// A realistic client secret (Entra secrets are 40 characters with ~ and .) and a real-shaped JWT.
const clientSecret = 'Qx8Q~k3Lw.pV_7dTz2mN9cR-4yH1sJ6fB0aE5gUi';
const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJyb2xlcyI6WyJNYWlsLlJlYWQiXX0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

for (const format of ['json', 'pretty'] as const) {
  test(`${format}: a record holding a client secret and a bearer token prints neither`, async (t) => {
    const out = capture();
    const logger = createLogger({ format, stream: out.stream, level: 'debug' });
    logger.info('token request', {
      connection: { name: 'demo', clientSecret, credential: { clientSecret } },
      request: { headers: { Authorization: `Bearer ${jwt}` } },
      note: `curl -H "Authorization: Bearer ${jwt}" https://graph.microsoft.com/v1.0/me`,
      body: `client_id=abc&client_secret=${encodeURIComponent(clientSecret)}&grant_type=client_credentials`,
    });
    logger.error('failed', { error: new Error(`token ${jwt} rejected`) });
    logger.warn('key', { privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----' });
    await new Promise((resolve) => setImmediate(resolve));
    const text = out.text();
    t.false(text.includes(clientSecret));
    t.false(text.includes(encodeURIComponent(clientSecret)));
    t.false(text.includes(jwt));
    t.false(text.includes('MIIEvQIBADANBg'));
    t.true(text.includes('demo'), 'non-secret fields stay');
    t.true(text.includes('[REDACTED'));
  });
}

test('a secret known by value is masked even inside free text', async (t) => {
  const out = capture();
  const logger = createLogger({ format: 'json', stream: out.stream, knownSecrets: ['plain-secret-value-123'] });
  logger.info('oops the value plain-secret-value-123 leaked into a message');
  await new Promise((resolve) => setImmediate(resolve));
  t.false(out.text().includes('plain-secret-value-123'));
});
