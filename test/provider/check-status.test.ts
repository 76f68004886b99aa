import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { checkStatus } from '../../src/provider/check-status.js';
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
