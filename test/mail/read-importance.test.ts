import test from 'ava';
import { parseMessage } from '../../src/mail/parse/index.ts';

const cases: [string, 'low' | 'normal' | 'high'][] = [
  ['Importance: High', 'high'],
  ['Importance: low', 'low'],
  ['X-Priority: 1 (Highest)', 'high'],
  ['X-Priority: 5', 'low'],
  ['X-Priority: 3 (Normal)', 'normal'],
  ['Priority: urgent', 'high'],
  ['X-MSMail-Priority: Low', 'low'],
  ['X-Mailer: none', 'normal'],
];

for (const [header, expected] of cases) {
  test(`importance from "${header}" is ${expected}`, async (t) => {
    const message = await parseMessage(`From: a@b.example\r\nSubject: x\r\n${header}\r\n\r\nbody\r\n`);
    t.is(message.importance, expected);
  });
}
