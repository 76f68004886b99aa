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
