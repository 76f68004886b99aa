// The server always starts: a configuration problem is held, every tool answers it with the same tool error,
// and check_status reports it as its status. Each case starts the built server as Claude Code does.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CheckStatusOutput } from '../../src/mcp/tools/check-status.js';
import { startMcpProcess, simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let dir: string;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-mcp-config-')));
});
after(async () => {
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

const KEY = 'sk-held-config-do-not-echo-9191';

const badSetups: { name: string; env: Record<string, string>; configFile?: string; expect: RegExp }[] = [
  {
    name: 'SPEED_RUN_BASE_URL without SPEED_RUN_MODEL',
    env: { SPEED_RUN_BASE_URL: 'http://127.0.0.1:9/v1', SPEED_RUN_API_KEY: KEY },
    expect: /No model[\s\S]*SPEED_RUN_MODEL/,
  },
  {
    name: 'GENERATION_TIMEOUT=soon',
    env: { CEREBRAS_API_KEY: KEY, GENERATION_TIMEOUT: 'soon' },
    expect: /GENERATION_TIMEOUT[\s\S]*"soon"/,
  },
  {
    name: 'a config file with an unknown field',
    env: { CEREBRAS_API_KEY: KEY },
    configFile: JSON.stringify({ maxFilez: 3 }),
    expect: /maxFilez/,
  },
];

for (const setup of badSetups) {
  test(`${setup.name}: the server starts, every tool answers the same error, check_status reports it`, async () => {
    const cwd = await mkdtemp(path.join(dir, 'case-'));
    if (setup.configFile) await writeFile(path.join(cwd, 'speed-run.config.json'), setup.configFile);
    const mcp = await startMcpProcess({ env: setup.env, cwd });
    try {
      const status = await mcp.client.callTool({ name: 'check_status', arguments: {} });
      assert.notEqual(status.isError, true, 'a setup problem is the status, not a tool error');
      const output = status.structuredContent as CheckStatusOutput;
      assert.equal(output.status, 'error');
      assert.equal(output.error_kind, 'config');
      assert.match(`${output.message ?? ''}\n${output.setup_hint ?? ''}`, setup.expect);
      assert.match(output.setup_hint ?? '', /restart the MCP server/);

      const calls = [
        { name: 'race_step', arguments: { step: 'judge', feature: 'x' } },
        { name: 'generate_and_write_files', arguments: { prompt: 'x', output_dir: 'out' } },
      ];
      const texts: string[] = [];
      for (const call of calls) {
        const result = await mcp.client.callTool(call);
        assert.equal(result.isError, true, call.name);
        texts.push((result.content as { text: string }[])[0]?.text ?? '');
      }
      assert.equal(new Set(texts).size, 1, `one error for every tool:\n${texts.join('\n---\n')}`);
      assert.match(texts[0] ?? '', /^config: speed-run is not configured correctly: /);
      assert.match(texts[0] ?? '', setup.expect);
      assert.match(texts[0] ?? '', /restart the MCP server/);
      const everything = JSON.stringify(status) + texts.join('') + mcp.stderr();
      assert.ok(!everything.includes(KEY), 'the key is never echoed');
      assert.match(mcp.stderr(), /not configured correctly/, 'the server log says it too');
    } finally {
      await mcp.close();
    }
  });
}

test('CLAUDE_PROJECT_DIR is an allowed root besides the cwd and client roots', async () => {
  const cwd = await mkdtemp(path.join(dir, 'server-cwd-'));
  const project = await mkdtemp(path.join(dir, 'project-'));
  const write = async (env: Record<string, string>) => {
    const mcp = await startMcpProcess({ env: simulatorEnv(simulator, env), cwd });
    try {
      simulator.enqueue({ content: '<FILE path="a.ts">\nexport const a = 1;\n</FILE>\n' });
      return await mcp.client.callTool({
        name: 'generate_and_write_files',
        arguments: { prompt: 'x', output_dir: path.join(project, 'out') },
      });
    } finally {
      await mcp.close();
    }
  };
  const refused = await write({});
  assert.equal(refused.isError, true);
  assert.match((refused.content as { text: string }[])[0]?.text ?? '', /path_rejected/);

  const written = await write({ CLAUDE_PROJECT_DIR: project });
  assert.notEqual(written.isError, true, JSON.stringify(written.content));
  assert.equal(await readFile(path.join(project, 'out/a.ts'), 'utf8'), 'export const a = 1;\n');
});
