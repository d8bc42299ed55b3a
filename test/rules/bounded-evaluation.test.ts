import test from 'ava';
import { spawn } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isAppError, toAppError } from '../../src/core/index.ts';
import { preprocessMessage } from '../../src/mail/preprocess/index.ts';
import { compileRuleSet, evaluateRules } from '../../src/rules/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { makeMessage } from './helpers/make-message.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

// The mail of issue 15: forty "a" and a "!" makes /(a+)+$/ backtrack for ever in a JavaScript RegExp.
const poisonText = `${'a'.repeat(40)}!`;
export const poisonRules = (timeoutMs?: number): unknown => ({
  name: 'poison-rule',
  ...(timeoutMs === undefined ? {} : { timeoutMs }),
  preprocess: [],
  rules: [
    { name: 'plain', when: 'subject = "never"', action: 'ignore' },
    { name: 'all-a', when: '$contains(text, /(a+)+$/)', action: 'ignore' },
    { name: 'rest', action: 'create-ticket' },
  ],
});
interface Outcome { job: string; code: string | null; elapsedMs: number; preprocessMs: number; ticksDuring: number; signalMs: number; signalBeforeEnd: boolean; maxLoopGapMs: number }
export const poisonStep = {
  name: 'poison-step',
  preprocess: [{ step: 'regex-remove', options: { pattern: '(.*a){9}x' } }],
  rules: [{ name: 'rest', action: 'create-ticket', fields: { text: 'text' } }],
};

test.serial('a catastrophic regex in a rule fails its mail with RULE_TIMEOUT within the default 1 s bound, naming file, rule and pointer', async (t) => {
  const ruleSet = compileRuleSet('rules/poison.json', poisonRules());
  // A running rule worker (loadRuleSet starts one while the job fetches mail); its start-up is not part of the bound.
  t.is((await evaluateRules(ruleSet, { message: makeMessage(), text: 'warm-up' })).action, 'create-ticket');
  const started = performance.now();
  const error = await t.throwsAsync(evaluateRules(ruleSet, { message: makeMessage(), text: poisonText }));
  const elapsed = performance.now() - started;
  t.true(isAppError(error, 'RULE_TIMEOUT'), String(error));
  t.like(toAppError(error).details, { file: 'rules/poison.json', rule: 'all-a', pointer: '/rules/1/when', timeoutMs: 1000 });
  t.regex(String(error?.message), /rules\/poison\.json rule "all-a" \/rules\/1\/when: evaluation ran longer than 1000 ms/);
  // The bound is the watchdog's 1000 ms; what is left is delivering the answer on a loaded machine (and, when this
  // thread was held up past 1250 ms, the one extra period the watchdog grants for its own lag).
  t.true(elapsed >= 995 && elapsed < 2800, `took ${Math.round(elapsed)} ms`);
  // The stopped worker is replaced: the next mail is decided normally.
  const next = await evaluateRules(ruleSet, { message: makeMessage(), text: 'a normal request' });
  t.is(next.action, 'create-ticket');
});

test.serial('an answer that waits behind a busy main thread is no timeout: ordinary mail is not failed for the machine\'s load', async (t) => {
  const ruleSet = compileRuleSet('rules/plain.json', { name: 'plain', timeoutMs: 200, preprocess: [], rules: [{ name: 'rest', action: 'create-ticket' }] });
  t.is((await evaluateRules(ruleSet, { message: makeMessage(), text: 'warm-up' })).action, 'create-ticket');
  // The watchdog's timer and the worker's answer both wait for this thread: hold it (as parsing a large mail or a
  // starved process does) for three bounds, so the timer is due long before the answer is read.
  // Go on from the event loop's check phase: timers come next, before the worker's answer is read (from inside a
  // message callback, Node would read the answer first and the lag would go unnoticed).
  await new Promise<void>((resolve) => setImmediate(resolve));
  const decision = evaluateRules(ruleSet, { message: makeMessage(), text: 'a normal request' });
  const until = performance.now() + 600;
  while (performance.now() < until) { /* busy: this thread is held up */ }
  t.is((await decision).action, 'create-ticket');
});

