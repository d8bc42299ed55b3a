import type { Principal, TokenVerifier } from '../entra/access-tokens.ts';
import type { EmulatorResponse, GraphOperation } from '../http/emulator-types.ts';
import type { Preferences } from '../http/query-options.ts';
import type { FaultInjector } from '../limits/fault-injector.ts';
import type { MailboxThrottle } from '../limits/mailbox-throttle.ts';
import type { RequestStats } from '../limits/request-stats.ts';
import type { Mailbox } from '../state/mailbox.ts';
import type { SentItemsQueue } from '../state/sent-items-queue.ts';
import type { DirectoryObject, TenantState } from '../state/tenant-state.ts';
import type { SubscriptionService } from './subscription-service.ts';

/** What every Graph handler can reach: the live tenant and the emulator's services. */
export interface GraphEnvironment {
  /** `https://localhost:PORT` */
  url: string;
  state(): TenantState;
  verifier: TokenVerifier;
  stats: RequestStats;
  faults: FaultInjector;
  throttle: MailboxThrottle;
  latencyMs: number;
  /** Delta sync states kept per folder / calendar before older tokens answer 410 SyncStateNotFound. */
  syncStatesRetained: number;
  /** A value that changes on every start and reset, so tokens from an earlier life are rejected. */
  epoch: string;
  subscriptions: SubscriptionService;
  /** When sent mail's Sent Items copy appears (option `sentItemsDelayMs`). */
  sentItems: SentItemsQueue;
}

export type Workload = 'outlook' | 'directory' | 'places' | 'subscriptions' | 'none';

export interface OperationContext {
  env: GraphEnvironment;
  op: GraphOperation;
  params: Record<string, string>;
  principal: Principal;
  /** The user or room named by `{user}` in the path, when the route has one. */
  target: DirectoryObject | undefined;
  mailbox: Mailbox | undefined;
  prefer: Preferences;
  /** Values for the `Preference-Applied` header. */
  applied: Set<string>;
  routeName: string;
  /** The URL of this operation's collection, for building absolute `@odata.nextLink`s. */
  requestUrl: string;
}

export interface RouteMeta {
  workload: Workload;
  /** Any one of these roles/scopes suffices; empty = any valid token. */
  permissions: string[];
  handler: (ctx: OperationContext) => EmulatorResponse | Promise<EmulatorResponse>;
}

export function requireMailbox(ctx: OperationContext): Mailbox {
  if (ctx.mailbox === undefined) throw new Error('route declared without a {user} parameter');
  return ctx.mailbox;
}
