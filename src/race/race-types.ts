/** Shared shapes of the race engine's pure cores. */
import type { RunnerStatus } from './record/manifest-schema.js';

/** `race`: N runners implement the same contract. `any-percent`: N variants, each with a different approach. */
export type RaceMode = 'race' | 'any-percent';

export interface SourceFile {
  path: string;
  content: string;
}

/** One any-percent variant's approach, as the agent described it. */
export interface Approach {
  slug: string;
  description: string;
}

export type TestRunnerKind = 'node:test' | 'vitest' | 'jest' | 'pytest' | 'go test' | 'plain';

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  /** Which runner's summary was recognised; null when none was (all counts are then 0). */
  runner: TestRunnerKind | null;
}

/** A runner's status as it moves through the run, for live displays and progress notifications. */
export interface RunProgress {
  runner: string;
  status: RunnerStatus;
  message: string;
}
