import test from 'ava';
import { backoffDelay, parseRetryAfter } from '../../src/graph/parse-retry-after.ts';
import { escapeODataString } from '../../src/graph/index.ts';

test('Retry-After as integer, fraction or HTTP date becomes milliseconds; junk is ignored', (t) => {
  const now = Date.parse('2025-03-01T10:00:00Z');
  t.is(parseRetryAfter('2', now), 2000);
  t.is(parseRetryAfter('2.128', now), 2128);
  t.is(parseRetryAfter('Sat, 01 Mar 2025 10:00:05 GMT', now), 5000);
  t.is(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now), 0);
  t.is(parseRetryAfter(undefined, now), undefined);
  t.is(parseRetryAfter('soon', now), undefined);
});

test('backoff doubles per attempt, stays within [half, full] of the step and is capped', (t) => {
  for (const [attempt, step] of [[1, 100], [2, 200], [3, 400], [4, 800]] as const) {
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffDelay(attempt, 100);
      t.true(delay >= step / 2 && delay <= step, `attempt ${attempt}: ${delay}`);
    }
  }
  t.true(backoffDelay(30, 1000, 32_000) <= 32_000);
});

test('OData string literals double single quotes', (t) => {
  t.is(escapeODataString("o'brien@contoso.example"), "o''brien@contoso.example");
  t.is(escapeODataString("''"), "''''");
  t.is(escapeODataString('plain'), 'plain');
});
