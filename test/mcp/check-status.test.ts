import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import type { LeanStatusOutput } from '../../src/mcp/tools/check-status.js';
import { startMcpProcess, simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
before(async () => {
  simulator = await startSimulator();
});
after(async () => simulator.close());

/** Calls check_status on a freshly spawned server; returns the output, the raw result text and stderr. */
async function checkStatus(env: Record<string, string>) {
  const mcp = await startMcpProcess({ env });
  try {
    const result = await mcp.client.callTool({ name: 'check_status', arguments: {} });
    assert.notEqual(
      result.isError,
      true,
      'a status check reports problems in its fields, not as a tool error',
    );
    const output = result.structuredContent as LeanStatusOutput;
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    assert.deepEqual(JSON.parse(text), output, 'the text block carries the same JSON');
    return { output, raw: JSON.stringify(result), stderr: mcp.stderr() };
  } finally {
    await mcp.close();
  }
}

test('ok: provider, model and latency, without the model list it does not need', async () => {
  const { output } = await checkStatus(simulatorEnv(simulator));
  assert.equal(output.status, 'ok');
  assert.equal(output.base_url, simulator.baseUrl);
  assert.equal(output.model, 'gpt-oss-120b');
  assert.equal(typeof output.latency_ms, 'number');
  assert.equal(output.model_available, undefined, 'true is the default and is omitted');
  assert.equal(output.available_models, undefined);
  assert.equal(output.error_kind, undefined);
});

test('no key: status error with the exact setup steps', async () => {
  const { output } = await checkStatus({});
  assert.equal(output.status, 'error');
  assert.equal(output.error_kind, 'no_key');
  assert.match(output.setup_hint ?? '', /CEREBRAS_API_KEY/);
  assert.match(output.setup_hint ?? '', /settings\.json/);
});

test('a ${...} placeholder key counts as no key', async () => {
  const { output } = await checkStatus({
    ...simulatorEnv(simulator),
    SPEED_RUN_API_KEY: '${CEREBRAS_API_KEY}',
  });
  assert.equal(output.error_kind, 'no_key');
});

test('wrong key: auth error, and the key never appears', async () => {
  const wrongKey = 'sk-wrong-key-do-not-echo-4242';
  const { output, raw, stderr } = await checkStatus({
    ...simulatorEnv(simulator),
    SPEED_RUN_API_KEY: wrongKey,
  });
  assert.equal(output.status, 'error');
  assert.equal(output.error_kind, 'auth');
  assert.ok(!raw.includes(wrongKey), 'result is redacted');
  assert.ok(!stderr.includes(wrongKey), 'log is redacted');
});

test('unreachable endpoint is told apart from a wrong key', async () => {
  const port = await closedPort();
  const { output } = await checkStatus({
    ...simulatorEnv(simulator),
    SPEED_RUN_BASE_URL: `http://127.0.0.1:${port}/v1`,
  });
  assert.equal(output.status, 'error');
  assert.equal(output.error_kind, 'unreachable');
});

test('model missing: lists what is available', async () => {
  const { output } = await checkStatus({ ...simulatorEnv(simulator), SPEED_RUN_MODEL: 'no-such-model' });
  assert.equal(output.status, 'error');
  assert.equal(output.error_kind, 'model_not_found');
  assert.equal(output.model_available, false);
  assert.deepEqual(output.available_models, simulator.models);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}
