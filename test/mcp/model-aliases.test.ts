// A model alias from the project's config file, given per call: the provider is asked for the real model id,
// and the results and the run record name it.
import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LeanGenerationReport } from '../../src/codegen/generation-report.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { LeanScoreboard } from '../../src/mcp/tools/race-results.js';
import { loadManifest } from '../../src/race/record/manifest-store.js';
import { fileReply } from '../support/file-reply.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { CONTRACT, sumReply } from '../race/race-fixture.js';

let simulator: Simulator;
let mcp: InProcessMcp;
let cwd: string;
let userConfigHome: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-aliases-')));
  userConfigHome = await mkdtemp(path.join(tmpdir(), 'speed-run-aliases-home-'));
  await writeFile(
    path.join(cwd, 'speed-run.config.json'),
    JSON.stringify({ modelAliases: { fast: 'llama-3.3-70b', big: 'qwen-3-32b' } }),
  );
  const env = simulatorEnv(simulator, { XDG_CONFIG_HOME: userConfigHome });
  mcp = await connectInProcess(resolveConfig({ env, cwd }));
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
  await rm(userConfigHome, { recursive: true, force: true });
});

const chatModels = () =>
  simulator.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model as string);

test('generate_and_write_files {model: alias}: the provider gets the real id, the receipt names it', async () => {
  simulator.requests.length = 0;
  simulator.enqueue({ content: fileReply({ files: 1 }) });
  const result = await mcp.client.callTool({
    name: 'generate_and_write_files',
    arguments: { prompt: 'Write one module.', output_dir: 'out', model: 'fast' },
  });
  const text = (result.content as { text: string }[])[0]?.text ?? '';
  assert.notEqual(result.isError, true, text);
  assert.deepEqual(chatModels(), ['llama-3.3-70b']);
  assert.equal((result.structuredContent as LeanGenerationReport).receipt.model, 'llama-3.3-70b');
  assert.ok(!text.includes('"fast"'), 'the alias is not reported as a model');
});

test('race {models: aliases}: each runner asks for, and the record keeps, the real model id', async () => {
  simulator.requests.length = 0;
  simulator.respond = () => ({ content: sumReply() });
  try {
    const result = await mcp.client.callTool({
      name: 'race',
      arguments: { feature: 'sum', contract: CONTRACT, runners: 2, models: ['fast', 'big'] },
    });
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    assert.notEqual(result.isError, true, text);
    assert.deepEqual(
      (result.structuredContent as LeanScoreboard).runners.map((r) => r.status),
      ['generated', 'generated'],
    );
    assert.deepEqual(chatModels().sort(), ['llama-3.3-70b', 'qwen-3-32b']);
    const manifest = await loadManifest(cwd, 'sum', 'race');
    assert.deepEqual(
      manifest?.runners.map((r) => [r.variation.model, r.generation?.model]),
      [
        ['llama-3.3-70b', 'llama-3.3-70b'],
        ['qwen-3-32b', 'qwen-3-32b'],
      ],
    );
    assert.deepEqual(manifest?.options.models, ['llama-3.3-70b', 'qwen-3-32b']);
  } finally {
    delete simulator.respond;
  }
});

test('two aliases of one model are one model: a models race refuses them as duplicates', async () => {
  const result = await mcp.client.callTool({
    name: 'race',
    arguments: { feature: 'dup', contract: CONTRACT, runners: 2, models: ['fast', 'llama-3.3-70b'] },
  });
  assert.equal(result.isError, true);
  assert.match(JSON.stringify(result.content), /distinct/);
});
