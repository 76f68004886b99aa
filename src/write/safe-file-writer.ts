import { chmod, lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import path from 'node:path';
import { lineChanges } from '../edit/line-changes.js';
import { SpeedRunError } from '../errors.js';
import { checkRelativePath, isWithin, protectedPathReason } from './path-policy.js';
import { removeStaleTempFiles, tempFileName } from './temp-files.js';

export interface WriteLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export interface WrittenFile {
  /** Normalised relative path (`./a//b` is reported as `a/b`). */
  path: string;
  lines: number;
  bytes: number;
  /** Relative to what was on disk before this writer first wrote the path. */
  status: 'created' | 'overwritten' | 'edited';
  /** For a file that existed: lines added and removed against what was there before this writer wrote it. */
  added?: number;
  removed?: number;
  /** Search/replace hunks applied, when the file was edited. */
  hunks?: number;
}

/**
 * A write that depends on the file on disk. `edit` derives the new content from the existing file (which must
 * exist); `vetOverwrite` may refuse to replace an existing file. Either returns a reason to refuse.
 */
export interface WriteRequest {
  path: string;
  content: string;
  vetOverwrite?: (existing: string) => string | null;
  edit?: (
    existing: string,
  ) => { content: string; hunks: number; added: number; removed: number } | { reason: string };
}

export interface RejectedFile {
  /** The path as the model gave it. */
  path: string;
  reason: string;
}

export type WriteOutcome = ({ written: true } & WrittenFile) | ({ written: false } & RejectedFile);

/** What varies for fault-injection tests; production code passes nothing. */
export interface SafeFileWriterDeps {
  rename?: (from: string, to: string) => Promise<void>;
  /** Runs after the temp file is written, before the last check and the rename (race tests swap dirs here). */
  beforeRename?: (temp: string) => Promise<void>;
}

/**
 * Writes generated files into one already-resolved directory: path policy, symlink checks on every existing
 * parent, limits, then temp file + rename so a reader never sees half a file. Writes run one at a time.
 *
 * Writing the same path twice: the second content replaces the first on disk, `written` keeps one entry
 * for the path (updated in place, original status kept) and the byte total counts only the latest content.
 */
export class SafeFileWriter {
  private readonly outputDir: string;
  private realOutputDir: Promise<string> | null = null;
  private readonly limits: WriteLimits;
  private readonly renameFile: (from: string, to: string) => Promise<void>;
  private readonly beforeRename: ((temp: string) => Promise<void>) | undefined;
  /** Directories already swept for stale temp files of ours. */
  private readonly swept = new Set<string>();
  private readonly writtenByPath = new Map<string, WrittenFile>();
  private readonly rejectedList: RejectedFile[] = [];
  /** Each path's content before this writer first wrote it ('' when it did not exist), for line counts. */
  private readonly originals = new Map<string, string>();
  private totalBytes = 0;
  private firstLimit: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(outputDir: string, limits: WriteLimits, deps: SafeFileWriterDeps = {}) {
    if (typeof outputDir !== 'string' || !path.isAbsolute(outputDir)) {
      throw new SpeedRunError(
        'invalid_input',
        `The output directory "${outputDir}" is not an absolute path.`,
        {
          field: 'output_dir',
          hint: 'Resolve it with resolveOutputDir() first.',
        },
      );
    }
    for (const key of ['maxFiles', 'maxFileBytes', 'maxTotalBytes'] as const) {
      const value = limits[key];
      if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
        throw new SpeedRunError('config', `The write limit ${key} must be a number of 0 or more.`, {
          field: key,
        });
      }
    }
    this.outputDir = path.resolve(outputDir);
    this.limits = { ...limits };
    this.renameFile = deps.rename ?? rename;
    this.beforeRename = deps.beforeRename;
  }

  /** The absolute output directory every path is relative to. */
  get directory(): string {
    return this.outputDir;
  }

  get written(): WrittenFile[] {
    return [...this.writtenByPath.values()].map((file) => ({ ...file }));
  }

  get rejected(): RejectedFile[] {
    return this.rejectedList.map((file) => ({ ...file }));
  }

  /** The first limit that refused a file, as a sentence; null while none has. */
  get limitReached(): string | null {
    return this.firstLimit;
  }

  /** Never rejects: any failure is a refusal of that file with the reason. */
  write(file: WriteRequest): Promise<WriteOutcome> {
    const result = this.queue.then(() =>
      this.writeNow(file).catch((error: unknown) =>
        this.reject(givenPath(file), `it could not be written (${describe(error)})`),
      ),
    );
    this.queue = result;
    return result;
  }

  private async writeNow(file: WriteRequest): Promise<WriteOutcome> {
    const given = givenPath(file);
    const verdict = checkRelativePath(given);
    if (!verdict.ok) return this.reject(given, verdict.reason);
    if (typeof file.content !== 'string') return this.reject(given, 'the content is not text');

    const relative = verdict.path;
    let content = file.content;
    let bytes = Buffer.byteLength(content, 'utf8');
    const previous = this.writtenByPath.get(relative);

    const limitReason = file.edit ? null : this.checkLimits(bytes, previous);
    if (limitReason) {
      this.firstLimit ??= limitReason.sentence;
      return this.reject(given, limitReason.reason);
    }

    const prepared = await this.prepareParent(relative, !file.edit);
    if (typeof prepared !== 'string') return this.reject(given, prepared.reason);
    const parent = prepared;

    const name = path.basename(relative);
    // Judged again on the real path: a link inside the output directory may lead into .git or .claude.
    const root = await this.realOutputDir!;
    const realRelative = path.relative(root, path.join(parent, name)).split(path.sep);
    const protectedReason = protectedPathReason(realRelative, 'file');
    if (protectedReason) return this.reject(given, `${protectedReason} (through a link)`);
    if (!this.swept.has(parent)) {
      this.swept.add(parent);
      await removeStaleTempFiles(parent);
    }

    const target = path.join(parent, name);
    let existing: Stats | null;
    try {
      existing = await lstat(target);
    } catch (error) {
      if (!hasCode(error, 'ENOENT'))
        return this.reject(given, `it could not be inspected (${describe(error)})`);
      existing = null;
    }
    if (existing?.isSymbolicLink()) {
      return this.reject(given, 'it is a symbolic link; speed-run does not write through links');
    }
    if (existing?.isDirectory()) return this.reject(given, 'a directory already exists at that path');
    if (existing && !existing.isFile())
      return this.reject(given, 'something other than a regular file is there');

    const current = existing ? await readExisting(target) : '';
    if (typeof current !== 'string') return this.reject(given, current.reason);
    if (!this.originals.has(relative)) this.originals.set(relative, current);
    let edited: { hunks: number; added: number; removed: number } | null = null;
    if (file.edit) {
      if (!existing) return this.reject(given, 'it does not exist; use FILE to create a file');
      const result = file.edit(current);
      if ('reason' in result) return this.reject(given, result.reason);
      ({ content, ...edited } = result);
      bytes = Buffer.byteLength(content, 'utf8');
      const editLimit = this.checkLimits(bytes, previous);
      if (editLimit) {
        this.firstLimit ??= editLimit.sentence;
        return this.reject(given, editLimit.reason);
      }
    } else if (existing && file.vetOverwrite) {
      const refusal = file.vetOverwrite(current);
      if (refusal !== null) return this.reject(given, refusal);
    }

    const failure = await this.writeAtomically(parent, name, content, existing);
    if (failure) return this.reject(given, failure);

    const status = previous?.status ?? (edited ? 'edited' : existing ? 'overwritten' : 'created');
    const lines = countLines(content);
    const changes =
      status === 'created'
        ? {}
        : edited
          ? {
              added: (previous?.added ?? 0) + edited.added,
              removed: (previous?.removed ?? 0) + edited.removed,
            }
          : lineChanges(this.originals.get(relative) ?? '', content);
    const written: WrittenFile = {
      path: relative,
      lines,
      bytes,
      status,
      ...changes,
      ...(status === 'edited' ? { hunks: (previous?.hunks ?? 0) + (edited?.hunks ?? 0) } : {}),
    };
    this.totalBytes += bytes - (previous?.bytes ?? 0);
    this.writtenByPath.set(relative, written);
    // The latest attempt wins: an earlier refusal of this path is no longer the story.
    for (let i = this.rejectedList.length - 1; i >= 0; i--) {
      const rejected = this.rejectedList[i];
      if (rejected && normalisedOf(rejected.path) === relative) {
        this.rejectedList.splice(i, 1);
      }
    }
    return { written: true, ...written };
  }

  private checkLimits(
    bytes: number,
    previous: WrittenFile | undefined,
  ): { reason: string; sentence: string } | null {
    const { maxFiles, maxFileBytes, maxTotalBytes } = this.limits;
    if (!previous && this.writtenByPath.size >= maxFiles) {
      return {
        reason: `the file limit is reached: ${maxFiles} files were already written (SPEED_RUN_MAX_FILES); raise SPEED_RUN_MAX_FILES or ask for fewer files`,
        sentence: `Stopped at the file limit of ${maxFiles} files (SPEED_RUN_MAX_FILES).`,
      };
    }
    if (bytes > maxFileBytes) {
      return {
        reason: `${bytes} bytes is over the per-file limit of ${maxFileBytes} bytes (SPEED_RUN_MAX_FILE_BYTES); raise SPEED_RUN_MAX_FILE_BYTES or split the file`,
        sentence: `A file exceeded the per-file limit of ${maxFileBytes} bytes (SPEED_RUN_MAX_FILE_BYTES).`,
      };
    }
    const total = this.totalBytes - (previous?.bytes ?? 0) + bytes;
    if (total > maxTotalBytes) {
      return {
        reason: `it would bring the total to ${total} bytes, over the limit of ${maxTotalBytes} bytes (SPEED_RUN_MAX_TOTAL_BYTES); raise SPEED_RUN_MAX_TOTAL_BYTES or ask for less code`,
        sentence: `Stopped at the total size limit of ${maxTotalBytes} bytes (SPEED_RUN_MAX_TOTAL_BYTES).`,
      };
    }
    return null;
  }

  /**
   * Walks the parent directories that exist, refusing a symlink that leaves the output directory or a file
   * in the way, then creates the missing ones. Returns the parent's real path.
   */
  private async prepareParent(relative: string, create = true): Promise<string | { reason: string }> {
    const dirs = relative.split('/').slice(0, -1);
    let root: string;
    try {
      // Normally already real; resolving once more keeps a caller's /tmp vs /private/tmp from refusing all.
      this.realOutputDir ??= realpath(this.outputDir);
      root = await this.realOutputDir;
    } catch (error) {
      this.realOutputDir = null;
      return { reason: `the output directory ${this.outputDir} is not usable (${describe(error)})` };
    }
    let current = root;
    let index = 0;
    for (; index < dirs.length; index++) {
      const next = path.join(current, dirs[index] ?? '');
      const shown = dirs.slice(0, index + 1).join('/');
      let stats: Stats;
      try {
        stats = await lstat(next);
      } catch (error) {
        if (hasCode(error, 'ENOENT')) break;
        return { reason: `"${shown}" could not be inspected (${describe(error)})` };
      }
      if (stats.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(next);
        } catch {
          return { reason: `"${shown}" is a symbolic link whose target does not exist` };
        }
        if (!isWithin(root, real)) {
          return { reason: `"${shown}" is a symbolic link to ${real}, outside the output directory` };
        }
        // A link that stays inside the output directory is followed.
        current = real;
        try {
          stats = await lstat(real);
        } catch (error) {
          return { reason: `"${shown}" changed while it was inspected (${describe(error)})` };
        }
      } else {
        current = next;
      }
      if (!stats.isDirectory()) return { reason: `"${shown}" exists and is not a directory` };
    }

    const rest = dirs.slice(index);
    if (rest.length > 0 && !create) return { reason: 'it does not exist; use FILE to create a file' };
    // One level at a time, never following a link: a directory swapped for a link meanwhile stops the walk.
    for (const dir of rest) {
      const next = path.join(current, dir);
      try {
        await mkdir(next);
      } catch (error) {
        if (!hasCode(error, 'EEXIST')) {
          return { reason: `its directory could not be created (${describe(error)})` };
        }
      }
      const made = await lstat(next).catch(() => null);
      if (!made?.isDirectory()) {
        return { reason: `"${dir}" changed while its directory was being created (not a directory now)` };
      }
      current = next;
    }
    const parent = current;
    // Checked again after mkdir: a directory swapped for a link meanwhile must not be written through.
    let realParent: string;
    try {
      realParent = await realpath(parent);
    } catch (error) {
      return { reason: `its directory could not be resolved (${describe(error)})` };
    }
    if (!isWithin(root, realParent)) {
      return { reason: `its directory resolves to ${realParent}, outside the output directory` };
    }
    return realParent;
  }

  /**
   * Returns null on success, or why it failed; the temp file never outlives this call. Node has no openat or
   * renameat, so the window is narrowed instead: the temp file is opened without following links, the real parent
   * is checked again right before the rename, and if it moved meanwhile, the file we renamed is taken back.
   */
  private async writeAtomically(
    dir: string,
    name: string,
    content: string,
    existing: Stats | null,
  ): Promise<string | null> {
    const temp = path.join(dir, tempFileName());
    const target = path.join(dir, name);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    let created = false;
    let renamed = false;
    try {
      const handle = await open(temp, flags, 0o666);
      created = true;
      let identity: Stats;
      try {
        await handle.writeFile(content, 'utf8');
        identity = await handle.stat();
      } finally {
        await handle.close();
      }
      // An overwritten script stays executable.
      if (existing) await chmod(temp, existing.mode & 0o777);
      await this.beforeRename?.(temp);
      const moved = await this.parentMoved(dir);
      if (moved) throw Object.assign(new Error(moved), { code: 'EMOVED' });
      await this.renameFile(temp, target);
      renamed = true;
      const after = await this.parentMoved(dir);
      if (after) {
        // The rename went through a directory swapped in after the check: take our file back out.
        const landed = await lstat(target).catch(() => null);
        if (landed && landed.ino === identity.ino && landed.dev === identity.dev) {
          await unlink(target).catch(() => undefined);
        }
        return `its directory was swapped while it was being written (${after}); nothing was left there`;
      }
      return null;
    } catch (error) {
      if (created && !renamed) await unlink(temp).catch(() => undefined);
      if (hasCode(error, 'EMOVED')) {
        return `its directory was swapped while it was being written (${(error as Error).message}); nothing was written`;
      }
      return `it could not be written (${describe(error)}); the previous content, if any, is unchanged`;
    }
  }

  /** Why `dir` no longer is the real directory inside the output directory it was checked to be; null if it is. */
  private async parentMoved(dir: string): Promise<string | null> {
    const root = await this.realOutputDir!;
    const real = await realpath(dir).catch(() => null);
    if (real === null) return 'it no longer exists';
    if (real !== dir) return `it now resolves to ${real}`;
    if (!isWithin(root, real)) return `it is outside the output directory`;
    const stats = await lstat(dir).catch(() => null);
    if (!stats?.isDirectory()) return 'it is no longer a directory';
    return null;
  }

  private reject(given: string, reason: string): WriteOutcome {
    const rejected: RejectedFile = { path: given, reason };
    this.rejectedList.push(rejected);
    return { written: false, ...rejected };
  }
}

/** The text of an existing regular file, never through a link swapped in since it was inspected. */
async function readExisting(target: string): Promise<string | { reason: string }> {
  try {
    const handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { reason: `it could not be read (${describe(error)})` };
  }
}

/** Lines as an editor counts them: a final line break does not start another line; "" has none. */
export function countLines(content: string): number {
  if (content.length === 0) return 0;
  const breaks = content.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /[\r\n]$/.test(content) ? breaks : breaks + 1;
}

function givenPath(file: { path: unknown }): string {
  try {
    return typeof file?.path === 'string' ? file.path : String(file?.path);
  } catch {
    return '(unreadable path)';
  }
}

function normalisedOf(given: string): string | null {
  const verdict = checkRelativePath(given);
  return verdict.ok ? verdict.path : null;
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
