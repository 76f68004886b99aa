import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import { ProviderScheduler } from '../../src/provider/provider-scheduler.js';
import { streamCompletion } from '../../src/provider/stream-completion.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { simConfig } from './sim-config.js';

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ rateLimitHeaders: true, tokensPerSecond: 5000, firstTokenDelayMs: 5 });
});
after(() => sim.close());
beforeEach(() => {
  sim.requests.length = 0;
  sim.respond = undefined;
});

const chatRequests = () => sim.requests.filter((r) => r.path === '/v1/chat/completions');

async function rejection(promise: Promise<unknown>): Promise<SpeedRunError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SpeedRunError, `expected a SpeedRunError, got ${String(error)}`);
    assert.ok(!JSON.stringify({ ...error, message: error.message }).includes(sim.apiKey), 'key leaked');
    assert.ok(!error.message.includes(sim.apiKey) && !(error.hint ?? '').includes(sim.apiKey), 'key leaked');
    return error;
  }
  assert.fail('expected a rejection');
}

test('assembles streamed content, reports usage, finish reason, model and rate limits', async () => {
  const content = 'export const answer = 42;\n'.repeat(20);
  sim.enqueue({ content });
  const deltas: string[] = [];
  const result = await streamCompletion(
    simConfig(sim),
    { prompt: 'x'.repeat(400), systemPrompt: 'be terse' },
    (d) => deltas.push(d),
  );
  assert.equal(result.text, content);
  assert.equal(deltas.join(''), content);
  assert.ok(deltas.length > 10, 'content arrives as many deltas');
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.model, 'gpt-oss-120b');
  assert.ok(result.usage);
  assert.equal(result.usage.completionTokens, Math.ceil(content.length / 4));
  assert.equal(result.usage.promptTokens, Math.ceil((400 + 'be terse'.length) / 4));
  assert.equal(result.usage.totalTokens, result.usage.promptTokens + result.usage.completionTokens);
  assert.ok(result.timeToFirstTokenMs !== null && result.timeToFirstTokenMs >= 0);
  assert.ok(result.durationMs >= result.timeToFirstTokenMs);
  assert.equal(result.rateLimit?.requestsPerDay?.limit, 14400);
  assert.ok(typeof result.rateLimit?.tokensPerMinute?.resetSeconds === 'number');

  const body = chatRequests()[0]?.body;
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.equal(body.max_completion_tokens, 16_384, 'the configured default (SPEED_RUN_MAX_TOKENS)');
  assert.equal(body.reasoning_effort, 'low', 'gpt-oss takes reasoning_effort; low by default');
  assert.deepEqual(
    body.messages.map((m: { role: string }) => m.role),
    ['system', 'user'],
  );
});

test('sends the caller-sized max_completion_tokens, temperature and model', async () => {
  sim.enqueue({ content: 'ok' });
  await streamCompletion(
    simConfig(sim),
    { prompt: 'p', maxTokens: 2048, temperature: 0.2, model: 'llama-3.3-70b' },
    () => {},
  );
  const body = chatRequests()[0]?.body;
  assert.equal(body.max_completion_tokens, 2048);
  assert.equal(body.temperature, 0.2);
  assert.equal(body.model, 'llama-3.3-70b');
});

for (const reasoningField of ['reasoning', 'reasoning_content'] as const) {
  test(`never passes ${reasoningField} deltas to onContent`, async () => {
    sim.enqueue({ reasoning: 'SECRET THOUGHTS '.repeat(10), reasoningField, content: 'visible' });
    const deltas: string[] = [];
    const result = await streamCompletion(simConfig(sim), { prompt: 'p' }, (d) => deltas.push(d));
    assert.equal(result.text, 'visible');
    assert.equal(deltas.join(''), 'visible');
  });
}

test('surfaces finish_reason "length"', async () => {
  sim.enqueue({ content: 'truncated outp', finishReason: 'length' });
  const result = await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  assert.equal(result.finishReason, 'length');
  assert.equal(result.text, 'truncated outp');
});

