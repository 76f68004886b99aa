import { parseRateLimit, rateLimitResetMs } from './rate-limit.js';

export const RETRYABLE_STATUSES = new Set([408, 409, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/**
 * The wait the provider asked for: `retry-after-ms`, then `retry-after` (seconds or HTTP date), then — for a
 * 429 — the `x-ratelimit-reset-*` headers. Undefined when it said nothing usable.
 */
export function retryDelayFromHeaders(headers: Headers, status: number, now: number): number | undefined {
  const afterMs = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(afterMs) && afterMs >= 0) return afterMs;
  const after = headers.get('retry-after')?.trim();
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return status === 429 ? rateLimitResetMs(parseRateLimit(headers)) : undefined;
}

/** Exponential backoff with up to 25% jitter (0.5 s, 1 s, 2 s … capped at 8 s), as the openai SDK does. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** attempt, 8000);
  return base * (1 - random() * 0.25);
}
