import assert from 'node:assert/strict';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { simulatorEnv } from '../support/mcp-process.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';

let simulator: Simulator;
let cwd: string;
before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 40_000 });
  cwd = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-turbo-repair-')));
});
after(async () => {
  await simulator.close();
  await rm(cwd, { recursive: true, force: true });
});

test('turbo --test --repair 1: phases, the repaired test result, exit 0', async () => {
  await writeFile(path.join(cwd, 'CONTRACT.md'), 'half(n) returns n / 2.\n');
  await writeFile(
    path.join(cwd, 'half.test.mjs'),
    "import assert from 'node:assert';\nimport { test } from 'node:test';\nimport { half } from './out/half.mjs';\ntest('half', () => assert.equal(half(8), 4));\n",
  );
  simulator.enqueue(
    { content: '<FILE path="half.mjs">\nexport const half = (n) => n * 2;\n</FILE>\n' },
    {
      content:
        '<EDIT path="half.mjs">\n<<<<<<< SEARCH\nexport const half = (n) => n * 2;\n=======\nexport const half = (n) => n / 2;\n>>>>>>> REPLACE\n</EDIT>\n',
    },
  );
  const run = await runCli(
    ['turbo', 'CONTRACT.md', '--out', 'out', '--test', 'node --test half.test.mjs', '--repair', '1'],
    { env: simulatorEnv(simulator), cwd },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^generate\n {2}wrote half\.mjs \(1 line\)\ntest\nrepair round 1\n/);
  assert.match(
    run.stdout,
    /tests passed: 1 passed, 0 failed after 1 repair round \(node --test half\.test\.mjs\)/,
  );
  assert.equal(await readFile(path.join(cwd, 'out/half.mjs'), 'utf8'), 'export const half = (n) => n / 2;\n');
});

test('turbo --repair out of range is a usage error naming the flag', async () => {
  const run = await runCli(['turbo', 'CONTRACT.md', '--out', 'out', '--test', 'true', '--repair', '4'], {
    env: simulatorEnv(simulator),
    cwd,
  });
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /--repair/);
  assert.match(run.stderr, /0 to 3/);
});

test('turbo --repair without --test is a usage error naming both flags; nothing is requested', async () => {
  const before = simulator.requests.length;
  const run = await runCli(['turbo', 'CONTRACT.md', '--out', 'out', '--repair', '2'], {
    env: simulatorEnv(simulator),
    cwd,
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--repair needs --test/);
  assert.equal(simulator.requests.length, before);
});
