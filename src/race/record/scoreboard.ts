import type { RunManifest, RunnerRecord, TestRecord } from './manifest-schema.js';

/** One runner's line on the scoreboard: numbers and paths only, never code. */
export interface RunnerScore {
  runner: string;
  status: RunnerRecord['status'];
  /** How this runner's prompt differed, e.g. "brief: defensive, temperature 0.5" or "approach: streams". */
  variation: string;
  workspace: string;
  branch: string | null;
  model: string | null;
  files: number;
  lines: number;
  /** null when nothing was generated or the provider reported no usage. */
  tokens: number | null;
  generation_ms: number | null;
  llm_calls: number | null;
  truncated: boolean;
  rejected: number;
  tests: {
    passed: number;
    failed: number;
    total: number;
    exit_code: number | null;
    timed_out: boolean;
    could_not_start: boolean;
    duration_ms: number;
    log_file: string | null;
  } | null;
  fix_cycles: number;
  /** Model repair rounds run after the first failing test run (race `repair_rounds`). */
  repair_rounds: number;
  failure: { stage: string; message: string } | null;
}

export interface Scoreboard {
  feature: string;
  mode: RunManifest['mode'];
  status: RunManifest['status'];
  repo_root: string;
  git: boolean;
  base_branch: string | null;
  /** Relative to repo_root. */
  manifest: string;
  runners: RunnerScore[];
  warnings: string[];
  /** From the moment the generations start to the end of the last one (the generation phase); and the whole run. */
  generation_wall_ms: number | null;
  total_ms: number | null;
  next: string;
}

export function variationLabel(runner: RunnerRecord): string {
  const parts: string[] = [];
  if (runner.approach) parts.push(`approach: ${runner.approach.slug}`);
  if (runner.variation.brief) parts.push(`brief: ${runner.variation.brief}`);
  if (runner.variation.kind === 'models' && runner.variation.model)
    parts.push(`model: ${runner.variation.model}`);
  if (runner.variation.temperature !== null) parts.push(`temperature ${runner.variation.temperature}`);
  return parts.join(', ') || runner.variation.kind;
}

export function testScore(tests: TestRecord | null): RunnerScore['tests'] {
  if (!tests) return null;
  return {
    passed: tests.counts.passed,
    failed: tests.counts.failed,
    total: tests.counts.total,
    exit_code: tests.exitCode,
    timed_out: tests.timedOut,
    could_not_start: tests.startFailed,
    duration_ms: tests.durationMs,
    log_file: tests.logFile,
  };
}

export function runnerScore(runner: RunnerRecord): RunnerScore {
  const generation = runner.generation;
  return {
    runner: runner.id,
    status: runner.status,
    variation: variationLabel(runner),
    workspace: runner.workspace.dir,
    branch: runner.workspace.branch,
    model: generation?.model ?? runner.variation.model,
    files: generation?.files.length ?? 0,
    lines: generation?.lines ?? 0,
    tokens: generation?.tokens?.total ?? null,
    generation_ms: generation?.durationMs ?? null,
    llm_calls: generation?.llmCalls ?? null,
    truncated: generation?.truncated ?? false,
    rejected: generation?.rejected.length ?? 0,
    tests: testScore(runner.tests),
    fix_cycles: runner.fixCycles,
    repair_rounds: runner.repairs?.length ?? 0,
    failure: runner.failure,
  };
}

export function buildScoreboard(
  manifest: RunManifest,
  manifestRel: string,
  extra: { warnings?: string[]; generationWallMs?: number | null; totalMs?: number | null } = {},
): Scoreboard {
  const anyTests = manifest.options.testCommand !== null;
  return {
    feature: manifest.feature,
    mode: manifest.mode,
    status: manifest.status,
    repo_root: manifest.repo.root,
    git: manifest.repo.git,
    base_branch: manifest.repo.baseBranch,
    manifest: manifestRel,
    runners: manifest.runners.map(runnerScore),
    warnings: extra.warnings ?? [],
    generation_wall_ms: extra.generationWallMs ?? null,
    total_ms: extra.totalMs ?? null,
    next:
      manifest.status === 'finished'
        ? 'This run is finished.'
        : `Read the workspaces you care about, fix what is close${anyTests ? ' and re-run run_tests' : ''}, call ` +
          `judge for the measured worksheet, then finish with the winner.`,
  };
}