test('honours retry-after-ms on a 429, then succeeds', async () => {
  sim.enqueue({ status: 429, headers: { 'retry-after-ms': '200' } }, { content: 'after the wait' });
  const result = await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  assert.equal(result.text, 'after the wait');
  const [first, second] = chatRequests();
  assert.equal(chatRequests().length, 2);
  assert.ok(
    second!.receivedAt - first!.receivedAt >= 195,
    `waited ${second!.receivedAt - first!.receivedAt} ms`,
  );
});

test('honours retry-after in seconds', async () => {
  sim.enqueue({ status: 429, headers: { 'retry-after': '0.3' } }, { content: 'ok' });
  await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  const [first, second] = chatRequests();
  assert.ok(second!.receivedAt - first!.receivedAt >= 295);
});

test('honours x-ratelimit-reset-* on a 429 without retry-after', async () => {
  sim.enqueue(
    {
      status: 429,
      headers: {
        'x-ratelimit-remaining-tokens-minute': '0',
        'x-ratelimit-reset-tokens-minute': '0.25',
        'x-ratelimit-remaining-requests-day': '100',
        'x-ratelimit-reset-requests-day': '40000',
      },
    },
    { content: 'ok' },
  );
  await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  const [first, second] = chatRequests();
  const waited = second!.receivedAt - first!.receivedAt;
  assert.ok(waited >= 245 && waited < 2000, `waited ${waited} ms`);
});

