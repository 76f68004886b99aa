import type { SpeedRunConfig } from '../config/config-types.js';
import type {
  GenerateFilesHooks,
  GenerateFilesRequest,
  GenerateFilesResult,
} from '../codegen/generate-files.js';
import type { GenerationProgress } from '../codegen/generation-progress.js';
import type { Ledger } from '../ledger/ledger-file.js';
import type { ProviderScheduler } from '../provider/provider-scheduler.js';
import type { RequestLimiter } from '../provider/request-limiter.js';
import type { RunProgress } from './race-types.js';
import type { TestPhaseOptions } from './test-phase/test-workspace.js';
import type { Clock } from './record/manifest-store.js';
import { processSeal, type CommandSeal } from './record/command-seal.js';
import { SpeedRunError } from '../errors.js';
import { realAllowedRoots } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import { resolveRepoDir, runRoot } from './workspace/repo.js';

export type GenerateFn = (
  config: SpeedRunConfig,
  request: GenerateFilesRequest,
  hooks?: GenerateFilesHooks,
) => Promise<GenerateFilesResult>;

/** What every race use case needs to find a run: the settings and the roots it may touch. */
export interface RaceScope {
  config: SpeedRunConfig;
  /** Roots allowed besides config.allowedRoots (an MCP client's roots). */
  extraRoots?: string[];
  /** Default Date.now. Every stamp in the record comes from it. */
  now?: Clock;
  /** Seals the commands a run records; default: a key in this process's memory (CLI and server: the user's). */
  seal?: CommandSeal;
}

/** What the use cases that run things (start, re-run tests) need besides. */
export interface RaceContext extends RaceScope {
  /** Bounds setup + test commands across every run in this process: one per server or CLI process. */
  testSlots: RequestLimiter;
  /** Default: generateFiles. */
  generate?: GenerateFn;
  /** Passed to generateFiles (tests, benchmarks). */
  fetch?: typeof fetch;
  /** Paces the runners' provider calls together (by quota); default: one for the run. */
  scheduler?: ProviderScheduler;
  onProgress?: (progress: RunProgress) => void;
  /** Environment for setup and test commands (provider keys are always removed). */
  env?: NodeJS.ProcessEnv;
  /** Aborting it (the client cancelled) stops generations and kills running commands. */
  signal?: AbortSignal;
  /** Every streamed delta of a runner's generation (a live display; too frequent for MCP progress). */
  onGenerationProgress?: (runner: string, progress: GenerationProgress) => void;
  /** The savings ledger each runner's generation and repair round is recorded in; none when absent. */
  ledger?: Ledger;
  /** Where a ledger that cannot be written is reported (default: nowhere). */
  log?: (line: string) => void;
}

/** Every root a call may touch: the configured ones and the client's. */
export function allowedRoots(scope: RaceScope): string[] {
  return [...scope.config.allowedRoots, ...(scope.extraRoots ?? [])];
}

/** The directory a call works in: `repoDir` or the configured cwd, inside the allowed roots. */
export function scopedRepoDir(scope: RaceScope, repoDir: string | undefined): Promise<string> {
  return resolveRepoDir(repoDir, { cwd: scope.config.cwd, allowedRoots: allowedRoots(scope) });
}

/**
 * The root a call's run lives under: the git top level of the repo dir (or the dir itself outside git). It must
 * lie inside the allowed roots too: an enclosing repository outside them is refused, never written to.
 */
export async function scopedRunRoot(scope: RaceScope, repoDir: string | undefined): Promise<string> {
  const dir = await scopedRepoDir(scope, repoDir);
  const root = await runRoot(dir);
  if (root === dir) return root;
  const roots = await realAllowedRoots(allowedRoots(scope), scope.config.cwd);
  if (!roots.some((allowed) => isWithin(allowed, root))) {
    throw new SpeedRunError(
      'path_rejected',
      `${dir} is inside the git repository ${root}, whose root is outside the allowed directories.`,
      {
        field: 'repo_dir',
        hint:
          `A race works at the repository root (worktrees, branches, docs/plans/). Add ${root} to ` +
          `SPEED_RUN_ALLOWED_DIRS, or make ${dir} its own repository (git init).`,
      },
    );
  }
  return root;
}

/** The seal a scope's runs are signed and checked with. */
export function raceSeal(scope: RaceScope): CommandSeal {
  return scope.seal ?? processSeal();
}

/** The test phase's options for a context: its slots, environment, progress, cancellation and secrets. */
export function testPhaseOptions(ctx: RaceContext): TestPhaseOptions {
  return {
    slots: ctx.testSlots,
    ...(ctx.env ? { env: ctx.env } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    secretVariables: ctx.config.keyVariables,
    secrets: ctx.config.secrets,
  };
}
