import path from 'node:path';

/**
 * The pure half of "never write outside the output directory": is a path the model named an acceptable
 * relative file path? No I/O here; `SafeFileWriter` adds the symlink checks that need the disk.
 */
export type PathVerdict = { ok: true; path: string } | { ok: false; reason: string };

/** Longest relative path accepted, in UTF-8 bytes (PATH_MAX is 4096 and the output dir needs room too). */
export const MAX_PATH_BYTES = 1024;
/** Longest single segment, in UTF-8 bytes (NAME_MAX on common file systems). */
export const MAX_SEGMENT_BYTES = 255;

// \p{Cc} is C0 (0x00-0x1F), DEL (0x7F) and C1 (0x80-0x9F).
const CONTROL_CHARACTER = /\p{Cc}/u;
const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Checks a path a model asked to write and returns it normalised (`./a//b` → `a/b`), or a reason to refuse.
 * Backslashes are refused rather than normalised: on POSIX `a\b` is a legal file name, so guessing that the
 * model meant a separator would write something other than what either side expects.
 */
export function checkRelativePath(input: string): PathVerdict {
  if (typeof input !== 'string') return reject('the path is not a string');
  if (input.length === 0) return reject('the path is empty');
  if (input.trim().length === 0) return reject('the path is only whitespace');

  const nul = input.indexOf('\0');
  if (nul !== -1) return reject(`the path contains a NUL byte (at character ${nul + 1})`);
  const control = CONTROL_CHARACTER.exec(input);
  if (control) {
    const code = control[0].codePointAt(0) ?? 0;
    return reject(
      `the path contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
    );
  }

  if (/^[\\/]{2}/.test(input)) return reject('the path is a UNC network path (starts with two slashes)');
  if (input.startsWith('/') || input.startsWith('\\')) {
    return reject('the path is absolute; give a path relative to the output directory');
  }
  if (DRIVE_LETTER.test(input)) return reject('the path starts with a Windows drive letter');
  if (input.startsWith('~')) return reject('the path starts with "~" (a home-directory path)');
  if (input.includes('\\')) return reject('the path contains a backslash; use "/" to separate directories');

  const rawSegments = input.split('/');
  if (rawSegments.includes('..')) return reject('the path contains a ".." segment');
  if (input.endsWith('/')) return reject('the path ends with "/", so it names a directory, not a file');

  const segments = rawSegments.filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) return reject('the path names no file (it normalises to ".")');
  const protectedReason = protectedPathReason(segments, 'file');
  if (protectedReason) return reject(protectedReason);
  for (const segment of segments) {
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return reject(`the name "${segment.slice(0, 40)}…" is longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  const normalised = segments.join('/');
  if (Buffer.byteLength(normalised, 'utf8') > MAX_PATH_BYTES) {
    return reject(`the path is longer than ${MAX_PATH_BYTES} bytes`);
  }
  return { ok: true, path: normalised };
}

/**
 * Why a path would change the configuration of the repository, the agent or speed-run itself, or null. Pure and
 * case-insensitive. `kind: 'file'` checks a file path (every segment, and the file name); `kind: 'dir'` checks a
 * directory (every segment; used for output_dir relative to its allowed root). A name is compared as the file
 * system may alias it: trailing dots and spaces dropped (`.git.`, `.git `), an NTFS stream suffix dropped
 * (`.git::$INDEX_ALLOCATION`), and 8.3 short names (`GIT~1`) refused outright.
 */
export function protectedPathReason(segments: readonly string[], kind: 'file' | 'dir'): string | null {
  const names = segments.map(aliasedName);
  for (const [index, name] of names.entries()) {
    const isFileName = kind === 'file' && index === names.length - 1;
    if (name === '.git') {
      // A file under .git/hooks, or a .git/config with core.fsmonitor, runs on the next git command.
      return `it is inside a .git directory (as "${segments[index]}"), which would change the repository's configuration`;
    }
    if (SHORT_NAME.test(name)) {
      return `"${segments[index]}" looks like a Windows 8.3 short name, which can alias a protected name such as .git`;
    }
    if (!isFileName && PROTECTED_DIRS.has(name)) return PROTECTED_DIRS.get(name)!;
    if (name === 'speed-run' && names[index - 1] === '.config') {
      return 'it is inside speed-run’s user configuration directory';
    }
    if (isFileName && PROTECTED_FILES.has(name)) return PROTECTED_FILES.get(name)!;
    if (isFileName && name === 'tasks.json' && names[index - 1] === '.vscode') {
      return 'it is .vscode/tasks.json, whose tasks the editor can run on opening the folder';
    }
  }
  return null;
}

const PROTECTED_DIRS = new Map([
  ['.claude', 'it is inside .claude, which configures the coding agent (settings, hooks, commands)'],
  ['.husky', 'it is inside .husky, whose files git runs as hooks'],
]);
const PROTECTED_FILES = new Map([
  ['.mcp.json', 'it is .mcp.json, which configures the agent’s MCP servers (commands it runs)'],
  ['speed-run.config.json', 'it is speed-run.config.json, speed-run’s own configuration'],
  ['.envrc', 'it is .envrc, which direnv runs as a shell script on entering the directory'],
  ['.claude.json', 'it is .claude.json, which configures the coding agent'],
  ['claude.md', 'it is CLAUDE.md, instructions the coding agent follows'],
  ['claude.local.md', 'it is CLAUDE.local.md, instructions the coding agent follows'],
  ['agents.md', 'it is AGENTS.md, instructions coding agents follow'],
]);
// NAME~N with an optional 3-character extension: what Windows generates for long or dotted names.
const SHORT_NAME = /^[^~.]{1,8}~[1-9][0-9]{0,5}(\.[^.]{0,3})?$/;

/** The name a case-insensitive, alias-prone file system would treat this segment as. */
function aliasedName(segment: string): string {
  return segment
    .toLowerCase()
    .replace(/:.*$/, '')
    .replace(/[. ]+$/, '');
}

/**
 * Whether `candidate` is `root` or lies below it. Both must be absolute; anything else is `false`.
 * Compares whole segments, so `/a` does not contain `/ab`. Purely lexical: resolve symlinks first.
 */
export function isWithin(root: string, candidate: string): boolean {
  if (typeof root !== 'string' || typeof candidate !== 'string') return false;
  if (root.includes('\0') || candidate.includes('\0')) return false;
  if (!path.isAbsolute(root) || !path.isAbsolute(candidate)) return false;
  const normalRoot = path.resolve(root);
  const normalCandidate = path.resolve(candidate);
  if (normalCandidate === normalRoot) return true;
  const prefix = normalRoot.endsWith(path.sep) ? normalRoot : normalRoot + path.sep;
  return normalCandidate.startsWith(prefix);
}

function reject(reason: string): PathVerdict {
  return { ok: false, reason };
}