test('gives up on a 429 whose reset lies beyond the time budget, naming the reset time', async () => {
  sim.enqueue({ status: 429, headers: { 'retry-after': '30', 'x-ratelimit-reset-tokens-minute': '30' } });
  const started = Date.now();
  const error = await rejection(
    streamCompletion(simConfig(sim, { timeoutMs: 2000 }), { prompt: 'p' }, () => {}),
  );
  assert.ok(Date.now() - started < 1500, 'did not sleep through the budget');
  assert.equal(error.kind, 'rate_limited');
  assert.equal(error.statusCode, 429);
  assert.match(error.message, /resets in 30 s \(at \d{4}-\d\d-\d\dT/);
  assert.equal(chatRequests().length, 1);
});

test('rate_limited after the retries run out', async () => {
  const limited = { status: 429, headers: { 'retry-after-ms': '10' } };
  sim.enqueue(limited, limited, limited);
  const error = await rejection(
    streamCompletion(simConfig(sim, { maxRetries: 2 }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'rate_limited');
  assert.equal(chatRequests().length, 3);
});

test('retries 5xx with backoff, then succeeds', async () => {
  sim.enqueue({ status: 503 }, { status: 500 }, { content: 'third time' });
  const result = await streamCompletion(simConfig(sim, { maxRetries: 3 }), { prompt: 'p' }, () => {});
  assert.equal(result.text, 'third time');
  assert.equal(chatRequests().length, 3);
});

for (const status of [400, 401, 403, 404, 422]) {
  test(`does not retry ${status}`, async () => {
    sim.enqueue({ status });
    const error = await rejection(
      streamCompletion(simConfig(sim, { maxRetries: 3 }), { prompt: 'p' }, () => {}),
    );
    assert.equal(chatRequests().length, 1);
    assert.equal(error.statusCode, status);
    assert.equal(error.kind, status === 401 || status === 403 ? 'auth' : 'provider');
  });
}

test('a bad key is an auth error that never repeats the key', async () => {
  const wrongKey = 'csk-wrong-key-that-must-not-leak-123456';
  const error = await rejection(
    streamCompletion(simConfig(sim, { apiKey: wrongKey }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'auth');
  assert.match(error.message, /CEREBRAS_API_KEY/);
  assert.match(error.message, /\[redacted\]/, 'the provider echoed the key and it was redacted');
  const everything = JSON.stringify({
    ...error,
    message: error.message,
    hint: error.hint,
    stack: error.stack,
  });
  assert.ok(!everything.includes(wrongKey));
  assert.equal(error.cause, undefined);
});

test('an unknown model is model_not_found listing the available models', async () => {
  const error = await rejection(
    streamCompletion(simConfig(sim, { model: 'gpt-5-ultra' }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'model_not_found');
  for (const model of sim.models) assert.ok(error.message.includes(model), error.message);
  assert.match(error.message, /gpt-5-ultra/);
  assert.equal(chatRequests().length, 1);
});

test('an unreachable endpoint is unreachable, naming the base URL', async () => {
  const port = await closedPort();
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const error = await rejection(
    streamCompletion(simConfig(sim, { baseUrl, maxRetries: 1 }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'unreachable');
  assert.match(error.message, /ECONNREFUSED/);
  assert.ok(error.hint?.includes(baseUrl));
});

test('a stream that breaks mid-way is a retryable provider error saying how far it got', async () => {
  sim.enqueue({ content: 'a'.repeat(400), fault: 'disconnect-mid-stream' });
  const deltas: string[] = [];
  const error = await rejection(streamCompletion(simConfig(sim), { prompt: 'p' }, (d) => deltas.push(d)));
  assert.equal(error.kind, 'provider');
  assert.equal(error.retryable, true);
  assert.ok(deltas.join('').length > 0);
  assert.match(error.message, new RegExp(`broke after ${deltas.join('').length} characters`));
  assert.equal(chatRequests().length, 1, 'a begun stream is not retried');
});

test('a request that never answers hits the whole-request timeout', async () => {
  sim.enqueue({ fault: 'hang' });
  const started = Date.now();
  const error = await rejection(
    streamCompletion(simConfig(sim, { timeoutMs: 300, idleTimeoutMs: 5000 }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'timeout');
  assert.ok(Date.now() - started < 2000);
  assert.equal(chatRequests().length, 1);
});

test('a stream that goes silent hits the idle timeout', async () => {
  sim.enqueue({ content: 'b'.repeat(200), fault: 'hang-mid-stream' });
  const error = await rejection(
    streamCompletion(simConfig(sim, { timeoutMs: 5000, idleTimeoutMs: 250 }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'idle_timeout');
  assert.equal(error.retryable, true);
  assert.match(error.message, /after \d+ characters/);
});

test('a caller abort rejects with the abort reason and is not retried', async () => {
  sim.enqueue({ fault: 'hang' });
  const controller = new AbortController();
  const reason = new Error('stop now');
  // Abort once the request has reached the server (it hangs there), however loaded the machine.
  const poll = setInterval(() => {
    if (chatRequests().length === 0) return;
    clearInterval(poll);
    controller.abort(reason);
  }, 5);
  await assert.rejects(
    streamCompletion(simConfig(sim), { prompt: 'p', signal: controller.signal }, () => {}),
    (error) => error === reason,
  );
  assert.equal(chatRequests().length, 1);
});

test('an abort during a retry wait ends the wait at once', async () => {
  sim.enqueue({ status: 503, headers: { 'retry-after': '5' } });
  const controller = new AbortController();
  let abortedAt = 0;
  // Abort once the first request has been answered (the client is then waiting 5 s), however loaded the machine.
  const poll = setInterval(() => {
    if (chatRequests().length === 0) return;
    clearInterval(poll);
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort(new Error('cancelled'));
    }, 50);
  }, 5);
  await assert.rejects(
    streamCompletion(simConfig(sim), { prompt: 'p', signal: controller.signal }, () => {}),
  );
  assert.ok(Date.now() - abortedAt < 1000);
  assert.equal(chatRequests().length, 1);
});

test('a placeholder key is no key: a config error with the setup hint, and no request', async () => {
  const error = await rejection(
    streamCompletion(simConfig(sim, { apiKey: undefined }), { prompt: 'p' }, () => {}),
  );
  assert.equal(error.kind, 'config');
  assert.match(error.hint ?? '', /settings\.json/);
  assert.equal(sim.requests.length, 0);
});

test('ten concurrent calls never exceed maxInFlight', async () => {
  const limiter = new ProviderScheduler();
  let peak = 0;
  const sample = () => (peak = Math.max(peak, limiter.inFlight));
  const timer = setInterval(sample, 2);
  sim.respond = () => ({ content: 'c'.repeat(200), tokensPerSecond: 1000 });
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      streamCompletion(simConfig(sim, { maxInFlight: 3 }), { prompt: `call ${i}` }, sample, {
        scheduler: limiter,
      }),
    ),
  );
  clearInterval(timer);
  assert.equal(results.length, 10);
  assert.equal(peak, 3);
  assert.equal(limiter.inFlight, 0);
  assert.equal(chatRequests().length, 10);
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
