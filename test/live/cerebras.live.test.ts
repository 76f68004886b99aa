/**
 * Talks to the real Cerebras API. Runs only with a real CEREBRAS_API_KEY, and only through `npm run test:live`
 * (`npm test` leaves test/live/ out). Costs a handful of tokens.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { checkStatus } from '../../src/provider/check-status.js';
import { streamCompletion } from '../../src/provider/stream-completion.js';

// A configuration problem (e.g. GENERATION_TIMEOUT=soon exported) is a failing test with its message, not a crash.
let resolved: ReturnType<typeof resolveConfig> | Error;
try {
  resolved = resolveConfig({ env: process.env, cwd: process.cwd() });
} catch (error) {
  resolved = error instanceof Error ? error : new Error(String(error));
}
test('the configuration from the environment resolves', () => {
  if (resolved instanceof Error) throw resolved;
});
const config = resolved instanceof Error ? undefined : resolved;
const skip =
  config === undefined
    ? 'the configuration does not resolve (see the failing test)'
    : config.provider.apiKey === undefined || config.provider.provider !== 'cerebras'
      ? 'CEREBRAS_API_KEY is not set (or SPEED_RUN_* points elsewhere): live Cerebras tests skipped'
      : false;

test('checkStatus reports ok for the configured model', { skip }, async () => {
  const report = await checkStatus(config!.provider);
  assert.equal(report.status, 'ok', report.message);
  assert.equal(report.modelAvailable, true);
  assert.ok(!JSON.stringify(report).includes(config!.provider.apiKey ?? '\u0000'));
});

test('streams a tiny completion', { skip }, async () => {
  const deltas: string[] = [];
  const result = await streamCompletion(
    config!.provider,
    { prompt: 'Reply with exactly the word: pong', maxTokens: 512 },
    (delta) => deltas.push(delta),
  );
  assert.equal(result.text, deltas.join(''));
  assert.match(result.text.toLowerCase(), /pong/);
  assert.ok(result.usage !== null && result.usage.completionTokens > 0);
  assert.ok(result.finishReason === 'stop' || result.finishReason === 'length');
});
