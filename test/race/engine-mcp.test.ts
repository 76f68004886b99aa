// The race tools end to end, the way Claude Code uses them: the built server over stdio, a simulator for the
// provider, a real temporary git repository.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LeanFinish, LeanJudge, LeanRunner, LeanScoreboard } from '../../src/mcp/tools/race-results.js';
import { startMcpProcess, type McpProcess } from '../support/mcp-process.js';
import type { Simulator } from '../support/openai-simulator.js';
import { branches, removeDir, sh, tempRepo, worktreePaths } from './git-fixture.js';
import { CONTRACT, TEST_COMMAND, raceSimulator, simulatorEnv } from './race-fixture.js';

let simulator: Simulator;
let mcp: McpProcess;
let root: string;
const seen: string[] = [];

before(async () => {
  simulator = await raceSimulator();
  root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  await writeFile(path.join(root, 'CONTRACT.md'), CONTRACT);
  sh(root, 'add', 'CONTRACT.md');
  sh(root, 'commit', '--quiet', '-m', 'contract');
  mcp = await startMcpProcess({ env: simulatorEnv(simulator, root), cwd: root });
});
after(async () => {
  await mcp.close();
  await simulator.close();
  await removeDir(root);
});

async function call<T>(
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: { progress: number; message?: string }) => void,
) {
  const result = await mcp.client.callTool(
    { name, arguments: args },
    onprogress ? { onprogress } : undefined,
  );
  const text = (result.content as { text: string }[])[0]?.text ?? '';
  seen.push(JSON.stringify(result));
  return { result, text, data: result.structuredContent as T };
}

test('race and race_step are listed with input and output schemas', async () => {
  const { tools } = await mcp.client.listTools();
  for (const name of ['race', 'race_step']) {
    const tool = tools.find((t) => t.name === name);
    assert.ok(tool, `${name} is listed`);
    assert.ok(tool.outputSchema, `${name} has an output schema`);
  }
});

/** Budgets for what a race costs the agent to read (issue 12): one compact line per runner, a lean judge. */
const RUNNER_BUDGET_BYTES = 200;
const JUDGE_BUDGET_BYTES = 1_200;

