import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { commitPaths, git, listWorktrees, uncommittedPaths } from '../../src/race/workspace/git.js';
import {
  WORKSPACE_MARKER,
  findWorkspaceConflicts,
  createWorkspaces,
  ensureWorktreesIgnored,
  planWorkspaces,
  removeWorkspace,
  type WorkspacePlan,
} from '../../src/race/workspace/workspaces.js';
import { inspectRepo } from '../../src/race/workspace/repo.js';
import { branches, removeDir, sh, tempDir, tempRepo, worktreePaths } from './git-fixture.js';

const dirs: string[] = [];
after(async () => Promise.all(dirs.map(removeDir)));
async function repo(files?: Record<string, string>): Promise<string> {
  const dir = await tempRepo(files);
  dirs.push(dir);
  return dir;
}
const marker = { feature: 'auth', mode: 'race' as const };

test('inspectRepo: branch, commit and uncommitted paths of a real repository', async () => {
  const root = await repo();
  await writeFile(path.join(root, 'README.md'), 'changed\n');
  await writeFile(path.join(root, 'new.txt'), 'new\n');
  const info = await inspectRepo(path.join(root));
  assert.equal(info.git, true);
  assert.equal(info.root, root);
  assert.equal(info.baseBranch, 'main');
  assert.equal(info.baseCommit, sh(root, 'rev-parse', 'HEAD'));
  assert.deepEqual(info.uncommitted.sort(), ['README.md', 'new.txt']);
});

test('inspectRepo refuses a detached HEAD and a repository without commits, saying what to do', async () => {
  const root = await repo();
  sh(root, 'checkout', '--quiet', '--detach');
  await assert.rejects(inspectRepo(root), (error: Error & { hint?: string }) => {
    assert.match(error.message, /detached HEAD/);
    assert.match(error.hint ?? '', /git switch/);
    return true;
  });
  const empty = await tempDir();
  dirs.push(empty);
  sh(empty, 'init', '--quiet');
  await assert.rejects(inspectRepo(empty), /no commit yet/);
});

