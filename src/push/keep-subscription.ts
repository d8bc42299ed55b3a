import { randomBytes } from 'node:crypto';
import { isAppError, type Clock } from '../core/index.ts';
import { createSubscription, reauthorizeSubscription, renewSubscription, type GraphClient } from '../graph/index.ts';
import { hashClientState, type PushStore } from './create-push-store.ts';
import type { PushState } from './push-state.ts';

export interface PushSettings {
  /** Where Graph posts notifications and lifecycle events (https). */
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  /**
   * How long a subscription is asked to live (minutes). Outlook resources allow at most 10,080 minutes (older pages of
   * the docs said 4,230): https://learn.microsoft.com/en-us/graph/api/resources/subscription#subscription-lifetime
   * Default 4,200, within both.
   */
  lifetimeMinutes: number;
  /** Renew when less than this is left (minutes). Default: half the lifetime. */
  renewWithinMinutes: number;
}

export interface KeepResult {
  state: PushState;
  /** One sentence per thing done, for the run's notes. */
  notes: string[];
}

/** What a job subscribes to. */
export interface PushTarget {
  /** `job`, or `job|mailbox` when a job watches several mailboxes. */
  key: string;
  job: string;
  /** What is watched, as configured (mailbox and folder path): a change means a new subscription. */
  watch: string;
  /** The Graph resource; resolved only when a subscription is created (a folder path costs a lookup). */
  resource: () => Promise<string>;
  changeTypes: readonly ('created' | 'updated' | 'deleted')[];
}

function describe(error: unknown): { code: string; message: string } {
  return isAppError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Makes sure a job has a live subscription: creates one when there is none (or it was removed, expired or is for
 * another resource), answers `reauthorizationRequired`, and renews before expiry. It runs at the start of the job's
 * own run, which holds the job's scheduler lock: so exactly one worker keeps a job's subscription, however many run.
 * A failure never fails the run: polling carries on and the state says why push is not working.
 */
export async function keepSubscription(deps: { graph: GraphClient; store: PushStore; clock: Clock; signal?: AbortSignal }, target: PushTarget, settings: PushSettings): Promise<KeepResult> {
  const { graph, store, clock } = deps;
  const now = clock();
  const state = await store.get(target.key, target.job);
  const notes: string[] = [];
  const signal = deps.signal ? { signal: deps.signal } : {};
  const lifetimeMs = settings.lifetimeMinutes * 60_000;
  const expiresAt = (): Date => new Date(clock().getTime() + lifetimeMs);

  const create = async (why: string): Promise<void> => {
    const clientState = randomBytes(32).toString('base64url');
    const resource = await target.resource();
    const created = await createSubscription(graph, {
      resource, changeTypes: target.changeTypes, notificationUrl: settings.notificationUrl,
      lifecycleNotificationUrl: settings.lifecycleNotificationUrl, clientState, expiresAt: expiresAt(), ...signal,
    });
    await store.save(target.key, target.job, {
      subscriptionId: created.id, resource, watch: target.watch, clientStateHash: hashClientState(clientState), expiresAt: new Date(created.expirationDateTime),
      status: 'active', createdAt: clock(), renewedAt: null, lastError: null, failuresInRow: 0,
    });
    notes.push(`push: subscription ${created.id} created (${why}), expires ${new Date(created.expirationDateTime).toISOString()}`);
  };

  try {
    const expired = state.expiresAt !== null && state.expiresAt.getTime() <= now.getTime();
    if (state.subscriptionId === null || state.status === 'removed' || state.status === 'off' || expired || state.watch !== target.watch) {
      const why = state.subscriptionId === null ? 'none yet' : state.status === 'removed' ? 'Graph removed the previous one' : expired ? 'the previous one expired' : state.watch !== target.watch ? `it watched ${state.watch ?? 'something else'}` : 'push was off';
      await create(why);
    } else {
      const id = state.subscriptionId;
      const left = (state.expiresAt?.getTime() ?? 0) - now.getTime();
      try {
        if (state.status === 'reauthorize') {
          await reauthorizeSubscription(graph, { id, ...signal });
          notes.push(`push: subscription ${id} reauthorized`);
        }
        // A subscription that is not active (reauthorized, failing before) is renewed too: that also proves it is alive.
        if (state.status !== 'active' || left < settings.renewWithinMinutes * 60_000) {
          const renewed = await renewSubscription(graph, { id, expiresAt: expiresAt(), ...signal });
          await store.save(target.key, target.job, { expiresAt: new Date(renewed.expirationDateTime), status: 'active', renewedAt: clock(), lastError: null, failuresInRow: 0 });
          notes.push(`push: subscription ${id} renewed until ${new Date(renewed.expirationDateTime).toISOString()}`);
        }
      } catch (error) {
        // Graph forgets a subscription that expired or that it removed: make a new one.
        if (!isAppError(error, 'GRAPH_NOT_FOUND')) throw error;
        await create('Graph no longer knew the previous one');
      }
    }
  } catch (error) {
    const failure = describe(error);
    await store.save(target.key, target.job, { status: 'failing', lastError: { ...failure, at: clock() }, failuresInRow: state.failuresInRow + 1 });
    notes.push(`push: the subscription could not be kept (${failure.code}: ${failure.message}); polling on the job's schedule until it can`);
  }
  return { state: await store.get(target.key, target.job), notes };
}
