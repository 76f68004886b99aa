import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  BUNDLE_ENTRY,
  PLUGIN_DIR,
  REPO_ROOT,
  SKILL_NAMES,
  TOOL_PREFIX,
  readJson,
  readSkills,
  toolsNamedIn,
} from './plugin-files.js';
import { startMcpProcess } from '../support/mcp-process.js';

test('the committed plugin bundle matches a fresh build of src/ (scripts/build-bundle.mjs --check)', () => {
  const check = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-bundle.mjs'), '--check'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, check.stderr);
});

test('the marketplace entry points at plugin/, whose manifest has the same name and the package version', () => {
  const marketplace = readJson(join(REPO_ROOT, '.claude-plugin/marketplace.json')) as {
    plugins: { name: string; source: string }[];
  };
  const manifest = readJson(join(PLUGIN_DIR, '.claude-plugin/plugin.json')) as {
    name: string;
    version: string;
  };
  const pkg = readJson(join(REPO_ROOT, 'package.json')) as { version: string };
  assert.deepEqual(
    marketplace.plugins.map((plugin) => [plugin.name, plugin.source]),
    [['speed-run', './plugin']],
  );
  assert.equal(manifest.name, 'speed-run');
  assert.equal(manifest.version, pkg.version, 'bump plugin/.claude-plugin/plugin.json with package.json');
});

test('the MCP server and the hook run files that ship in plugin/', () => {
  const mcp = readJson(join(PLUGIN_DIR, '.mcp.json')) as {
    mcpServers: Record<string, { command: string; args: string[] }>;
  };
  assert.deepEqual(Object.keys(mcp.mcpServers), ['hosted-llm-codegen']);
  assert.deepEqual(mcp.mcpServers['hosted-llm-codegen']?.args, [
    `\${CLAUDE_PLUGIN_ROOT}/${BUNDLE_ENTRY}`,
    'mcp',
  ]);
  assert.ok(existsSync(join(PLUGIN_DIR, BUNDLE_ENTRY)), `${BUNDLE_ENTRY} is missing: run npm run build`);
  const hooks = readJson(join(PLUGIN_DIR, 'hooks/hooks.json')) as {
    hooks: { SessionStart: { hooks: { command: string }[] }[] };
  };
  for (const { hooks: commands } of hooks.hooks.SessionStart) {
    for (const { command } of commands) {
      const script = /\$\{CLAUDE_PLUGIN_ROOT\}\/([^"]+)/.exec(command)?.[1];
      assert.ok(
        script && existsSync(join(PLUGIN_DIR, script)),
        `hook command runs a missing file: ${command}`,
      );
    }
  }
});

test('five skills, one level deep, each named after its folder with a short description', () => {
  assert.equal(
    existsSync(join(PLUGIN_DIR, 'skills/SKILL.md')),
    false,
    'a top-level SKILL.md hides the others',
  );
  const skills = readSkills();
  assert.deepEqual(skills.map((skill) => skill.dir).sort(), SKILL_NAMES);
  for (const skill of skills) {
    assert.equal(skill.frontmatter.name, skill.dir);
    const description = skill.frontmatter.description ?? '';
    assert.ok(description.length > 20 && description.length <= 160, `${skill.dir}: description length`);
  }
});

test('every tool a skill names exists on the server, and every server tool is documented in a skill', async (t) => {
  const server = await startMcpProcess();
  t.after(() => server.close());
  const { tools } = await server.client.listTools();
  const serverTools = new Set(tools.map((tool) => tool.name));
  const documented = new Set(readSkills().flatMap((skill) => toolsNamedIn(skill.body)));
  const unknown = [...documented].filter((name) => !serverTools.has(name));
  const undocumented = [...serverTools].filter((name) => !documented.has(name));
  assert.deepEqual(unknown, [], `skills name tools the server lacks (prefix ${TOOL_PREFIX})`);
  assert.deepEqual(undocumented, [], 'server tools no skill documents');
});
