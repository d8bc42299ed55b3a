import { parentPort } from 'node:worker_threads';
import { toAppError } from '../core/index.ts';
import { compileRuleSet } from './compile-rule-set.ts';
import { evaluateRuleList } from './evaluate-rule-list.ts';
import type { RuleWorkerReply, RuleWorkerRequest } from './rule-worker-messages.ts';
import type { CompiledRuleSet } from './rule-types.ts';

/**
 * The body of a rule worker thread (started by rule-worker-pool.ts through rule-worker-entry.js). It compiles each
 * rule-set version once and evaluates one message at a time; a message that overruns its bound is stopped by the
 * pool terminating this thread, which no check inside JSONata or a backtracking RegExp could do.
 */
const port = parentPort;
if (port === null) throw new Error('rule-worker.ts runs only as a worker thread');

const compiled = new Map<string, CompiledRuleSet>();
const compiledLimit = 100;

function ruleSetFor(id: number, source: RuleWorkerRequest['source']): CompiledRuleSet {
  const key = `${source.hash}\0${source.file}`;
  let ruleSet = compiled.get(key);
  if (ruleSet === undefined) {
    if (source.raw === undefined) throw new Error(`bug: rule worker was sent no source for ${source.file} ${source.hash}`);
    ruleSet = compileRuleSet(source.file, source.raw, source.hash);
    if (compiled.size >= compiledLimit) compiled.clear();
    compiled.set(key, ruleSet);
    reply({ id, compiled: true });
  }
  return ruleSet;
}

function reply(message: RuleWorkerReply): void {
  port!.postMessage(message);
}

/** Slot 2 of the progress array: set once the answer is posted, so a watchdog that fires late sees it is on its way. */
function answered(progress: Int32Array, message: RuleWorkerReply): void {
  Atomics.store(progress, 2, 1);
  reply(message);
}

port.on('message', (request: RuleWorkerRequest) => {
  const progress = new Int32Array(request.progress);
  const run = async (): Promise<void> => {
    try {
      const decision = await evaluateRuleList(ruleSetFor(request.id, request.source), request.input, request.options, (rule, field) => {
        Atomics.store(progress, 0, rule);
        Atomics.store(progress, 1, field);
      });
      answered(progress, { id: request.id, ok: true, decision });
    } catch (error) {
      const failure = toAppError(error, 'RULE_EVALUATION_FAILED');
      const base = { code: failure.code, message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) };
      try {
        answered(progress, { id: request.id, ok: false, error: { ...base, details: { ...failure.details } } });
      } catch {
        answered(progress, { id: request.id, ok: false, error: { ...base, details: {} } }); // details that do not clone
      }
    }
  };
  void run();
});

reply({ ready: true });
