import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { checkStatus } from '../../src/provider/check-status.js';
import { LIVE_PROBE_MAX_TOKENS } from '../../src/provider/live-probe.js';
import { ProviderScheduler } from '../../src/provider/provider-scheduler.js';
import { streamCompletion } from '../../src/provider/stream-completion.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { simConfig } from './sim-config.js';

let sim: Simulator;
before(async () => {
  sim = await startSimulator();
});
after(() => sim.close());
beforeEach(() => {
  sim.requests.length = 0;
});

test('ok: the model is served, with the list and a latency', async () => {
  const report = await checkStatus(simConfig(sim));
  assert.equal(report.status, 'ok');
  assert.equal(report.modelAvailable, true);
  assert.deepEqual(report.availableModels, [...sim.models].sort());
  assert.ok(report.latencyMs !== null && report.latencyMs >= 0);
  assert.equal(report.errorKind, undefined);
  assert.ok(!JSON.stringify(report).includes(sim.apiKey));
});

test('no key (a placeholder) makes no request and carries the setup hint', async () => {
  const config = resolveConfig({
    env: { CEREBRAS_API_KEY: '${CEREBRAS_API_KEY}', CEREBRAS_URL: sim.baseUrl },
    cwd: process.cwd(),
  }).provider;
  const report = await checkStatus(config);
  assert.equal(report.status, 'error');
  assert.equal(report.errorKind, 'no_key');
  assert.match(report.setupHint ?? '', /~\/\.claude\/settings\.json/);
  assert.match(report.setupHint ?? '', /https:\/\/cloud\.cerebras\.ai/);
  assert.equal(sim.requests.length, 0);
});

test('a wrong key is auth, and the key appears nowhere in the report', async () => {
  const wrongKey = 'csk-not-the-right-one-9f8e7d6c5b4a';
  const report = await checkStatus(simConfig(sim, { apiKey: wrongKey }));
  assert.equal(report.status, 'error');
  assert.equal(report.errorKind, 'auth');
  assert.match(report.message ?? '', /CEREBRAS_API_KEY/);
  assert.ok(!JSON.stringify(report).includes(wrongKey));
});

test('an unreachable endpoint is unreachable, not auth', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const report = await checkStatus(simConfig(sim, { baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }));
  assert.equal(report.status, 'error');
  assert.equal(report.errorKind, 'unreachable');
  assert.match(report.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
});

test('a model the provider does not serve is model_not_found naming the available ones', async () => {
  const report = await checkStatus(simConfig(sim, { model: 'llama-9000' }));
  assert.equal(report.status, 'error');
  assert.equal(report.errorKind, 'model_not_found');
  assert.equal(report.modelAvailable, false);
  for (const model of sim.models) assert.ok(report.message?.includes(model));
});

test('reports x-ratelimit-* figures when /models carries them', async () => {
  const fetchWithHeaders: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const headers = new Headers(response.headers);
    headers.set('x-ratelimit-remaining-requests-day', '99');
    headers.set('x-ratelimit-reset-requests-day', '3600');
    return new Response(response.body, { status: response.status, headers });
  };
  const report = await checkStatus(simConfig(sim), { fetch: fetchWithHeaders });
  assert.deepEqual(report.rateLimit, { requestsPerDay: { remaining: 99, resetSeconds: 3600 } });
});

const chatRequests = (simulator: Simulator) =>
  simulator.requests.filter((request) => request.path === '/v1/chat/completions');

test('the /models figures are learned by the scheduler and reported, per minute and per day', async () => {
  const counted = await startSimulator({ rateLimitHeaders: true });
  try {
    const scheduler = new ProviderScheduler();
    const report = await checkStatus(simConfig(counted), { scheduler });
    assert.equal(report.status, 'ok');
    assert.equal(report.rateLimit?.requestsPerDay?.limit, 14_400);
    assert.equal(report.rateLimit?.requestsPerDay?.remaining, 14_400);
    assert.equal(report.rateLimit?.tokensPerMinute?.remaining, 60_000);
    const reset = report.rateLimit?.tokensPerMinute?.resetSeconds ?? -1;
    assert.ok(reset > 0 && reset <= 60, `tokens per minute reset in ${reset} s`);
    assert.deepEqual(scheduler.quota()?.requestsPerDay?.remaining, 14_400, 'the scheduler paces by them now');
    assert.equal(chatRequests(counted).length, 0, 'without live nothing is generated');
  } finally {
    await counted.close();
  }
});

test('figures the scheduler learned from an earlier request are reported though /models sends none', async () => {
  const scheduler = new ProviderScheduler();
  sim.enqueue({
    content: 'hi',
    headers: { 'x-ratelimit-limit-tokens-day': '1000000', 'x-ratelimit-remaining-tokens-day': '777' },
  });
  await streamCompletion(simConfig(sim), { prompt: 'hello', maxTokens: 10 }, () => undefined, { scheduler });
  const report = await checkStatus(simConfig(sim), { scheduler });
  assert.deepEqual(report.rateLimit, { tokensPerDay: { limit: 1_000_000, remaining: 777 } });
  const fresh = await checkStatus(simConfig(sim));
  assert.equal(fresh.rateLimit, undefined, 'nothing learned, nothing reported');
});

test('live: exactly one tiny completion with the configured model; its quota figures are learned', async () => {
  const counted = await startSimulator({ rateLimitHeaders: true });
  try {
    const report = await checkStatus(simConfig(counted), { live: true });
    assert.equal(report.status, 'ok');
    assert.equal(report.live?.ok, true);
    assert.ok(report.live?.ok && report.live.model === 'gpt-oss-120b' && report.live.latencyMs >= 0);
    const chats = chatRequests(counted);
    assert.equal(chats.length, 1);
    assert.equal(chats[0]?.body.max_completion_tokens, LIVE_PROBE_MAX_TOKENS);
    assert.equal(chats[0]?.body.model, 'gpt-oss-120b');
    assert.equal(chats[0]?.body.reasoning_effort, 'low', 'asked the way a generation asks');
    assert.equal(
      report.rateLimit?.requestsPerDay?.remaining,
      14_399,
      'the completion’s own headers were learned',
    );
  } finally {
    await counted.close();
  }
});

test('live: a failed completion is reported with its classified error, and the status is error', async () => {
  sim.enqueue({ status: 429, headers: { 'retry-after': '120' } });
  const report = await checkStatus(simConfig(sim), { live: true });
  assert.equal(report.status, 'error');
  assert.equal(report.errorKind, undefined, 'the model list itself was fine');
  assert.equal(report.live?.ok, false);
  assert.ok(!report.live?.ok && report.live?.errorKind === 'rate_limited', JSON.stringify(report.live));
  assert.equal(chatRequests(sim).length, 1, 'a wait past the probe’s timeout is not attempted');
});

test('live: not attempted when the key or the endpoint already failed', async () => {
  const report = await checkStatus(simConfig(sim, { apiKey: 'csk-wrong-0000000000' }), { live: true });
  assert.equal(report.errorKind, 'auth');
  assert.equal(report.live, undefined);
  assert.equal(chatRequests(sim).length, 0);
});

test('live: a model the list does not name is still tried, and the probe says why it fails', async () => {
  const report = await checkStatus(simConfig(sim, { model: 'llama-9000' }), { live: true });
  assert.equal(report.errorKind, 'model_not_found');
  assert.ok(!report.live?.ok && report.live?.errorKind === 'model_not_found', JSON.stringify(report.live));
  assert.equal(chatRequests(sim).length, 1);
});
