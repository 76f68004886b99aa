import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import {
  resolveConfig as resolveConfigReal,
  type ResolveConfigInput,
} from '../../src/config/resolve-config.js';
import { SpeedRunError } from '../../src/errors.js';

// One parent for every directory these tests make, removed at the end.
const parent = mkdtempSync(join(tmpdir(), 'speed-run-config-'));
after(() => rmSync(parent, { recursive: true, force: true }));
let made = 0;
const emptyDir = () => {
  const dir = join(parent, `d${++made}`);
  mkdirSync(dir);
  return dir;
};
// The machine's own ~/.config/speed-run/config.json must not change what these tests see.
const noUserConfig = emptyDir();
const resolveConfig = (input: ResolveConfigInput) =>
  resolveConfigReal({ ...input, env: { XDG_CONFIG_HOME: noUserConfig, ...input.env } });

function withFile(json: unknown, name = 'speed-run.config.json'): string {
  const dir = emptyDir();
  writeFileSync(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));
  return dir;
}

/** A user-level config dir ($XDG_CONFIG_HOME) holding speed-run/config.json. */
function userConfigHome(json: unknown): string {
  const home = emptyDir();
  mkdirSync(join(home, 'speed-run'));
  writeFileSync(join(home, 'speed-run', 'config.json'), JSON.stringify(json));
  return home;
}

function configError(run: () => unknown): SpeedRunError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SpeedRunError);
    assert.equal(error.kind, 'config');
    return error;
  }
  assert.fail('expected a config error');
}

test('defaults: Cerebras, gpt-oss-120b, 300 s, 60 s idle, 4 retries, 5 in flight, write limits', () => {
  const cwd = emptyDir();
  const config = resolveConfig({ env: {}, cwd });
  assert.deepEqual(config, {
    provider: {
      provider: 'cerebras',
      baseUrl: 'https://api.cerebras.ai/v1',
      apiKey: undefined,
      apiKeyVariable: 'CEREBRAS_API_KEY',
      model: 'gpt-oss-120b',
      timeoutMs: 300_000,
      idleTimeoutMs: 60_000,
      maxRetries: 4,
      maxInFlight: 5,
      maxOutputTokens: undefined,
    },
    limits: { maxFiles: 100, maxFileBytes: 4 * 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024 },
    allowedRoots: [cwd],
    cwd,
    keyVariables: ['SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY'],
    secrets: [],
  });
});

test('Cerebras variables: key, model, URL (a full chat/completions URL is stripped), timeout', () => {
  const { provider } = resolveConfig({
    env: {
      CEREBRAS_API_KEY: ' csk-abc ',
      CEREBRAS_MODEL: 'llama-3.3-70b',
      CEREBRAS_URL: 'https://proxy.example/v1/chat/completions/',
      GENERATION_TIMEOUT: '12.5',
    },
    cwd: emptyDir(),
  });
  assert.equal(provider.apiKey, 'csk-abc');
  assert.equal(provider.model, 'llama-3.3-70b');
  assert.equal(provider.baseUrl, 'https://proxy.example/v1');
  assert.equal(provider.timeoutMs, 12_500);
});

test('empty, whitespace and ${...} placeholder keys count as no key', () => {
  for (const key of ['', '   ', '${CEREBRAS_API_KEY}', 'prefix-${KEY}']) {
    const { provider } = resolveConfig({ env: { CEREBRAS_API_KEY: key }, cwd: emptyDir() });
    assert.equal(provider.apiKey, undefined, JSON.stringify(key));
    assert.equal(provider.apiKeyVariable, 'CEREBRAS_API_KEY');
  }
});

test('generic provider via SPEED_RUN_*: the Cerebras key is never sent elsewhere', () => {
  const { provider } = resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: 'https://api.groq.com/openai/v1',
      SPEED_RUN_MODEL: 'llama-3.3-70b-versatile',
      SPEED_RUN_PROVIDER: 'groq',
      CEREBRAS_API_KEY: 'csk-cerebras',
    },
    cwd: emptyDir(),
  });
  assert.equal(provider.provider, 'groq');
  assert.equal(provider.baseUrl, 'https://api.groq.com/openai/v1');
  assert.equal(provider.apiKey, undefined);
  assert.equal(provider.apiKeyVariable, 'SPEED_RUN_API_KEY');
  const labelled = resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: 'http://localhost:11434/v1',
      SPEED_RUN_MODEL: 'qwen2.5-coder',
      SPEED_RUN_API_KEY: 'ollama',
    },
    cwd: emptyDir(),
  }).provider;
  assert.equal(labelled.provider, 'openai-compatible');
  assert.equal(labelled.apiKey, 'ollama');
  assert.equal(labelled.apiKeyVariable, 'SPEED_RUN_API_KEY');
});

