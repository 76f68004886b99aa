import { randomBytes } from 'node:crypto';
import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * speed-run's temp files: `.speed-run-tmp-<pid>-<hex>`, recognisable by anyone who finds one, and by the next write
 * into the same directory, which removes the ones a killed process left behind.
 */
const TEMP_NAME = /^\.speed-run-tmp-(\d+)-[0-9a-f]{12}$/;
/** What versions before 0.2 named them (`.name.<hex>.tmp`); removed only once stale by age. */
const LEGACY_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;
/** A temp file this old is stale even if its process id is alive again (ids are reused). */
export const STALE_TEMP_MS = 15 * 60 * 1000;

export function tempFileName(pid: number = process.pid): string {
  return `.speed-run-tmp-${pid}-${randomBytes(6).toString('hex')}`;
}

export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes our temp files in `dir` whose process is gone or which are older than `STALE_TEMP_MS`. Only regular
 * files directly in `dir` whose names match; errors are ignored (a sweep must never stop a write).
 */
export async function removeStaleTempFiles(
  dir: string,
  deps: { now?: () => number; isAlive?: (pid: number) => boolean } = {},
): Promise<string[]> {
  const now = deps.now ?? Date.now;
  const isAlive = deps.isAlive ?? processIsAlive;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match && !LEGACY_TEMP_NAME.test(name)) continue;
    const file = path.join(dir, name);
    const stats = await lstat(file).catch(() => null);
    if (!stats?.isFile()) continue;
    const pid = match ? Number(match[1]) : process.pid;
    const stale = now() - stats.mtimeMs > STALE_TEMP_MS || (pid !== process.pid && !isAlive(pid));
    if (!stale) continue;
    try {
      await unlink(file);
      removed.push(name);
    } catch {
      // gone already, or not ours to remove after all
    }
  }
  return removed;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
