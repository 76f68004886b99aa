import { constants } from 'node:fs';
import { access, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { isWithin, protectedPathReason } from './path-policy.js';

/**
 * Reads SPEED_RUN_ALLOWED_DIRS: directories separated by `path.delimiter` (":" on POSIX, ";" on Windows),
 * each resolved against `cwd`. A leading `~` means the home directory, since the variable is often set in a
 * JSON settings file where no shell expands it.
 */
export function parseAllowedDirs(value: string | undefined, cwd: string): string[] {
  if (value === undefined) return [];
  const dirs: string[] = [];
  for (const entry of value.split(path.delimiter)) {
    const trimmed = entry.trim();
    if (trimmed === '' || trimmed.includes('\0')) continue;
    const expanded =
      trimmed === '~' || trimmed.startsWith('~/') || trimmed.startsWith('~\\')
        ? path.join(os.homedir(), trimmed.slice(1))
        : trimmed;
    const resolved = path.resolve(cwd, expanded);
    if (!dirs.includes(resolved)) dirs.push(resolved);
  }
  return dirs;
}

/**
 * The real paths of the allowed roots that exist. A root that does not exist cannot contain anything yet,
 * so it is dropped rather than compared lexically (which would let a symlink inside it go unnoticed).
 */
export async function realAllowedRoots(roots: string[], cwd: string): Promise<string[]> {
  const real: string[] = [];
  for (const root of roots) {
    if (typeof root !== 'string' || root === '' || root.includes('\0')) continue;
    try {
      const resolved = await realpath(path.resolve(cwd, root));
      if (!real.includes(resolved)) real.push(resolved);
    } catch {
      // missing or unreadable root: contributes nothing
    }
  }
  return real;
}

/**
 * Resolves where generated files go. The directory must lie inside an allowed root once every symlink is
 * resolved; it is created (recursively) only after that check. Returns its real absolute path.
 */
export async function resolveOutputDir(
  outputDir: string,
  options: { cwd: string; allowedRoots: string[] },
): Promise<string> {
  if (typeof outputDir !== 'string' || outputDir.trim() === '') {
    throw new SpeedRunError('invalid_input', 'output_dir is empty.', {
      field: 'output_dir',
      hint: 'Pass a directory path, absolute or relative to the working directory.',
    });
  }
  if (outputDir.includes('\0')) {
    throw new SpeedRunError('path_rejected', 'output_dir contains a NUL byte.', {
      field: 'output_dir',
      hint: 'Pass a plain directory path.',
    });
  }

  const target = path.resolve(options.cwd, outputDir);
  const roots = await realAllowedRoots(options.allowedRoots, options.cwd);
  const refuse = (why: string): SpeedRunError =>
    new SpeedRunError('path_rejected', `output_dir "${outputDir}" ${why}.`, {
      field: 'output_dir',
      hint:
        roots.length > 0
          ? `Use a directory inside ${roots.join(', ')}, or add it to SPEED_RUN_ALLOWED_DIRS.`
          : 'No allowed directory exists; add one to SPEED_RUN_ALLOWED_DIRS.',
    });

  const realTarget = await realpathOfDeepestAncestor(target, refuse);
  if (!roots.some((root) => isWithin(root, realTarget))) {
    const where = realTarget === target ? target : `${target}, which resolves to ${realTarget},`;
    throw refuse(`is outside the allowed directories (${where} is not inside any of them)`);
  }
  refuseProtected(outputDir, realTarget, roots);

  const existing = await stat(realTarget).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new SpeedRunError('invalid_input', `output_dir "${outputDir}" is a file, not a directory.`, {
      field: 'output_dir',
      hint: 'Choose a directory path, or move the file out of the way.',
    });
  }
  try {
    await mkdir(realTarget, { recursive: true });
  } catch (error) {
    throw new SpeedRunError('io', `output_dir "${outputDir}" could not be created: ${describe(error)}.`, {
      field: 'output_dir',
      hint: 'Check that no file is in the way and that the directory is writable.',
      cause: error,
    });
  }

  // Again after creating it: a link swapped in meanwhile must not win.
  const created = await realpath(realTarget);
  if (!roots.some((root) => isWithin(root, created))) {
    throw refuse(`resolves to ${created}, which is outside the allowed directories`);
  }
  refuseProtected(outputDir, created, roots);
  if (!(await stat(created)).isDirectory()) throw refuse('is not a directory');
  // Found now, not after a whole generation has been paid for.
  try {
    await access(created, constants.W_OK);
  } catch (error) {
    throw new SpeedRunError('io', `output_dir "${outputDir}" is not writable: ${describe(error)}.`, {
      field: 'output_dir',
      hint: 'Choose a directory you can write to, or fix its permissions.',
      cause: error,
    });
  }
  return created;
}

/**
 * The same segment rules as generated file paths, applied to the directory below its allowed root: output_dir
 * `.git/hooks` or `.claude` would let generated files change the repository's or the agent's configuration.
 */
function refuseProtected(outputDir: string, realTarget: string, roots: string[]): void {
  // Judged below every root that holds it, so a nested root cannot hide a .git above it.
  for (const root of roots) {
    if (!isWithin(root, realTarget)) continue;
    const segments = path.relative(root, realTarget).split(path.sep).filter(Boolean);
    const reason = protectedPathReason(segments, 'dir');
    if (reason) {
      throw new SpeedRunError('path_rejected', `output_dir "${outputDir}" is refused: ${reason}.`, {
        field: 'output_dir',
        hint: 'Choose an ordinary project directory for generated files.',
      });
    }
  }
}

/**
 * realpath() of the deepest part of `target` that exists, with the rest appended. A dangling symlink on
 * the way is refused: mkdir would otherwise follow it to wherever it points.
 */
async function realpathOfDeepestAncestor(
  target: string,
  refuse: (why: string) => SpeedRunError,
): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await realpath(current);
      return path.join(real, ...missing.reverse());
    } catch (error) {
      if (!isCode(error, 'ENOENT')) {
        if (isCode(error, 'ENOTDIR')) throw refuse(`has a file, not a directory, at ${current}`);
        throw refuse(`could not be resolved (${describe(error)})`);
      }
    }
    const exists = await lstat(current).then(
      (stats) => stats,
      () => null,
    );
    if (exists?.isSymbolicLink())
      throw refuse(`goes through ${current}, a symbolic link whose target is missing`);
    const parent = path.dirname(current);
    if (parent === current) throw refuse('has no existing ancestor');
    missing.push(path.basename(current));
    current = parent;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
