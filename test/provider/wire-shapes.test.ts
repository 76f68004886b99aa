import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import { readChunk } from '../../src/provider/read-chunk.js';
import { classifyStreamError } from '../../src/provider/stream-error.js';
import { streamCompletion } from '../../src/provider/stream-completion.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { simConfig } from './sim-config.js';

// Chunk fixtures written in the shapes real providers send (see docs/providers.md), replayed over real HTTP.
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/wire/${name}.sse`, import.meta.url), 'utf8');

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ firstTokenDelayMs: 1 });
});
after(() => sim.close());
beforeEach(() => {
  sim.requests.length = 0;
});

const chats = () => sim.requests.filter((r) => r.path === '/v1/chat/completions').length;

interface Expectation {
  text: string;
  finishReason: string | null;
  usage: {
    promptTokens: number;
    completionTokens: number;
    totalTokens: number;
    reasoningTokens?: number;
  } | null;
  model: string;
}

const cases: Record<string, Expectation> = {
  'azure-no-delta': {
    text: 'Hello, Azure',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12 },
    model: 'gpt-4.1-2025-04-14',
  },
  'mistral-content-parts': {
    text: 'Hello, Mistral',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 5, totalTokens: 14 },
    model: 'magistral-medium-2509',
  },
  'snowflake-no-finish-crlf': {
    text: 'Hello, Snowflake',
    finishReason: null,
    usage: { promptTokens: 9, completionTokens: 4, totalTokens: 13 },
    model: 'claude-sonnet-4-5',
  },
  'groq-x-groq-usage': {
    text: 'Hello, Groq',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 7, totalTokens: 16, reasoningTokens: 3 },
    model: 'openai/gpt-oss-120b',
  },
  'ollama-no-usage': { text: 'Hello, Ollama', finishReason: 'stop', usage: null, model: 'qwen2.5-coder:7b' },
  'openrouter-reasoning-keepalive': {
    text: 'Hello, OpenRouter',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 6, totalTokens: 15, reasoningTokens: 2 },
    model: 'openai/gpt-oss-120b',
  },
  'cerebras-time-info': {
    text: 'Hello, Cerebras',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 5, totalTokens: 14, reasoningTokens: 1 },
    model: 'gpt-oss-120b',
  },
  'llamacpp-timings': {
    text: 'Hello, llama.cpp',
    finishReason: 'stop',
    usage: { promptTokens: 9, completionTokens: 6, totalTokens: 15 },
    model: 'gpt-oss-20b',
  },
};

for (const [name, expected] of Object.entries(cases)) {
  // Whole, then cut every 5 and 7 bytes: framing must not depend on where TCP cuts.
  for (const splitEvery of [undefined, 5, 7]) {
    test(`${name} (split ${splitEvery ?? 'none'}): one request, content, finish reason, usage`, async () => {
      sim.enqueue({ sse: fixture(name), ...(splitEvery ? { sseSplitEvery: splitEvery } : {}) });
      const deltas: string[] = [];
      const result = await streamCompletion(simConfig(sim), { prompt: 'hi' }, (d) => deltas.push(d));
      assert.equal(result.text, expected.text);
      assert.equal(deltas.join(''), expected.text);
      assert.equal(result.finishReason, expected.finishReason);
      assert.deepEqual(result.usage, expected.usage);
      assert.equal(result.model, expected.model);
      assert.equal(chats(), 1, 'a complete stream is never asked for again');
    });
  }
}

test('a "data:" line without a space after the colon is read (Snowflake)', () => {
  assert.match(fixture('snowflake-no-finish-crlf'), /^data:\{/);
  assert.match(fixture('snowflake-no-finish-crlf'), /\r\n\r\n/);
});

test('a 4xx error object mid-stream is made once, says its message and the finish_reason before it', async () => {
  sim.enqueue({ sse: fixture('openrouter-error-400-after-length') });
  const error = await streamCompletion(simConfig(sim), { prompt: 'hi' }, () => {}).then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SpeedRunError);
  assert.equal(error.kind, 'provider');
  assert.equal(error.statusCode, 400);
  assert.equal(error.retryable, false);
  assert.match(error.message, /error 400 mid-stream after finish_reason "length"/);
  assert.match(error.message, /max_tokens exceeded the model's context window/);
  assert.equal(chats(), 1);
});

test('an overload error object mid-stream is retryable (the caller generates again)', async () => {
  sim.enqueue({ sse: fixture('groq-error-overloaded') });
  const error = await streamCompletion(simConfig(sim), { prompt: 'hi' }, () => {}).then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SpeedRunError);
  assert.equal(error.retryable, true);
  assert.match(error.message, /overloaded/);
});

test('the simulator makes the shapes itself: no finish_reason, x_groq usage, no usage, reported reasoning', async () => {
  sim.enqueue({ content: 'abcdefgh', finishReason: null });
  const none = await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  assert.equal(none.finishReason, null);
  assert.equal(none.text, 'abcdefgh');

  sim.enqueue({ content: 'abcdefgh', usage: 'x_groq' });
  assert.equal(
    (await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {})).usage?.completionTokens,
    2,
  );

  sim.enqueue({ content: 'abcdefgh', usage: 'none' });
  assert.equal((await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {})).usage, null);

  sim.enqueue({ reasoning: 'think', content: 'abcd', reportReasoningTokens: true });
  const reasoned = await streamCompletion(simConfig(sim), { prompt: 'p' }, () => {});
  assert.equal(reasoned.usage?.reasoningTokens, 2);
  assert.equal(reasoned.usage?.completionTokens, 3);
});

test('readChunk ignores chunks it cannot read instead of throwing', () => {
  for (const chunk of [
    null,
    'x',
    [],
    {},
    { choices: null },
    { choices: [null, 3] },
    { choices: [{ delta: 'x' }] },
  ]) {
    assert.deepEqual(readChunk(chunk), { content: '', reasoning: false, finishReason: null });
  }
  assert.equal(readChunk({ choices: [{ message: { content: 'whole' } }] }).content, 'whole');
});

test('classifyStreamError reads codes like HTTP statuses and infers the rest from the type', () => {
  assert.deepEqual(classifyStreamError({ code: 502, message: 'down' }), {
    status: 502,
    retryable: true,
    message: 'down',
  });
  assert.equal(classifyStreamError({ code: '429' }).retryable, true);
  assert.equal(classifyStreamError({ code: 400 }).retryable, false);
  assert.equal(
    classifyStreamError({ type: 'invalid_request_error', code: 'json_validate_failed' }).status,
    400,
  );
  assert.equal(classifyStreamError({ type: 'server_error', message: 'overloaded' }).retryable, true);
  assert.equal(classifyStreamError({ message: 'something odd' }).status, undefined);
  assert.equal(classifyStreamError({ message: 'something odd' }).retryable, false);
});