test('worktrees: one per runner on its own branch from HEAD, .worktrees/ ignored, then removed', async () => {
  const root = await repo({ 'src/a.ts': 'export const a = 1;\n' });
  const info = await inspectRepo(root);
  assert.equal(await ensureWorktreesIgnored(info), true);
  assert.equal(await ensureWorktreesIgnored(info), false, 'appends once');
  assert.match(await readFile(path.join(root, '.git/info/exclude'), 'utf8'), /^\/\.worktrees\/$/m);
  assert.equal(existsSync(path.join(root, '.gitignore')), false, 'no tracked file is touched');

  const plans = planWorkspaces(info, 'auth', ['runner-1', 'runner-2', 'runner-3']);
  assert.deepEqual(
    plans.map((p) => [p.relDir, p.branch]),
    [
      ['.worktrees/auth/runner-1', 'auth/speed-run/runner-1'],
      ['.worktrees/auth/runner-2', 'auth/speed-run/runner-2'],
      ['.worktrees/auth/runner-3', 'auth/speed-run/runner-3'],
    ],
  );
  assert.deepEqual(await findWorkspaceConflicts(info, plans), []);
  await createWorkspaces(info, plans, marker);
  for (const plan of plans) {
    assert.equal(await readFile(path.join(plan.dir, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
    assert.equal(sh(plan.dir, 'rev-parse', '--abbrev-ref', 'HEAD'), plan.branch);
  }
  assert.deepEqual(await uncommittedPaths(root), [], 'the worktrees themselves are ignored');

  // A commit in one worktree lands on its branch only.
  await writeFile(path.join(plans[0]!.dir, 'gen.ts'), 'export {};\n');
  const commit = await commitPaths(plans[0]!.dir, ['gen.ts'], 'speed-run race auth: runner-1');
  assert.equal(sh(root, 'rev-parse', 'auth/speed-run/runner-1'), commit);
  assert.equal(sh(root, 'log', '-1', '--format=%an <%ae>', commit!), 'speed-run <speed-run@localhost>');

  assert.deepEqual((await findWorkspaceConflicts(info, plans))[0], {
    runner: 'runner-1',
    dir: '.worktrees/auth/runner-1',
    branch: 'auth/speed-run/runner-1',
  });

  for (const plan of plans) {
    const removed = await removeWorkspace(info, plan, marker);
    assert.deepEqual(removed.skipped, []);
    assert.equal(removed.removedDir, true);
    assert.equal(removed.removedBranch, true);
  }
  assert.deepEqual(branches(root), ['main']);
  assert.deepEqual(worktreePaths(root), [root]);
  assert.equal(existsSync(path.join(root, '.worktrees', 'auth')), false, 'the feature directory goes too');
});

test('removal keeps a worktree with uncommitted changes and a branch carrying commits the run did not make', async () => {
  const root = await repo({ 'src/a.ts': 'export const a = 1;\n' });
  const info = await inspectRepo(root);
  const plans = planWorkspaces(info, 'auth', ['runner-1', 'runner-2']);
  await createWorkspaces(info, plans, marker);
  const [dirty, committed] = plans as [WorkspacePlan, WorkspacePlan];
  await writeFile(path.join(dirty.dir, 'notes.md'), 'my notes\n');
  await writeFile(path.join(committed.dir, 'mine.ts'), 'export {};\n');
  sh(committed.dir, 'add', 'mine.ts');
  sh(
    committed.dir,
    '-c',
    'user.name=me',
    '-c',
    'user.email=me@x',
    'commit',
    '--quiet',
    '-m',
    'my own commit',
  );

  const one = await removeWorkspace(info, dirty, marker, { commit: info.baseCommit });
  assert.equal(one.removedDir, false);
  assert.equal(one.removedBranch, false);
  assert.match(one.skipped.join(), /kept \.worktrees\/auth\/runner-1: uncommitted changes \(notes\.md\)/);
  assert.ok(existsSync(path.join(dirty.dir, 'notes.md')));

  const two = await removeWorkspace(info, committed, marker, { commit: info.baseCommit });
  assert.equal(two.removedDir, true, 'a clean worktree goes: its commits stay on the branch');
  assert.equal(two.removedBranch, false);
  assert.match(
    two.skipped.join(),
    /kept branch auth\/speed-run\/runner-2: its tip [0-9a-f]{8} is not the run's commit/,
  );
  assert.ok(branches(root).includes('auth/speed-run/runner-2'));
});

test('removal leaves alone what it cannot prove is the run’s: a directory that is no worktree, a worktree on another branch', async () => {
  const root = await repo();
  const info = await inspectRepo(root);
  const [first, second] = planWorkspaces(info, 'auth', ['runner-1', 'runner-2']);
  // An unrelated plain directory where runner-1's workspace would be.
  await mkdir(first!.dir, { recursive: true });
  await writeFile(path.join(first!.dir, 'keep.txt'), 'mine\n');
  // A worktree at runner-2's place, but on a branch the user made.
  sh(root, 'worktree', 'add', '--quiet', '-b', 'user-branch', second!.dir);

  const one = await removeWorkspace(info, first!, marker);
  assert.equal(one.removedDir, false);
  assert.match(one.skipped.join(), /not a git worktree/);
  assert.ok(existsSync(path.join(first!.dir, 'keep.txt')));

  const two = await removeWorkspace(info, second!, marker);
  assert.equal(two.removedDir, false);
  assert.match(two.skipped.join(), /on user-branch, not auth\/speed-run\/runner-2/);
  assert.ok((await listWorktrees(root)).some((w) => w.branch === 'user-branch'));
  assert.ok(branches(root).includes('user-branch'));
});

test('a failing worktree creation rolls back the ones it made and explains a blocking branch', async () => {
  const root = await repo();
  sh(root, 'branch', 'auth'); // refs/heads/auth blocks refs/heads/auth/...
  const info = await inspectRepo(root);
  const plans = planWorkspaces(info, 'auth', ['runner-1', 'runner-2']);
  await assert.rejects(createWorkspaces(info, plans, marker), (error: Error & { hint?: string }) => {
    assert.match(error.message, /could not create the worktree/);
    assert.match(error.hint ?? '', /branch named like the feature/);
    return true;
  });
  assert.deepEqual(branches(root), ['auth', 'main']);
  assert.deepEqual(worktreePaths(root), [root]);
});

test('outside git: plain directories with a marker, removed only when the marker matches', async () => {
  const root = await tempDir();
  dirs.push(root);
  const info = await inspectRepo(root);
  assert.equal(info.git, false);
  const plans = planWorkspaces(info, 'auth', ['variant-a', 'variant-b']);
  assert.equal(plans[0]!.branch, null);
  await createWorkspaces(info, plans, { feature: 'auth', mode: 'any-percent' });
  assert.ok(existsSync(path.join(plans[0]!.dir, WORKSPACE_MARKER)));
  assert.equal(await ensureWorktreesIgnored(info), false);
  assert.equal(
    existsSync(path.join(plans[0]!.dir, '.worktrees')),
    false,
    'workspaces are not copied into each other',
  );

  // The wrong run's identity does not remove it.
  const wrong = await removeWorkspace(info, plans[0]!, { feature: 'other', mode: 'any-percent' });
  assert.equal(wrong.removedDir, false);
  assert.ok(existsSync(plans[0]!.dir));
  const right = await removeWorkspace(info, plans[0]!, { feature: 'auth', mode: 'any-percent' });
  assert.equal(right.removedDir, true);
  assert.equal(existsSync(plans[0]!.dir), false);
});

test('outside git a workspace is a copy of the project: its own package.json, no secrets, no dependencies', async () => {
  const root = await tempDir();
  dirs.push(root);
  await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'a.mjs'), 'export const a = 1;\n');
  await writeFile(path.join(root, '.env'), 'TOKEN=secret\n');
  await mkdir(path.join(root, 'node_modules', 'x'), { recursive: true });
  await writeFile(path.join(root, 'node_modules', 'x', 'index.js'), '\n');
  await mkdir(path.join(root, 'docs/plans/auth/speed-run/race'), { recursive: true });
  await writeFile(path.join(root, 'docs/plans/auth/speed-run/race/manifest.json'), '{}\n');
  const info = await inspectRepo(root);
  const [plan] = planWorkspaces(info, 'auth', ['runner-1']);
  await createWorkspaces(info, [plan!], marker);
  assert.equal(await readFile(path.join(plan!.dir, 'package.json'), 'utf8'), '{ "type": "module" }\n');
  assert.equal(await readFile(path.join(plan!.dir, 'src', 'a.mjs'), 'utf8'), 'export const a = 1;\n');
  assert.equal(existsSync(path.join(plan!.dir, '.env')), false, 'secrets are not copied');
  assert.equal(existsSync(path.join(plan!.dir, 'node_modules')), false);
  assert.equal(existsSync(path.join(plan!.dir, 'docs', 'plans', 'auth', 'speed-run')), false);
  assert.equal((await removeWorkspace(info, plan!, marker)).removedDir, true);
});

test('git() reports a failure as a value', async () => {
  const root = await repo();
  const outcome = await git(root, ['rev-parse', '--verify', 'no-such-ref']);
  assert.equal(outcome.failed, true);
  assert.notEqual(outcome.exitCode, 0);
  assert.match(outcome.stderr, /Needed a single revision|fatal/);
});
