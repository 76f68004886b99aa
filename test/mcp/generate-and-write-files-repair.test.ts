import assert from 'node:assert/strict';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GenerationReport } from '../../src/codegen/generation-report.js';
import { startMcpProcess, simulatorEnv, type McpProcess } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let mcp: McpProcess;
let cwd: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-mcp-repair-')));
  mcp = await startMcpProcess({ env: simulatorEnv(simulator), cwd });
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

test('test_command and repair_rounds: an EDIT to a context file, a failing test, one repair, green', async () => {
  await writeFile(path.join(cwd, 'mul.mjs'), 'export const mul = (a, b) => a + b;\r\n');
  await writeFile(
    path.join(cwd, 'mul.test.mjs'),
    "import assert from 'node:assert';\nimport { test } from 'node:test';\nimport { mul } from './mul.mjs';\ntest('mul', () => assert.equal(mul(3, 4), 12));\n",
  );
  const hunk = (from: string, to: string) =>
    `<EDIT path="mul.mjs">\n<<<<<<< SEARCH\n${from}\n=======\n${to}\n>>>>>>> REPLACE\n</EDIT>\n`;
  simulator.enqueue(
    { content: hunk('export const mul = (a, b) => a + b;', 'export const mul = (a, b) => a - b;') },
    { content: hunk('export const mul = (a, b) => a - b;', 'export const mul = (a, b) => a * b;') },
  );
  const messages: string[] = [];
  const result = await mcp.client.callTool(
    {
      name: 'generate_and_write_files',
      arguments: {
        prompt: 'mul multiplies.',
        output_dir: '.',
        context_files: ['mul.mjs'],
        test_command: 'node --test mul.test.mjs',
        repair_rounds: 1,
      },
    },
    { onprogress: (p) => messages.push(String(p.message)) },
  );
  const report = result.structuredContent as GenerationReport;
  assert.notEqual(result.isError, true, JSON.stringify(result.content));
  assert.equal(await readFile(path.join(cwd, 'mul.mjs'), 'utf8'), 'export const mul = (a, b) => a * b;\r\n');
  assert.deepEqual(report.files, [
    { path: 'mul.mjs', lines: 1, status: 'edited', added: 2, removed: 2, hunks: 2 },
  ]);
  assert.deepEqual(report.tests, {
    command: 'node --test mul.test.mjs',
    passed: 1,
    failed: 0,
    rounds: [
      { passed: 0, failed: 1, edited_files: [] },
      { passed: 1, failed: 0, edited_files: ['mul.mjs'] },
    ],
    status: 'passed',
  });
  assert.deepEqual(
    messages.filter((m) => !m.includes('lines')),
    ['generate', 'test', 'repair round 1', 'test after repair round 1'],
  );
});
