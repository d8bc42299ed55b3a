/**
 * When the Sent Items copy of a sent mail shows up. Exchange creates it only once the mail has actually gone out,
 * which can take a while, so a GET right after the send may not find it
 * (https://learn.microsoft.com/en-us/graph/outlook-immutable-id, "Immutable ID with sending mail").
 * With `delayMs` 0 the copy is stored at once; otherwise after `delayMs`, or when a test flushes the queue.
 */
export class SentItemsQueue {
  delayMs: number;
  readonly #pending = new Map<number, { timer: NodeJS.Timeout; deliver: () => void; mailbox: string }>();
  #next = 0;

  constructor(delayMs = 0) {
    this.delayMs = delayMs;
  }

  /** Runs `deliver` now (no delay) or later; `mailbox` lets a test flush one mailbox's copies. */
  schedule(mailbox: string, deliver: () => void): void {
    if (this.delayMs <= 0) {
      deliver();
      return;
    }
    const id = this.#next++;
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      deliver();
    }, this.delayMs);
    timer.unref();
    this.#pending.set(id, { timer, deliver, mailbox });
  }

  /** Copies still on their way, per mailbox. */
  pendingFor(mailbox: string): number {
    let count = 0;
    for (const entry of this.#pending.values()) if (entry.mailbox === mailbox) count++;
    return count;
  }

  /** Stores the pending copies now (all, or one mailbox's), in send order; returns how many. */
  flush(mailbox?: string): number {
    let count = 0;
    for (const [id, entry] of [...this.#pending]) {
      if (mailbox !== undefined && entry.mailbox !== mailbox) continue;
      clearTimeout(entry.timer);
      this.#pending.delete(id);
      entry.deliver();
      count++;
    }
    return count;
  }

  /** Drops what is pending (reset, close). */
  clear(): void {
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
    this.#pending.clear();
  }
}
