import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMcpProcess, simulatorEnv, type McpProcess } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let mcp: McpProcess;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 20_000 });
  mcp = await startMcpProcess({ env: simulatorEnv(simulator) });
});
after(async () => {
  await mcp.close();
  await simulator.close();
});

const textOf = (result: { content?: unknown }) => (result.content as { text: string }[])[0]?.text ?? '';

test('generate returns the reply text, model, usage, finish reason and duration', async () => {
  simulator.enqueue({ content: 'A ring buffer is a fixed-size FIFO.', reasoning: 'thinking hard' });
  const result = await mcp.client.callTool({
    name: 'generate',
    arguments: { prompt: 'What is a ring buffer?', max_tokens: 200, temperature: 0 },
  });
  assert.notEqual(result.isError, true, textOf(result));
  const output = result.structuredContent as Record<string, unknown>;
  assert.equal(output.text, 'A ring buffer is a fixed-size FIFO.');
  assert.equal(output.model, 'gpt-oss-120b');
  assert.equal(output.finish_reason, undefined, 'a normal stop is not reported');
  assert.equal(typeof output.duration_ms, 'number');
  assert.ok((output.usage as { completion_tokens: number }).completion_tokens > 0);
  const body = simulator.requests.at(-1)?.body as { max_completion_tokens: number; temperature: number };
  assert.equal(body.max_completion_tokens, 200);
  assert.equal(body.temperature, 0);
});

test('generate sizes max_completion_tokens to 4096 by default', async () => {
  simulator.enqueue({ content: 'ok' });
  await mcp.client.callTool({ name: 'generate', arguments: { prompt: 'hi' } });
  assert.equal(
    (simulator.requests.at(-1)?.body as { max_completion_tokens: number }).max_completion_tokens,
    4096,
  );
});

test('a 429 is retried and then succeeds', async () => {
  simulator.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { content: 'after the limit' });
  const result = await mcp.client.callTool({ name: 'generate', arguments: { prompt: 'x' } });
  assert.notEqual(result.isError, true, textOf(result));
  assert.equal((result.structuredContent as { text: string }).text, 'after the limit');
});

test('a provider failure is a tool error with kind and hint, never the key', async () => {
  simulator.enqueue({
    status: 400,
    errorBody: { error: { message: `bad request for ${simulator.apiKey}` } },
  });
  const result = await mcp.client.callTool({ name: 'generate', arguments: { prompt: 'x' } });
  assert.equal(result.isError, true);
  assert.match(textOf(result), /^provider: /);
  assert.ok(!JSON.stringify(result).includes(simulator.apiKey));
  assert.ok(!mcp.stderr().includes(simulator.apiKey));
});

test('no key: a tool error with the setup steps', async () => {
  const keyless = await startMcpProcess({
    env: { SPEED_RUN_BASE_URL: simulator.baseUrl, SPEED_RUN_MODEL: 'm' },
  });
  try {
    for (const name of ['generate', 'generate_and_write_files']) {
      const result = await keyless.client.callTool({ name, arguments: { prompt: 'x', output_dir: 'out' } });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /^config: No API key/);
      assert.match(textOf(result), /SPEED_RUN_API_KEY/);
    }
  } finally {
    await keyless.close();
  }
});
