import { SpeedRunError } from '../errors.js';

export type ReleaseSlot = () => void;

interface Waiter {
  max: number;
  admit: () => void;
}

/**
 * A FIFO counting semaphore: at most `max` holders at once, granted strictly in arrival order (race test runs).
 * Provider requests go through `ProviderScheduler`, which also paces by quota.
 */
export class RequestLimiter {
  #inFlight = 0;
  readonly #queue: Waiter[] = [];

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts while waiting. */
  acquire(max: number, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (!Number.isInteger(max) || max < 1) {
      return Promise.reject(
        new SpeedRunError('config', `maxInFlight must be a whole number of at least 1; got ${max}.`, {
          field: 'SPEED_RUN_MAX_IN_FLIGHT',
        }),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && this.#inFlight < max) return Promise.resolve(this.#grant());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        max,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#grant());
        },
      };
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
        this.#drain();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #grant(): ReleaseSlot {
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#drain();
    };
  }

  #drain() {
    // Strict FIFO: a waiter never overtakes an earlier one, whatever limit each asked for.
    while (this.#queue.length > 0 && this.#inFlight < (this.#queue[0]?.max ?? 0))
      this.#queue.shift()?.admit();
  }
}
