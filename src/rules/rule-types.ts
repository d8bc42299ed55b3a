import type { Expression } from 'jsonata';
import type { Message } from '../mail/parse/message.ts';
import type { PreprocessStepConfig } from '../mail/preprocess/index.ts';
import type { IntakeSettings, IntakeSpec } from './intake-settings.ts';

/** The vocabulary of rule files (see src/config/schemas/rule-set.schema.json) and of the decisions they produce. */

/** `quarantine`: set the mail aside in Mailroom's quarantine with the rule's `fields.reason` (or its name), for a person to replay. */
export type RuleAction = 'create-ticket' | 'add-to-ticket' | 'create-object' | 'ignore' | 'quarantine';

export interface PostActions {
  markRead?: boolean;
  /** Folder path from the mailbox root, e.g. "Inbox/Processed". */
  moveTo?: string;
  flag?: boolean;
  categories?: string[];
}

/** One rule as written in a rule file. Expressions are JSONata source text. */
export interface RuleSpec {
  name: string;
  description?: string;
  when?: string;
  action: RuleAction;
  objectType?: string;
  fields?: Record<string, string>;
  /** Default true. */
  stop?: boolean;
  postActions?: PostActions;
}

/** A rule file as written (after schema validation). packs, senderPolicy, senderAuthentication: see IntakeSpec. */
export interface RuleSetSpec extends IntakeSpec {
  $schema?: string;
  name: string;
  description?: string;
  ticketTokenPrefix?: string;
  /** Time bound of one message's rule evaluation in milliseconds (default 1000). */
  timeoutMs?: number;
  preprocess: PreprocessStepConfig[];
  rules: RuleSpec[];
  postActions?: PostActions;
}

/** A JSONata expression compiled once, with where it came from so errors can name the place. */
export interface CompiledExpression {
  readonly source: string;
  /** JSON Pointer of the expression in its file. */
  readonly pointer: string;
  readonly expression: Expression;
}

export interface CompiledRule {
  readonly name: string;
  /** JSON Pointer of the rule in its file, e.g. "/rules/2". */
  readonly pointer: string;
  readonly when: CompiledExpression | null;
  readonly action: RuleAction;
  readonly objectType: string | null;
  readonly fields: readonly (readonly [name: string, expression: CompiledExpression])[];
  readonly stop: boolean;
  readonly postActions: Readonly<PostActions>;
}

export interface CompiledRuleSet {
  readonly file: string;
  readonly name: string;
  /** SHA-256 (hex) of the source the set was compiled from: the "file version". */
  readonly hash: string;
  readonly ticketTokenPrefix: string;
  /** From the file's `timeoutMs`; evaluateRules' own option wins, the default is 1000 ms. */
  readonly timeoutMs?: number;
  readonly preprocess: readonly PreprocessStepConfig[];
  readonly rules: readonly CompiledRule[];
  readonly postActions: Readonly<PostActions>;
  /** Packs, sender policy and authentication settings; absent in a hand-built set (then: every pack, no policy). */
  readonly intake?: IntakeSettings;
}

/** What the rules see of one message. The connector preprocesses with the rule set's own steps first. */
export interface RuleInput {
  message: Message;
  /** The cleaned text: `preprocessMessage(message, ruleSet.preprocess).text`. */
  text: string;
  /** True when In-Reply-To/References name a message Mailroom already processed or sent (looked up by the connector). */
  knownThread?: boolean;
  /** Address of the mailbox the message was read from, when known. */
  mailbox?: string | null;
  /**
   * What the store knows about the sender, counted by the connector (it needs I/O): tickets created from this
   * From address in the hour before the message arrived. Absent: unknown, and $overSenderCap() is false.
   */
  senderStats?: { newTicketsLastHour: number };
}

export interface RuleTraceEntry {
  rule: string;
  matched: boolean;
  error?: string;
}

export type DecisionAction = RuleAction | 'none';

/** A pure decision: what should happen to one message. `src/mail/actions` carries it out. */
export interface RuleDecision {
  /** Name of the last matching rule (the one whose action stands), or null when none matched. */
  rule: string | null;
  action: DecisionAction;
  objectType?: string;
  fields: Record<string, unknown>;
  threadHint: { ticketNumber: number | null; references: string[] };
  postActions: PostActions;
  trace: RuleTraceEntry[];
}

export interface EvaluateOptions {
  /**
   * Time bound of one message's evaluation (all its rules), in milliseconds; also the budget of each expression.
   * Default: the rule set's `timeoutMs`, else 1000. An overrun fails the message with RULE_TIMEOUT.
   */
  timeoutMs?: number;
  /** Maximum nesting depth of one expression evaluation (JSONata evaluation frames). Default 500. */
  maxDepth?: number;
}
