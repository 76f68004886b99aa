import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateFiles } from '../../src/codegen/generate-files.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { isSpeedRunError } from '../../src/errors.js';
import { ProviderScheduler } from '../../src/provider/provider-scheduler.js';
import { streamCompletion } from '../../src/provider/stream-completion.js';
import { fileReply } from '../support/file-reply.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { simConfig } from './sim-config.js';

// A Cerebras-style quota scaled down in time: 30K tokens and 5 requests per 1-second "minute", reserved by
// prompt + max_completion_tokens before anything is generated.
const QUOTA = { tokensPerMinute: 30_000, requestsPerMinute: 5, windowMs: 1000 };

let root: string;
const sims: Simulator[] = [];
before(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-quota-')));
});
after(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  await rm(root, { recursive: true, force: true });
});

async function sim(): Promise<Simulator> {
  const simulator = await startSimulator({ quota: QUOTA, tokensPerSecond: 20_000, firstTokenDelayMs: 5 });
  sims.push(simulator);
  return simulator;
}

test('five runners sharing one scheduler against a 30K-tokens quota: all files, at most a few 429s', async () => {
  const simulator = await sim();
  simulator.respond = () => ({ content: fileReply({ files: 3, lines: 20 }) });
  const config = resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: simulator.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
      SPEED_RUN_MAX_TOKENS: '8000',
    },
    cwd: root,
  });
  const scheduler = new ProviderScheduler();
  const results = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      generateFiles(config, { prompt: `runner ${i + 1}`, outputDir: `runner-${i + 1}` }, { scheduler }),
    ),
  );
  for (const result of results) {
    assert.equal(result.files.length, 3);
    assert.equal(result.truncated, false);
  }
  assert.ok(simulator.quotaRejections <= 2, `${simulator.quotaRejections} 429s`);
  // 5 x ~8K reserved does not fit 30K at once: some runners waited for the next window.
  const chats = simulator.requests.filter((r) => r.path === '/v1/chat/completions');
  const spread = chats.at(-1)!.receivedAt - chats[0]!.receivedAt;
  assert.ok(spread >= 500, `requests spread over ${spread} ms`);
  assert.equal(scheduler.inFlight, 0);
});

test('the scheduler learns the quota from /models-style headers and reports it', async () => {
  const simulator = await sim();
  const scheduler = new ProviderScheduler();
  const response = await fetch(`${simulator.baseUrl}/models`, {
    headers: { authorization: `Bearer ${simulator.apiKey}` },
  });
  scheduler.observe(response.headers);
  const quota = scheduler.quota();
  assert.equal(quota?.tokensPerMinute?.limit, 30_000);
  assert.equal(quota?.tokensPerMinute?.remaining, 30_000);
  assert.equal(quota?.requestsPerMinute?.limit, 5);
  assert.ok((quota?.tokensPerMinute?.resetSeconds ?? -1) >= 0);
});

test('a request that must wait longer than it may fails at once, naming the bucket and the reset', async () => {
  const simulator = await sim();
  const scheduler = new ProviderScheduler();
  scheduler.observe(
    new Headers({
      'x-ratelimit-limit-tokens-day': '1000000',
      'x-ratelimit-remaining-tokens-day': '0',
      'x-ratelimit-reset-tokens-day': '7200',
    }),
  );
  const before = simulator.requests.length;
  await assert.rejects(
    streamCompletion(simConfig(simulator, { timeoutMs: 2000 }), { prompt: 'p' }, () => {}, { scheduler }),
    (error) =>
      isSpeedRunError(error) &&
      error.kind === 'rate_limited' &&
      /tokens per day quota is used up \(0 of 1000000 left/.test(error.message) &&
      /resets in 720\d s/.test(error.message),
  );
  assert.equal(simulator.requests.length, before, 'no request was sent');
});

test('a 429 from the quota names the exhausted bucket', async () => {
  const simulator = await sim();
  const config = simConfig(simulator, { maxRetries: 0 });
  // Each call reserves more than half the window: the second one in the same window is refused.
  const scheduler = new ProviderScheduler();
  await streamCompletion(config, { prompt: 'p', maxTokens: 20_000 }, () => {}, { scheduler });
  await assert.rejects(
    streamCompletion(config, { prompt: 'p', maxTokens: 20_000 }, () => {}),
    (error) =>
      isSpeedRunError(error) &&
      error.kind === 'rate_limited' &&
      /the tokens per minute \(\d+ of 30000 left\) quota is used up; the limit resets in/.test(error.message),
  );
});
