import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationSeconds, parseRateLimit, rateLimitResetMs } from '../../src/provider/rate-limit.js';
import { backoffDelayMs, isRetryableStatus, retryDelayFromHeaders } from '../../src/provider/retry-delay.js';

const headers = (init: Record<string, string>) => new Headers(init);

test('retryable statuses are 408, 409, 429 and 5xx', () => {
  for (const status of [408, 409, 429, 500, 502, 503, 504])
    assert.ok(isRetryableStatus(status), String(status));
  for (const status of [400, 401, 403, 404, 422]) assert.ok(!isRetryableStatus(status), String(status));
});

test('retry-after-ms wins, then retry-after seconds, then an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(
    retryDelayFromHeaders(headers({ 'retry-after-ms': '150', 'retry-after': '9' }), 429, now),
    150,
  );
  assert.equal(retryDelayFromHeaders(headers({ 'retry-after': '2' }), 503, now), 2000);
  assert.equal(
    retryDelayFromHeaders(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), 429, now),
    5000,
  );
  assert.equal(retryDelayFromHeaders(headers({}), 503, now), undefined);
});

test('x-ratelimit-reset-* applies to 429 only: the exhausted bucket, else the soonest reset', () => {
  const exhausted = headers({
    'x-ratelimit-remaining-requests-day': '0',
    'x-ratelimit-reset-requests-day': '120',
    'x-ratelimit-remaining-tokens-minute': '500',
    'x-ratelimit-reset-tokens-minute': '12.5',
  });
  assert.equal(retryDelayFromHeaders(exhausted, 429, 0), 120_000);
  assert.equal(retryDelayFromHeaders(exhausted, 503, 0), undefined);
  const none = headers({
    'x-ratelimit-reset-requests-day': '3000',
    'x-ratelimit-reset-tokens-minute': '12.5',
  });
  assert.equal(retryDelayFromHeaders(none, 429, 0), 12_500);
});

test('backoff doubles from 0.5 s with at most 25% jitter, capped at 8 s', () => {
  assert.equal(
    backoffDelayMs(0, () => 0),
    500,
  );
  assert.equal(
    backoffDelayMs(2, () => 0),
    2000,
  );
  assert.equal(
    backoffDelayMs(10, () => 0),
    8000,
  );
  assert.equal(
    backoffDelayMs(0, () => 1),
    375,
  );
});

test('parses Cerebras and OpenAI-style rate-limit headers', () => {
  assert.deepEqual(
    parseRateLimit(
      headers({
        'x-ratelimit-limit-requests-day': '14400',
        'x-ratelimit-remaining-requests-day': '14390',
        'x-ratelimit-reset-requests-day': '33011.38',
        'x-ratelimit-limit-tokens-minute': '60000',
        'x-ratelimit-remaining-tokens-minute': '59000',
        'x-ratelimit-reset-tokens-minute': '11.38',
        'x-ratelimit-reset-tokens': '6m0s',
        'x-other': '1',
      }),
    ),
    {
      requestsPerDay: { limit: 14400, remaining: 14390, resetSeconds: 33011.38 },
      tokensPerMinute: { limit: 60000, remaining: 59000, resetSeconds: 11.38 },
      tokens: { resetSeconds: 360 },
    },
  );
  assert.equal(parseRateLimit(headers({ 'content-type': 'text/plain' })), undefined);
  assert.equal(rateLimitResetMs(undefined), undefined);
});

test('parses durations', () => {
  assert.equal(parseDurationSeconds('42'), 42);
  assert.equal(parseDurationSeconds('1m30s'), 90);
  assert.equal(parseDurationSeconds('1h'), 3600);
  assert.equal(parseDurationSeconds('250ms'), 0.25);
  assert.equal(parseDurationSeconds('soon'), undefined);
  assert.equal(parseDurationSeconds(''), undefined);
});
