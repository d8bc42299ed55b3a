import test from 'ava';
import { checkPreprocessSteps, defaultStepOrder, preprocessMessage, type PreprocessStepConfig } from '../../src/mail/preprocess/index.ts';
import { isAppError } from '../../src/core/index.ts';
import { bodyMessage } from './mail-fixture.ts';

test('the recommended order and every user step with good options pass', (t) => {
  t.deepEqual(checkPreprocessSteps(defaultStepOrder), []);
  t.deepEqual(
    checkPreprocessSteps([
      { step: 'regex-remove', options: { pattern: '^Ref: \\d+$', flags: 'im' } },
      { step: 'regex-replace', options: { pattern: '(\\w+)@example\\.com', replacement: '$1@…' } },
      { step: 'cut-before', options: { pattern: '^Hello', keepMarker: true } },
      { step: 'cut-after', options: { pattern: '^-{3,} reply above' } },
      { step: 'remove-quoted-reply', enabled: false, options: { forwards: 'remove', structure: true, clients: ['outlook', 'gmail'] } },
      { step: 'remove-signature', options: { closings: true, maxLines: 6 } },
      { step: 'remove-banner', options: { patterns: ['^\\[EXT\\]'], replaceDefaults: true } },
    ]),
    [],
  );
});

const problems: [string, PreprocessStepConfig[], { pointer: string; message: RegExp }[]][] = [
  ['unknown step name', [{ step: 'remove-everything' }], [{ pointer: '/0/step', message: /unknown step "remove-everything"/ }]],
  ['unknown option', [{ step: 'remove-signature', options: { closing: true } }], [{ pointer: '/0/options/closing', message: /unknown option/ }]],
  ['unknown client', [{ step: 'remove-quoted-reply', options: { clients: ['outlook', 'lotus'] } }], [{ pointer: '/0/options/clients/1', message: /not one of outlook/ }]],
  ['option of the wrong type', [{ step: 'remove-quoted-reply', options: { forwards: 'drop' } }], [{ pointer: '/0/options/forwards', message: /one of keep, remove/ }]],
  ['enabled not a boolean', [{ step: 'html-to-text', enabled: 'yes' as unknown as boolean }], [{ pointer: '/0/enabled', message: /true or false/ }]],
  ['invalid regex', [{ step: 'regex-remove', options: { pattern: '(unclosed' } }], [{ pointer: '/0/options/pattern', message: /invalid regular expression/ }]],
  ['missing regex', [{ step: 'cut-after', options: {} }], [{ pointer: '/0/options/pattern', message: /non-empty regular expression/ }]],
  ['backreference (no linear-time match)', [{ step: 'regex-remove', options: { pattern: '(a)\\1' } }], [{ pointer: '/0/options/pattern', message: /linear-time engine/ }]],
  ['lookahead (no linear-time match)', [{ step: 'cut-before', options: { pattern: 'x(?=y)' } }], [{ pointer: '/0/options/pattern', message: /linear-time engine/ }]],
  ['catastrophic pattern in a list option', [{ step: 'remove-disclaimer', options: { patterns: ['ok', '(.*)*end'] } }], [{ pointer: '/0/options/patterns/1', message: /backtrack catastrophically/ }]],
  ['bad flags', [{ step: 'regex-replace', options: { pattern: 'a', replacement: 'b', flags: 'gx' } }], [{ pointer: '/0/options/flags', message: /flags i, m, s, u/ }]],
  ['missing replacement, second entry', [{ step: 'html-to-text' }, { step: 'regex-replace', options: { pattern: 'a' } }], [{ pointer: '/1/options/replacement', message: /must be a string/ }]],
];

for (const [name, steps, expected] of problems) {
  test(`checkPreprocessSteps reports: ${name}`, (t) => {
    const found = checkPreprocessSteps(steps);
    t.is(found.length, expected.length, JSON.stringify(found));
    expected.forEach((e, i) => {
      t.is(found[i]?.pointer, e.pointer);
      t.regex(found[i]?.message ?? '', e.message);
    });
  });
}

test('safe patterns with quantified groups are not flagged', (t) => {
  for (const pattern of ['(?:ab)+c', '(\\d{1,3}\\.){3}\\d{1,3}', '^(?:Re|AW|WG):\\s*', '(foo|bar)+', '[a-z]+(?:-[a-z]+)*']) {
    t.deepEqual(checkPreprocessSteps([{ step: 'regex-remove', options: { pattern } }]), [], pattern);
  }
});

test('preprocessMessage refuses a step list the check rejects, with RULE_INVALID and the problems', (t) => {
  const error = t.throws(() => preprocessMessage(bodyMessage({ text: 'x' }), [{ step: 'nope' }]));
  t.true(isAppError(error, 'RULE_INVALID'));
  t.is((error as unknown as { details: { problems: unknown[] } }).details.problems.length, 1);
});
