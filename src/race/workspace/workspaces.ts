import { appendFile, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { isWithin } from '../../write/path-policy.js';
import { branchName, workspaceDirName } from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';
import { git, listWorktrees } from './git.js';
import type { RepoInfo } from './repo.js';

export const WORKTREES_DIR = '.worktrees';
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

/** The workspace and branch names the issue fixes: `.worktrees/speed-run-<runner>` on `<feature>/speed-run/<runner>`. */
export function planWorkspaces(repo: RepoInfo, feature: string, runners: string[]): WorkspacePlan[] {
  return runners.map((runner) => {
    const name = workspaceDirName(runner);
    return {
      runner,
      dir: path.join(repo.root, WORKTREES_DIR, name),
      relDir: `${WORKTREES_DIR}/${name}`,
      branch: repo.git ? branchName(feature, runner) : null,
    };
  });
}

/**
 * Makes sure `.worktrees/` is ignored by git. Appends a line to the top-level .gitignore when it is not
 * (the change is left uncommitted for the user). Returns true when it appended.
 */
export async function ensureWorktreesIgnored(repo: RepoInfo): Promise<boolean> {
  if (!repo.git) return false;
  const probe = `${WORKTREES_DIR}/speed-run-probe`;
  const check = await git(repo.root, ['check-ignore', '--quiet', '--no-index', probe]);
  if (!check.failed) return false;
  const file = path.join(repo.root, '.gitignore');
  const existing = await readFile(file, 'utf8').catch(() => '');
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${prefix}# speed-run race workspaces\n/${WORKTREES_DIR}/\n`);
  return true;
}

/**
 * Refuses when any planned directory or branch already exists: speed-run never takes over something it did not
 * create. The message names each collision.
 */
export async function checkWorkspacesFree(repo: RepoInfo, plans: WorkspacePlan[]): Promise<void> {
  const taken: string[] = [];
  for (const plan of plans) {
    if (await exists(plan.dir)) taken.push(`directory ${plan.relDir}`);
    if (plan.branch !== null) {
      const ref = await git(repo.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${plan.branch}`]);
      if (!ref.failed) taken.push(`branch ${plan.branch}`);
    }
  }
  if (taken.length > 0) {
    throw new SpeedRunError(
      'invalid_input',
      `These already exist and were not made by this run: ${taken.join(', ')}.`,
      {
        hint:
          'Finish or replace the run that made them (replace: true / --replace), or remove them yourself if they are ' +
          'left over from something else.',
      },
    );
  }
}

/**
 * Creates every workspace: a git worktree on a new branch from the base commit, or a plain directory outside git.
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
  if (!repo.git || plan.branch === null) {
    await mkdir(plan.dir, { recursive: false });
    await writeFile(path.join(plan.dir, WORKSPACE_MARKER), markerText(marker, plan.runner));
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

/**
 * Removes one workspace this run created, after proving it is the one: a registered worktree at exactly that
 * path on exactly that branch, or a plain directory carrying this run's marker. Anything else is left alone and
 * reported in `skipped`. Never throws for git's sake.
 */
export async function removeWorkspace(
  repo: RepoInfo,
  plan: WorkspacePlan,
  marker: { feature: string; mode: RaceMode },
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
      const removed = await git(repo.root, ['worktree', 'remove', '--force', '--force', plan.dir]);
      if (removed.failed) outcome.skipped.push(`git worktree remove failed: ${removed.stderr.trim()}`);
      else outcome.removedDir = true;
    } else if (entry) {
      outcome.skipped.push(
        `worktree ${plan.relDir} is on ${entry.branch ?? 'a detached HEAD'}, not ${plan.branch}`,
      );
    } else if (await exists(plan.dir)) {
      outcome.skipped.push(`${plan.relDir} exists but is not a git worktree`);
    }
    const stillCheckedOut = (await listWorktrees(repo.root)).some((w) => w.branch === plan.branch);
    if (stillCheckedOut) {
      outcome.skipped.push(`branch ${plan.branch} is checked out in a worktree`);
    } else {
      const deleted = await git(repo.root, ['branch', '-D', plan.branch]);
      if (!deleted.failed) outcome.removedBranch = true;
      else if (!/not found/.test(deleted.stderr))
        outcome.skipped.push(`git branch -D failed: ${deleted.stderr.trim()}`);
    }
    await git(repo.root, ['worktree', 'prune']);
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
  return outcome;
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
