import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PLUGIN_DIR } from './plugin-files.js';

const HOOK = join(PLUGIN_DIR, 'hooks/check-api-key.mjs');

/**
 * Runs the hook in an empty project with only PATH and the given variables; `files` are written relative to the
 * project, which is also the user config home (XDG_CONFIG_HOME).
 */
function runHook(env: Record<string, string>, files: Record<string, string> = {}) {
  const project = mkdtempSync(join(tmpdir(), 'speed-run-hook-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(project, name, '..'), { recursive: true });
    writeFileSync(join(project, name), content);
  }
  const result = spawnSync(process.execPath, [HOOK], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '', CLAUDE_PROJECT_DIR: project, XDG_CONFIG_HOME: project, ...env },
    encoding: 'utf8',
    timeout: 5000,
  });
  rmSync(project, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('no key: one line on stderr saying how to set one, nothing on stdout, exit 0', () => {
  const { status, stdout, stderr } = runHook({});
  assert.equal(status, 0);
  assert.equal(stdout, '', 'SessionStart stdout would be added to the model context');
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(stderr, /no API key/);
  assert.match(stderr, /\/plugin configure speed-run@speed-run/);
  assert.match(stderr, /CEREBRAS_API_KEY/);
});

test('a key from the plugin prompt, SPEED_RUN_API_KEY or CEREBRAS_API_KEY: silent', () => {
  for (const name of ['CLAUDE_PLUGIN_OPTION_API_KEY', 'SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY']) {
    assert.deepEqual(runHook({ [name]: 'csk-test' }), { status: 0, stdout: '', stderr: '' }, name);
  }
});

test('an empty value or an unexpanded ${...} placeholder is no key', () => {
  assert.match(runHook({ CEREBRAS_API_KEY: '${CEREBRAS_API_KEY}' }).stderr, /no API key/);
  assert.match(runHook({ CLAUDE_PLUGIN_OPTION_API_KEY: '${user_config.api_key}' }).stderr, /no API key/);
  assert.match(runHook({ SPEED_RUN_API_KEY: '  ' }).stderr, /no API key/);
});

test('the user config file: the key variable its providers name counts; a project file does not', () => {
  const config = JSON.stringify({
    provider: 'groq',
    providers: { groq: { baseUrl: 'https://x', apiKeyEnv: 'GROQ_KEY' } },
  });
  const files = { 'speed-run/config.json': config };
  assert.equal(runHook({ GROQ_KEY: 'gsk-test' }, files).stderr, '');
  assert.match(runHook({}, files).stderr, /no API key/);
  assert.match(
    runHook({ GROQ_KEY: 'gsk-test' }, { 'speed-run.config.json': config }).stderr,
    /no API key/,
    'a project file may not name where a key comes from',
  );
  assert.equal(
    runHook({}, { 'speed-run/config.json': '{ not json' }).stderr,
    '',
    'the server reports bad files',
  );
});
