import type { ToolDeps } from './tool-deps.js';

/** The part of a tool call's context progress notifications need. */
export interface ProgressContext {
  mcpReq: {
    signal: AbortSignal;
    _meta?: { progressToken?: string | number } | undefined;
    notify(notification: {
      method: 'notifications/progress';
      params: Record<string, unknown>;
    }): Promise<void>;
  };
}

/** Pause between the last progress notification and the result; see `flush`. */
const PROGRESS_SETTLE_MS = 10;

/**
 * The one progress notifier every long tool uses: `notify(message)` sends a numbered notification when the client
 * sent a progress token (failures are logged, never fatal). `flush` waits for the ones in flight, then briefly,
 * so the last one is read before the result: the SDK client dispatches notifications a microtask late, and a
 * result read in the same chunk retires the progress handler first (the last notification is then dropped).
 */
export function progressNotifier(
  ctx: ProgressContext,
  deps: Pick<ToolDeps, 'log'>,
): { notify: (message: string) => void; flush: () => Promise<void> } {
  const token = ctx.mcpReq._meta?.progressToken;
  const pending: Promise<void>[] = [];
  return {
    notify: (message) => {
      if (token === undefined) return;
      pending.push(
        ctx.mcpReq
          .notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress: pending.length + 1, message },
          })
          .catch((error: unknown) => deps.log(`progress notification failed: ${String(error)}`)),
      );
    },
    flush: async () => {
      if (pending.length === 0) return;
      await Promise.all(pending);
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
    },
  };
}
