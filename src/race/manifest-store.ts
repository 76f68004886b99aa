import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SpeedRunError } from '../errors.js';
import { runRecordDir } from './feature-slug.js';
import type { RaceMode } from './race-types.js';

export const MANIFEST_FILE = 'manifest.json';
export const RESULT_FILE = 'result.md';

const modeSchema = z.enum(['race', 'any-percent']);

/** A subprocess outcome as kept in the record: no whole output, only a short tail and the log's path. */
export const commandRecordSchema = z.object({
  command: z.string(),
  at: z.string(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  startFailed: z.boolean(),
  failed: z.boolean(),
  durationMs: z.number(),
  /** Relative to the repository root. */
  logFile: z.string().nullable(),
  /** The last lines of output (at most about 1,500 characters). */
  tail: z.string(),
  error: z.string().nullable(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

export const testRecordSchema = commandRecordSchema.extend({
  counts: z.object({
    passed: z.number(),
    failed: z.number(),
    skipped: z.number(),
    total: z.number(),
    runner: z.string().nullable(),
  }),
});
export type TestRecord = z.infer<typeof testRecordSchema>;

export const runnerStatusSchema = z.enum([
  'queued',
  'generating',
  'generated',
  'setup',
  'testing',
  'passed',
  'failed',
]);
export type RunnerStatus = z.infer<typeof runnerStatusSchema>;

export const generationRecordSchema = z.object({
  model: z.string(),
  files: z.array(z.object({ path: z.string(), lines: z.number(), bytes: z.number() })),
  rejected: z.array(z.object({ path: z.string(), reason: z.string() })),
  unclosed: z.array(z.string()),
  truncated: z.boolean(),
  finishReason: z.string().nullable(),
  lines: z.number(),
  bytes: z.number(),
  tokens: z.object({ prompt: z.number(), completion: z.number(), total: z.number() }),
  durationMs: z.number(),
  timeToFirstFileMs: z.number().nullable(),
  /** Whole-generation attempts (request-level retries happen inside each). */
  llmCalls: z.number(),
  limitReached: z.string().nullable(),
});
export type GenerationRecord = z.infer<typeof generationRecordSchema>;

export const runnerRecordSchema = z.object({
  id: z.string(),
  /** 1-based position. */
  index: z.number(),
  approach: z.object({ slug: z.string(), description: z.string() }).nullable(),
  /** How this runner's prompt differed from the others'. */
  variation: z.object({
    kind: z.string(),
    brief: z.string().nullable(),
    temperature: z.number().nullable(),
    model: z.string().nullable(),
  }),
  /** The exact prompt the runner got, relative to the repository root. */
  promptFile: z.string(),
  promptChars: z.number(),
  workspace: z.object({
    /** Relative to the repository root. */
    dir: z.string(),
    branch: z.string().nullable(),
    /** Generated files go here, relative to the workspace. */
    outputDir: z.string(),
  }),
  status: runnerStatusSchema,
  failure: z
    .object({ stage: z.enum(['workspace', 'generation', 'commit', 'setup', 'tests']), message: z.string() })
    .nullable(),
  generation: generationRecordSchema.nullable(),
  /** The commit holding the generated files on the runner's branch. */
  commit: z.string().nullable(),
  setup: commandRecordSchema.nullable(),
  tests: testRecordSchema.nullable(),
  /** run_tests calls after the first test run: each one is a fix the agent tried. */
  fixCycles: z.number(),
});
export type RunnerRecord = z.infer<typeof runnerRecordSchema>;

export const runEventSchema = z.object({
  at: z.string(),
  type: z.string(),
  runner: z.string().nullable(),
  message: z.string(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

export const finishRecordSchema = z.object({
  at: z.string(),
  winner: z.string(),
  /** The commit of the winner's worktree state made just before the merge (null when nothing was new). */
  winnerCommit: z.string().nullable(),
  mergedBranch: z.string().nullable(),
  into: z.string().nullable(),
  mergeCommit: z.string().nullable(),
  /** Outside git: files copied into the project, relative to the repository root. */
  copiedFiles: z.array(z.string()),
  removed: z.array(
    z.object({
      runner: z.string(),
      dir: z.string(),
      branch: z.string().nullable(),
      removedDir: z.boolean(),
      removedBranch: z.boolean(),
      skipped: z.array(z.string()),
    }),
  ),
});
export type FinishRecord = z.infer<typeof finishRecordSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  feature: z.string(),
  mode: modeSchema,
  status: z.enum(['running', 'ready', 'finished']),
  /** The process carrying the run while it is running; a dead owner means the run was interrupted. */
  owner: z.object({ pid: z.number(), host: z.string() }).nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  repo: z.object({
    root: z.string(),
    git: z.boolean(),
    baseBranch: z.string().nullable(),
    baseCommit: z.string().nullable(),
    uncommittedAtStart: z.array(z.string()),
    gitignoreUpdated: z.boolean(),
  }),
  contract: z.object({
    source: z.enum(['inline', 'file']),
    file: z.string().nullable(),
    chars: z.number(),
    sha256: z.string(),
  }),
  options: z.object({
    variation: z.string().nullable(),
    outputSubdir: z.string().nullable(),
    setupCommand: z.string().nullable(),
    testCommand: z.string().nullable(),
    timeoutS: z.number(),
    models: z.array(z.string()),
  }),
  runners: z.array(runnerRecordSchema),
  events: z.array(runEventSchema),
  finish: finishRecordSchema.nullable(),
});
export type RunManifest = z.infer<typeof manifestSchema>;

/** The run's directory (manifest, result.md, prompts/, logs/), absolute. */
export function runDir(root: string, feature: string, mode: RaceMode): string {
  return path.join(root, ...runRecordDir(feature, mode).split('/'));
}

export function manifestPath(root: string, feature: string, mode: RaceMode): string {
  return path.join(runDir(root, feature, mode), MANIFEST_FILE);
}

/** Relative to the root, with forward slashes: how paths are kept in the record. */
export function relativeToRoot(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

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
  return parseManifest(text, file);
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

/**
 * The one writer of a run's manifest in this process. Every change goes through `update`, which applies it to
 * the in-memory record and queues an atomic write, so concurrent runners never interleave partial records.
 */
export class ManifestStore {
  private pending: Promise<void> = Promise.resolve();
  private writeError: unknown = null;

  constructor(
    readonly file: string,
    private manifest: RunManifest,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(root: string, feature: string, mode: RaceMode, now?: () => Date): Promise<ManifestStore> {
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

  runner(id: string): RunnerRecord {
    const found = this.manifest.runners.find((runner) => runner.id === id);
    if (!found) throw new Error(`runner ${id} is not in the manifest`);
    return found;
  }

  /** Applies `change`, stamps updatedAt, appends the event if given, and writes. Resolves once written. */
  update(change: (manifest: RunManifest) => void, event?: Omit<RunEvent, 'at'>): Promise<void> {
    const at = this.now().toISOString();
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

/** Every run recorded under `<root>/docs/plans/<feature>/speed-run/<mode>/manifest.json`. */
export async function listRunManifests(root: string): Promise<RunListing[]> {
  const plans = path.join(root, 'docs', 'plans');
  const features = await readdir(plans, { withFileTypes: true }).catch(() => []);
  const runs: RunListing[] = [];
  for (const entry of features.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    for (const mode of ['race', 'any-percent'] as const) {
      const file = path.join(plans, entry.name, 'speed-run', mode, MANIFEST_FILE);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue;
      try {
        runs.push({ feature: entry.name, mode, file, manifest: parseManifest(text, file), error: null });
      } catch (error) {
        runs.push({ feature: entry.name, mode, file, manifest: null, error: (error as Error).message });
      }
    }
  }
  return runs;
}
