import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/index.ts';
import type { RuleWorkerReply, RuleWorkerRequest } from './rule-worker-messages.ts';
import type { RuleSetSource } from './rule-set-source.ts';
import type { CompiledRuleSet, EvaluateOptions, RuleDecision, RuleInput } from './rule-types.ts';

/**
 * Worker threads that evaluate rule sets, each message under a hard time bound. JavaScript cannot interrupt a
 * synchronous call (a backtracking RegExp inside `$contains`, a long built-in), so a watchdog on this thread
 * terminates the worker that overruns and a fresh one takes the next message: the event loop here never blocks, so
 * other jobs keep their schedule and signals are answered. Idle workers are unref'd and never keep the process alive.
 * Measured (npm run bench:rules, 2-core machine): a two-clause rule on an 18 kB mail, 18,000–75,000/s in-thread
 * (loaded / quiet) and 10,000–11,000/s through a worker: at most ~0.1 ms more per message, next to ~7 ms of Graph
 * and database work per mail (bench:mail's 140 mails/s).
 */
interface Task {
  source: RuleSetSource;
  ruleSet: CompiledRuleSet;
  input: RuleInput;
  options: EvaluateOptions;
  timeoutMs: number;
  /** [rule index, field index, answered]: written by the worker as it goes. */
  progress: Int32Array;
  /** When the bound was armed (performance.now()), and whether it was given its one extension for this thread's lag. */
  armedAt: number;
  extended: boolean;
  resolve(decision: RuleDecision): void;
  reject(error: AppError): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Rule-set versions this worker has compiled, so their source is posted once. */
  known: Set<string>;
}

/**
 * One worker per spare core, at most two: rules cost under a millisecond a mail, so one worker keeps up with a
 * connector, and each worker is its own V8 heap (about 40 MB) in the connector's memory budget. A runaway
 * evaluation holds its worker at most the time bound before it is replaced.
 */
const maxWorkers = Math.max(1, Math.min(2, availableParallelism() - 1));
/** A runaway `$pad`/`$string` fails its message on memory instead of taking the process down. */
const resourceLimits = { maxOldGenerationSizeMb: 512 };
const entry = new URL('./rule-worker-entry.js', import.meta.url);

/** Rule-set versions a worker keeps compiled; the same number as rule-worker.ts, so both forget together. */
const knownLimit = 100;
const slots: Slot[] = [];
const queue: Task[] = [];
let nextId = 1;

function stripAttachmentBytes(input: RuleInput): RuleInput {
  // The rule document never shows attachment bytes (build-rule-document.ts); copying megabytes to the worker is waste.
  const attachments = input.message.attachments.map((a) => ({ ...a, content: new Uint8Array(0) }));
  return { ...input, message: { ...input.message, attachments } };
}

function removeSlot(slot: Slot): void {
  const at = slots.indexOf(slot);
  if (at >= 0) slots.splice(at, 1);
  if (slot.timer !== null) clearTimeout(slot.timer);
  slot.timer = null;
}

function finish(slot: Slot): Task | null {
  const { task } = slot;
  if (slot.timer !== null) clearTimeout(slot.timer);
  slot.timer = null;
  slot.task = null;
  slot.worker.unref();
  return task;
}

/** The watchdog for the slot's message, from now. */
function arm(slot: Slot, task: Task): void {
  task.armedAt = performance.now();
  slot.timer = setTimeout(() => overrun(slot), task.timeoutMs);
}

function overrun(slot: Slot): void {
  const task = slot.task;
  // The worker answered already and the reply waits behind this timer in the event loop: not an overrun.
  if (task !== null && Atomics.load(task.progress, 2) === 1) {
    slot.timer = null;
    return;
  }
  // This thread itself was held up (a large mail parsed, a loaded machine) so long that the timer fired far too
  // late: the time measured is this thread's lag as much as the evaluation's. One more period before the worker is
  // stopped, so a loaded machine does not fail ordinary mail with RULE_TIMEOUT; a runaway is still stopped.
  if (task !== null && !task.extended && performance.now() - task.armedAt > task.timeoutMs * 1.25) {
    task.extended = true;
    arm(slot, task);
    return;
  }
  removeSlot(slot);
  void slot.worker.terminate();
  warmRuleWorkers(); // a replacement starts now, not when the next mail arrives
  if (task !== null) {
    const rule = task.ruleSet.rules[Atomics.load(task.progress, 0)];
    const field = Atomics.load(task.progress, 1);
    const pointer = rule === undefined ? null : field < 0 ? rule.when?.pointer ?? rule.pointer : rule.fields[field]?.[1].pointer ?? rule.pointer;
    const where = rule === undefined ? `${task.source.file}` : `${task.source.file} rule "${rule.name}" ${pointer}`;
    task.reject(new AppError('RULE_TIMEOUT', `${where}: evaluation ran longer than ${task.timeoutMs} ms and was stopped`, {
      details: { file: task.source.file, rule: rule?.name ?? null, pointer, limit: 'time', timeoutMs: task.timeoutMs },
      hint: 'Look for a regular expression that backtracks (e.g. (a+)+) or an endless loop; `mailroom rules validate` flags risky patterns and `mailroom rules test` runs the rules on a saved message.',
    }));
  }
  pump();
}

