import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestLimiter } from '../../src/provider/request-limiter.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test('never lets more than max run at once', async () => {
  const limiter = new RequestLimiter();
  let running = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      const release = await limiter.acquire(3);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      running -= 1;
      release();
    }),
  );
  assert.equal(peak, 3);
  assert.equal(limiter.inFlight, 0);
});

test('grants slots in arrival order', async () => {
  const limiter = new RequestLimiter();
  const first = await limiter.acquire(1);
  const order: number[] = [];
  const waiting = [1, 2, 3, 4].map((n) => limiter.acquire(1).then((release) => (order.push(n), release)));
  await tick();
  assert.equal(limiter.waiting, 4);
  first();
  for (const pending of waiting) (await pending)();
  assert.deepEqual(order, [1, 2, 3, 4]);
});

test('a later caller does not overtake a waiting one, even with a higher limit', async () => {
  const limiter = new RequestLimiter();
  const held = await limiter.acquire(1);
  const order: string[] = [];
  const strict = limiter.acquire(1).then((release) => (order.push('strict'), release));
  const loose = limiter.acquire(5).then((release) => (order.push('loose'), release));
  await tick();
  assert.deepEqual(order, []);
  held();
  (await strict)();
  (await loose)();
  assert.deepEqual(order, ['strict', 'loose']);
});

test('an aborted waiter leaves the queue; releasing twice frees one slot', async () => {
  const limiter = new RequestLimiter();
  const held = await limiter.acquire(1);
  const controller = new AbortController();
  const waiter = limiter.acquire(1, controller.signal);
  controller.abort(new Error('gone'));
  await assert.rejects(waiter, /gone/);
  assert.equal(limiter.waiting, 0);
  held();
  held();
  assert.equal(limiter.inFlight, 0);
});

test('rejects a limit below 1', async () => {
  await assert.rejects(new RequestLimiter().acquire(0), /maxInFlight/);
});
