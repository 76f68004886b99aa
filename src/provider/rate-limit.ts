/** One rate-limit bucket as the provider reported it. */
export interface RateLimitWindow {
  limit?: number;
  remaining?: number;
  /** Seconds until the bucket refills. */
  resetSeconds?: number;
}

export type RateLimitBucket =
  | 'requestsPerMinute'
  | 'requestsPerHour'
  | 'requestsPerDay'
  | 'tokensPerMinute'
  | 'tokensPerHour'
  | 'tokensPerDay'
  | 'requests'
  | 'tokens';

/** Parsed `x-ratelimit-*` headers (Cerebras: `x-ratelimit-remaining-tokens-minute`; OpenAI/Groq: `…-tokens`). */
export type RateLimitInfo = Partial<Record<RateLimitBucket, RateLimitWindow>>;

const HEADER = /^x-ratelimit-(limit|remaining|reset)-(requests|tokens)(?:-(minute|hour|day))?$/;
const PERIOD = { minute: 'PerMinute', hour: 'PerHour', day: 'PerDay' } as const;
const FIELD = { limit: 'limit', remaining: 'remaining', reset: 'resetSeconds' } as const;

export function parseRateLimit(headers: Headers): RateLimitInfo | undefined {
  const info: RateLimitInfo = {};
  let found = false;
  headers.forEach((value, name) => {
    const match = HEADER.exec(name.toLowerCase());
    if (!match) return;
    const [, field, unit, period] = match as unknown as [
      string,
      keyof typeof FIELD,
      'requests' | 'tokens',
      string?,
    ];
    const number = field === 'reset' ? parseDurationSeconds(value) : Number(value.trim());
    if (number === undefined || !Number.isFinite(number)) return;
    const bucket = (period ? `${unit}${PERIOD[period as keyof typeof PERIOD]}` : unit) as RateLimitBucket;
    (info[bucket] ??= {})[FIELD[field]] = number;
    found = true;
  });
  return found ? info : undefined;
}

/** Seconds from "42", "42.5", or Go-style durations like "1m30s", "6m0s", "250ms". */
export function parseDurationSeconds(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts =
    /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text);
  if (!parts || parts.slice(1).every((part) => part === undefined)) return undefined;
  const [, h = '0', m = '0', s = '0', ms = '0'] = parts;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
}

/**
 * How long until a 429'd request may succeed, from the reset headers: the latest reset among exhausted buckets
 * (remaining 0), else the soonest reset (Cerebras rejects when the *estimated* tokens exceed what remains).
 */
export function rateLimitResetMs(info: RateLimitInfo | undefined): number | undefined {
  if (!info) return undefined;
  const windows = Object.values(info).filter((window) => window.resetSeconds !== undefined);
  if (windows.length === 0) return undefined;
  const exhausted = windows.filter((window) => window.remaining === 0);
  const seconds = exhausted.length
    ? Math.max(...exhausted.map((window) => window.resetSeconds ?? 0))
    : Math.min(...windows.map((window) => window.resetSeconds ?? 0));
  return Math.max(0, seconds * 1000);
}

const BUCKET_WORDS: Record<RateLimitBucket, string> = {
  requestsPerMinute: 'requests per minute',
  requestsPerHour: 'requests per hour',
  requestsPerDay: 'requests per day',
  tokensPerMinute: 'tokens per minute',
  tokensPerHour: 'tokens per hour',
  tokensPerDay: 'tokens per day',
  requests: 'requests',
  tokens: 'tokens',
};

/**
 * The bucket a 429 is about, in words with its figures: one with nothing left (the latest reset first), else
 * the one with the smallest share left. E.g. `tokens per minute (1200 of 30000 left)`.
 */
export function describeExhaustedBucket(info: RateLimitInfo | undefined): string | undefined {
  if (!info) return undefined;
  const entries = (Object.entries(info) as [RateLimitBucket, RateLimitWindow][]).filter(
    ([, window]) => window.remaining !== undefined,
  );
  if (entries.length === 0) return undefined;
  const share = ([, w]: [RateLimitBucket, RateLimitWindow]) =>
    w.remaining === 0
      ? -1 / (1 + (w.resetSeconds ?? 0))
      : (w.remaining ?? 0) / (w.limit ?? Number.POSITIVE_INFINITY);
  const [name, window] = entries.sort((a, b) => share(a) - share(b))[0]!;
  const of = window.limit === undefined ? '' : ` of ${window.limit}`;
  return `${BUCKET_WORDS[name]} (${window.remaining}${of} left)`;
}