test('race with 3 runners over stdio: scoreboard, progress, fix + re-test, judge, finish leaves only the winner', async () => {
  // Unrelated things that must survive the whole run.
  sh(root, 'branch', 'unrelated');
  await mkdir(path.join(root, '.worktrees', 'scratch'), { recursive: true });
  await writeFile(path.join(root, '.worktrees', 'scratch', 'keep.txt'), 'mine\n');

  const progress: string[] = [];
  const raced = await call<LeanScoreboard>(
    'race',
    { feature: 'sum', contract_file: 'CONTRACT.md', runners: 3, test_command: TEST_COMMAND, timeout_s: 60 },
    (p) => progress.push(p.message ?? ''),
  );
  assert.notEqual(raced.result.isError, true, raced.text);
  assert.deepEqual(JSON.parse(raced.text), raced.data);
  const board = raced.data;
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status, r.files, r.tests]),
    [
      ['runner-1', 'passed', 2, '3/3'],
      ['runner-2', 'failed', 2, '0/3'],
      ['runner-3', 'passed', 2, '3/3'],
    ],
  );
  for (const runner of board.runners) {
    const bytes = Buffer.byteLength(JSON.stringify(runner));
    assert.ok(
      bytes <= RUNNER_BUDGET_BYTES,
      `${runner.runner} takes ${bytes} bytes: ${JSON.stringify(runner)}`,
    );
  }
  assert.equal(raced.text.includes('timed_out'), false, 'false flags are omitted');
  assert.equal(
    /\.worktrees|speed-run\/runner|log_file/.test(JSON.stringify(board.runners)),
    false,
    'workspaces, branches and logs follow the convention and are omitted',
  );
  assert.ok(
    progress.some((m) => /runner-2: testing/.test(m)),
    progress.join('\n'),
  );
  assert.ok(progress.some((m) => /runner-1: passed/.test(m)));
  assert.ok(raced.text.length < 800, `scoreboard is ${raced.text.length} bytes`);
  assert.equal(raced.text.includes('return a'), false, 'no code in the scoreboard');
  assert.deepEqual(branches(root), [
    'main',
    'sum/speed-run/runner-1',
    'sum/speed-run/runner-2',
    'sum/speed-run/runner-3',
    'unrelated',
  ]);
  const manifest = JSON.parse(
    await readFile(path.join(root, 'docs/plans/sum/speed-run/race/manifest.json'), 'utf8'),
  ) as {
    contract: { source: string };
  };
  assert.equal(manifest.contract.source, 'file');

  // A second race of the same feature is refused as a tool error saying how to proceed.
  const again = await call('race', { feature: 'sum', contract: CONTRACT, runners: 2 });
  assert.equal(again.result.isError, true);
  assert.match(again.text, /already exists[\s\S]*replace/);

  // Fix runner-2 and re-run its tests.
  const file = path.join(root, '.worktrees/sum/runner-2/src/sum.mjs');
  await writeFile(file, (await readFile(file, 'utf8')).replace('a - b', 'a + b'));
  const rerun = await call<{ runner: LeanRunner; tail?: string }>('race_step', {
    step: 'test',
    feature: 'sum',
    runner: 'runner-2',
  });
  assert.notEqual(rerun.result.isError, true, rerun.text);
  assert.equal(rerun.data.runner.status, 'passed');
  assert.equal(rerun.data.runner.fix_cycles, 1);

  const judged = await call<LeanJudge>('race_step', { step: 'judge', feature: 'sum' });
  assert.notEqual(judged.result.isError, true, judged.text);
  assert.deepEqual(judged.data.contenders, ['runner-1', 'runner-2', 'runner-3']);
  assert.match(judged.data.runners[0]!.tests, /^3\/3 passed/);
  const judgeBytes = Buffer.byteLength(judged.text);
  assert.ok(judgeBytes <= JUDGE_BUDGET_BYTES, `the judge result takes ${judgeBytes} bytes: ${judged.text}`);
  for (const repeated of ['score', 'criteria', 'Fitness', 'gate']) {
    assert.equal(judged.text.includes(repeated), false, `no ${repeated}: the judge skill carries the rubric`);
  }

  const refused = await call('race_step', { step: 'finish', feature: 'sum', runner: 'runner-9' });
  assert.equal(refused.result.isError, true);
  assert.match(refused.text, /not a runner[\s\S]*runner-1, runner-2, runner-3/);

  const finished = await call<LeanFinish>('race_step', { step: 'finish', feature: 'sum', runner: '2' });
  assert.notEqual(finished.result.isError, true, finished.text);
  assert.deepEqual(finished.data, { winner: 'runner-2', merged_into: 'main' });
  assert.deepEqual(branches(root), ['main', 'unrelated']);
  assert.deepEqual(worktreePaths(root), [root]);
  assert.ok(existsSync(path.join(root, '.worktrees/scratch/keep.txt')));
  assert.match(await readFile(path.join(root, 'src/sum.mjs'), 'utf8'), /a \+ b/);
  assert.ok(existsSync(path.join(root, 'docs/plans/sum/speed-run/race/result.md')));
});

test('race with approaches (any-percent) over stdio, and bad input as tool errors', async () => {
  const bad = await call('race', {
    feature: 'sum',
    contract: CONTRACT,
    approaches: [{ slug: 'Only One', description: 'x' }],
  });
  assert.equal(bad.result.isError, true);
  assert.match(bad.text, /2 to 5 approaches/);
  const badRunners = await call('race', { feature: 'other', contract: CONTRACT, runners: 7 });
  assert.equal(badRunners.result.isError, true);
  assert.match(badRunners.text, /runners must be an integer from 2 to 5/);
  const outside = await call('race', { feature: 'other', contract: CONTRACT, runners: 2, repo_dir: '/' });
  assert.equal(outside.result.isError, true);
  assert.match(outside.text, /outside the allowed directories/);

  const ran = await call<LeanScoreboard>('race', {
    feature: 'sum',
    contract: CONTRACT,
    approaches: [
      { slug: 'loop', description: 'Add with a loop.' },
      { slug: 'builtin', description: 'Use the + operator.' },
    ],
    test_command: TEST_COMMAND,
  });
  assert.notEqual(ran.result.isError, true, ran.text);
  assert.deepEqual(
    ran.data.runners.map((r) => [r.runner, r.status]),
    [
      ['variant-loop', 'passed'],
      ['variant-builtin', 'passed'],
    ],
  );
  const ambiguous = await call('race_step', { step: 'judge', feature: 'sum' });
  assert.equal(ambiguous.result.isError, true);
  assert.match(ambiguous.text, /both a race and an any-percent run/);
});

test('no result carried the API key', () => {
  for (const raw of seen) assert.equal(raw.includes(simulator.apiKey), false);
});