function onReply(slot: Slot, reply: RuleWorkerReply): void {
  if ('ready' in reply) {
    slot.ready = true;
    pump();
    if (slot.task === null) slot.worker.unref(); // spawned for a message another worker took meanwhile
    return;
  }
  if ('compiled' in reply) {
    // Compiling (schema, JSONata) is linear work done once per version and worker; the bound is for the mail.
    if (slot.task !== null && slot.timer === null) arm(slot, slot.task);
    return;
  }
  const task = finish(slot);
  if (task !== null) {
    // After a failure the worker may not hold the compiled set (a compile error): send the source again next time.
    if (!reply.ok) slot.known.delete(`${task.source.hash}\0${task.source.file}`);
    if (reply.ok) task.resolve(reply.decision);
    else task.reject(new AppError(reply.error.code, reply.error.message, { details: reply.error.details, ...(reply.error.hint === undefined ? {} : { hint: reply.error.hint }) }));
  }
  pump();
}

function onDeath(slot: Slot, error: unknown): void {
  if (!slots.includes(slot)) return; // terminated by overrun()
  const wasReady = slot.ready;
  const task = slot.task;
  removeSlot(slot);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (task !== null) {
    const memory = code === 'ERR_WORKER_OUT_OF_MEMORY';
    task.reject(new AppError(memory ? 'RULE_EVALUATION_FAILED' : 'INTERNAL', `${task.source.file}: ${memory ? 'rule evaluation ran out of memory' : `the rule worker died: ${String((error as Error | undefined)?.message ?? error)}`}`, {
      cause: error,
      details: { file: task.source.file },
    }));
  }
  if (!wasReady) {
    // A worker that cannot even start would fail again: fail what waits instead of respawning in a loop.
    for (const waiting of queue.splice(0)) waiting.reject(new AppError('INTERNAL', `the rule worker could not start: ${String((error as Error | undefined)?.message ?? error)}`, { cause: error }));
    return;
  }
  pump();
}

function spawn(): void {
  const worker = new Worker(entry, { resourceLimits, execArgv: [] });
  const slot: Slot = { worker, ready: false, task: null, timer: null, known: new Set() };
  slots.push(slot);
  if (queue.length === 0) worker.unref(); // a warm-up: nothing waits for it yet
  worker.on('message', (reply: RuleWorkerReply) => onReply(slot, reply));
  worker.on('error', (error) => onDeath(slot, error));
  worker.on('exit', (code) => onDeath(slot, new Error(`exit code ${code}`)));
}

function assign(slot: Slot, task: Task): void {
  const key = `${task.source.hash}\0${task.source.file}`;
  const request: RuleWorkerRequest = {
    id: nextId++,
    source: slot.known.has(key) ? { file: task.source.file, hash: task.source.hash } : task.source,
    input: stripAttachmentBytes(task.input),
    options: task.options,
    progress: task.progress.buffer as SharedArrayBuffer,
  };
  const known = slot.known.has(key);
  if (!known) {
    if (slot.known.size >= knownLimit) slot.known.clear(); // as the worker's own cache does (rule-worker.ts)
    slot.known.add(key);
  }
  slot.task = task;
  slot.worker.ref();
  // The bound starts when the worker has the message (time queued behind another job's mail is not its own), or
  // when it has compiled a rule-set version it had not seen.
  if (known) arm(slot, task);
  else slot.timer = null;
  slot.worker.postMessage(request);
}

function pump(): void {
  while (queue.length > 0) {
    const idle = slots.find((s) => s.ready && s.task === null);
    if (idle === undefined) {
      const starting = slots.filter((s) => !s.ready);
      // A warm-up worker was unref'd; now a mail waits for it, and the process must not exit meanwhile.
      for (const slot of starting) slot.worker.ref();
      if (starting.length === 0 && slots.length < maxWorkers) spawn();
      return;
    }
    assign(idle, queue.shift()!);
  }
  // A spare starts while every worker is busy, so a mail that overruns does not make the next one wait for a start.
  if (slots.every((s) => s.task !== null) && slots.length < maxWorkers) spawn();
}

/**
 * Starts a rule worker if none runs, without waiting for it: loading the rule code into a fresh thread takes 0.3–1.5 s
 * (tsx transpiles it), which should happen while a job fetches mail rather than when the first mail is decided.
 */
export function warmRuleWorkers(): void {
  if (slots.length === 0) spawn();
}

/** Evaluates one message in a rule worker; rejects with RULE_TIMEOUT when it takes longer than `timeoutMs`. */
export function runInRuleWorker(source: RuleSetSource, ruleSet: CompiledRuleSet, input: RuleInput, options: EvaluateOptions, timeoutMs: number): Promise<RuleDecision> {
  return new Promise<RuleDecision>((resolve, reject) => {
    queue.push({ source, ruleSet, input, options, timeoutMs, progress: new Int32Array(new SharedArrayBuffer(12)), armedAt: 0, extended: false, resolve, reject });
    pump();
  });
}
