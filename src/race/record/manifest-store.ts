import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SpeedRunError } from '../../errors.js';
import { isFeatureSlug } from '../plan/feature-slug.js';
import type { RaceMode } from '../race-types.js';
import { manifestSchema, type RunEvent, type RunManifest, type RunnerRecord } from './manifest-schema.js';
import { RUN_RECORDS_DIR, manifestPath } from './run-paths.js';
import { verifyRecord } from './verify-record.js';

/** Reads and validates a run's manifest; null when there is none. A damaged one is an error naming the file. */
export async function loadManifest(
  root: string,
  feature: string,
  mode: RaceMode,
): Promise<RunManifest | null> {
  const file = manifestPath(root, feature, mode);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SpeedRunError('io', `Could not read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return verifyRecord(parseManifest(text, file), { root, feature, mode, file });
}

export function parseManifest(text: string, file: string): RunManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw damaged(file, 'it is not valid JSON', error);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown';
    throw damaged(file, `it does not match the run record's shape (${where})`, parsed.error);
  }
  return parsed.data;
}

function damaged(file: string, why: string, cause: unknown): SpeedRunError {
  return new SpeedRunError('io', `The run record ${file} cannot be used: ${why}.`, {
    hint: 'Restore it (it is a plain JSON file), or start the run again with replace: true / --replace.',
    cause,
  });
}

/** Writes the manifest atomically: a temporary file in the same directory, renamed over the old one. */
export async function writeManifestFile(file: string, manifest: RunManifest): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new SpeedRunError('io', `Could not write the run record ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The clock every record stamp comes from: milliseconds since the epoch. Injected; Date.now by default. */
export type Clock = () => number;

/**
 * The one writer of a run's manifest in this process. Every change goes through `update` (or `updateRunner`),
 * which applies it to the in-memory record and queues an atomic write, so concurrent runners never interleave
 * partial records.
 */
export class ManifestStore {
  private pending: Promise<void> = Promise.resolve();
  private writeError: unknown = null;

  constructor(
    readonly file: string,
    private manifest: RunManifest,
    readonly now: Clock = Date.now,
  ) {}

  static async open(root: string, feature: string, mode: RaceMode, now?: Clock): Promise<ManifestStore> {
    const manifest = await loadManifest(root, feature, mode);
    if (!manifest) {
      throw new SpeedRunError(
        'invalid_input',
        `There is no ${mode} run for feature "${feature}" in ${root}.`,
        {
          field: 'feature',
          hint: 'Start one with race / any_percent, or list runs with `speed-run runs`.',
        },
      );
    }
    return new ManifestStore(manifestPath(root, feature, mode), manifest, now);
  }

  get record(): RunManifest {
    return this.manifest;
  }

  /** The current time as the record writes it. */
  stamp(): string {
    return new Date(this.now()).toISOString();
  }

  runner(id: string): RunnerRecord {
    const found = this.manifest.runners.find((runner) => runner.id === id);
    if (!found) throw new Error(`runner ${id} is not in the manifest`);
    return found;
  }

  /** Applies `change`, stamps updatedAt, appends the event if given, and writes. Resolves once written. */
  update(change: (manifest: RunManifest) => void, event?: Omit<RunEvent, 'at'>): Promise<void> {
    const at = this.stamp();
    change(this.manifest);
    this.manifest.updatedAt = at;
    if (event) this.manifest.events.push({ at, ...event });
    const snapshot = structuredClone(this.manifest);
    this.pending = this.pending.then(() =>
      writeManifestFile(this.file, snapshot).catch((error: unknown) => {
        this.writeError ??= error;
      }),
    );
    return this.flush();
  }

  /** Changes one runner's record, with an optional event about it (its `runner` is filled in). */
  updateRunner(
    id: string,
    change: (runner: RunnerRecord) => void,
    event?: { type: string; message: string },
  ): Promise<void> {
    return this.update(() => change(this.runner(id)), event ? { ...event, runner: id } : undefined);
  }

  event(type: string, runner: string | null, message: string): Promise<void> {
    return this.update(() => undefined, { type, runner, message });
  }

  /** Waits for every queued write; throws the first write failure. */
  async flush(): Promise<void> {
    await this.pending;
    if (this.writeError) {
      const error = this.writeError;
      this.writeError = null;
      throw error;
    }
  }
}

export interface RunListing {
  feature: string;
  mode: RaceMode;
  file: string;
  manifest: RunManifest | null;
  /** Why the manifest could not be read, when it could not. */
  error: string | null;
}

/** Every run recorded under the run-record convention (record/run-paths.ts). */
export async function listRunManifests(root: string): Promise<RunListing[]> {
  const plans = path.join(root, ...RUN_RECORDS_DIR.split('/'));
  const features = await readdir(plans, { withFileTypes: true }).catch(() => []);
  const runs: RunListing[] = [];
  const named = features.filter((e) => e.isDirectory() && isFeatureSlug(e.name));
  for (const entry of named.sort((a, b) => a.name.localeCompare(b.name))) {
    for (const mode of ['race', 'any-percent'] as const) {
      const file = manifestPath(root, entry.name, mode);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue;
      try {
        const manifest = verifyRecord(parseManifest(text, file), { root, feature: entry.name, mode, file });
        runs.push({ feature: entry.name, mode, file, manifest, error: null });
      } catch (error) {
        runs.push({ feature: entry.name, mode, file, manifest: null, error: (error as Error).message });
      }
    }
  }
  return runs;
}
