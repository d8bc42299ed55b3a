import { AppError } from '../../core/index.ts';
import type { Fetched } from './fetch-mail.ts';
import type { WorkItem } from './mail-run.ts';

type FetchUnit = (unit: readonly WorkItem[]) => Promise<Map<string, Fetched>>;

interface Started {
  index: number;
  results: Promise<Map<string, Fetched>>;
  /** The same promise settled either way: waiting on it never throws, and a rejection nobody awaits is not unhandled. */
  settled: Promise<void>;
}

/**
 * The fetch units of a run in their order, one unit ahead: when a unit's results are taken, the next one is sent at
 * once, so Graph (and the emulator or Exchange behind it) works on the next MIME while the connector and the database
 * decide, plan, apply and finish the mail already fetched. Never more than one unit ahead, so on top of the unit
 * being worked on at most one more is held: one `$batch` within `batchBudgetBytes` of MIME (about five times
 * that for a moment while its JSON is parsed), or one mail streaming into the file store (no memory).
 *
 * A unit's failure reaches the caller where it takes that unit, exactly where fetching it in place would have thrown,
 * so what a failure does to the run is unchanged; mail-level failures are results (`failed`, `gone`) as before.
 */
export class UnitPrefetch {
  readonly #units: readonly (readonly WorkItem[])[];
  readonly #fetch: FetchUnit;
  #next = 0;
  #ahead: Started | undefined;

  constructor(units: readonly (readonly WorkItem[])[], fetch: FetchUnit) {
    this.#units = units;
    this.#fetch = fetch;
  }

  /** The results of the unit that brings `work`, which must be the next unit's first mail; the unit after it is started. */
  async take(work: WorkItem): Promise<Map<string, Fetched>> {
    const index = this.#next;
    const unit = this.#units[index];
    if (unit?.[0]?.key !== work.key) throw new AppError('INTERNAL', `fetch unit ${index} does not start with mail ${work.key}: units are taken out of order`);
    const started = this.#ahead?.index === index ? this.#ahead : this.#start(index);
    this.#ahead = undefined;
    this.#next = index + 1;
    const results = await started.results;
    if (this.#next < this.#units.length) this.#ahead = this.#start(this.#next);
    return results;
  }

  /**
   * Waits until no fetch is in flight. Other Graph requests of the run wait for it first: Exchange runs at most 4
   * requests per mailbox at once and a `$batch` already runs 4 of its items at a time, so a second request beside it
   * would be throttled (https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits).
   */
  async idle(): Promise<void> {
    await this.#ahead?.settled;
  }

  #start(index: number): Started {
    const results = this.#fetch(this.#units[index]!);
    return { index, results, settled: results.then(() => undefined, () => undefined) };
  }
}