test('a non-Cerebras provider without base URL or model is a config error naming what to set', () => {
  const noUrl = configError(() => resolveConfig({ env: { SPEED_RUN_PROVIDER: 'groq' }, cwd: emptyDir() }));
  assert.match(noUrl.hint ?? '', /SPEED_RUN_BASE_URL/);
  const noModel = configError(() =>
    resolveConfig({ env: { SPEED_RUN_BASE_URL: 'http://localhost:8000/v1' }, cwd: emptyDir() }),
  );
  assert.equal(noModel.field, 'SPEED_RUN_MODEL');
});

test('precedence: override > environment > config file > default', () => {
  const cwd = withFile({ timeoutSeconds: 100, idleTimeoutSeconds: 20, maxRetries: 1, maxFiles: 7 });
  const fileOnly = resolveConfig({ env: {}, cwd });
  assert.equal(fileOnly.provider.timeoutMs, 100_000);
  assert.equal(fileOnly.provider.maxRetries, 1);
  assert.equal(fileOnly.limits.maxFiles, 7);
  assert.equal(fileOnly.provider.maxInFlight, 5);
  const env = { GENERATION_TIMEOUT: '200', SPEED_RUN_MAX_RETRIES: '0', SPEED_RUN_MAX_FILES: '9' };
  const fromEnv = resolveConfig({ env, cwd });
  assert.equal(fromEnv.provider.timeoutMs, 200_000);
  assert.equal(fromEnv.provider.maxRetries, 0);
  assert.equal(fromEnv.limits.maxFiles, 9);
  assert.equal(fromEnv.provider.idleTimeoutMs, 20_000);
  const overridden = resolveConfig({
    env,
    cwd,
    overrides: { timeoutMs: 5000, maxRetries: 3, maxFiles: 2, model: 'm' },
  });
  assert.equal(overridden.provider.timeoutMs, 5000);
  assert.equal(overridden.provider.maxRetries, 3);
  assert.equal(overridden.limits.maxFiles, 2);
  assert.equal(overridden.provider.model, 'm');
});

test('an invalid number names the variable and the bad value', () => {
  const cases: [string, string][] = [
    ['GENERATION_TIMEOUT', 'soon'],
    ['GENERATION_TIMEOUT', '-5'],
    ['SPEED_RUN_IDLE_TIMEOUT', '0'],
    ['SPEED_RUN_MAX_RETRIES', '1.5'],
    ['SPEED_RUN_MAX_RETRIES', '-1'],
    ['SPEED_RUN_MAX_IN_FLIGHT', '0'],
    ['SPEED_RUN_MAX_FILES', 'many'],
    ['SPEED_RUN_MAX_FILE_BYTES', '1e'],
    ['SPEED_RUN_MAX_TOTAL_BYTES', '12.3'],
  ];
  for (const [name, value] of cases) {
    const error = configError(() => resolveConfig({ env: { [name]: value }, cwd: emptyDir() }));
    assert.equal(error.field, name);
    assert.ok(error.message.includes(name) && error.message.includes(JSON.stringify(value)), error.message);
  }
  const override = configError(() =>
    resolveConfig({ env: {}, cwd: emptyDir(), overrides: { maxInFlight: 0 } }),
  );
  assert.match(override.message, /maxInFlight/);
});

test('a bad base URL is a config error', () => {
  const error = configError(() =>
    resolveConfig({ env: { CEREBRAS_URL: 'api.cerebras.ai' }, cwd: emptyDir() }),
  );
  assert.equal(error.field, 'CEREBRAS_URL');
});

test('allowed roots: cwd first, then SPEED_RUN_ALLOWED_DIRS resolved against cwd', () => {
  const cwd = emptyDir();
  const config = resolveConfig({
    env: { SPEED_RUN_ALLOWED_DIRS: ['../shared', '', '/abs/out'].join(delimiter) },
    cwd,
  });
  assert.deepEqual(config.allowedRoots, [cwd, join(cwd, '..', 'shared'), '/abs/out']);
});

