import { SpeedRunError } from '../errors.js';
import { parseRateLimit, type RateLimitInfo } from './rate-limit.js';

/** What one request will take from the provider's quota before it is served. */
export interface QuotaNeed {
  /** Prompt tokens (estimated) + max_completion_tokens: what Cerebras reserves up front. */
  tokens: number;
  /** At most this many requests of the process in flight at once (SPEED_RUN_MAX_IN_FLIGHT). */
  maxInFlight: number;
  signal?: AbortSignal;
  /** A wait for quota longer than this fails at once with a `rate_limited` error naming the bucket. */
  maxWaitMs?: number;
}

/** A request admitted by the scheduler: report what its responses said, and release it when done. */
export interface Ticket {
  /** Learn from a response's `x-ratelimit-*` headers (any status). */
  observe(headers: Headers): void;
  release(): void;
  /** How long the request waited for a slot or for quota, in ms. */
  waitedMs: number;
}

type Unit = 'requests' | 'tokens';
type Period = 'minute' | 'hour' | 'day';

interface Bucket {
  unit: Unit;
  period: Period;
  limit?: number;
  /** What the provider said remained, when it said so. */
  remaining: number;
  /** When the bucket refills (clock of `now`); undefined if the provider gave no reset. */
  resetAt?: number;
  /** When we learned it. */
  seenAt: number;
}

interface Pending {
  tokens: number;
  admittedAt: number;
  /** Its own response has been seen: the provider's figures include it from then on. */
  observed: boolean;
}

interface Waiter {
  need: QuotaNeed;
  enqueuedAt: number;
  admit: (ticket: Ticket) => void;
  fail: (error: unknown) => void;
}

const PERIOD_KEY: Record<string, Period> = { PerMinute: 'minute', PerHour: 'hour', PerDay: 'day' };
/** Clocks differ and the reset is rounded: wait this much past it before counting a bucket as refilled. */
const RESET_MARGIN_MS = 100;
/** Re-check a bucket that says 0 but gave no reset time after this long. */
const UNKNOWN_RESET_RECHECK_MS = 1000;

export interface SchedulerOptions {
  now?: () => number;
}

/**
 * Paces every provider request of one process (inject one instance; a race's runners share it). A request is
 * admitted, in arrival order, when fewer than `maxInFlight` are running and every quota bucket the provider has
 * reported (`x-ratelimit-{limit,remaining,reset}-{requests,tokens}-{minute,day}`, from every response, /models
 * included) still holds what the request reserves, after subtracting what requests admitted since then will
 * reserve. Until the first response has said anything, one request runs at a time: the first tells the quota,
 * so a 5-runner race queues instead of colliding with a 30K-tokens-per-minute limit.
 */
export class ProviderScheduler {
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #pending = new Set<Pending>();
  readonly #queue: Waiter[] = [];
  #inFlight = 0;
  /** A response has been seen (with or without rate-limit headers). */
  #learned = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SchedulerOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** The quota figures learned so far (reset seconds as of now), for check_status. */
  quota(): RateLimitInfo | undefined {
    const now = this.#now();
    const info: RateLimitInfo = {};
    for (const bucket of this.#buckets.values()) {
      const key =
        `${bucket.unit}Per${bucket.period[0]!.toUpperCase()}${bucket.period.slice(1)}` as keyof RateLimitInfo;
      const expired = bucket.resetAt !== undefined && now >= bucket.resetAt;
      info[key] = {
        ...(bucket.limit === undefined ? {} : { limit: bucket.limit }),
        remaining: expired && bucket.limit !== undefined ? bucket.limit : bucket.remaining,
        // As the provider said it: the margin this scheduler waits past a reset is its own.
        ...(bucket.resetAt === undefined || expired
          ? {}
          : { resetSeconds: Math.max(0, Math.round((bucket.resetAt - RESET_MARGIN_MS - now) / 100) / 10) }),
      };
    }
    return Object.keys(info).length > 0 ? info : undefined;
  }

  /** Learn from headers that belong to no admitted request (GET /models, say). */
  observe(headers: Headers): void {
    this.#learn(headers);
    this.#drain();
  }

