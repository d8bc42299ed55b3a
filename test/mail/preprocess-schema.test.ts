import test from 'ava';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { checkPreprocessSteps, defaultStepOrder } from '../../src/mail/preprocess/index.ts';

const schema = JSON.parse(readFileSync(new URL('../../src/config/schemas/preprocess-steps.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

test('the schema accepts what checkPreprocessSteps accepts', (t) => {
  const steps = [
    ...defaultStepOrder,
    { step: 'remove-quoted-reply', enabled: false, options: { forwards: 'remove' } },
    { step: 'regex-replace', options: { pattern: 'a', replacement: 'b', flags: 'i' } },
    { step: 'cut-after', options: { pattern: '^--- reply above ---' } },
  ];
  t.deepEqual(checkPreprocessSteps(steps), []);
  t.true(validate(steps), JSON.stringify(validate.errors));
});

test('the schema rejects unknown steps, unknown options and user steps without a pattern', (t) => {
  for (const steps of [[{ step: 'remove-everything' }], [{ step: 'remove-signature', options: { closing: true } }], [{ step: 'cut-after', options: {} }], [{ step: 'regex-replace', options: { pattern: 'a' } }]]) {
    t.false(validate(steps), JSON.stringify(steps));
    t.true(checkPreprocessSteps(steps as never).length > 0);
  }
});
