// The race commands as a user runs them: the built CLI as a process in a real temporary repository.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { JudgeResult } from '../../src/race/judge-run.js';
import type { Scoreboard } from '../../src/race/record/scoreboard.js';
import type { Simulator } from '../support/openai-simulator.js';
import { runCli } from '../support/run-cli.js';
import { branches, removeDir, sh, tempRepo } from './git-fixture.js';
import { CONTRACT, TEST_COMMAND, raceSimulator, simulatorEnv } from './race-fixture.js';

let simulator: Simulator;
let root: string;
before(async () => {
  simulator = await raceSimulator();
  root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  await writeFile(path.join(root, 'CONTRACT.md'), CONTRACT);
});
after(async () => {
  await simulator.close();
  await removeDir(root);
});

const cli = (args: string[]) => runCli(args, { env: simulatorEnv(simulator, root), cwd: root });

test('speed-run race as a process: plain live lines, a scoreboard table, then runs, judge, test and finish', async () => {
  const raced = await cli([
    'race',
    'CONTRACT.md',
    '--feature',
    'sum',
    '--runners',
    '3',
    '--test',
    TEST_COMMAND,
  ]);
  assert.equal(raced.code, 0, raced.stderr);
  // Not a TTY: one plain line per event on stderr.
  assert.match(raced.stderr, /^runner-1: generating/m);
  assert.match(raced.stderr, /^runner-2: failed 0\/3 passed/m);
  assert.match(raced.stdout, /^runner\s+status\s+files/m);
  assert.match(raced.stdout, /^runner-3\s+passed\s+2\s+/m);
  assert.match(raced.stdout, /record: docs\/plans\/sum\/speed-run\/race\/manifest\.json/);
  // Each workspace path, and what to type next in CLI words (not MCP tool names).
  assert.match(raced.stdout, /^runner-1\s.*\.worktrees\/sum\/runner-1/m);
  assert.match(raced.stdout, /speed-run test sum 2\n/);
  assert.match(raced.stdout, /speed-run judge sum\n/);
  assert.match(raced.stdout, /speed-run finish sum --winner N\n/);
  assert.doesNotMatch(raced.stdout, /run_tests|call judge/);
  assert.equal(branches(root).length, 4);

  // Each runner's generation is a line of the savings ledger, under its route.
  const stats = await cli(['stats', '--json']);
  assert.equal(stats.code, 0, stats.stderr);
  const race = (
    JSON.parse(stats.stdout) as { rows: { route: string; calls: number; files: number }[] }
  ).rows.find((row) => row.route === 'race');
  assert.deepEqual([race?.calls, race?.files], [3, 6]);

  const runs = await cli(['runs', '--json']);
  assert.equal(runs.code, 0, runs.stderr);
  const listed = JSON.parse(runs.stdout) as { runs: { feature: string; status: string }[] };
  assert.deepEqual(
    listed.runs.map((r) => [r.feature, r.status]),
    [['sum', 'ready']],
  );

  const judged = await cli(['judge', 'sum', '--json']);
  assert.equal(judged.code, 0, judged.stderr);
  assert.deepEqual((JSON.parse(judged.stdout) as JudgeResult).worksheet.contenders, ['runner-1', 'runner-3']);
  const table = await cli(['judge', 'sum']);
  assert.match(table.stdout, /near duplicate of/);
  assert.match(table.stdout, /^runner-1\s.*runner-3 \(/m, 'the near-duplicate flag shows in the table');
  assert.match(table.stdout, /Then: speed-run finish sum --winner <one of runner-1, runner-3>/);

  // Re-running only to look is not a fix cycle.
  const failing = await cli(['test', 'sum', '2']);
  assert.equal(failing.code, 1);
  assert.match(failing.stdout, /runner-2: failed, 0\/3 passed.*fix cycle 0/);

  const refused = await cli(['finish', 'sum', '--winner', 'runner-4']);
  assert.equal(refused.code, 2, 'a usage problem');
  assert.match(refused.stderr, /"runner-4" is not a runner[\s\S]*Use one of: runner-1, runner-2, runner-3/);

  const finished = await cli(['finish', 'sum', '--winner', 'runner-3']);
  assert.equal(finished.code, 0, finished.stderr);
  assert.match(finished.stdout, /merged sum\/speed-run\/runner-3 into main/);
  assert.match(finished.stdout, /removed \.worktrees\/sum\/runner-1 and sum\/speed-run\/runner-1/);
  assert.match(finished.stdout, /removed the winner's workspace and branch/);
  assert.deepEqual(branches(root), ['main']);
  assert.deepEqual(await readdir(path.join(root, '.worktrees')), []);
  assert.match(await readFile(path.join(root, 'src/sum.mjs'), 'utf8'), /a \+ b/);
  assert.match(sh(root, 'log', '-1', '--format=%an'), /speed-run/);

  // And race again, another feature, in the same repository: nothing of the first run is in the way.
  const again = await cli([
    'race',
    'CONTRACT.md',
    '--feature',
    'total',
    '--runners',
    '2',
    '--test',
    TEST_COMMAND,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /\.worktrees\/total\/runner-2/);
  assert.deepEqual(branches(root), ['main', 'total/speed-run/runner-1', 'total/speed-run/runner-2']);
  // Its runner-1 wrote what main already has: nothing to promote, unless forced.
  const same = await cli(['finish', 'total', '--winner', '1']);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /runner-1 cannot win: its files equal the starting point[\s\S]*--force/);
  const done = await cli(['finish', 'total', '--winner', '1', '--force']);
  assert.equal(done.code, 0, done.stderr);
  assert.deepEqual(branches(root), ['main']);
});

test('speed-run any --json prints the scoreboard; a bad runner count exits 2 with the reason', async () => {
  const ran = await cli([
    'any',
    'CONTRACT.md',
    '--feature',
    'sum',
    '--approach',
    'loop=Add with a loop.',
    '--approach',
    'builtin=Use the + operator.',
    '--json',
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  const board = JSON.parse(ran.stdout) as Scoreboard;
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status]),
    [
      ['variant-loop', 'generated'],
      ['variant-builtin', 'generated'],
    ],
  );
  const bad = await cli(['race', 'CONTRACT.md', '--feature', 'more', '--runners', '9']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--runners <n>' argument '9' is invalid\. expected a whole number from 2 to 5/);
});
