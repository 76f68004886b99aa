import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { realAllowedRoots } from '../../write/allowed-roots.js';
import { isWithin } from '../../write/path-policy.js';
import { currentBranch, gitTopLevel, headCommit, uncommittedPaths } from './git.js';

/** Where a run happens: the repository (or plain directory) and, in git, the branch it starts from. */
export interface RepoInfo {
  /** The work tree's top level in git; otherwise the given directory. Real path. */
  root: string;
  git: boolean;
  /** The branch checked out when the run started (git only). */
  baseBranch: string | null;
  baseCommit: string | null;
  /** Uncommitted paths at the start: they are not in the worktrees. */
  uncommitted: string[];
}

/** The root a run's record and workspaces hang off: the git top level of `dir`, or `dir` itself outside git. */
export async function runRoot(dir: string): Promise<string> {
  return (await gitTopLevel(dir)) ?? dir;
}

/**
 * The directory a run happens in: `repoDir` (default `cwd`), resolved to its real path, which must be an existing
 * directory inside one of `allowedRoots`.
 */
export async function resolveRepoDir(
  repoDir: string | undefined,
  options: { cwd: string; allowedRoots: string[] },
): Promise<string> {
  const given = repoDir ?? options.cwd;
  if (given.trim() === '' || given.includes('\0')) {
    throw new SpeedRunError('invalid_input', 'repo_dir is empty or contains a NUL byte.', {
      field: 'repo_dir',
      hint: 'Pass the repository directory, or leave repo_dir out to use the server’s working directory.',
    });
  }
  const target = path.resolve(options.cwd, given);
  const real = await realpath(target).catch(() => null);
  const stats = real === null ? null : await stat(real).catch(() => null);
  if (real === null || !stats?.isDirectory()) {
    throw new SpeedRunError('invalid_input', `repo_dir "${given}" is not an existing directory.`, {
      field: 'repo_dir',
      hint: 'Pass the repository directory, absolute or relative to the working directory.',
    });
  }
  const roots = await realAllowedRoots(options.allowedRoots, options.cwd);
  if (!roots.some((root) => isWithin(root, real))) {
    throw new SpeedRunError(
      'path_rejected',
      `repo_dir "${given}" (${real}) is outside the allowed directories.`,
      {
        field: 'repo_dir',
        hint:
          roots.length > 0
            ? `Use a directory inside ${roots.join(', ')}, or add it to SPEED_RUN_ALLOWED_DIRS.`
            : 'No allowed directory exists; add one to SPEED_RUN_ALLOWED_DIRS.',
      },
    );
  }
  return real;
}

/** Reads where a run would happen. Refuses a git repository without a commit or on a detached HEAD. */
export async function inspectRepo(dir: string): Promise<RepoInfo> {
  const top = await gitTopLevel(dir);
  if (top === null) {
    return { root: await realpath(dir), git: false, baseBranch: null, baseCommit: null, uncommitted: [] };
  }
  const baseCommit = await headCommit(top);
  if (baseCommit === null) {
    throw new SpeedRunError('invalid_input', `The git repository at ${top} has no commit yet.`, {
      field: 'repo_dir',
      hint: 'Make a first commit: the runners’ worktrees are created from HEAD.',
    });
  }
  const baseBranch = await currentBranch(top);
  if (baseBranch === null) {
    throw new SpeedRunError('invalid_input', `The git repository at ${top} is on a detached HEAD.`, {
      field: 'repo_dir',
      hint: 'Check out the branch the winner should be merged into (git switch <branch>), then start the run again.',
    });
  }
  return { root: top, git: true, baseBranch, baseCommit, uncommitted: await uncommittedPaths(top) };
}
