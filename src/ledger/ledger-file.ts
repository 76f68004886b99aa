import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { userStateDir } from '../config/state-dir.js';
import { parseLedgerLine, type LedgerEntry } from './ledger-entry.js';

/** The ledger file rotates to `<file>.1` past this size, so the two together stay under twice this. */
export const DEFAULT_LEDGER_MAX_BYTES = 1024 * 1024;

/**
 * Where the ledger lives: `SPEED_RUN_LEDGER` (a file path, or `off`), else
 * `$XDG_STATE_HOME/speed-run/ledger.jsonl`, else `~/.local/state/speed-run/ledger.jsonl`; null when it is off
 * or there is no home to put it in.
 */
export function ledgerPath(env: Record<string, string | undefined>): string | null {
  const explicit = env.SPEED_RUN_LEDGER?.trim();
  if (explicit) return explicit.toLowerCase() === 'off' ? null : path.resolve(explicit);
  const state = userStateDir(env);
  return state === null ? null : path.join(state, 'ledger.jsonl');
}

/** The ledger the environment names, or undefined when it is off. */
export function ledgerFromEnv(env: Record<string, string | undefined>): Ledger | undefined {
  const file = ledgerPath(env);
  return file === null ? undefined : openLedger(file);
}

export interface Ledger {
  readonly path: string;
  /** Appends one entry; rotates first when the file would pass its bound. */
  append(entry: LedgerEntry): Promise<void>;
  /** Every readable entry, oldest first (the rotated file, then the current one). */
  read(): Promise<LedgerEntry[]>;
}

/** An append-only JSON-lines ledger at `file`, bounded by rotation. Appends from one process are serialized. */
export function openLedger(file: string, options: { maxBytes?: number } = {}): Ledger {
  const maxBytes = options.maxBytes ?? DEFAULT_LEDGER_MAX_BYTES;
  const rotated = `${file}.1`;
  let queue: Promise<void> = Promise.resolve();

  const appendNow = async (entry: LedgerEntry) => {
    const line = `${JSON.stringify(entry)}\n`;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const size = await stat(file).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(line) > maxBytes) await rename(file, rotated);
    await appendFile(file, line, { mode: 0o600 });
  };

  return {
    path: file,
    append(entry) {
      const next = queue.then(() => appendNow(entry));
      queue = next.catch(() => undefined);
      return next;
    },
    async read() {
      const entries: LedgerEntry[] = [];
      for (const candidate of [rotated, file]) {
        const text = await readFile(candidate, 'utf8').catch(() => '');
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const entry = parseLedgerLine(line);
          if (entry) entries.push(entry);
        }
      }
      return entries;
    },
  };
}
