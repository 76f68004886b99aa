import assert from 'node:assert/strict';
import { mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { LeanGenerationReport } from '../../src/codegen/generation-report.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { createServer } from '../../src/mcp/server.js';
import { startMcpProcess, simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let cwd: string;
let clientRoot: string;
before(async () => {
  simulator = await startSimulator({
    tokensPerSecond: 40_000,
    defaultReply: { content: '<FILE path="a.ts">\nx\n</FILE>\n' },
  });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-roots-cwd-')));
  clientRoot = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-roots-client-')));
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
  await rm(clientRoot, { recursive: true, force: true });
});

test('over stdio: a root the client declares becomes writable', async () => {
  const mcp = await startMcpProcess({ env: simulatorEnv(simulator), cwd, roots: [clientRoot] });
  try {
    const result = await mcp.client.callTool({
      name: 'generate_and_write_files',
      arguments: { prompt: 'x', output_dir: path.join(clientRoot, 'out') },
    });
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    assert.deepEqual(
      (result.structuredContent as LeanGenerationReport).files.map((file) => file.path),
      ['a.ts'],
    );
    assert.deepEqual(await readdir(path.join(clientRoot, 'out')), ['a.ts']);
  } finally {
    await mcp.close();
  }
});

test('in process: roots are asked once, and again after roots/list_changed', async () => {
  const config = resolveConfig({ env: simulatorEnv(simulator), cwd });
  const { server } = createServer({ config, version: '0.0.0-test', log: () => undefined });
  const client = new Client({ name: 't', version: '0' }, { capabilities: { roots: { listChanged: true } } });
  let roots: string[] = [];
  let asked = 0;
  client.setRequestHandler('roots/list', async () => {
    asked += 1;
    return { roots: roots.map((dir) => ({ uri: pathToFileURL(dir).href })) };
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  try {
    const call = () =>
      client.callTool({
        name: 'generate_and_write_files',
        arguments: { prompt: 'x', output_dir: path.join(clientRoot, 'in-process') },
      });
    assert.equal((await call()).isError, true, 'not a root yet');
    assert.equal((await call()).isError, true, 'still cached');
    assert.equal(asked, 1);
    roots = [clientRoot];
    await client.sendRootsListChanged();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await call();
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    assert.equal(asked, 2);
  } finally {
    await client.close();
    await server.close();
  }
});
