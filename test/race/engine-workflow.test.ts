// The race workflow over a day of work, in real temporary repositories: races one after another and side by side,
// what finish leaves behind, and the run record treated as data, never as authority.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { finishRun } from '../../src/race/finish-run.js';
import { judgeRun } from '../../src/race/judge-run.js';
import { planRaceRunners, planVariantRunners } from '../../src/race/plan/runner-prompts.js';
import type { RunManifest } from '../../src/race/record/manifest-schema.js';
import { userSeal } from '../../src/race/record/command-seal.js';
import { rerunTests } from '../../src/race/rerun-tests.js';
import { runPlanned, startRun } from '../../src/race/start-run.js';
import type { Simulator } from '../support/openai-simulator.js';
import { branches, removeDir, sh, tempDir, tempRepo, worktreePaths } from './git-fixture.js';
import {
  CONTRACT,
  TEST_COMMAND,
  defaultResponder,
  raceConfig,
  raceContext,
  raceSimulator,
  sumReply,
} from './race-fixture.js';

const dirs: string[] = [];
const simulators: Simulator[] = [];
after(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await Promise.all(dirs.map(removeDir));
});
async function repo(): Promise<string> {
  const dir = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(dir);
  return dir;
}
async function simulator(...args: Parameters<typeof raceSimulator>): Promise<Simulator> {
  const sim = await raceSimulator(...args);
  simulators.push(sim);
  return sim;
}
function race(root: string, sim: Simulator, feature: string, extra: { testCommand?: string } = {}) {
  return runPlanned(
    {
      mode: 'race',
      feature,
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
      repoDir: root,
      ...extra,
    },
    raceContext(raceConfig(sim, root)),
  );
}
const ctx = (sim: Simulator, root: string) => raceContext(raceConfig(sim, root));
async function editRecord(root: string, feature: string, change: (m: RunManifest) => void): Promise<void> {
  const file = path.join(root, 'docs/plans', feature, 'speed-run/race/manifest.json');
  const record = JSON.parse(await readFile(file, 'utf8')) as RunManifest;
  change(record);
  await writeFile(file, JSON.stringify(record));
}

