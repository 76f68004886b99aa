import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generationReport } from '../../src/codegen/generation-report.js';
import { generateAndVerify } from '../../src/codegen/verify-and-repair.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { isSpeedRunError } from '../../src/errors.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let root: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 20_000 });
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-repair-')));
});
after(async () => {
  await simulator.close();
  await rm(root, { recursive: true, force: true });
});

function config() {
  return resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: simulator.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
    },
    cwd: root,
  });
}

const BUGGY = 'export function add(a, b) {\n  return a - b;\n}\n';
const TESTS = [
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { add } from './add.mjs';",
  "test('adds', () => assert.equal(add(2, 3), 5));",
  "test('adds zero', () => assert.equal(add(4, 0), 4));",
  '',
].join('\n');
const FIRST_REPLY =
  `<FILE path="add.mjs">\n${BUGGY}</FILE>\n` + `<FILE path="add.test.mjs">\n${TESTS}</FILE>\n`;
const FIX =
  '<EDIT path="add.mjs">\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n</EDIT>\n';

test('a buggy first reply, a test command and one repair round end green', async () => {
  const dir = path.join(root, 'green');
  await mkdir(dir);
  simulator.enqueue({ content: FIRST_REPLY }, { content: FIX });
  const before = simulator.requests.length;
  const phases: string[] = [];
  const result = await generateAndVerify(
    config(),
    {
      prompt: 'Write add.mjs exporting add(a, b) and its tests in add.test.mjs.',
      outputDir: 'green',
      test: { command: 'node --test', cwd: 'green' },
    },
    { onPhase: (phase) => phases.push(phase) },
  );
  assert.equal(await readFile(path.join(dir, 'add.mjs'), 'utf8'), BUGGY.replace('a - b', 'a + b'));
  assert.deepEqual(phases, ['generate', 'test', 'repair round 1', 'test after repair round 1']);
  const tests = result.tests!;
  assert.equal(tests.status, 'passed');
  assert.deepEqual(tests.rounds, [
    { passed: 1, failed: 1, editedFiles: [] },
    { passed: 2, failed: 0, editedFiles: ['add.mjs'] },
  ]);
  assert.equal(tests.failingTail, undefined);
  // The repair request carried the failing output and the current file content.
  const chats = simulator.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 2);
  const repairPrompt = String(chats[1]!.body.messages.at(-1).content);
  assert.match(
    repairPrompt,
    /BEGIN CONTEXT FILE: add\.mjs \(editable\) =====\nexport function add\(a, b\) \{\n {2}return a - b;/,
  );
  assert.match(repairPrompt, /BEGIN TEST OUTPUT =====[\s\S]*# fail 1[\s\S]*===== END TEST OUTPUT/);
  assert.match(repairPrompt, /Write add\.mjs exporting add/);
  // One entry per file, usage summed over both requests, and the report says it in snake_case.
  assert.deepEqual(
    result.files.map(({ path, status }) => ({ path, status })),
    [
      { path: 'add.mjs', status: 'created' },
      { path: 'add.test.mjs', status: 'created' },
    ],
  );
  const report = generationReport(result, 100);
  assert.deepEqual(report.tests, {
    command: 'node --test',
    passed: 2,
    failed: 0,
    rounds: [
      { passed: 1, failed: 1, edited_files: [] },
      { passed: 2, failed: 0, edited_files: ['add.mjs'] },
    ],
    status: 'passed',
  });
});

test('out of rounds: the result keeps the failing tail (bounded) for the agent, and the command never sees the key', async () => {
  const dir = path.join(root, 'red');
  await mkdir(dir);
  simulator.enqueue({ content: FIRST_REPLY });
  const result = await generateAndVerify(config(), {
    prompt: 'Write add.',
    outputDir: 'red',
    test: {
      command: 'node --test; echo "key=${SPEED_RUN_API_KEY:-none}"; exit 1',
      cwd: 'red',
      repairRounds: 0,
    },
  });
  const tests = result.tests!;
  assert.equal(tests.status, 'failed');
  assert.deepEqual(tests.rounds, [{ passed: 1, failed: 1, editedFiles: [] }]);
  assert.equal(tests.failure, 'test command exited 1');
  assert.ok(tests.failingTail !== undefined && tests.failingTail.length <= 1500);
  assert.match(tests.failingTail, /key=none/);
  assert.match(generationReport(result, 100).hint ?? '', /Tests still fail/);
});

test('bad test options are refused before any request, naming the argument', async () => {
  const before = simulator.requests.length;
  const attempts: [Record<string, unknown>, string][] = [
    [{ command: 'true', repairRounds: 4 }, 'repair_rounds'],
    [{ command: '  ' }, 'test_command'],
    [{ command: 'true', cwd: 'nowhere' }, 'test_cwd'],
    [{ command: 'true', cwd: '/' }, 'test_cwd'],
  ];
  for (const [options, field] of attempts) {
    await assert.rejects(
      generateAndVerify(config(), {
        prompt: 'x',
        outputDir: 'unused',
        test: options as { command: string },
      }),
      (error) => isSpeedRunError(error) && error.field === field,
      field,
    );
  }
  assert.equal(simulator.requests.length, before);
});

test('a repair request the provider refuses stops the loop; files and the failing tail stay', async () => {
  const dir = path.join(root, 'refused');
  await mkdir(dir);
  simulator.enqueue(
    { content: FIRST_REPLY },
    { status: 400, errorBody: { error: { message: 'bad request' } } },
  );
  const result = await generateAndVerify(config(), {
    prompt: 'Write add.',
    outputDir: 'refused',
    test: { command: 'node --test', cwd: 'refused', repairRounds: 2 },
  });
  const tests = result.tests!;
  assert.equal(tests.status, 'failed');
  assert.equal(tests.rounds.length, 1);
  assert.match(tests.failure ?? '', /^test command exited 1; repair round 1 failed \(/);
  assert.match(tests.failingTail ?? '', /fail 1/);
  assert.equal(await readFile(path.join(dir, 'add.mjs'), 'utf8'), BUGGY);
});
