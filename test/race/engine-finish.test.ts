import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { SpeedRunConfig } from '../../src/config/config-types.js';
import { finishRun } from '../../src/race/finish-run.js';
import { judgeRun } from '../../src/race/judge-run.js';
import { listRuns } from '../../src/race/list-runs.js';
import type { RunManifest } from '../../src/race/record/manifest-schema.js';
import { loadManifest } from '../../src/race/record/manifest-store.js';
import { runPlanned } from '../../src/race/start-run.js';
import { rerunTests } from '../../src/race/rerun-tests.js';
import { planRaceRunners, planVariantRunners } from '../../src/race/plan/runner-prompts.js';
import type { Simulator } from '../support/openai-simulator.js';
import { branches, removeDir, sh, tempDir, tempRepo, worktreePaths } from './git-fixture.js';
import { CONTRACT, TEST_COMMAND, raceConfig, raceContext, raceSimulator } from './race-fixture.js';

const dirs: string[] = [];
let sim: Simulator;
after(async () => {
  await sim?.close();
  await Promise.all(dirs.map(removeDir));
});

async function race(root: string, config: SpeedRunConfig, runners = 3) {
  return runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners }),
      testCommand: TEST_COMMAND,
      repoDir: root,
    },
    raceContext(config),
  );
}

