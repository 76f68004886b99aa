import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { realAllowedRoots } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import { secretFileReason } from './secret-file-policy.js';

export interface ContextFile {
  /** As given, for the prompt. */
  path: string;
  content: string;
  bytes: number;
}

export const DEFAULT_CONTEXT_MAX_BYTES = 512 * 1024;

const FIELD = 'context_files';

/**
 * Reads the files a caller wants the model to see. Each must resolve (symlinks included) inside an allowed
 * root, be a regular text file, not look like a secret (unless `allowSecrets`), and fit in `maxBytes` in
 * total. The same real file named twice is read once. Nothing outside the allowed roots is opened.
 */
export async function readContextFiles(
  paths: string[],
  options: { cwd: string; allowedRoots: string[]; allowSecrets?: boolean; maxBytes?: number },
): Promise<ContextFile[]> {
  const maxBytes = options.maxBytes ?? DEFAULT_CONTEXT_MAX_BYTES;
  const roots = await realAllowedRoots(options.allowedRoots, options.cwd);
  const rootList = roots.length > 0 ? roots.join(', ') : '(none exist)';
  const files: ContextFile[] = [];
  const seen = new Set<string>();
  let total = 0;

  for (const given of paths) {
    if (typeof given !== 'string' || given.trim() === '') {
      throw refusal('invalid_input', 'A context file path is empty.', 'Remove the empty entry.');
    }
    if (given.includes('\0')) {
      throw refusal(
        'path_rejected',
        `Context file "${given}" contains a NUL byte.`,
        'Pass a plain file path.',
      );
    }
    const absolute = path.resolve(options.cwd, given);
    const outside = (shown: string): SpeedRunError =>
      refusal(
        'path_rejected',
        `Context file "${given}" (${shown}) is outside the allowed directories.`,
        `Use a file inside ${rootList}, or add its directory to SPEED_RUN_ALLOWED_DIRS.`,
      );

    let real: string;
    try {
      real = await realpath(absolute);
    } catch (error) {
      if (!roots.some((root) => isWithin(root, absolute))) throw outside(absolute);
      if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) {
        throw refusal(
          'invalid_input',
          `Context file "${given}" was not found (looked for ${absolute}).`,
          `Check the spelling; relative paths are resolved against ${options.cwd}.`,
        );
      }
      throw ioError(given, error);
    }
    if (!roots.some((root) => isWithin(root, real))) {
      throw outside(real === absolute ? absolute : `${absolute} → ${real}`);
    }

    if (!options.allowSecrets) {
      // Both names: a harmless-looking link to .env is still .env.
      const reason = secretFileReason(given) ?? secretFileReason(real);
      if (reason) {
        throw refusal(
          'path_rejected',
          `Context file "${given}" was not sent to the model: ${reason}.`,
          'Leave it out, or, if you really mean to send it to the model, allow it explicitly (allow_secret_context: true; CLI --allow-secret-context).',
        );
      }
    }

    const stats = await stat(real).catch((error: unknown) => {
      throw ioError(given, error);
    });
    if (stats.isDirectory()) {
      throw refusal(
        'invalid_input',
        `Context file "${given}" is a directory.`,
        'List the files inside it that the model needs instead.',
      );
    }
    if (!stats.isFile()) {
      throw refusal(
        'invalid_input',
        `Context file "${given}" is not a regular file.`,
        'Pass a regular file.',
      );
    }
    if (seen.has(real)) continue;

    const remaining = maxBytes - total;
    const tooBig = (size: number): SpeedRunError =>
      refusal(
        'limit',
        `Context file "${given}" (${size} bytes) would take the context past its limit of ${maxBytes} bytes` +
          (total > 0 ? ` (${total} bytes already used by earlier files).` : '.'),
        'Pass fewer or smaller files, or only the parts the model needs.',
      );
    if (stats.size > remaining) throw tooBig(stats.size);

    const buffer = await readBounded(real, remaining + 1).catch((error: unknown) => {
      throw ioError(given, error);
    });
    if (buffer.length > remaining) throw tooBig(buffer.length);
    if (buffer.includes(0)) {
      throw refusal(
        'invalid_input',
        `Context file "${given}" looks binary (it contains NUL bytes).`,
        'Pass only text files as context.',
      );
    }
    seen.add(real);
    total += buffer.length;
    files.push({ path: given, content: buffer.toString('utf8'), bytes: buffer.length });
  }
  return files;
}

/**
 * Reads at most `limit` bytes. O_NOFOLLOW refuses a link swapped in since realpath(); O_NONBLOCK keeps a
 * FIFO swapped in from hanging the open.
 */
async function readBounded(file: string, limit: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(file, flags);
  try {
    if (!(await handle.stat()).isFile())
      throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    return Buffer.concat(chunks, length);
  } finally {
    await handle.close();
  }
}

function refusal(
  kind: 'invalid_input' | 'path_rejected' | 'limit',
  message: string,
  hint: string,
): SpeedRunError {
  return new SpeedRunError(kind, message, { field: FIELD, hint });
}

function ioError(given: string, error: unknown): SpeedRunError {
  const code = hasCode(error, 'EACCES') || hasCode(error, 'EPERM') ? 'permission denied' : describe(error);
  return new SpeedRunError('io', `Context file "${given}" could not be read (${code}).`, {
    field: FIELD,
    hint: 'Check that the file exists and is readable.',
    cause: error,
  });
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
