import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from './openai-simulator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed wire JSON
type Json = any;

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ rateLimitHeaders: true });
});
after(() => sim.close());

function post(body: unknown, key = sim.apiKey) {
  return fetch(`${sim.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function parseSse(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
    .map((event) => JSON.parse(event.slice(6)));
}

test('streams content and reasoning as OpenAI-shaped chunks, usage on the last one', async () => {
  sim.enqueue({ content: 'Hello, world!', reasoning: 'think', reasoningField: 'reasoning_content' });
  const res = await post({
    model: 'gpt-oss-120b',
    stream: true,
    messages: [{ role: 'user', content: '12345678' }],
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-ratelimit-limit-requests-day'), '14400');
  assert.ok(res.headers.get('x-ratelimit-reset-tokens-minute'));
  const text = await res.text();
  assert.ok(text.endsWith('data: [DONE]\n\n'));
  const chunks = parseSse(text) as Json[];
  const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
  const reasoning = chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('');
  assert.equal(content, 'Hello, world!');
  assert.equal(reasoning, 'think');
  const last = chunks.at(-1);
  assert.equal(last.choices[0].finish_reason, 'stop');
  assert.deepEqual(last.usage, { prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 });
  assert.equal(sim.requests.at(-1)?.body.model, 'gpt-oss-120b');
});

test('answers non-streaming requests with one completion', async () => {
  sim.enqueue({ content: 'abc', finishReason: 'length' });
  const res = await post({ model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'hi' }] });
  const body = (await res.json()) as Json;
  assert.equal(body.choices[0].message.content, 'abc');
  assert.equal(body.choices[0].finish_reason, 'length');
});

test('rejects a wrong key with 401, an unknown model with 404, and serves /models', async () => {
  const unauthorized = await post({ model: 'gpt-oss-120b', messages: [] }, 'nope');
  assert.equal(unauthorized.status, 401);
  const missing = await post({ model: 'no-such-model', messages: [] });
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as Json).error.code, 'model_not_found');
  const models = await fetch(`${sim.baseUrl}/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
  assert.deepEqual(
    ((await models.json()) as Json).data.map((m: Json) => m.id),
    sim.models,
  );
  assert.equal(models.headers.get('x-ratelimit-limit-requests-day'), '14400', '/models carries them too');
});

test('answers with an enqueued status, body and headers', async () => {
  sim.enqueue({ status: 429, headers: { 'retry-after': '1' } });
  const res = await post({ model: 'gpt-oss-120b', stream: true, messages: [] });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.equal(((await res.json()) as Json).error.type, 'too_many_requests_error');
});

test('disconnects mid-stream after about half the content', async () => {
  sim.enqueue({ content: 'x'.repeat(40), fault: 'disconnect-mid-stream' });
  const res = await post({ model: 'gpt-oss-120b', stream: true, messages: [] });
  await assert.rejects(res.text());
});

test('paces tokens in real time', async () => {
  sim.enqueue({ content: 'y'.repeat(40), tokensPerSecond: 100, firstTokenDelayMs: 0 });
  const started = Date.now();
  await (await post({ model: 'gpt-oss-120b', stream: true, messages: [] })).text();
  assert.ok(Date.now() - started >= 80, 'ten tokens at 100/s take about 100 ms');
});

test('close() ends hanging responses', async () => {
  const own = await startSimulator();
  own.enqueue({ fault: 'hang' });
  const pending = fetch(`${own.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${own.apiKey}` },
    body: JSON.stringify({ model: 'gpt-oss-120b', stream: true, messages: [] }),
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await own.close();
  await assert.rejects(pending);
});
