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
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    // A file under .git/hooks runs on the next git command: generated code must not plant one.
    return reject('the path is inside a .git directory');
  }
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