  acquire(need: QuotaNeed): Promise<Ticket> {
    if (!Number.isInteger(need.maxInFlight) || need.maxInFlight < 1) {
      return Promise.reject(
        new SpeedRunError(
          'config',
          `maxInFlight must be a whole number of at least 1; got ${need.maxInFlight}.`,
          {
            field: 'SPEED_RUN_MAX_IN_FLIGHT',
          },
        ),
      );
    }
    if (need.signal?.aborted) return Promise.reject(need.signal.reason);
    return new Promise<Ticket>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(need.signal?.reason);
        this.#drain();
      };
      const waiter: Waiter = {
        need,
        enqueuedAt: this.#now(),
        admit: (ticket) => {
          need.signal?.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
        fail: (error) => {
          need.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      need.signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  #learn(headers: Headers): void {
    this.#learned = true;
    const info = parseRateLimit(headers);
    if (!info) return;
    const now = this.#now();
    for (const [key, window] of Object.entries(info)) {
      const match = /^(requests|tokens)(PerMinute|PerHour|PerDay)$/.exec(key);
      if (!match || window.remaining === undefined) continue;
      const unit = match[1] as Unit;
      const period = PERIOD_KEY[match[2]!]!;
      this.#buckets.set(`${unit}-${period}`, {
        unit,
        period,
        ...(window.limit === undefined ? {} : { limit: window.limit }),
        remaining: window.remaining,
        ...(window.resetSeconds === undefined
          ? {}
          : { resetAt: now + window.resetSeconds * 1000 + RESET_MARGIN_MS }),
        seenAt: now,
      });
    }
  }

  /** Admits waiters in order while the head fits; otherwise sets a timer for when it may. */
  #drain(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (this.#inFlight >= head.need.maxInFlight) return; // a release drains again
      if (!this.#learned && this.#inFlight > 0) return; // the first response tells the quota
      const blocked = this.#blocked(head.need);
      if (blocked) {
        const waitMs = blocked.retryAt - this.#now();
        if (head.need.maxWaitMs !== undefined && blocked.resetKnown && waitMs > head.need.maxWaitMs) {
          this.#queue.shift();
          head.fail(quotaExhausted(blocked.bucket, head.need, waitMs, this.#now()));
          continue;
        }
        // Released requests also drain; the timer covers a quota that refills with nothing in flight.
        this.#timer = setTimeout(() => this.#drain(), Math.max(1, waitMs));
        this.#timer.unref?.();
        return;
      }
      this.#queue.shift();
      head.admit(this.#grant(head));
    }
  }

  /** The first bucket that cannot hold `need` now, and when it may. */
  #blocked(need: QuotaNeed): { bucket: Bucket; retryAt: number; resetKnown: boolean } | undefined {
    const now = this.#now();
    for (const bucket of this.#buckets.values()) {
      const refilled = bucket.resetAt !== undefined && now >= bucket.resetAt;
      if (refilled && bucket.limit === undefined) continue; // refilled to an unknown size: let the provider say
      let reserved = 0;
      for (const pending of this.#pending) {
        // A request whose own response has come is in the provider's figures; one still waiting for it may not
        // be, so it counts (after a refill, only if it was admitted in the new window).
        if (pending.observed || (refilled && pending.admittedAt < (bucket.resetAt ?? now))) continue;
        reserved += bucket.unit === 'tokens' ? pending.tokens : 1;
      }
      const available = (refilled ? (bucket.limit ?? 0) : bucket.remaining) - reserved;
      const wanted = bucket.unit === 'tokens' ? need.tokens : 1;
      // A need larger than the whole bucket could never fit: it goes when the bucket is full, and no sooner.
      const fits =
        bucket.limit !== undefined && wanted > bucket.limit ? available >= bucket.limit : available >= wanted;
      if (fits) continue;
      const retryAt =
        bucket.resetAt !== undefined && bucket.resetAt > now
          ? bucket.resetAt
          : now + UNKNOWN_RESET_RECHECK_MS;
      return { bucket, retryAt, resetKnown: bucket.resetAt !== undefined && bucket.resetAt > now };
    }
    return undefined;
  }

  #grant(waiter: Waiter): Ticket {
    this.#inFlight += 1;
    const now = this.#now();
    const pending: Pending = { tokens: waiter.need.tokens, admittedAt: now, observed: false };
    this.#pending.add(pending);
    let released = false;
    return {
      waitedMs: now - waiter.enqueuedAt,
      observe: (headers) => {
        this.#learn(headers);
        pending.observed = true;
        this.#drain();
      },
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        this.#pending.delete(pending);
        this.#drain();
      },
    };
  }
}

/** The wait for quota is longer than the caller accepts: say which bucket, and when it resets. */
function quotaExhausted(bucket: Bucket, need: QuotaNeed, waitMs: number, now: number): SpeedRunError {
  const what = bucket.unit === 'tokens' ? `tokens per ${bucket.period}` : `requests per ${bucket.period}`;
  const of = bucket.limit === undefined ? '' : ` of ${bucket.limit}`;
  const asks = bucket.unit === 'tokens' ? `; this request reserves ${need.tokens}` : '';
  return new SpeedRunError(
    'rate_limited',
    `The ${what} quota is used up (${bucket.remaining}${of} left${asks}); it resets in ` +
      `${Math.ceil(waitMs / 1000)} s (at ${new Date(now + waitMs).toISOString()}).`,
    {
      statusCode: 429,
      retryable: false,
      hint:
        'Wait for the reset, configure a fallback provider, or ask for fewer output tokens (max_tokens): ' +
        'Cerebras reserves max_completion_tokens from the quota up front.',
    },
  );
}
