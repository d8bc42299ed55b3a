import type { ErrorCode } from '../core/index.ts';
import type { EvaluateOptions, RuleDecision, RuleInput } from './rule-types.ts';
import type { RuleSetSource } from './rule-set-source.ts';

/** One message's evaluation, posted to a rule worker. `source.raw` is left out once the worker has compiled that hash. */
export interface RuleWorkerRequest {
  id: number;
  source: { file: string; hash: string; raw?: unknown };
  input: RuleInput;
  options: EvaluateOptions;
  /** Int32Array[2]: the rule and field (-1: `when`) being evaluated, so an overrun can name the expression. */
  progress: SharedArrayBuffer;
}

export type RuleWorkerReply =
  | { ready: true }
  /** Sent after compiling a rule-set version new to this worker: the message's bound starts now. */
  | { id: number; compiled: true }
  | { id: number; ok: true; decision: RuleDecision }
  | { id: number; ok: false; error: { code: ErrorCode; message: string; details: Record<string, unknown>; hint?: string } };

export type { RuleSetSource };
