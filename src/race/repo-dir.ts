import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { realAllowedRoots } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';

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
