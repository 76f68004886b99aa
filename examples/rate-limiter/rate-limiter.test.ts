/**
 * The contract's own acceptance test. After
 *   speed-run turbo examples/rate-limiter/CONTRACT.md --out examples/rate-limiter/out
 * run it with
 *   node --import tsx --test examples/rate-limiter/rate-limiter.test.ts
 * RATE_LIMITER_DIR points it at another directory holding the generated files.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface TakeResult {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}
interface BucketOptions {
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
}
interface Generated {
  TokenBucket: new (options: BucketOptions) => { take(cost?: number): TakeResult; available(): number };
  RateLimiter: new (options: BucketOptions & { maxKeys?: number }) => {
    check(key: string, cost?: number): TakeResult;
    reset(key: string): void;
    readonly size: number;
  };
}

const dir = process.env.RATE_LIMITER_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const { TokenBucket, RateLimiter } = (await import(
  pathToFileURL(path.join(dir, 'index.ts')).href
)) as Generated;

function clock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

test('a new bucket is full and takes one token by default', () => {
  const { now } = clock();
  const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, now });
  assert.deepEqual(bucket.take(), { allowed: true, remaining: 2, retryAfterMs: 0 });
  assert.equal(bucket.available(), 2);
});

test('an empty bucket refuses and says how long to wait', () => {
  const { now } = clock();
  const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 4, now });
  bucket.take(2);
  assert.deepEqual(bucket.take(), { allowed: false, remaining: 0, retryAfterMs: 250 });
  assert.deepEqual(bucket.take(3), { allowed: false, remaining: 0, retryAfterMs: Infinity });
});

test('tokens refill lazily with elapsed time, capped at capacity', () => {
  const time = clock();
  const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2, now: time.now });
  bucket.take(5);
  time.advance(1_500);
  assert.equal(bucket.available(), 3);
  time.advance(60_000);
  assert.equal(bucket.available(), 5);
});

test('retryAfterMs rounds up partial milliseconds', () => {
  const time = clock();
  const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 3, now: time.now });
  bucket.take();
  assert.equal(bucket.take().retryAfterMs, 334);
});

test('a clock that goes backwards adds nothing', () => {
  const time = clock(10_000);
  const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, now: time.now });
  bucket.take(2);
  time.advance(-5_000);
  assert.equal(bucket.available(), 0);
});

test('cost 0 is allowed and takes nothing', () => {
  const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, now: clock().now });
  assert.deepEqual(bucket.take(0), { allowed: true, remaining: 1, retryAfterMs: 0 });
});

test('invalid options and costs throw RangeError naming them', () => {
  const now = clock().now;
  assert.throws(() => new TokenBucket({ capacity: 0, refillPerSecond: 1, now }), /capacity/);
  assert.throws(() => new TokenBucket({ capacity: 1, refillPerSecond: Number.NaN, now }), RangeError);
  assert.throws(() => new TokenBucket({ capacity: Infinity, refillPerSecond: 1, now }), RangeError);
  assert.throws(() => new TokenBucket({ capacity: 1, refillPerSecond: 1, now }).take(-1), /cost/);
  assert.throws(() => new RateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 0, now }), /maxKeys/);
  assert.throws(() => new RateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 1.5, now }), RangeError);
  assert.throws(() => new RateLimiter({ capacity: -1, refillPerSecond: 1, now }), /capacity/);
});

test('the limiter keeps one bucket per key', () => {
  const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: clock().now });
  assert.equal(limiter.check('a').allowed, true);
  assert.equal(limiter.check('a').allowed, false);
  assert.equal(limiter.check('b').allowed, true);
  assert.equal(limiter.size, 2);
});

test('reset forgets a key', () => {
  const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: clock().now });
  limiter.check('a');
  limiter.reset('a');
  assert.equal(limiter.size, 0);
  assert.equal(limiter.check('a').allowed, true);
});

test('the least recently used key is evicted beyond maxKeys', () => {
  const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 2, now: clock().now });
  limiter.check('a');
  limiter.check('b');
  limiter.check('a'); // a is now the most recent
  limiter.check('c'); // evicts b
  assert.equal(limiter.size, 2);
  assert.equal(limiter.check('b').allowed, true, 'b starts over with a full bucket');
  assert.equal(limiter.check('c').allowed, false, 'c kept its empty bucket');
});

test('an empty key throws TypeError', () => {
  const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: clock().now });
  assert.throws(() => limiter.check(''), TypeError);
});
