import { backoffDelayMs, isRetryableStatus, retryDelayFromHeaders } from './retry-delay.js';

export interface RetryPolicy {
  maxRetries: number;
  /** No retry is started whose wait would end after this time (`now()` clock). */
  deadline?: number;
  now?: () => number;
  random?: () => number;
  /** Called as each attempt starts and as each wait starts (to pause an idle timer, for instance). */
  onAttempt?: () => void;
  onWait?: (delayMs: number) => void;
}

/**
 * A fetch that retries 408/409/429/5xx responses and connection failures, honouring `retry-after-ms`,
 * `retry-after` and `x-ratelimit-reset-*`. It retries only until response headers arrive (never a stream that has
 * begun), never after an abort, and its waits end the moment the request's signal aborts. The openai client runs
 * with `maxRetries: 0` on top of it: the SDK's own retry sleep cannot be aborted and has no upper bound.
 */
export function createRetryingFetch(fetchImpl: typeof fetch, policy: RetryPolicy): typeof fetch {
  const now = policy.now ?? Date.now;
  const fits = (delay: number) => policy.deadline === undefined || now() + delay < policy.deadline;

  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    for (let attempt = 0; ; attempt += 1) {
      policy.onAttempt?.();
      let response: Response;
      try {
        response = await fetchImpl(input, init);
      } catch (error) {
        const delay = backoffDelayMs(attempt, policy.random);
        if (signal?.aborted || attempt >= policy.maxRetries || !fits(delay)) throw error;
        await wait(delay, signal, policy.onWait);
        continue;
      }
      if (
        !isRetryableStatus(response.status) ||
        attempt >= policy.maxRetries ||
        response.headers.get('x-should-retry') === 'false'
      ) {
        return response;
      }
      const delay =
        retryDelayFromHeaders(response.headers, response.status, now()) ??
        backoffDelayMs(attempt, policy.random);
      if (!fits(delay)) return response;
      await response.body?.cancel().catch(() => undefined);
      await wait(delay, signal, policy.onWait);
    }
  };
}

function wait(
  ms: number,
  signal: AbortSignal | undefined,
  onWait: ((ms: number) => void) | undefined,
): Promise<void> {
  onWait?.(ms);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
