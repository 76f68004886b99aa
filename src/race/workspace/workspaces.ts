import { appendFile, lstat, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { isWithin } from '../../write/path-policy.js';
import { WORKTREES_DIR, branchName, legacyWorkspaceRelDir, workspaceRelDir } from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';
import { copyProject } from './copy-project.js';
import { git, listWorktrees, uncommittedPaths } from './git.js';
import type { RepoInfo } from './repo.js';
import { isDependencyPath } from './runner-files.js';

export { WORKTREES_DIR };
/** Written into a plain (non-git) workspace so removal can prove the directory is this run's. */
export const WORKSPACE_MARKER = '.speed-run-workspace';

export interface WorkspacePlan {
  runner: string;
  /** Absolute. */
  dir: string;
  /** Relative to the repository root, with forward slashes. */
  relDir: string;
  /** null outside git. */
  branch: string | null;
}

function plan(repo: RepoInfo, feature: string, runner: string, relDir: string): WorkspacePlan {
  return {
    runner,
    dir: path.join(repo.root, ...relDir.split('/')),
    relDir,
    branch: repo.git ? branchName(feature, runner) : null,
  };
}

/** The workspace and branch names: `.worktrees/<feature>/<runner>` on `<feature>/speed-run/<runner>`. */
export function planWorkspaces(repo: RepoInfo, feature: string, runners: string[]): WorkspacePlan[] {
  return runners.map((runner) => plan(repo, feature, runner, workspaceRelDir(feature, runner)));
}

/** The plan a run recorded before workspace names carried the feature (`.worktrees/speed-run-<runner>`). */
export function legacyWorkspacePlan(repo: RepoInfo, feature: string, runner: string): WorkspacePlan {
  return plan(repo, feature, runner, legacyWorkspaceRelDir(runner));
}

/**
 * Makes sure `.worktrees/` is ignored by git, in `.git/info/exclude`: local, never committed, so it can never
 * conflict with a `.gitignore` a runner generated. Returns true when it added the line.
 */
export async function ensureWorktreesIgnored(repo: RepoInfo): Promise<boolean> {
  if (!repo.git) return false;
  const probe = `${WORKTREES_DIR}/speed-run-probe`;
  const check = await git(repo.root, ['check-ignore', '--quiet', '--no-index', probe]);
  if (!check.failed) return false;
  const where = await git(repo.root, ['rev-parse', '--git-path', 'info/exclude']);
  if (where.failed || where.stdout.trim() === '') return false;
  const file = path.resolve(repo.root, where.stdout.trim());
  await mkdir(path.dirname(file), { recursive: true });
  const existing = await readFile(file, 'utf8').catch(() => '');
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# speed-run race workspaces\n/${WORKTREES_DIR}/\n`);
  return true;
}

export interface WorkspaceConflict {
  runner: string;
  /** Relative directory, when it exists. */
  dir: string | null;
  /** Branch, when it exists. */
  branch: string | null;
}

/** The planned directories and branches that already exist: speed-run never takes over what it did not make. */
export async function findWorkspaceConflicts(
  repo: RepoInfo,
  plans: WorkspacePlan[],
): Promise<WorkspaceConflict[]> {
  const conflicts: WorkspaceConflict[] = [];
  for (const plan of plans) {
    const dir = (await exists(plan.dir)) ? plan.relDir : null;
    let branch: string | null = null;
    if (plan.branch !== null) {
      const ref = await git(repo.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${plan.branch}`]);
      if (!ref.failed) branch = plan.branch;
    }
    if (dir !== null || branch !== null) conflicts.push({ runner: plan.runner, dir, branch });
  }
  return conflicts;
}

/**
 * Creates every workspace: a git worktree on a new branch from the base commit, or outside git a directory
 * holding a copy of the project (so its test command runs against the runner's own files).
 * All or nothing: when one fails, the ones created here are removed again and the error is thrown.
 */
export async function createWorkspaces(
  repo: RepoInfo,
  plans: WorkspacePlan[],
  marker: { feature: string; mode: RaceMode },
): Promise<void> {
  await mkdir(path.join(repo.root, WORKTREES_DIR), { recursive: true });
  const created: WorkspacePlan[] = [];
  // One at a time: concurrent `git worktree add` calls read each other's half-made administrative directories.
  for (const plan of plans) {
    try {
      await createOne(repo, plan, marker);
      created.push(plan);
    } catch (error) {
      for (const done of created) await removeWorkspace(repo, done, marker);
      throw error instanceof SpeedRunError
        ? error
        : new SpeedRunError('io', `Creating the workspaces failed: ${String(error)}`, { cause: error });
    }
  }
}

async function createOne(
  repo: RepoInfo,
  plan: WorkspacePlan,
  marker: { feature: string; mode: RaceMode },
): Promise<void> {
  await mkdir(path.dirname(plan.dir), { recursive: true });
  if (!repo.git || plan.branch === null) {
    await mkdir(plan.dir, { recursive: false });
    try {
      await writeFile(path.join(plan.dir, WORKSPACE_MARKER), markerText(marker, plan.runner));
      await copyProject(repo.root, plan.dir);
    } catch (error) {
      await rm(plan.dir, { recursive: true, force: true });
      throw error;
    }
    return;
  }
  const outcome = await git(repo.root, [
    'worktree',
    'add',
    '--quiet',
    '--no-track',
    '-b',
    plan.branch,
    plan.dir,
    repo.baseCommit ?? 'HEAD',
  ]);
  if (outcome.failed) {
    throw new SpeedRunError(
      'io',
      `git could not create the worktree ${plan.relDir} on ${plan.branch}: ${outcome.stderr.trim()}`,
      {
        hint:
          'A branch named like the feature (e.g. "<feature>") blocks "<feature>/speed-run/..." branches; pick another ' +
          'feature name, or check `git worktree list` and `git branch`.',
      },
    );
  }
}

export interface RemovalOutcome {
  runner: string;
  dir: string;
  branch: string | null;
  /** Whether the directory (worktree or plain) was removed. */
  removedDir: boolean;
  removedBranch: boolean;
  /** Why something was left alone. */
  skipped: string[];
}

/** What removal expects to find, so it can tell the run's own state from work added since. */
export interface RemovalExpectation {
  /** The commit the run recorded for the branch tip; a tip elsewhere carries someone's commits. */
  commit?: string | null | undefined;
  /** Delete the branch only when it is merged into the checked-out branch (`git branch -d`). */
  onlyIfMerged?: boolean | undefined;
  /** Leave the branch (the worktree still goes). */
  keepBranch?: boolean | undefined;
}

/**
 * Removes one workspace this run created, after proving it is the one: a registered worktree at exactly that
 * path on exactly that branch, or a plain directory carrying this run's marker. A worktree with uncommitted
 * changes, or a branch whose tip is not the recorded commit, is kept and the reason given in `skipped`: it holds
 * work the run did not make. Never throws for git's sake.
 */
export async function removeWorkspace(
  repo: RepoInfo,
  plan: WorkspacePlan,
  marker: { feature: string; mode: RaceMode },
  expect: RemovalExpectation = {},
): Promise<RemovalOutcome> {
  const outcome: RemovalOutcome = {
    runner: plan.runner,
    dir: plan.relDir,
    branch: plan.branch,
    removedDir: false,
    removedBranch: false,
    skipped: [],
  };
  const worktreesRoot = path.join(repo.root, WORKTREES_DIR);
  if (!isWithin(worktreesRoot, plan.dir) || plan.dir === worktreesRoot) {
    outcome.skipped.push(`${plan.dir} is not inside ${worktreesRoot}`);
    return outcome;
  }

  if (repo.git && plan.branch !== null) {
    const worktrees = await listWorktrees(repo.root);
    const entry = worktrees.find((w) => samePath(w.path, plan.dir));
    if (entry && entry.branch === plan.branch) {
      const changed = (await uncommittedPaths(plan.dir)).filter((p) => !isDependencyPath(p));
      if (changed.length > 0) {
        outcome.skipped.push(
          `kept ${plan.relDir}: uncommitted changes (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''})`,
        );
      } else {
        const removed = await git(repo.root, ['worktree', 'remove', '--force', '--force', plan.dir]);
        if (removed.failed) outcome.skipped.push(`git worktree remove failed: ${removed.stderr.trim()}`);
        else outcome.removedDir = true;
      }
    } else if (entry) {
      outcome.skipped.push(
        `worktree ${plan.relDir} is on ${entry.branch ?? 'a detached HEAD'}, not ${plan.branch}`,
      );
    } else if (await exists(plan.dir)) {
      outcome.skipped.push(`${plan.relDir} exists but is not a git worktree`);
    }
    await git(repo.root, ['worktree', 'prune']);
    await removeBranch(repo, plan.branch, expect, outcome);
    await removeEmptyParent(worktreesRoot, plan.dir);
    return outcome;
  }

  if (!(await exists(plan.dir))) return outcome;
  const stats = await lstat(plan.dir);
  if (!stats.isDirectory()) {
    outcome.skipped.push(`${plan.relDir} is not a directory`);
    return outcome;
  }
  const found = await readFile(path.join(plan.dir, WORKSPACE_MARKER), 'utf8').catch(() => null);
  if (found?.trim() !== markerText(marker, plan.runner).trim()) {
    outcome.skipped.push(`${plan.relDir} does not carry this run's marker file`);
    return outcome;
  }
  await rm(plan.dir, { recursive: true, force: true });
  outcome.removedDir = true;
  await removeEmptyParent(worktreesRoot, plan.dir);
  return outcome;
}

async function removeBranch(
  repo: RepoInfo,
  branch: string,
  expect: RemovalExpectation,
  outcome: RemovalOutcome,
): Promise<void> {
  const tip = await git(repo.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  if (tip.failed) return; // already gone
  if (expect.keepBranch) {
    outcome.skipped.push(`kept branch ${branch} as asked`);
    return;
  }
  if ((await listWorktrees(repo.root)).some((w) => w.branch === branch)) {
    outcome.skipped.push(`kept branch ${branch}: it is checked out in a worktree`);
    return;
  }
  const head = tip.stdout.trim();
  if (expect.commit && head !== expect.commit) {
    outcome.skipped.push(
      `kept branch ${branch}: its tip ${head.slice(0, 8)} is not the run's commit ${expect.commit.slice(0, 8)} (commits were added)`,
    );
    return;
  }
  const deleted = await git(repo.root, ['branch', expect.onlyIfMerged ? '-d' : '-D', branch]);
  if (!deleted.failed) outcome.removedBranch = true;
  else if (!/not found/.test(deleted.stderr)) {
    outcome.skipped.push(`kept branch ${branch}: ${deleted.stderr.trim().split('\n')[0]}`);
  }
}

/** `.worktrees/<feature>/` goes once its last workspace has. */
async function removeEmptyParent(worktreesRoot: string, dir: string): Promise<void> {
  const parent = path.dirname(dir);
  if (parent !== worktreesRoot && isWithin(worktreesRoot, parent)) await rmdir(parent).catch(() => undefined);
}

function markerText(marker: { feature: string; mode: RaceMode }, runner: string): string {
  return `speed-run ${marker.mode} feature=${marker.feature} runner=${runner}\n`;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
