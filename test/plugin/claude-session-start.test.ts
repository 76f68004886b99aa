// The SessionStart hook through the real Claude Code CLI (the pinned devDependency), offline, with a throwaway
// HOME: `claude -p --output-format stream-json --include-hook-events --plugin-dir <copy of plugin/>` reports the
// hook's output before the (unreachable) model is asked anything; the process is stopped right after.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PLUGIN_DIR, REPO_ROOT } from './plugin-files.js';

const CLAUDE = join(REPO_ROOT, 'node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs');

const sandbox = mkdtempSync(join(tmpdir(), 'speed-run-claude-hook-'));
after(() => rmSync(sandbox, { recursive: true, force: true, maxRetries: 5 }));
const home = join(sandbox, 'home');
const project = join(sandbox, 'project');
const plugin = join(sandbox, 'plugin');
mkdirSync(home);
mkdirSync(project);
cpSync(PLUGIN_DIR, plugin, { recursive: true });

interface HookResponse {
  hook_event: string;
  stdout: string;
  stderr: string;
  exit_code: number;
  outcome: string;
}

/** Starts a print-mode session with the plugin and returns the SessionStart hook's response event. */
function sessionStartHook(env: Record<string, string>): Promise<HookResponse> {
  const child = spawn(
    process.execPath,
    [CLAUDE, '-p', 'hi', '--output-format', 'stream-json', '--verbose', '--include-hook-events'].concat([
      '--plugin-dir',
      plugin,
    ]),
    {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        TMPDIR: home,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        // Nothing leaves the machine: the model endpoint is a closed local port.
        ANTHROPIC_API_KEY: 'sk-ant-offline-test',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the CLI and everything it started are stopped together.
      detached: true,
    },
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(
      () => finish(new Error(`no SessionStart hook event in 150 s:\n${buffer}${stderr}`)),
      150_000,
    );
    let settled = false;
    // Resolve once claude has exited, so nothing is still writing into the sandbox when it is removed.
    const finish = (result: HookResponse | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.once('exit', () => (result instanceof Error ? reject(result) : resolve(result)));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (const line of buffer.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { subtype?: string; hook_event?: string };
        if (event.subtype === 'hook_response' && event.hook_event === 'SessionStart') {
          finish(event as HookResponse);
          return;
        }
        if (event.subtype === 'init') {
          finish(new Error(`the session started without a SessionStart hook response:\n${buffer}`));
          return;
        }
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

test(
  'claude runs the SessionStart hook: a systemMessage line for a configuration problem, nothing without one',
  { timeout: 400_000 },
  async () => {
    const problem = await sessionStartHook({ CEREBRAS_API_KEY: 'csk-test', GENERATION_TIMEOUT: 'soon' });
    assert.equal(problem.exit_code, 0);
    assert.equal(problem.outcome, 'success');
    assert.equal(problem.stderr, '');
    const message = (JSON.parse(problem.stdout) as { systemMessage: string }).systemMessage;
    assert.match(message, /^speed-run: configuration problem.*GENERATION_TIMEOUT/);

    const fine = await sessionStartHook({ CEREBRAS_API_KEY: 'csk-test' });
    assert.equal(fine.stdout, '');
    assert.equal(fine.exit_code, 0);
  },
);
