import type { SpeedRunConfig } from '../config/config-types.js';
import type {
  GenerateFilesHooks,
  GenerateFilesRequest,
  GenerateFilesResult,
} from '../codegen/generate-files.js';
import type { RequestLimiter } from '../provider/request-limiter.js';
import type { RunProgress } from './race-types.js';
import type { Clock } from './record/manifest-store.js';
import { resolveRepoDir } from './workspace/repo.js';

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
}

/** What the use cases that run things (start, re-run tests) need besides. */
export interface RaceContext extends RaceScope {
  /** Bounds setup + test commands across every run in this process: one per server or CLI process. */
  testSlots: RequestLimiter;
  /** Default: generateFiles. */
  generate?: GenerateFn;
  /** Passed to generateFiles (tests, benchmarks). */
  fetch?: typeof fetch;
  onProgress?: (progress: RunProgress) => void;
  /** Environment for setup and test commands (provider keys are always removed). */
  env?: NodeJS.ProcessEnv;
  /** Aborting it (the client cancelled) stops generations and kills running commands. */
  signal?: AbortSignal;
}

/** Every root a call may touch: the configured ones and the client's. */
export function allowedRoots(scope: RaceScope): string[] {
  return [...scope.config.allowedRoots, ...(scope.extraRoots ?? [])];
}

/** The directory a call works in: `repoDir` or the configured cwd, inside the allowed roots. */
export function scopedRepoDir(scope: RaceScope, repoDir: string | undefined): Promise<string> {
  return resolveRepoDir(repoDir, { cwd: scope.config.cwd, allowedRoots: allowedRoots(scope) });
}
