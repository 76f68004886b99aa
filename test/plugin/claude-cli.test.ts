// Drives the real Claude Code CLI (the pinned devDependency) against the marketplace, offline, with a throwaway
// HOME. The marketplace is added as a local directory: none of these commands needs git. It is a copy of
// .claude-plugin/ and plugin/ outside the repository, so the plugin cannot lean on the repo's node_modules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PLUGIN_DIR, REPO_ROOT, SKILL_NAMES } from './plugin-files.js';

const CLAUDE = join(REPO_ROOT, 'node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs');
const PLUGIN_ID = 'speed-run@speed-run';
const CONNECTED = /^plugin:speed-run:hosted-llm-codegen: node \S+\/dist\/speed-run\.mjs mcp - ✔ Connected$/m;
const MAX_ALWAYS_ON_TOKENS = 300;

const sandbox = mkdtempSync(join(tmpdir(), 'speed-run-claude-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));
const home = join(sandbox, 'home');
const project = join(sandbox, 'project');
const marketplace = join(sandbox, 'marketplace');
mkdirSync(home);
mkdirSync(project);
cpSync(join(REPO_ROOT, '.claude-plugin'), join(marketplace, '.claude-plugin'), { recursive: true });
cpSync(PLUGIN_DIR, join(marketplace, 'plugin'), { recursive: true });

/** Runs `claude <args>` with only PATH and the throwaway HOME: no host keys, settings or network chatter. */
function claude(args: string[]) {
  const result = spawnSync(process.execPath, [CLAUDE, ...args], {
    cwd: project,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TMPDIR: home,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_ERROR_REPORTING: '1',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, `claude ${args.join(' ')} exited ${result.status}:\n${output}`);
  return output;
}

test('claude plugin validate --strict: the marketplace and the plugin pass with no warnings', () => {
  for (const path of [REPO_ROOT, PLUGIN_DIR]) {
    const output = claude(['plugin', 'validate', '--strict', path]);
    assert.match(output, /Validation passed/);
    assert.doesNotMatch(output, /warning/i);
  }
});

test('marketplace add, install, details: five skills, the hook, the server, little always-on context', () => {
  assert.match(
    claude(['plugin', 'marketplace', 'add', marketplace]),
    /Successfully added marketplace: speed-run/,
  );
  assert.match(
    claude(['plugin', 'install', PLUGIN_ID]),
    /Successfully installed plugin: speed-run@speed-run/,
  );

  const details = claude(['plugin', 'details', PLUGIN_ID]);
  const skills = /Skills \((\d+)\)\s+(.*)/.exec(details);
  assert.equal(skills?.[1], String(SKILL_NAMES.length), details);
  assert.deepEqual(skills?.[2]?.split(', ').sort(), SKILL_NAMES);
  assert.match(details, /Hooks \(1\)\s+SessionStart/);
  assert.match(details, /MCP servers \(1\)\s+hosted-llm-codegen/);
  const alwaysOn = Number(/Always-on:\s+~?(\d+) tok/.exec(details)?.[1]);
  assert.ok(
    alwaysOn > 0 && alwaysOn < MAX_ALWAYS_ON_TOKENS,
    `always-on context: ${alwaysOn} tokens\n${details}`,
  );
});

test('claude mcp list: the plugin server is Connected without a key, then with one from the plugin prompt', () => {
  assert.match(claude(['mcp', 'list']), CONNECTED);

  assert.match(
    claude(['plugin', 'install', PLUGIN_ID, '--config', 'api_key=csk-test-key']),
    /speed-run@speed-run/,
  );
  assert.match(claude(['mcp', 'list']), CONNECTED);
});