test('race A, finish, race B in one repository; two features at once; race then any-percent of a feature', async () => {
  const root = await repo();
  const sim = await simulator();
  await race(root, sim, 'alpha');
  const a = await finishRun({ repoDir: root, feature: 'alpha', winner: '1' }, ctx(sim, root));
  assert.deepEqual(a.kept, { workspace: null, branch: null, why: [] });
  assert.deepEqual(branches(root), ['main'], 'finish leaves no branch of the feature');
  assert.deepEqual(worktreePaths(root), [root], 'finish leaves no worktree');

  // Two features racing at the same time; finishing one leaves the other intact.
  const [beta, gamma] = await Promise.all([race(root, sim, 'beta'), race(root, sim, 'gamma')]);
  assert.deepEqual(
    [...beta.runners, ...gamma.runners].map((r) => r.workspace),
    [
      '.worktrees/beta/runner-1',
      '.worktrees/beta/runner-2',
      '.worktrees/gamma/runner-1',
      '.worktrees/gamma/runner-2',
    ],
  );
  await finishRun({ repoDir: root, feature: 'beta', winner: '2' }, ctx(sim, root));
  assert.deepEqual(branches(root), ['gamma/speed-run/runner-1', 'gamma/speed-run/runner-2', 'main']);
  assert.deepEqual(await readdir(path.join(root, '.worktrees')), ['gamma']);

  // The same feature as an any-percent run beside its race.
  const any = await runPlanned(
    {
      mode: 'any-percent',
      feature: 'gamma',
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
    ctx(sim, root),
  );
  assert.equal(any.status, 'ready');
  assert.ok(existsSync(path.join(root, '.worktrees/gamma/variant-loop')));
});

test('a winner that generates .gitignore finishes: speed-run ignores its workspaces in .git/info/exclude', async () => {
  const root = await repo();
  const sim = await simulator(() => ({
    content: `${sumReply()}\n<file path=".gitignore">\nnode_modules/\n</file>\n`,
  }));
  await race(root, sim, 'sum');
  assert.equal(
    existsSync(path.join(root, '.gitignore')),
    false,
    'the main work tree gets no .gitignore edit',
  );
  const done = await finishRun({ repoDir: root, feature: 'sum', winner: '1' }, ctx(sim, root));
  assert.equal(done.merged?.into, 'main');
  assert.equal(await readFile(path.join(root, '.gitignore'), 'utf8'), 'node_modules/\n');
  assert.deepEqual(sh(root, 'status', '--porcelain').split('\n'), ['?? docs/']);
});

test('finish refuses a winner that generated nothing unless forced, and keeps work it did not make', async () => {
  const root = await repo();
  const sim = await simulator((prompt) =>
    /Be defensive and robust/.test(prompt)
      ? { content: 'No files today.' }
      : defaultResponder(prompt, {} as never),
  );
  await race(root, sim, 'sum');
  await assert.rejects(
    finishRun({ repoDir: root, feature: 'sum', winner: '2' }, ctx(sim, root)),
    (error: Error & { hint?: string }) => {
      assert.match(error.message, /runner-2 cannot win: its generation failed/);
      assert.match(error.hint ?? '', /force: true/);
      return true;
    },
  );
  // The user adds work to runner-2's branch: a commit. finish must not delete it.
  const other = path.join(root, '.worktrees/sum/runner-2');
  await writeFile(path.join(other, 'mine.txt'), 'my work\n');
  sh(other, 'add', 'mine.txt');
  sh(other, 'commit', '--quiet', '-m', 'my commit');
  const done = await finishRun({ repoDir: root, feature: 'sum', winner: '1' }, ctx(sim, root));
  const loser = done.removed.find((r) => r.runner === 'runner-2')!;
  assert.equal(loser.removedBranch, false);
  assert.match(
    loser.skipped.join(),
    /kept branch sum\/speed-run\/runner-2: its tip .* is not the run's commit/,
  );
  assert.deepEqual(branches(root), ['main', 'sum/speed-run/runner-2']);
});

test('replace is refused while the run it would replace is still running', async () => {
  const root = await repo();
  const sim = await simulator();
  await race(root, sim, 'sum');
  // As if this live process were still carrying it.
  await editRecord(root, 'sum', (m) => {
    m.status = 'running';
    m.owner = { pid: process.pid, host: hostname() };
  });
  await assert.rejects(
    runPlanned(
      {
        mode: 'race',
        feature: 'sum',
        contract: CONTRACT,
        plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
        repoDir: root,
        replace: true,
      },
      ctx(sim, root),
    ),
    /still running \(process \d+/,
  );
  assert.deepEqual(branches(root), ['main', 'sum/speed-run/runner-1', 'sum/speed-run/runner-2']);
});

test('a run record is data: an edited workspace, command or repository root is refused, nothing runs', async () => {
  const root = await repo();
  const sim = await simulator();
  const outside = await tempDir();
  dirs.push(outside);
  await race(root, sim, 'sum', { testCommand: TEST_COMMAND });
  await editRecord(root, 'sum', (m) => {
    m.runners[0]!.workspace.dir = outside;
    m.options.testCommand = `touch ${JSON.stringify(path.join(outside, 'pwned'))}`;
  });
  await assert.rejects(
    rerunTests({ repoDir: root, feature: 'sum', runner: '1' }, ctx(sim, root)),
    /does not match where it lies: runner-1's workspace/,
  );
  assert.equal(existsSync(path.join(outside, 'pwned')), false);

  await editRecord(root, 'sum', (m) => {
    m.runners[0]!.workspace.dir = '.worktrees/sum/runner-1';
    m.repo.root = outside;
  });
  await assert.rejects(
    finishRun({ repoDir: root, feature: 'sum', winner: '1' }, ctx(sim, root)),
    /repo\.root is .* but the record lies in/,
  );
  assert.deepEqual(branches(root), ['main', 'sum/speed-run/runner-1', 'sum/speed-run/runner-2']);
});

test('a re-test runs only the commands the run was started with: an edited command, or another key, runs nothing', async () => {
  const root = await repo();
  const sim = await simulator();
  const outside = await tempDir();
  dirs.push(outside);
  await race(root, sim, 'sum', { testCommand: TEST_COMMAND });
  const again = await rerunTests({ repoDir: root, feature: 'sum', runner: '1' }, ctx(sim, root));
  assert.equal(again.runner.tests?.failed, 0, 'the untouched record re-tests');

  const pwned = path.join(outside, 'pwned');
  for (const change of [
    (m: RunManifest) => void (m.options.testCommand = `touch ${JSON.stringify(pwned)}`),
    (m: RunManifest) => void (m.options.setupCommand = `touch ${JSON.stringify(pwned)}`),
    (m: RunManifest) => void delete m.options.commandSeal,
  ]) {
    const file = path.join(root, 'docs/plans/sum/speed-run/race/manifest.json');
    const original = await readFile(file, 'utf8');
    await editRecord(root, 'sum', change);
    await assert.rejects(
      rerunTests({ repoDir: root, feature: 'sum', runner: '1' }, ctx(sim, root)),
      /is not the one this run was started with .* speed-run does not run it/,
    );
    await writeFile(file, original);
  }
  // The same record checked with another user's key (a record copied from elsewhere) runs nothing either.
  await assert.rejects(
    rerunTests(
      { repoDir: root, feature: 'sum', runner: '1' },
      { ...ctx(sim, root), seal: userSeal({ XDG_STATE_HOME: outside }) },
    ),
    /speed-run does not run it/,
  );
  assert.equal(existsSync(pwned), false);
});

test('a generated hook script never runs: speed-run commits and merges without hooks, wherever core.hooksPath points', async () => {
  // The husky pattern: the user's committed, executable hook runs whatever script sits beside it with sh, so a
  // generated (non-executable) githooks/post-commit.d/* file would run on any commit that uses the hooks.
  const root = await repo();
  await mkdir(path.join(root, 'githooks'));
  const dispatcher = path.join(root, 'githooks', 'post-commit');
  await writeFile(
    dispatcher,
    '#!/bin/sh\nfor s in githooks/post-commit.d/*; do [ -f "$s" ] && sh "$s"; done\nexit 0\n',
  );
  await chmod(dispatcher, 0o755);
  sh(root, 'add', '--all');
  sh(root, 'commit', '--quiet', '-m', 'hooks');
  sh(root, 'config', 'core.hooksPath', 'githooks');
  const outside = await tempDir();
  dirs.push(outside);
  const ran = path.join(outside, 'hook-ran');
  const sim = await simulator(() => ({
    content: `${sumReply()}<file path="githooks/post-commit.d/x.sh">\ntouch ${JSON.stringify(ran)}\n</file>\n`,
  }));
  const board = await race(root, sim, 'sum');
  assert.equal(board.runners[0]!.status, 'generated');
  await finishRun({ repoDir: root, feature: 'sum', winner: '1' }, ctx(sim, root));
  assert.equal(
    existsSync(path.join(root, 'githooks', 'post-commit.d', 'x.sh')),
    true,
    'the script was merged',
  );
  assert.equal(existsSync(ran), false, 'but speed-run’s commits and merge never ran it');
});

test('the repository root must lie inside the allowed directories', async () => {
  const root = await repo();
  const sub = path.join(root, 'home', 'project');
  await mkdir(sub, { recursive: true });
  const sim = await simulator();
  await assert.rejects(
    startRun(
      { mode: 'race', feature: 'sum', contract: CONTRACT, runners: 2, repoDir: sub },
      raceContext(raceConfig(sim, sub)),
    ),
    /inside the git repository .* whose root is outside the allowed directories/,
  );
  assert.equal(existsSync(path.join(root, '.worktrees')), false);
  assert.deepEqual(branches(root), ['main']);
});

test('outside git: tests run against the runner’s own copy, finish writes through the safe writer only', async () => {
  const parent = await tempDir();
  dirs.push(parent);
  // A parent project whose suite must never be what runs.
  await writeFile(
    path.join(parent, 'package.json'),
    '{ "scripts": { "test": "echo PARENT-SUITE && exit 1" } }\n',
  );
  const root = path.join(parent, 'project');
  await mkdir(root);
  await writeFile(
    path.join(root, 'package.json'),
    '{ "type": "module", "scripts": { "test": "node --test test/sum.test.mjs" } }\n',
  );
  const outside = await tempDir();
  dirs.push(outside);
  await symlink(outside, path.join(root, 'src')); // a project symlink pointing outside
  const sim = await simulator();
  const board = await race(root, sim, 'sum', { testCommand: 'npm test --silent' });
  assert.equal(board.git, false);
  assert.equal(board.runners[0]!.status, 'passed', JSON.stringify(board.runners[0]));
  assert.equal(board.runners[0]!.tests?.passed, 3);

  const judged = await judgeRun({ repoDir: root, feature: 'sum' }, ctx(sim, root));
  assert.equal(
    judged.worksheet.runners[0]!.measured.files,
    2,
    'the copied project files are not the runner’s',
  );

  const done = await finishRun({ repoDir: root, feature: 'sum', winner: '1' }, ctx(sim, root));
  assert.deepEqual(done.copied_files, ['test/sum.test.mjs']);
  assert.equal(done.refused_files?.[0]?.path, 'src/sum.mjs');
  assert.deepEqual(await readdir(outside), [], 'nothing was written through the project symlink');
  assert.equal(done.kept.workspace, '.worktrees/sum/runner-1', 'the winner is kept while a file was refused');
});
