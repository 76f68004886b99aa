import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sha256 } from './copy-project.js';
import { git } from './git.js';
import { DEPENDENCY_DIRS } from './runner-files.js';

/**
 * A short fingerprint of a workspace's files as they stand, so a re-run can tell a fix from a second look. In
 * git, the tree `git add --all` would make (into a throw-away index; ignored files and dependencies left out);
 * outside git, the path, size and modification time of every file. null when it cannot be read.
 */
export async function workspaceFingerprint(dir: string, inGit: boolean): Promise<string | null> {
  if (inGit) {
    const index = path.join(
      tmpdir(),
      `speed-run-index-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      const excludes = DEPENDENCY_DIRS.filter((d) => d !== '.git').flatMap((d) => [
        `:(exclude)${d}`,
        `:(exclude)**/${d}`,
      ]);
      const added = await git(dir, ['add', '--all', '--', '.', ...excludes], { env });
      if (added.failed) return null;
      const tree = await git(dir, ['write-tree'], { env });
      return tree.failed ? null : tree.stdout.trim();
    } finally {
      await rm(index, { force: true });
      await rm(`${index}.lock`, { force: true });
    }
  }
  const lines: string[] = [];
  await walk(dir, '', lines);
  return sha256(lines.sort().join('\n'));
}

async function walk(root: string, relative: string, out: string[]): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!DEPENDENCY_DIRS.includes(entry.name)) await walk(root, name, out);
    } else if (entry.isFile()) {
      const stats = await lstat(path.join(root, name)).catch(() => null);
      if (stats) out.push(`${name}\0${stats.size}\0${stats.mtimeMs}`);
    }
  }
}