test.serial('a catastrophic preprocess step pattern runs in linear time: the mail is decided well within the bound', async (t) => {
  const ruleSet = compileRuleSet('rules/poison-step.json', poisonStep);
  const text = `${'a'.repeat(60)}`; // (.*a){9}x backtracks ~60^9 ways on this in a JavaScript RegExp
  await evaluateRules(ruleSet, { message: makeMessage(), text: 'warm-up' });
  const started = performance.now();
  const cleaned = preprocessMessage(makeMessage({ text }), ruleSet.preprocess).text;
  const decision = await evaluateRules(ruleSet, { message: makeMessage({ text }), text: cleaned });
  t.true(performance.now() - started < 1000);
  t.is(decision.action, 'create-ticket');
  t.is(decision.fields.text, text, 'no match, nothing removed');
  // ... and it is still the pattern it was: it removes what it matches.
  t.is(preprocessMessage(makeMessage({ text: 'aaaaaaaaaax tail' }), ruleSet.preprocess).text.trim(), 'tail');
});

test.serial('through the real scheduler: the poison mails fail or pass within their bound while another job of the same worker keeps its schedule and signals are answered', async (t) => {
  const root = await makeTempDir(t);
  await mkdir(join(root, 'rules'));
  // 3 s bound (the rule file's own timeoutMs): long enough to see the 1-second job run meanwhile.
  await writeFile(join(root, 'rules', 'poison-rule.json'), JSON.stringify(poisonRules(3000)));
  await writeFile(join(root, 'rules', 'poison-step.json'), JSON.stringify(poisonStep));
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/rules/bounded-worker-child.ts'], {
    env: { ...process.env, DB_URI: db.uri, DB_NAME: db.dbName, RULES_ROOT: root, POISON_TEXT: poisonText }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 0, err);
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as { outcomes: Outcome[]; ticks: number[] };

  const rule = report.outcomes.find((o) => o.job === 'poison-rule')!;
  t.is(rule.code, 'RULE_TIMEOUT');
  t.true(rule.elapsedMs >= 2995 && rule.elapsedMs < 3800, `rule mail took ${Math.round(rule.elapsedMs)} ms`);
  t.true(rule.ticksDuring >= 2, `the 1-second job ran ${rule.ticksDuring} times during the 3-second evaluation`);
  // A blocked thread would stall for the whole 3 s; a loaded 2-core machine may stall a busy one for a few hundred ms.
  t.true(rule.signalBeforeEnd && rule.signalMs < 1000, `signal answered after ${Math.round(rule.signalMs)} ms`);
  t.true(rule.maxLoopGapMs < 1000, `event loop stalled ${Math.round(rule.maxLoopGapMs)} ms`);

  const step = report.outcomes.find((o) => o.job === 'poison-step')!;
  t.is(step.code, null, 'the step mail is decided');
  // The step is the part that would hang: it runs on the worker's own thread, in linear time.
  t.true(step.preprocessMs < 500, `the catastrophic step took ${Math.round(step.preprocessMs)} ms`);
  // Its rules may wait for a rule worker while the poison rule mail holds one (two workers on two cores): at most that bound.
  t.true(step.elapsedMs < 4500, `step mail took ${Math.round(step.elapsedMs)} ms`);
  t.true(step.signalBeforeEnd || step.signalMs < 1000, `signal answered after ${Math.round(step.signalMs)} ms`);
  t.true(step.maxLoopGapMs < 1000, `event loop stalled ${Math.round(step.maxLoopGapMs)} ms`);
  // The ticker never waited for a poison mail: no gap between its runs as long as the 3-second bound (a loaded
  // 2-core machine stretches its 1-second interval, a blocked worker would stretch it to the whole bound).
  const gaps = report.ticks.slice(1).map((at, i) => at - report.ticks[i]!);
  t.true(report.ticks.length >= 3 && Math.max(...gaps) < 2900, `largest gap between ticker runs: ${Math.round(Math.max(...gaps))} ms`);
});
