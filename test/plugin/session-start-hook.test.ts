import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PLUGIN_DIR } from './plugin-files.js';

/** The hook hooks/hooks.json runs: the bundled src/cli/session-start-hook.ts. */
const HOOK = join(PLUGIN_DIR, 'dist/session-start.mjs');

/**
 * Runs the hook in an empty project with only PATH and the given variables; `files` are written relative to the
 * project, which is also the user config home (XDG_CONFIG_HOME). Returns its systemMessage, or null.
 */
function runHook(env: Record<string, string>, files: Record<string, string> = {}) {
  const project = mkdtempSync(join(tmpdir(), 'speed-run-hook-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(project, name, '..'), { recursive: true });
      writeFileSync(join(project, name), content);
    }
    const result = spawnSync(process.execPath, [HOOK], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', CLAUDE_PROJECT_DIR: project, XDG_CONFIG_HOME: project, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '', 'stderr reaches only the debug log');
    if (result.stdout === '') return null;
    assert.equal(result.stdout.trim().split('\n').length, 1, result.stdout);
    const output = JSON.parse(result.stdout) as { systemMessage?: unknown };
    assert.deepEqual(Object.keys(output), ['systemMessage'], 'only a message for the user, no model context');
    assert.equal(typeof output.systemMessage, 'string');
    assert.doesNotMatch(String(output.systemMessage), /\n/, 'one line');
    return String(output.systemMessage);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

test('no key: one systemMessage line saying how to set one, exit 0', () => {
  const message = runHook({});
  assert.match(message ?? '', /no API key/);
  assert.match(message ?? '', /\/plugin configure speed-run@speed-run/);
  assert.match(message ?? '', /CEREBRAS_API_KEY/);
});

test('a key from the plugin prompt, SPEED_RUN_API_KEY or CEREBRAS_API_KEY: silent', () => {
  for (const name of ['CLAUDE_PLUGIN_OPTION_API_KEY', 'SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY']) {
    assert.equal(runHook({ [name]: 'csk-test' }), null, name);
  }
});

test('an empty value or an unexpanded ${...} placeholder is no key', () => {
  assert.match(runHook({ CEREBRAS_API_KEY: '${CEREBRAS_API_KEY}' }) ?? '', /no API key/);
  assert.match(runHook({ CLAUDE_PLUGIN_OPTION_API_KEY: '${user_config.api_key}' }) ?? '', /no API key/);
  assert.match(runHook({ SPEED_RUN_API_KEY: '  ' }) ?? '', /no API key/);
});

test('a configuration problem is named in the same one line, with a key set or not', () => {
  const timeout = runHook({ CEREBRAS_API_KEY: 'csk-test', GENERATION_TIMEOUT: 'soon' }) ?? '';
  assert.match(timeout, /configuration problem/);
  assert.match(timeout, /GENERATION_TIMEOUT/);
  assert.doesNotMatch(timeout, /csk-test/);
  const model = runHook({ SPEED_RUN_BASE_URL: 'http://127.0.0.1:9/v1', SPEED_RUN_API_KEY: 'k' }) ?? '';
  assert.match(model, /No model.*SPEED_RUN_MODEL/);
  const file = runHook({ CEREBRAS_API_KEY: 'k' }, { 'speed-run.config.json': '{ not json' }) ?? '';
  assert.match(file, /speed-run\.config\.json is not valid JSON/);
});

test('the user config file: the key variable its providers name counts; a project file may not name one', () => {
  const config = JSON.stringify({
    provider: 'groq',
    providers: { groq: { baseUrl: 'https://x', apiKeyEnv: 'GROQ_KEY', model: 'llama' } },
  });
  const files = { 'speed-run/config.json': config };
  assert.equal(runHook({ GROQ_KEY: 'gsk-test' }, files), null);
  assert.match(runHook({}, files) ?? '', /no API key \(GROQ_KEY is not set\)/);
  assert.match(
    runHook({ GROQ_KEY: 'gsk-test' }, { 'speed-run.config.json': config }) ?? '',
    /configuration problem/,
    'the server refuses a project file that names where a key comes from, and so does the hook',
  );
});
