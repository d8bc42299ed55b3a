// npm run bench:rules
// What the hard time bound of issue 15 costs. Rules: a two-clause rule evaluated in the calling thread (the old
// path, ~23,000/s) against the same rule through the rule workers (evaluateRules), one caller and four at once.
// Preprocess user steps: the native RegExp engine against the linear-time one (RE2JS) on an 18 kB body, and the
// catastrophic `(.*a){9}x` on both. The last line is one JSON object.
import { performance } from 'node:perf_hooks';
import { preprocessMessage, type PreprocessStepConfig } from '../../src/mail/preprocess/index.ts';
import { compileRuleSet, evaluateRules } from '../../src/rules/index.ts';
import { evaluateRuleList } from '../../src/rules/evaluate-rule-list.ts';
import { makeMessage } from '../rules/helpers/make-message.ts';

const durationMs = 3000;

async function perSecond(run: () => Promise<unknown>, parallel = 1): Promise<number> {
  for (let i = 0; i < 200; i += 1) await run(); // warm-up: JIT, worker start, compiled rule set in each worker
  let count = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (performance.now() - started < durationMs) {
      await run();
      count += 1;
    }
  }));
  return Math.round(count / ((performance.now() - started) / 1000));
}

function msPerCall(run: () => unknown, times: number): number {
  run();
  const started = performance.now();
  for (let i = 0; i < times; i += 1) run();
  return Number(((performance.now() - started) / times).toFixed(4));
}

const ruleSet = compileRuleSet('bench.json', {
  name: 'bench',
  preprocess: [],
  rules: [
    { name: 'invoice', when: '$contains(subject, "invoice") and fromDomain = "contoso.example"', action: 'create-object', objectType: 'invoice' },
    { name: 'rest', action: 'create-ticket' },
  ],
});
const body = 'Hello team,\nplease see the invoice below.\n-- \nJohn Doe | ACME\nThis message is CONFIDENTIAL.\n'.repeat(200);
const message = makeMessage({ subject: 'Invoice 42', text: body });
const input = { message, text: body };

const inlinePerSecond = await perSecond(() => evaluateRuleList(ruleSet, input));
const workerPerSecond = await perSecond(() => evaluateRules(ruleSet, input));
const worker4PerSecond = await perSecond(() => evaluateRules(ruleSet, input), 4);
console.log(`rules, two clauses: in-thread ${inlinePerSecond}/s, in a rule worker ${workerPerSecond}/s (1 caller), ${worker4PerSecond}/s (4 callers)`);

const stepPatterns = ['^-- ?$[\\s\\S]*', 'CONFIDENTIAL.*$', '\\[EXTERNAL\\]\\s*'];
const steps: PreprocessStepConfig[] = stepPatterns.map((pattern) => ({ step: 'regex-remove', options: { pattern, flags: 'im' } }));
const stepMessage = makeMessage({ text: body });
const linearStepsMs = msPerCall(() => preprocessMessage(stepMessage, steps), 100);
const nativeStepsMs = msPerCall(() => stepPatterns.reduce((text, p) => text.replace(new RegExp(p, 'img'), ''), body), 100);
const evil = 'a'.repeat(24);
const linearEvilMs = msPerCall(() => preprocessMessage(makeMessage({ text: evil }), [{ step: 'regex-remove', options: { pattern: '(.*a){9}x' } }]), 20);
const nativeEvilMs = msPerCall(() => evil.replace(/(.*a){9}x/g, ''), 1);
console.log(`3 regex-remove steps on ${body.length} chars: linear engine ${linearStepsMs} ms, native ${nativeStepsMs} ms per message`);
console.log(`(.*a){9}x on ${evil.length} "a": linear engine ${linearEvilMs} ms, native ${nativeEvilMs} ms (grows ~n^9: 40 "a" would take hours)`);

console.log(JSON.stringify({
  rules: { inlinePerSecond, workerPerSecond, worker4PerSecond, workerOverheadMs: Number((1000 / workerPerSecond - 1000 / inlinePerSecond).toFixed(4)) },
  steps: { bodyChars: body.length, steps: stepPatterns.length, linearMs: linearStepsMs, nativeMs: nativeStepsMs, catastrophic: { chars: evil.length, linearMs: linearEvilMs, nativeMs: nativeEvilMs } },
}));
process.exit(0);
