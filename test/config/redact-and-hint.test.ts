import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderConfig } from '../../src/config/config-types.js';
import { redactSecrets } from '../../src/config/redact.js';
import { requireApiKey } from '../../src/config/require-api-key.js';
import { setupHint } from '../../src/config/setup-hint.js';
import { SpeedRunError } from '../../src/errors.js';

const key = 'csk-4f9a8b7c6d5e4f3a2b1c';

test('redacts every occurrence and the obvious encodings', () => {
  const texts = [
    `Authorization: Bearer ${key}`,
    `first ${key} second ${key}`,
    `url?key=${encodeURIComponent(key + '/+')}`,
    `basic ${Buffer.from(`:${key}`).toString('base64')}`,
    `b64 ${Buffer.from(key).toString('base64')}`,
    JSON.stringify({ message: `bad key ${key}` }),
  ];
  for (const text of texts) {
    const redacted = redactSecrets(text, [key + '/+', key, undefined]);
    assert.ok(!redacted.includes(key), redacted);
    assert.match(redacted, /\[redacted\]/);
  }
  assert.equal(redactSecrets('nothing here', [key]), 'nothing here');
  assert.equal(redactSecrets('a b c', ['a', undefined, '']), 'a b c', 'too-short secrets are ignored');
});

const provider = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  provider: 'cerebras',
  baseUrl: 'https://api.cerebras.ai/v1',
  apiKey: undefined,
  apiKeyVariable: 'CEREBRAS_API_KEY',
  model: 'gpt-oss-120b',
  timeoutMs: 1000,
  idleTimeoutMs: 1000,
  maxRetries: 0,
  maxInFlight: 1,
  maxOutputTokens: 16_384,
  ...overrides,
});

test('the setup hint gives the exact steps for Cerebras', () => {
  const hint = setupHint(provider());
  assert.match(hint, /~\/\.claude\/settings\.json as \{"env": \{"CEREBRAS_API_KEY": "your-key"\}\}/);
  assert.match(hint, /export CEREBRAS_API_KEY=your-key/);
  assert.match(hint, /plugin/);
  assert.match(hint, /https:\/\/cloud\.cerebras\.ai/);
  assert.match(hint, /SPEED_RUN_BASE_URL/);
});

test('the setup hint names the variable of another provider', () => {
  const hint = setupHint(
    provider({ provider: 'groq', apiKeyVariable: 'GROQ_API_KEY', baseUrl: 'https://api.groq.com/openai/v1' }),
  );
  assert.match(hint, /export GROQ_API_KEY=your-key/);
  assert.match(hint, /api\.groq\.com/);
  assert.doesNotMatch(hint, /cloud\.cerebras\.ai/);
});

test('requireApiKey returns the key or throws a config error with the hint', () => {
  assert.equal(requireApiKey(provider({ apiKey: key })), key);
  assert.throws(
    () => requireApiKey(provider()),
    (error) =>
      error instanceof SpeedRunError &&
      error.kind === 'config' &&
      error.field === 'CEREBRAS_API_KEY' &&
      /settings\.json/.test(error.hint ?? ''),
  );
});
