import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { secretFileReason } from '../../codegen/secret-file-policy.js';
import { SpeedRunError } from '../../errors.js';
import { WORKTREES_DIR } from '../plan/feature-slug.js';
import { isRunRecordPath } from '../record/run-paths.js';
import { isDependencyPath } from './runner-files.js';

/** In a plain workspace: the copied project's files and their hashes, so a runner's own work can be told apart. */
export const WORKSPACE_BASE_FILE = '.speed-run-base.json';
const MAX_FILES = 5000;
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * Outside git, a workspace starts as a copy of the project, so a test command run there finds the project's own
 * package.json, config and sources instead of walking up to a parent's. Copied: regular files, except
 * dependencies and caches (the setup command installs those), speed-run's own workspaces and run records, and
 * files the secret-file policy refuses. Symbolic links are not followed.
 */
export async function copyProject(root: string, workspace: string): Promise<void> {
  const files: string[] = [];
  await walk(root, '', files);
  const base: Record<string, string> = {};
  let bytes = 0;
  for (const name of files) {
    const source = path.join(root, ...name.split('/'));
    const content = await readFile(source);
    bytes += content.length;
    if (bytes > MAX_BYTES) {
      throw new SpeedRunError(
        'limit',
        `The project in ${root} is larger than ${MAX_BYTES / 1024 / 1024} MB; outside git each runner gets a copy.`,
        {
          field: 'repo_dir',
          hint: 'Make it a git repository (git init, then commit): runners then get worktrees.',
        },
      );
    }
    const target = path.join(workspace, ...name.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
    base[name] = sha256(content);
  }
  await writeFile(path.join(workspace, WORKSPACE_BASE_FILE), `${JSON.stringify({ files: base })}\n`);
}

/** The hashes a plain workspace started from; empty when it has none (made before copies, or damaged). */
export async function readWorkspaceBase(workspace: string): Promise<Map<string, string>> {
  const text = await readFile(path.join(workspace, WORKSPACE_BASE_FILE), 'utf8').catch(() => null);
  if (text === null) return new Map();
  try {
    const files = (JSON.parse(text) as { files?: Record<string, unknown> }).files ?? {};
    return new Map(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

async function walk(root: string, relative: string, out: string[]): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (name === WORKTREES_DIR || isDependencyPath(name) || isRunRecordPath(`${name}/`)) continue;
    if (entry.isDirectory()) await walk(root, name, out);
    else if (entry.isFile() && secretFileReason(name) === null) {
      out.push(name);
      if (out.length > MAX_FILES) {
        throw new SpeedRunError(
          'limit',
          `The project in ${root} has more than ${MAX_FILES} files; outside git each runner gets a copy.`,
          {
            field: 'repo_dir',
            hint: 'Make it a git repository (git init, then commit): runners then get worktrees.',
          },
        );
      }
    }
  }
}
