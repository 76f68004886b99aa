import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../errors.js';
import { realAllowedRoots } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import { secretContentReason } from './secret-content.js';
import { secretFileReason } from './secret-file-policy.js';

export interface ContextFile {
  /** As given, for the prompt. */
  path: string;
  content: string;
  bytes: number;
}

export const DEFAULT_CONTEXT_MAX_BYTES = 512 * 1024;

const FIELD = 'context_files';

export interface ReadPolicyOptions {
  cwd: string;
  /** Where the file must lie (after every link is resolved); `'any'` only for a path the user typed themselves. */
  allowedRoots: string[] | 'any';
  /** Send a file that looks like a secret (by name, links or content) anyway. */
  allowSecrets?: boolean;
  maxBytes: number;
  /** The argument or flag the path came from, for messages: `context_files`, `contract_file`, `contract`. */
  field: string;
  /** How to say "too big"; default names the limit. */
  tooBig?: (bytes: number) => string;
  /** How to let the caller through a secret refusal, e.g. `allow_secret_context: true`. */
  allowHint?: string;
}

export interface ProjectFile {
  /** As given. */
  path: string;
  /** Its real path. */
  real: string;
  content: string;
  bytes: number;
}

/**
 * The one policy for every file speed-run reads on the agent's behalf and may send to the model (context files,
 * contract files): inside an allowed root once every link is resolved, a regular text file, within `maxBytes`,
 * and not a secret — judged by the name given and the real name (`secretFileReason`), by hard links (another
 * name may be `.env`), and by content (`secretContentReason`) — unless `allowSecrets`. Opened without following
 * a link swapped in after the check.
 */
export async function readProjectFile(given: string, options: ReadPolicyOptions): Promise<ProjectFile> {
  const field = options.field;
  const label = field === 'context_files' ? 'Context file' : field;
  if (typeof given !== 'string' || given.trim() === '') {
    throw refusal(field, 'invalid_input', `A ${label} path is empty.`, 'Remove the empty entry.');
  }
  if (given.includes('\0')) {
    throw refusal(
      field,
      'path_rejected',
      `${label} "${given}" contains a NUL byte.`,
      'Pass a plain file path.',
    );
  }
  const roots =
    options.allowedRoots === 'any' ? null : await realAllowedRoots(options.allowedRoots, options.cwd);
  const absolute = path.resolve(options.cwd, given);
  const inside = (candidate: string) => roots === null || roots.some((root) => isWithin(root, candidate));
  const outside = (shown: string): SpeedRunError =>
    refusal(
      field,
      'path_rejected',
      `${label} "${given}" (${shown}) is outside the allowed directories.`,
      `Use a file inside ${roots && roots.length > 0 ? roots.join(', ') : '(none exist)'}, or add its directory to SPEED_RUN_ALLOWED_DIRS.`,
    );

  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    if (!inside(absolute)) throw outside(absolute);
    if (hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR')) {
      throw refusal(
        field,
        'invalid_input',
        `${label} "${given}" was not found (looked for ${absolute}).`,
        `Check the spelling; relative paths are resolved against ${options.cwd}.`,
      );
    }
    throw ioError(field, label, given, error);
  }
  if (!inside(real)) throw outside(real === absolute ? absolute : `${absolute} → ${real}`);

  const secret = (reason: string): SpeedRunError =>
    refusal(
      field,
      'path_rejected',
      `${label} "${given}" was not sent to the model: ${reason}.`,
      options.allowHint
        ? `Leave it out, or, if you really mean to send it to the model, allow it explicitly (${options.allowHint}).`
        : 'Leave the secret out of it (or pass the text inline without it).',
    );
  if (!options.allowSecrets) {
    // Both names: a harmless-looking link to .env is still .env.
    const reason =
      secretFileReason(given) ?? secretFileReason(path.relative(options.cwd, real)) ?? secretFileReason(real);
    if (reason) throw secret(reason);
  }

  const stats = await stat(real).catch((error: unknown) => {
    throw ioError(field, label, given, error);
  });
  if (stats.isDirectory()) {
    throw refusal(
      field,
      'invalid_input',
      `${label} "${given}" is a directory.`,
      'Name the files inside it instead.',
    );
  }
  if (!stats.isFile()) {
    throw refusal(
      field,
      'invalid_input',
      `${label} "${given}" is not a regular file.`,
      'Pass a regular file.',
    );
  }
  if (!options.allowSecrets && stats.nlink > 1) {
    throw secret(
      `it has ${stats.nlink} names (hard links), and another of them may be a secret file such as .env`,
    );
  }
  const tooBig = (size: number): SpeedRunError =>
    refusal(
      field,
      'limit',
      options.tooBig?.(size) ??
        `${label} "${given}" (${size} bytes) is larger than the limit of ${options.maxBytes} bytes.`,
      'Pass fewer or smaller files, or only the parts the model needs.',
    );
  if (stats.size > options.maxBytes) throw tooBig(stats.size);

  const buffer = await readBounded(real, options.maxBytes + 1).catch((error: unknown) => {
    throw ioError(field, label, given, error);
  });
  if (buffer.length > options.maxBytes) throw tooBig(buffer.length);
  if (buffer.includes(0)) {
    throw refusal(
      field,
      'invalid_input',
      `${label} "${given}" looks binary (it contains NUL bytes).`,
      'Pass only text files.',
    );
  }
  const content = buffer.toString('utf8');
  if (!options.allowSecrets) {
    const reason = secretContentReason(content);
    if (reason) throw secret(reason);
  }
  return { path: given, real, content, bytes: buffer.length };
}

/**
 * Reads the files a caller wants the model to see, each through `readProjectFile`, within `maxBytes` in total.
 * The same real file named twice is read once.
 */
export async function readContextFiles(
  paths: string[],
  options: { cwd: string; allowedRoots: string[]; allowSecrets?: boolean; maxBytes?: number },
): Promise<ContextFile[]> {
  const maxBytes = options.maxBytes ?? DEFAULT_CONTEXT_MAX_BYTES;
  const files: ContextFile[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const given of paths) {
    const used = total;
    const file = await readProjectFile(given, {
      cwd: options.cwd,
      allowedRoots: options.allowedRoots,
      allowSecrets: options.allowSecrets ?? false,
      maxBytes: maxBytes - used,
      field: FIELD,
      allowHint: 'allow_secret_context: true; CLI --allow-secret-context',
      tooBig: (size) =>
        `Context file "${given}" (${size} bytes) would take the context past its limit of ${maxBytes} bytes` +
        (used > 0 ? ` (${used} bytes already used by earlier files).` : '.'),
    });
    if (seen.has(file.real)) continue;
    seen.add(file.real);
    total += file.bytes;
    files.push({ path: given, content: file.content, bytes: file.bytes });
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
  field: string,
  kind: 'invalid_input' | 'path_rejected' | 'limit',
  message: string,
  hint: string,
): SpeedRunError {
  return new SpeedRunError(kind, message, { field, hint });
}

function ioError(field: string, label: string, given: string, error: unknown): SpeedRunError {
  const code = hasCode(error, 'EACCES') || hasCode(error, 'EPERM') ? 'permission denied' : describe(error);
  return new SpeedRunError('io', `${label} "${given}" could not be read (${code}).`, {
    field,
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
