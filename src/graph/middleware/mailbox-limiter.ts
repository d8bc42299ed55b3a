import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../core/index.ts';
import { requestStateOf } from './request-state.ts';

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  async acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active += 1;
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new AppError('JOB_ABORTED', 'Graph request aborted while waiting for a mailbox slot', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }
}

/**
 * At most N requests in flight per mailbox. Exchange Online allows 4 concurrent requests per app and mailbox and
 * answers 429 "MailboxConcurrency" beyond that, so queueing here is cheaper than being throttled.
 * https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits
 * Sits inside the retry middleware: a request waiting out Retry-After does not hold a slot.
 */
export class MailboxLimiter implements Middleware {
  private next: Middleware | undefined;
  private readonly semaphores = new Map<string, Semaphore>();

  constructor(private readonly limit: number) {}

  async execute(context: Context): Promise<void> {
    const state = requestStateOf(context);
    // Sorted acquisition: two batches touching the same mailboxes can never hold one slot each and wait forever.
    const keys = [...new Set(state.mailboxes)].sort();
    const held: Semaphore[] = [];
    const release = (): void => {
      for (const [index, semaphore] of held.splice(0).entries()) {
        semaphore.release();
        if (semaphore.idle) this.semaphores.delete(keys[index]!);
      }
    };
    let handedOver = false;
    try {
      for (const key of keys) {
        let semaphore = this.semaphores.get(key);
        if (!semaphore) this.semaphores.set(key, (semaphore = new Semaphore(this.limit)));
        await semaphore.acquire(state.signal);
        held.push(semaphore);
      }
      await this.next!.execute(context);
      // A streamed body is still being downloaded when the call returns: the slot is held until it is read or dropped.
      const response = context.response;
      if (state.stream && response?.body) {
        context.response = new Response(releasingWhenDone(response.body, release), { status: response.status, statusText: response.statusText, headers: response.headers });
        handedOver = true;
      }
    } finally {
      if (!handedOver) release();
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The same body, calling `done` once when it has been read to the end, failed or was cancelled. */
function releasingWhenDone(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  const finish = (): void => {
    if (!finished) done();
    finished = true;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason);
    },
  });
}
