import test from 'ava';
import { filterPaths, matchesFilter, parseFilter } from '../../src/emulator/http/odata-filter.ts';
import { canonicalPropertyId } from '../../src/emulator/graph/message-extended-properties.ts';

// Unquoted DateTimeOffset literals (https://learn.microsoft.com/en-us/graph/filter-query-parameter): with Z, an
// offset, fractional seconds, inside parentheses and next to `and`.
const dated = { receivedDateTime: '2026-03-04T10:00:00Z', subject: 'x' };
const dateCases: [string, boolean][] = [
  ['receivedDateTime ge 2026-03-04T00:00:00Z', true],
  ['receivedDateTime gt 2026-03-04T10:00:00Z', false],
  ['receivedDateTime ge 2026-03-04T11:30:00+02:00', true],
  ['receivedDateTime lt 2026-03-04T10:00:00.5Z', true],
  ["(receivedDateTime ge 2026-03-04T00:00:00Z) and subject eq 'x'", true],
  ["receivedDateTime ge 2026-03-05T00:00:00Z or subject eq 'y'", false],
  ["receivedDateTime ge '2026-03-04T00:00:00Z'", true],
];
for (const [filter, expected] of dateCases) {
  test(`$filter ${filter} → ${String(expected)}`, (t) => {
    t.is(matchesFilter(parseFilter(filter), dated), expected);
  });
}

test('filterPaths lists the tested properties in order of first appearance, with nested paths whole and lambda variables left out', (t) => {
  t.deepEqual(filterPaths(parseFilter("from/emailAddress/name eq 'a' and subject ne 'b' and from/emailAddress/name ne 'c' and categories/any(c: c eq 'x')")), [
    'from/emailaddress/name', 'subject', 'categories',
  ]);
});

test('proptag ids name one property whatever the case and leading zeros; named properties stay as written', (t) => {
  t.is(canonicalPropertyId('Long 0x0E08'), 'Long 0xe08');
  t.is(canonicalPropertyId('long 0xe08'), 'Long 0xe08');
  t.is(canonicalPropertyId('String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Key'), 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Key');
});
