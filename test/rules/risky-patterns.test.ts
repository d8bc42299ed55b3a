import test from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileRuleSet, findRiskyPatterns } from '../../src/rules/index.ts';
import { runRulesCommand } from './helpers/run-rules-command.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const riskySet = {
  name: 'risky',
  preprocess: [
    { step: 'regex-remove', options: { pattern: '(.*a){9}x' } }, // runs in linear time: not reported
    // The step's own load-time screen lets this through (no nested repetition); recheck finds it cubic.
    { step: 'remove-banner', options: { patterns: ['^\\[EXT\\]', '^\\s*\\w*\\s*\\w*\\s*!$'] } },
  ],
  rules: [
    { name: 'safe', when: '$contains(subject, /^RE:\\s/i)', action: 'ignore', stop: false },
    { name: 'all-a', when: '$contains(text, /(a+)+$/)', action: 'ignore' },
    { name: 'rest', action: 'create-ticket', fields: { order: '$match(text, /(x+x+)+y/).match' } },
  ],
};

test('findRiskyPatterns names rule and pointer of each regex that can backtrack catastrophically, and only those', async (t) => {
  const problems = await findRiskyPatterns(compileRuleSet('rules/risky.json', riskySet));
  t.deepEqual(problems.map((p) => [p.rule, p.pointer]), [
    ['all-a', '/rules/1/when'],
    ['rest', '/rules/2/fields/order'],
    [null, '/preprocess/1/options/patterns/1'],
  ]);
  t.regex(problems[0]!.message, /\/\(a\+\)\+\$\/ can backtrack catastrophically \(exponential complexity/);
});

test('rules validate reports a catastrophic rule pattern with file, rule and pointer and exits 2', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'rules'));
  await writeFile(join(dir, 'rules', 'risky.json'), JSON.stringify(riskySet));
  const result = await runRulesCommand(['rules', 'validate'], dir);
  t.is(result.code, 2, result.stdout);
  t.regex(result.stdout, /FAIL +rules\/risky\.json: 3 problems/);
  t.regex(result.stdout, /rules\/risky\.json rule "all-a" \/rules\/1\/when: regular expression \/\(a\+\)\+\$\/ can backtrack catastrophically/);
});
