// check_status over the real protocol (the SDK client, in memory, against createServer): the quota the server's
// scheduler learned, and the live probe only when asked for.
import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { LeanStatusOutput } from '../../src/mcp/tools/check-status.js';
import { LIVE_PROBE_MAX_TOKENS } from '../../src/provider/live-probe.js';
import { fileReply } from '../support/file-reply.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let mcp: InProcessMcp;
let cwd: string;

before(async () => {
  simulator = await startSimulator({ rateLimitHeaders: true, tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-status-')));
  mcp = await connectInProcess(
    resolveConfig({ env: simulatorEnv(simulator, { XDG_CONFIG_HOME: cwd }), cwd }),
  );
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});
beforeEach(() => {
  simulator.requests.length = 0;
});

const chats = () => simulator.requests.filter((request) => request.path === '/v1/chat/completions');

async function checkStatus(args: Record<string, unknown> = {}) {
  const result = await mcp.client.callTool({ name: 'check_status', arguments: args });
  assert.notEqual(result.isError, true);
  const text = (result.content as { text: string }[])[0]?.text ?? '';
  const output = result.structuredContent as LeanStatusOutput;
  assert.deepEqual(JSON.parse(text), output);
  return { output, text };
}

test('without live: the quota from the /models response, whole-second resets, no completion', async () => {
  const { output, text } = await checkStatus();
  assert.equal(output.status, 'ok');
  assert.equal(output.live, undefined);
  assert.equal(chats().length, 0, 'nothing is generated without live');
  const day = output.rate_limit?.requestsPerDay;
  const minute = output.rate_limit?.tokensPerMinute;
  assert.equal(day?.limit, 14_400);
  assert.equal(minute?.remaining, 60_000);
  assert.ok(
    Number.isInteger(minute?.reset_seconds) && (minute?.reset_seconds ?? 0) <= 60,
    JSON.stringify(minute),
  );
  assert.ok(text.length < 400, `the result is ${text.length} bytes: ${text}`);
});

test('live: true makes exactly one tiny completion and reports ok, model and latency', async () => {
  const { output, text } = await checkStatus({ live: true });
  assert.equal(output.status, 'ok');
  assert.deepEqual(Object.keys(output.live ?? {}).sort(), ['latency_ms', 'model', 'ok']);
  assert.ok(output.live?.ok && output.live.model === 'gpt-oss-120b' && output.live.latency_ms >= 0);
  assert.equal(chats().length, 1);
  assert.equal(chats()[0]?.body.max_completion_tokens, LIVE_PROBE_MAX_TOKENS);
  assert.ok(text.length < 450, `the result is ${text.length} bytes: ${text}`);
});

test('live: a provider error is a status error with the classified kind, never a tool error', async () => {
  simulator.enqueue({
    status: 400,
    errorBody: { error: { message: 'reasoning_effort is not supported', type: 'invalid_request_error' } },
  });
  const { output } = await checkStatus({ live: true });
  assert.equal(output.status, 'error');
  assert.ok(output.live && !output.live.ok, JSON.stringify(output.live));
  assert.equal(output.live.error_kind, 'provider');
  assert.match(output.live.message, /reasoning_effort is not supported/);
  assert.equal(chats().length, 1, 'a 400 is not retried');
});

test('the figures a generation taught the server are reported by a later check', async () => {
  simulator.enqueue({
    content: fileReply({ files: 1 }),
    headers: { 'x-ratelimit-limit-tokens-day': '1000000', 'x-ratelimit-remaining-tokens-day': '4321' },
  });
  const written = await mcp.client.callTool({
    name: 'generate_and_write_files',
    arguments: { prompt: 'Write one module.', output_dir: 'out' },
  });
  assert.notEqual(written.isError, true, JSON.stringify(written.content));
  const { output } = await checkStatus();
  assert.deepEqual(output.rate_limit?.tokensPerDay, { limit: 1_000_000, remaining: 4321 });
});
