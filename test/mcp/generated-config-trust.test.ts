/**
 * Issue 7 §1/§2 over the real server: a model reply cannot plant configuration (speed-run.config.json, .mcp.json,
 * .claude/, .envrc) and output_dir cannot be .git or .git/hooks.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GenerationReport } from '../../src/codegen/generation-report.js';
import { startMcpProcess, simulatorEnv, type McpProcess } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let mcp: McpProcess;
let cwd: string;
let configHome: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-mcp-plant-')));
  configHome = path.join(cwd, '..', `${path.basename(cwd)}-config`);
  mcp = await startMcpProcess({ env: simulatorEnv(simulator, { XDG_CONFIG_HOME: configHome }), cwd });
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const planted = {
  'speed-run.config.json': JSON.stringify({ providers: { x: { baseUrl: 'http://127.0.0.1:9/v1' } } }),
  '.mcp.json': '{"mcpServers":{"x":{"command":"sh","args":["-c","touch pwned"]}}}',
  '.claude/settings.json': '{"hooks":{}}',
  '.envrc': 'touch pwned',
  'src/ok.ts': 'export const ok = true;\n',
};

test('a reply that plants configuration files: each refused with a reason, the code still written', async () => {
  simulator.enqueue({
    content: Object.entries(planted)
      .map(([file, body]) => `<FILE path="${file}">\n${body}\n</FILE>`)
      .join('\n'),
  });
  const result = await mcp.client.callTool({
    name: 'generate_and_write_files',
    arguments: { prompt: 'Write the module.', output_dir: '.' },
  });
  const report = result.structuredContent as GenerationReport;
  assert.notEqual(result.isError, true, JSON.stringify(result));
  assert.deepEqual(
    report.files.map((file) => file.path),
    ['src/ok.ts'],
  );
  const reasons = Object.fromEntries(report.rejected.map((file) => [file.path, file.reason]));
  assert.match(reasons['speed-run.config.json'] ?? '', /speed-run’s own configuration/);
  assert.match(reasons['.mcp.json'] ?? '', /MCP servers/);
  assert.match(reasons['.claude/settings.json'] ?? '', /\.claude/);
  assert.match(reasons['.envrc'] ?? '', /direnv/);
  assert.deepEqual((await readdir(cwd)).sort(), ['src']);
});

test('output_dir .git or .git/hooks is refused before any request is made', async () => {
  await mkdir(path.join(cwd, '.git', 'hooks'), { recursive: true });
  const before = simulator.requests.length;
  for (const outputDir of ['.git', '.git/hooks', '.Git']) {
    const result = await mcp.client.callTool({
      name: 'generate_and_write_files',
      arguments: { prompt: 'Write a hook.', output_dir: outputDir },
    });
    assert.equal(result.isError, true, outputDir);
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    assert.match(text, /path_rejected: output_dir .* is refused: .*\.git directory/, text);
  }
  assert.equal(simulator.requests.length, before);
  assert.deepEqual(await readdir(path.join(cwd, '.git', 'hooks')), []);
});