test('fix a failing runner, re-run its tests, judge, finish: the winner merged with the fix, only it remains', async () => {
  sim = await raceSimulator();
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  const config = raceConfig(sim, root);
  // Things that are not the run's and must survive finish.
  sh(root, 'branch', 'sum/other');
  await mkdir(path.join(root, '.worktrees', 'sum', 'runner-9'), { recursive: true });
  await writeFile(path.join(root, '.worktrees', 'sum', 'runner-9', 'keep.txt'), 'mine\n');
  sh(root, 'worktree', 'add', '--quiet', '-b', 'experiment', path.join(root, '.worktrees', 'experiment'));

  const board = await race(root, config);
  assert.equal(board.runners[1]!.status, 'failed');

  // The agent fixes runner-2 by hand and re-runs its tests: one fix cycle.
  const fixed = path.join(root, '.worktrees/sum/runner-2/src/sum.mjs');
  await writeFile(fixed, (await readFile(fixed, 'utf8')).replace('a - b', 'a + b'));
  const rerun = await rerunTests(
    { repoDir: root, feature: 'sum', runner: '2' },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(rerun.runner.status, 'passed');
  assert.equal(rerun.runner.fix_cycles, 1);
  assert.equal(rerun.previous?.passed, 0);
  assert.equal(rerun.runner.tests?.passed, 3);
  assert.equal(rerun.runner.failure, null);
  assert.ok(existsSync(path.join(root, 'docs/plans/sum/speed-run/race/logs/runner-2-test-fix-1.log')));
  // A second look without a change is not a fix cycle.
  const again = await rerunTests(
    { repoDir: root, feature: 'sum', runner: 'runner-2' },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(again.runner.status, 'passed');
  assert.equal(again.runner.fix_cycles, 1);

  const judged = await judgeRun({ repoDir: root, feature: 'sum' }, raceContext(raceConfig(sim, root)));
  assert.deepEqual(judged.worksheet.contenders, ['runner-1', 'runner-2', 'runner-3']);
  const second = judged.worksheet.runners[1]!;
  assert.equal(second.gated, null);
  assert.equal(second.measured.fixCycles, 1);
  assert.equal(second.measured.files, 2);
  assert.ok((second.measured.linesOfCode ?? 0) > 0);
  assert.equal(second.criteria?.fitness.score, null);
  assert.equal(judged.similarity.length, 3);
  assert.ok(existsSync(path.join(root, judged.worksheet_file)));
  assert.equal(JSON.stringify(judged).includes('a + b'), false, 'no code in the worksheet');

  await assert.rejects(
    finishRun({ repoDir: root, feature: 'sum', winner: 'runner-7' }, raceContext(raceConfig(sim, root))),
    (error: Error & { hint?: string }) => {
      assert.match(error.message, /"runner-7" is not a runner/);
      assert.equal(error.hint, 'Use one of: runner-1, runner-2, runner-3.');
      return true;
    },
  );

  const done = await finishRun(
    { repoDir: root, feature: 'sum', winner: 'runner-2' },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(done.winner, 'runner-2');
  assert.equal(done.merged?.branch, 'sum/speed-run/runner-2');
  assert.equal(done.merged?.into, 'main');
  assert.ok(done.merged?.winner_commit, 'the fix was committed on the winner branch');
  assert.deepEqual(
    done.removed.map((r) => [r.runner, r.removedDir, r.removedBranch]),
    [
      ['runner-1', true, true],
      ['runner-3', true, true],
    ],
  );
  assert.match(await readFile(path.join(root, 'src/sum.mjs'), 'utf8'), /a \+ b/);
  assert.match(sh(root, 'log', '-1', '--format=%s'), /merge winner runner-2/);
  // Nothing of the run is left: the winner's worktree and (merged) branch went too.
  assert.deepEqual(done.kept, { workspace: null, branch: null, why: [] });
  assert.deepEqual(branches(root), ['experiment', 'main', 'sum/other']);
  assert.deepEqual(worktreePaths(root).sort(), [root, path.join(root, '.worktrees/experiment')]);
  assert.ok(existsSync(path.join(root, '.worktrees/sum/runner-9/keep.txt')));
  const result = await readFile(path.join(root, done.result_file), 'utf8');
  assert.match(result, /runner-2 .*\*\*winner\*\*/);
  assert.match(result, /runner-1 .*not chosen/);

  const manifest = await loadManifest(root, 'sum', 'race');
  assert.equal(manifest?.status, 'finished');
  assert.equal(manifest?.finish?.winner, 'runner-2');
  await assert.rejects(
    finishRun({ repoDir: root, feature: 'sum', winner: 'runner-2' }, raceContext(raceConfig(sim, root))),
    /already finished/,
  );
  const listed = await listRuns({ repoDir: root }, raceContext(raceConfig(sim, root)));
  assert.deepEqual(
    listed.runs.map((r) => [r.feature, r.mode, r.status, r.winner]),
    [['sum', 'race', 'finished', 'runner-2']],
  );
});

test('finish refuses when the starting branch is no longer checked out, and removes nothing', async () => {
  sim ??= await raceSimulator();
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  await race(root, raceConfig(sim, root), 2);
  sh(root, 'switch', '--quiet', '-c', 'elsewhere');
  await assert.rejects(
    finishRun({ repoDir: root, feature: 'sum', winner: '1' }, raceContext(raceConfig(sim, root))),
    /started from main.*elsewhere/s,
  );
  assert.equal(worktreePaths(root).length, 3);
  assert.equal((await loadManifest(root, 'sum', 'race'))?.status, 'ready');
});

test('with a race and an any-percent run of one feature, the mode must be named', async () => {
  sim ??= await raceSimulator();
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  const config = raceConfig(sim, root);
  await race(root, config, 2);
  await runPlanned(
    {
      mode: 'any-percent',
      feature: 'sum',
      contract: CONTRACT,
      plans: planVariantRunners({
        contract: CONTRACT,
        approaches: [
          { slug: 'loop', description: 'Add with a loop.' },
          { slug: 'builtin', description: 'Use the + operator.' },
        ],
      }),
      repoDir: root,
    },
    raceContext(config),
  );
  await assert.rejects(
    judgeRun({ repoDir: root, feature: 'sum' }, raceContext(raceConfig(sim, root))),
    /both a race and an any-percent run/,
  );
  const judged = await judgeRun(
    { repoDir: root, feature: 'sum', mode: 'any-percent' },
    raceContext(raceConfig(sim, root)),
  );
  assert.deepEqual(
    judged.worksheet.contenders,
    [],
    'no tests ran, so the measurable gate shuts everyone out',
  );
  const done = await finishRun(
    { repoDir: root, feature: 'sum', winner: 'builtin', mode: 'any-percent' },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(done.winner, 'variant-builtin');
  assert.ok(branches(root).includes('sum/speed-run/runner-1'), 'the race run is untouched');
  assert.equal(branches(root).includes('sum/speed-run/variant-loop'), false);
});

test('outside git, finish copies the winner’s files into the project and removes the other directory', async () => {
  sim ??= await raceSimulator();
  const root = await tempDir();
  dirs.push(root);
  await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
      outputSubdir: 'lib',
      repoDir: root,
    },
    raceContext(raceConfig(sim, root)),
  );
  await mkdir(path.join(root, '.worktrees', 'unrelated'));
  const done = await finishRun(
    { repoDir: root, feature: 'sum', winner: 'runner-1' },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(done.merged, null);
  assert.deepEqual(done.copied_files, ['lib/src/sum.mjs', 'lib/test/sum.test.mjs']);
  assert.ok(existsSync(path.join(root, 'lib/src/sum.mjs')));
  assert.equal(existsSync(path.join(root, '.worktrees/sum')), false, 'both workspaces went');
  assert.ok(existsSync(path.join(root, '.worktrees/unrelated')));
});

test('a run left "running" by a process that died is recovered as interrupted on the next call', async () => {
  sim ??= await raceSimulator();
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  await race(root, raceConfig(sim, root), 2);
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const file = path.join(root, 'docs/plans/sum/speed-run/race/manifest.json');
  const record = JSON.parse(await readFile(file, 'utf8')) as RunManifest;
  record.status = 'running';
  record.owner = { pid: dead, host: hostname() };
  record.runners[0]!.status = 'testing';
  await writeFile(file, JSON.stringify(record));

  await judgeRun({ repoDir: root, feature: 'sum' }, raceContext(raceConfig(sim, root)));
  const recovered = await loadManifest(root, 'sum', 'race');
  assert.equal(recovered?.status, 'ready');
  assert.equal(recovered?.runners[0]!.status, 'failed');
  assert.equal(recovered?.runners[0]!.failure?.message, 'interrupted while testing');
  assert.equal(recovered?.runners[1]!.status, 'failed', 'runner-2 had failed its tests before');
  assert.ok(recovered?.events.some((e) => e.type === 'interrupted'));
});
