import type { ErrorCode } from '../../core/index.ts';
import type { PreprocessTrace } from '../../mail/preprocess/index.ts';
import type { RuleDecision, SenderDescription } from '../../rules/index.ts';
import type { ExpectationResult } from './rules-expect.ts';

export interface RulesTestOptions {
  rules?: string;
  /** Only "all": every built-in step in its default order, whatever the rule file says. */
  preprocess?: string;
  json?: boolean;
  expect?: boolean;
  /** Pretend In-Reply-To/References name a known message (a dry run has no database to look them up). */
  knownThread?: boolean;
}

/** One message's dry run; the JSON form of `mailroom rules test --json` (one object per line). */
export interface DryRunResult {
  file: string;
  subject: string;
  from: string | null;
  preprocess: PreprocessTrace[];
  text: string;
  rule: string | null;
  action: RuleDecision['action'] | null;
  objectType?: string;
  fields: Record<string, unknown>;
  threadHint: RuleDecision['threadHint'] | null;
  postActions: RuleDecision['postActions'];
  trace: RuleDecision['trace'];
  /** The rule set's sender policy verdict and the trusted Authentication-Results. */
  sender?: SenderDescription;
  error?: { code: ErrorCode; message: string };
  expectation?: ExpectationResult;
}
