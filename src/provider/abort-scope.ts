export type AbortCause = 'timeout' | 'idle_timeout' | 'aborted';

export interface AbortScope {
  /** Aborts on the whole-request timeout, the idle timeout, or the caller's signal. */
  signal: AbortSignal;
  /** Something arrived: restart the idle timer. */
  touch(): void;
  /** Waiting on purpose (a retry delay): stop the idle timer until the next touch(). */
  pauseIdle(): void;
  /** Why `signal` aborted, if it did. */
  cause(): AbortCause | undefined;
  /** Clears every timer and listener. Call it in `finally`. */
  dispose(): void;
}

export function createAbortScope(options: {
  timeoutMs: number;
  idleTimeoutMs: number;
  parent?: AbortSignal;
}): AbortScope {
  const controller = new AbortController();
  let why: AbortCause | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const abort = (cause: AbortCause, reason: unknown) => {
    if (controller.signal.aborted) return;
    why = cause;
    clearTimeout(idleTimer);
    clearTimeout(wholeTimer);
    controller.abort(reason);
  };
  const wholeTimer = setTimeout(
    () => abort('timeout', new DOMException('Request timed out', 'TimeoutError')),
    options.timeoutMs,
  );
  const onParentAbort = () => abort('aborted', options.parent?.reason);
  if (options.parent?.aborted) onParentAbort();
  else options.parent?.addEventListener('abort', onParentAbort, { once: true });

  const scope: AbortScope = {
    signal: controller.signal,
    touch() {
      if (controller.signal.aborted) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => abort('idle_timeout', new DOMException('Stream went idle', 'TimeoutError')),
        options.idleTimeoutMs,
      );
    },
    pauseIdle() {
      clearTimeout(idleTimer);
      idleTimer = undefined;
    },
    cause: () => why,
    dispose() {
      clearTimeout(idleTimer);
      clearTimeout(wholeTimer);
      options.parent?.removeEventListener('abort', onParentAbort);
    },
  };
  return scope;
}
