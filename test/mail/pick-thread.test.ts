import test from 'ava';
import { pickThread } from '../../src/mail/actions/index.ts';

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

test('pickThread reads any lookup, so a batch can overlay its own threads on the stored ones', (t) => {
  const batch = new Map([['new@x', { createdBy: 3 }]]);
  const overlay = { has: (id: string) => known.has(id) || batch.has(id), get: (id: string) => (known.has(id) ? { number: known.get(id)! } : batch.get(id)) };
  t.deepEqual(pickThread(['new@x'], overlay), { createdBy: 3 });
  t.deepEqual(pickThread(['new@x', 'a@x'], overlay), { createdBy: 3 });
  t.deepEqual(pickThread(['z@x', 'a@x'], overlay), { number: 1001 });
});
