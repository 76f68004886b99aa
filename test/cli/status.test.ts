import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

let simulator: Simulator;
before(async () => {
  simulator = await startSimulator();
});
after(async () => simulator.close());

test('no key: exit 2 with the setup steps on stderr, nothing on stdout but the report', async () => {
  const run = await runCli(['status']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /No API key for Cerebras: CEREBRAS_API_KEY is not set/);
  assert.match(run.stderr, /~\/\.claude\/settings\.json/);
  assert.match(run.stderr, /cloud\.cerebras\.ai/);
  assert.match(run.stdout, /status {5}error/);
});

test('ok: exit 0 with provider, model and latency', async () => {
  const run = await runCli(['status'], { env: simulatorEnv(simulator) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /status {5}ok/);
  assert.match(run.stdout, /gpt-oss-120b \(available\)/);
  assert.match(run.stdout, /latency {4}\d+ ms/);
  assert.equal(run.stderr, '');
});

test('--json prints the check_status fields', async () => {
  const run = await runCli(['status', '--json'], { env: simulatorEnv(simulator) });
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.equal(report.status, 'ok');
  assert.equal(report.base_url, simulator.baseUrl);
  assert.equal(report.model_available, true);
});

test('wrong key: exit 1, auth error, key redacted', async () => {
  const wrongKey = 'sk-cli-wrong-key-77777777';
  const run = await runCli(['status', '--json'], {
    env: { ...simulatorEnv(simulator), SPEED_RUN_API_KEY: wrongKey },
  });
  assert.equal(run.code, 1);
  assert.equal((JSON.parse(run.stdout) as { error_kind: string }).error_kind, 'auth');
  assert.ok(!run.stdout.includes(wrongKey) && !run.stderr.includes(wrongKey));
});

test('a malformed setting is a configuration problem: exit 2', async () => {
  const run = await runCli(['status'], {
    env: { SPEED_RUN_BASE_URL: 'not a url', SPEED_RUN_API_KEY: 'k-123456' },
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /SPEED_RUN_BASE_URL must be an http\(s\) URL/);
});

test('--live makes exactly one completion and prints its line; without it none, and the quota lines', async () => {
  const counted = await startSimulator({ rateLimitHeaders: true });
  const chats = () => counted.requests.filter((request) => request.path === '/v1/chat/completions').length;
  try {
    const plain = await runCli(['status'], { env: simulatorEnv(counted) });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(chats(), 0, 'status without --live generates nothing');
    assert.match(plain.stdout, /rate limit requestsPerDay: 14400\/14400 left, resets in \d+ s/);
    assert.match(plain.stdout, /rate limit tokensPerMinute: 60000\/60000 left/);
    assert.doesNotMatch(plain.stdout, /^live/m);

    const live = await runCli(['status', '--live'], { env: simulatorEnv(counted) });
    assert.equal(live.code, 0, live.stderr);
    assert.equal(chats(), 1);
    assert.match(live.stdout, /^live {7}ok \(gpt-oss-120b generated, \d+ ms\)$/m);
    assert.match(live.stdout, /requestsPerDay: 14399\/14400 left/, 'the completion’s figures were learned');

    const json = await runCli(['status', '--live', '--json'], { env: simulatorEnv(counted) });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { live: { ok: boolean; model: string; latency_ms: number } };
    assert.equal(report.live.ok, true);
    assert.equal(report.live.model, 'gpt-oss-120b');
    assert.equal(chats(), 2);
  } finally {
    await counted.close();
  }
});

test('--live with a failing completion: exit 1, the classified error on stderr, the key never shown', async () => {
  const failing = await startSimulator();
  failing.enqueue({
    status: 403,
    errorBody: { error: { message: `Key ${failing.apiKey} may not generate` } },
  });
  try {
    const run = await runCli(['status', '--live'], { env: simulatorEnv(failing) });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^status {5}error$/m);
    assert.match(run.stdout, /^live {7}failed \(auth\)$/m);
    assert.match(run.stderr, /live probe failed \(auth\)/);
    assert.doesNotMatch(run.stderr, /error \(undefined\)/);
    assert.ok(!run.stdout.includes(failing.apiKey) && !run.stderr.includes(failing.apiKey));
  } finally {
    await failing.close();
  }
});
