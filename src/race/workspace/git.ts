import { execFile } from 'node:child_process';
import { devNull } from 'node:os';
import { SpeedRunError } from '../../errors.js';

/** A git invocation's outcome: a failure is a value, like success plus `failed`. */
export interface GitOutcome {
  args: string[];
  cwd: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  failed: boolean;
  durationMs: number;
}

export interface GitOptions {
  env?: NodeJS.ProcessEnv;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** The identity every speed-run commit is made with. */
const SPEED_RUN_AUTHOR = { name: 'speed-run', email: 'speed-run@localhost' } as const;

const BASE_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  LC_ALL: 'C',
};

// speed-run's own commits, merges and checkouts run no hooks: a hook file the model generated (under whatever
// core.hooksPath names) must not run because speed-run committed it. The user's hooks run on the user's commands.
const NO_HOOKS = ['-c', `core.hooksPath=${devNull}`];

/** Runs `git <args>` in `cwd` without a shell and without hooks. Never throws for git's sake. */
export function git(cwd: string, args: string[], options: GitOptions = {}): Promise<GitOutcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    execFile(
      'git',
      [...NO_HOOKS, ...args],
      {
        cwd,
        env: { ...process.env, ...BASE_ENV, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({
          args,
          cwd,
          exitCode: code,
          stdout: String(stdout),
          stderr: error && String(stderr) === '' ? error.message : String(stderr),
          failed: error !== null,
          durationMs: Date.now() - startedAt,
        });
      },
    );
  });
}

/** Like `git`, but a failure becomes a SpeedRunError naming the command and git's own words. */
export async function gitOrThrow(
  cwd: string,
  args: string[],
  options: GitOptions & { hint?: string } = {},
): Promise<string> {
  const outcome = await git(cwd, args, options);
  if (outcome.failed) {
    throw new SpeedRunError('io', `git ${args.join(' ')} failed in ${cwd}: ${firstLines(outcome.stderr)}`, {
      hint: options.hint ?? 'Check the repository state with `git status` and try again.',
    });
  }
  return outcome.stdout;
}

/** The environment that makes a commit authored and committed by speed-run, whatever the user's config says. */
export function speedRunIdentityEnv(): NodeJS.ProcessEnv {
  return {
    GIT_AUTHOR_NAME: SPEED_RUN_AUTHOR.name,
    GIT_AUTHOR_EMAIL: SPEED_RUN_AUTHOR.email,
    GIT_COMMITTER_NAME: SPEED_RUN_AUTHOR.name,
    GIT_COMMITTER_EMAIL: SPEED_RUN_AUTHOR.email,
  };
}

/** The top level of the work tree containing `dir`, or null when it is not inside a git work tree. */
export async function gitTopLevel(dir: string): Promise<string | null> {
  const outcome = await git(dir, ['rev-parse', '--show-toplevel']);
  if (outcome.failed) return null;
  const top = outcome.stdout.trim();
  return top === '' ? null : top;
}

/** The branch checked out in `dir`, or null on a detached HEAD (or an unborn repository without commits). */
export async function currentBranch(dir: string): Promise<string | null> {
  const outcome = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return outcome.failed ? null : outcome.stdout.trim() || null;
}

/** The commit HEAD points at, or null when there is none yet. */
export async function headCommit(dir: string): Promise<string | null> {
  const outcome = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return outcome.failed ? null : outcome.stdout.trim() || null;
}

/** Paths with uncommitted changes (staged, unstaged or untracked-not-ignored), as `git status` names them. */
export async function uncommittedPaths(dir: string): Promise<string[]> {
  const outcome = await git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (outcome.failed) return [];
  const paths: string[] = [];
  const entries = outcome.stdout.split('\0');
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    // A rename or copy is followed by its original path.
    if (entry[0] === 'R' || entry[0] === 'C') i += 1;
  }
  return paths;
}

export interface WorktreeEntry {
  path: string;
  head: string | null;
  branch: string | null;
}

/** `git worktree list --porcelain`, parsed. The main work tree comes first. */
export async function listWorktrees(dir: string): Promise<WorktreeEntry[]> {
  const outcome = await git(dir, ['worktree', 'list', '--porcelain']);
  if (outcome.failed) return [];
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const line of outcome.stdout.split('\n')) {
    if (line.startsWith('worktree ')) {
      current = { path: line.slice('worktree '.length), head: null, branch: null };
      entries.push(current);
    } else if (current && line.startsWith('HEAD ')) {
      current.head = line.slice(5);
    } else if (current && line.startsWith('branch ')) {
      current.branch = line.slice(7).replace(/^refs\/heads\//, '');
    }
  }
  return entries;
}

/**
 * Stages `paths` (relative to `dir`) and commits them as speed-run. Returns the new commit, or null when
 * there was nothing to commit. Other staged changes in the index are not included (`--only` semantics).
 */
export async function commitPaths(dir: string, paths: string[], message: string): Promise<string | null> {
  if (paths.length === 0) return null;
  // --force: these are exactly the files the run wrote; an ignore rule must not silently drop them from the branch.
  await gitOrThrow(dir, ['add', '--all', '--force', '--', ...paths]);
  return commitStaged(dir, message);
}

/** Commits whatever is staged as speed-run. Returns the new commit, or null when nothing is staged. */
export async function commitStaged(dir: string, message: string): Promise<string | null> {
  const staged = await git(dir, ['diff', '--cached', '--quiet']);
  if (!staged.failed) return null;
  await gitOrThrow(dir, ['-c', 'commit.gpgsign=false', 'commit', '--no-verify', '--quiet', '-m', message], {
    env: speedRunIdentityEnv(),
  });
  return headCommit(dir);
}

function firstLines(text: string): string {
  const lines = text.trim().split('\n').slice(0, 4).join(' / ');
  return lines === '' ? 'no output' : lines;
}
