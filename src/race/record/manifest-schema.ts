import { z } from 'zod';

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
  'repairing',
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
  /** null when the provider reported no usage (records written before that was kept hold zeros). */
  tokens: z.object({ prompt: z.number(), completion: z.number(), total: z.number() }).nullable(),
  durationMs: z.number(),
  timeToFirstFileMs: z.number().nullable(),
  /** Whole-generation attempts (request-level retries happen inside each). */
  llmCalls: z.number(),
  limitReached: z.string().nullable(),
});
export type GenerationRecord = z.infer<typeof generationRecordSchema>;

/** One repair round the cheap model ran on a runner whose tests failed (race `repair_rounds`). */
export const repairRecordSchema = z.object({
  round: z.number(),
  /** Files the round's EDIT/FILE blocks changed, relative to the output directory. */
  editedFiles: z.array(z.string()),
  /** Total tokens of the round's request; null when the provider reported none. */
  tokens: z.number().nullable(),
  durationMs: z.number(),
  /** The test run after the round. */
  passed: z.number(),
  failed: z.number(),
});
export type RepairRecord = z.infer<typeof repairRecordSchema>;

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
  /** run_tests calls after the first test run that found the workspace changed: each one is a fix tried. */
  fixCycles: z.number(),
  /** Repair rounds the model ran after the first test run (none without `repair_rounds`). */
  repairs: z.array(repairRecordSchema).optional(),
  /** The workspace's fingerprint after its last test run (workspace/fingerprint.ts). */
  fingerprint: z.string().nullable().optional(),
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
    /** The user's seal over the commands (command-seal.ts): a re-test runs them only if it still verifies. */
    commandSeal: z.string().nullable().optional(),
    timeoutS: z.number(),
    /** Model repair rounds per runner after failing tests (0 when absent). */
    repairRounds: z.number().optional(),
    models: z.array(z.string()),
  }),
  runners: z.array(runnerRecordSchema),
  events: z.array(runEventSchema),
  finish: finishRecordSchema.nullable(),
});
export type RunManifest = z.infer<typeof manifestSchema>;
