// Real temporary git repositories for the race engine's tests. Nothing here touches the repository under test.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const GIT_TEST_ENV = {
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git synchronously in `cwd` and returns trimmed stdout; throws on failure (it is test set-up). */
export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...GIT_TEST_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export async function tempDir(prefix = 'speed-run-race-'): Promise<string> {
  return realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** A repository on branch `main` with one commit holding `files` (default: a README). */
export async function tempRepo(
  files: Record<string, string> = { 'README.md': '# fixture\n' },
): Promise<string> {
  const dir = await tempDir();
  sh(dir, 'init', '--quiet', '--initial-branch=main');
  sh(dir, 'config', 'commit.gpgsign', 'false');
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  sh(dir, 'add', '--all');
  sh(dir, 'commit', '--quiet', '-m', 'initial');
  return dir;
}

export function branches(repo: string): string[] {
  return sh(repo, 'branch', '--format=%(refname:short)')
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

export function worktreePaths(repo: string): string[] {
  return sh(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
