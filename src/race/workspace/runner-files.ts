import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunManifest, RunnerRecord } from '../record/manifest-schema.js';
import type { SourceFile } from '../race-types.js';
import { git } from './git.js';
import { WORKSPACE_BASE_FILE, readWorkspaceBase, sha256 } from './copy-project.js';
import { WORKSPACE_MARKER } from './workspaces.js';

/** Directories that hold installed dependencies or caches, never the runner's own work. */
export const DEPENDENCY_DIRS = ['node_modules', '.venv', 'venv', '__pycache__', '.pytest_cache', '.git'];
/** Larger files are not read for judging (they are not hand-written code). */
const MAX_FILE_BYTES = 512 * 1024;
const MAX_FILES = 500;

export function workspaceDir(manifest: RunManifest, runner: RunnerRecord): string {
  return path.join(manifest.repo.root, ...runner.workspace.dir.split('/'));
}

/**
 * The paths (relative to the workspace, `/`-separated) that make up a runner's work as it stands now, the
 * agent's fixes included: in git, everything changed or added since the base commit (ignored files excepted);
 * outside git, every file of the workspace that is not an unchanged copy of the project's (dependencies and
 * speed-run's own marker files excepted).
 */
export async function runnerPaths(manifest: RunManifest, runner: RunnerRecord): Promise<string[]> {
  const dir = workspaceDir(manifest, runner);
  if (manifest.repo.git && manifest.repo.baseCommit) {
    const changed = await git(dir, [
      'diff',
      '--name-only',
      '--no-renames',
      '-z',
      manifest.repo.baseCommit,
      '--',
    ]);
    const untracked = await git(dir, ['ls-files', '--others', '--exclude-standard', '-z']);
    if (!changed.failed || !untracked.failed) {
      const names = [...changed.stdout.split('\0'), ...untracked.stdout.split('\0')].filter(
        (name) => name !== '',
      );
      const existing: string[] = [];
      for (const name of [...new Set(names)].sort()) {
        if (isDependencyPath(name)) continue;
        const stats = await lstat(path.join(dir, name)).catch(() => null);
        if (stats?.isFile()) existing.push(name);
      }
      return existing.slice(0, MAX_FILES);
    }
  }
  // Outside git the workspace started as a copy of the project: the runner's work is what is new or changed.
  const base = await readWorkspaceBase(dir);
  const found: string[] = [];
  await walk(dir, '', found, 10_000);
  const changed: string[] = [];
  for (const name of found.sort()) {
    if (name === WORKSPACE_MARKER || name === WORKSPACE_BASE_FILE) continue;
    const was = base.get(name);
    if (was !== undefined) {
      const now = await readFile(path.join(dir, ...name.split('/'))).catch(() => null);
      if (now !== null && sha256(now) === was) continue;
    }
    changed.push(name);
  }
  return changed.slice(0, MAX_FILES);
}

/** The runner's files with their current contents (binary and very large files left out). */
export async function readRunnerFiles(manifest: RunManifest, runner: RunnerRecord): Promise<SourceFile[]> {
  const dir = workspaceDir(manifest, runner);
  const files: SourceFile[] = [];
  for (const name of await runnerPaths(manifest, runner)) {
    const full = path.join(dir, name);
    const stats = await lstat(full).catch(() => null);
    if (!stats?.isFile() || stats.size > MAX_FILE_BYTES) continue;
    const content = await readFile(full, 'utf8').catch(() => null);
    if (content === null || content.includes('\0')) continue;
    files.push({ path: name, content });
  }
  return files;
}

export function isDependencyPath(name: string): boolean {
  return name.split('/').some((segment) => DEPENDENCY_DIRS.includes(segment));
}

async function walk(root: string, relative: string, out: string[], limit: number): Promise<void> {
  if (out.length >= limit) return;
  const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!DEPENDENCY_DIRS.includes(entry.name)) await walk(root, name, out, limit);
    } else if (entry.isFile()) {
      out.push(name);
    }
  }
}
