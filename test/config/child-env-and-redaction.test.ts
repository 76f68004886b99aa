import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { childProcessEnv } from '../../src/config/child-env.js';
import { createStreamRedactor, redactDeep, redactSecrets } from '../../src/config/redact.js';
import { resolveConfig } from '../../src/config/resolve-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'speed-run-child-env-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

const KEY = 'sk-child-env-key-0123456789abcdef';
const PLUGIN = 'csk-plugin-key-0123456789abcdef';

test('the config knows every key variable and key, plugin options included', () => {
  const config = resolveConfig({
    env: {
      XDG_CONFIG_HOME: cwd,
      SPEED_RUN_BASE_URL: 'http://127.0.0.1:9/v1',
      SPEED_RUN_MODEL: 'm',
      SPEED_RUN_API_KEY: KEY,
      CLAUDE_PLUGIN_OPTION_API_KEY: PLUGIN,
      CLAUDE_PLUGIN_OPTION_MODEL: 'gpt-oss-120b',
    },
    cwd,
  });
  assert.deepEqual(config.keyVariables.sort(), [
    'CEREBRAS_API_KEY',
    'CLAUDE_PLUGIN_OPTION_API_KEY',
    'CLAUDE_PLUGIN_OPTION_MODEL',
    'SPEED_RUN_API_KEY',
  ]);
  assert.deepEqual(config.secrets.sort(), [PLUGIN, KEY].sort(), 'a non-secret option is not redacted');
});

test('childProcessEnv: no key variable, no plugin option, no variable holding a key; the rest untouched', () => {
  const env = childProcessEnv(
    { keyVariables: ['SPEED_RUN_API_KEY', 'GROQ_KEY'], secrets: [KEY, 'ollama'] },
    {
      PATH: '/usr/share/ollama/bin:/usr/bin',
      HOME: '/home/u',
      SPEED_RUN_API_KEY: KEY,
      GROQ_KEY: 'gsk-x',
      CLAUDE_PLUGIN_OPTION_API_KEY: PLUGIN,
      CLAUDE_PLUGIN_OPTION_ANYTHING: 'x',
      OPENAI_API_KEY: KEY,
      DATABASE_URL: `https://u:${KEY}@db`,
      LOCAL: 'ollama',
    },
  );
  assert.deepEqual(env, { PATH: '/usr/share/ollama/bin:/usr/bin', HOME: '/home/u' });
});

test('the stream redactor catches a key split at every chunk boundary', () => {
  const text = `before ${KEY} middle ${encodeURIComponent(KEY)} after ${KEY}`;
  for (let size = 1; size <= text.length; size++) {
    const redactor = createStreamRedactor([KEY]);
    let out = '';
    for (let i = 0; i < text.length; i += size) out += redactor.push(text.slice(i, i + size));
    out += redactor.end();
    assert.equal(out, redactSecrets(text, [KEY]), `chunk size ${size}`);
    assert.ok(!out.includes(KEY));
  }
  const none = createStreamRedactor([]);
  assert.equal(none.push('abc') + none.end(), 'abc');
});

test('redactDeep redacts every string of a structured value, keys included', () => {
  const value = { a: [`x ${KEY}`, 3, null, { [KEY]: true }], b: 'plain' };
  assert.deepEqual(redactDeep(value, [KEY]), {
    a: ['x [redacted]', 3, null, { '[redacted]': true }],
    b: 'plain',
  });
});