test('user config file: named providers with apiKeyEnv, selected by "provider" or SPEED_RUN_PROVIDER', () => {
  const cwd = emptyDir();
  const home = userConfigHome({
    provider: 'groq',
    providers: {
      groq: {
        baseUrl: 'https://api.groq.com/openai/v1/',
        apiKeyEnv: 'GROQ_API_KEY',
        model: 'llama-3.3-70b-versatile',
      },
      local: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'local-model' },
    },
    allowedDirs: ['out'],
  });
  const groq = resolveConfig({ env: { XDG_CONFIG_HOME: home, GROQ_API_KEY: 'gsk-1' }, cwd });
  assert.equal(groq.provider.provider, 'groq');
  assert.equal(groq.provider.baseUrl, 'https://api.groq.com/openai/v1');
  assert.equal(groq.provider.apiKey, 'gsk-1');
  assert.equal(groq.provider.apiKeyVariable, 'GROQ_API_KEY');
  assert.deepEqual(groq.allowedRoots, [cwd, join(home, 'speed-run', 'out')]);
  // The variable named for this provider beats the generic SPEED_RUN_API_KEY: that key was set for groq.
  const both = resolveConfig({
    env: { XDG_CONFIG_HOME: home, GROQ_API_KEY: 'gsk-1', SPEED_RUN_API_KEY: 'csk-plugin' },
    cwd,
  }).provider;
  assert.equal(both.apiKey, 'gsk-1');
  const missingKey = resolveConfig({ env: { XDG_CONFIG_HOME: home }, cwd }).provider;
  assert.equal(missingKey.apiKeyVariable, 'GROQ_API_KEY');
  const local = resolveConfig({
    env: { XDG_CONFIG_HOME: home, SPEED_RUN_PROVIDER: 'local', SPEED_RUN_MODEL: 'other' },
    cwd,
  }).provider;
  assert.equal(local.baseUrl, 'http://127.0.0.1:8080/v1');
  assert.equal(local.model, 'other');
  const cerebras = resolveConfig({
    env: { XDG_CONFIG_HOME: home },
    cwd,
    overrides: { provider: 'cerebras' },
  }).provider;
  assert.equal(cerebras.baseUrl, 'https://api.cerebras.ai/v1');
});

test('SPEED_RUN_CONFIG names the file; a missing, malformed or key-bearing file is a config error', () => {
  const dir = withFile({ maxInFlight: 2 });
  const elsewhere = emptyDir();
  const named = resolveConfig({
    env: { SPEED_RUN_CONFIG: join(dir, 'speed-run.config.json') },
    cwd: elsewhere,
  });
  assert.equal(named.provider.maxInFlight, 2);
  configError(() => resolveConfig({ env: { SPEED_RUN_CONFIG: 'nope.json' }, cwd: elsewhere }));
  const broken = configError(() => resolveConfig({ env: {}, cwd: withFile('{ not json') }));
  assert.match(broken.message, /not valid JSON/);
  const unknown = configError(() => resolveConfig({ env: {}, cwd: withFile({ maxFiles: 'ten' }) }));
  assert.match(unknown.message, /maxFiles/);
  const literal = configError(() =>
    resolveConfig({
      env: {
        XDG_CONFIG_HOME: userConfigHome({
          providers: { x: { baseUrl: 'http://h/v1', apiKey: 'sk-live-1234' } },
        }),
      },
      cwd: elsewhere,
    }),
  );
  assert.match(literal.message, /providers\.x\.apiKey/);
  assert.ok(!literal.message.includes('sk-live-1234'));
  assert.match(literal.hint ?? '', /apiKeyEnv/);
});

test('SPEED_RUN_MAX_TOKENS and SPEED_RUN_REASONING_EFFORT are read; a bad effort names the variable', () => {
  const cwd = emptyDir();
  const { provider } = resolveConfig({
    env: { SPEED_RUN_MAX_TOKENS: '6000', SPEED_RUN_REASONING_EFFORT: 'Medium' },
    cwd,
  });
  assert.equal(provider.maxOutputTokens, 6000);
  assert.equal(provider.reasoningEffort, 'medium');
  assert.throws(
    () => resolveConfig({ env: { SPEED_RUN_REASONING_EFFORT: 'max' }, cwd }),
    (error) =>
      error instanceof SpeedRunError &&
      error.field === 'SPEED_RUN_REASONING_EFFORT' &&
      /off, low, medium or high/.test(error.message),
  );
});
