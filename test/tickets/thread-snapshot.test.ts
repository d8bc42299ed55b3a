import test from 'ava';
import { pickThread, threadSnapshot } from '../../src/tickets/index.ts';

const known = new Map([['a@x', 1001], ['b@x', 1002], ['c@x', 1003]]);

const cases: { name: string; references: string[]; expected: number | undefined }[] = [
  { name: 'no references', references: [], expected: undefined },
  { name: 'nothing known', references: ['z@x', 'y@x'], expected: undefined },
  { name: 'In-Reply-To wins over References', references: ['b@x', 'a@x', 'c@x'], expected: 1002 },
  { name: 'the newest known reference wins when In-Reply-To is unknown', references: ['z@x', 'a@x', 'c@x', 'y@x'], expected: 1003 },
  { name: 'angle brackets and spaces are ignored', references: [' <a@x> '], expected: 1001 },
];

for (const { name, references, expected } of cases) {
  test(`pickThread: ${name}`, (t) => {
    t.is(pickThread(references, known), expected);
  });
}

test('a snapshot overlays a chunk\'s own threads on the stored ones without changing the original', (t) => {
  const stored = threadSnapshot(known);
  const overlay = stored.with('<new@x>', { createdBy: 3 });
  t.deepEqual(pickThread(['new@x'], overlay), { createdBy: 3 });
  t.deepEqual(pickThread(['new@x', 'a@x'], overlay), { createdBy: 3 });
  t.deepEqual(pickThread(['z@x', 'a@x'], overlay), { number: 1001 });
  t.is(pickThread(['new@x'], stored), undefined, 'the stored snapshot is unchanged');
  t.deepEqual(overlay.with('a@x', { createdBy: 5 }).get('a@x'), { number: 1001 }, 'an id keeps its first ticket');
});
