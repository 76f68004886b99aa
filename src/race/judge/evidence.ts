import type { RunnerRecord } from '../record/manifest-schema.js';
import { variationLabel } from '../record/scoreboard.js';
import type { TestRunnerKind } from '../race-types.js';
import type { CodeMetrics } from './code-metrics.js';
import type { RunnerEvidence } from './judge-worksheet.js';

/** What the engine measured for one runner, from the record and the workspace as it stands now. */
export function runnerEvidence(
  runner: RunnerRecord,
  metrics: CodeMetrics | null,
  changedFiles?: number,
): RunnerEvidence {
  const generationFailed =
    runner.generation === null ||
    runner.generation.files.length === 0 ||
    runner.failure?.stage === 'generation';
  return {
    runner: runner.id,
    variation: variationLabel(runner),
    generation: {
      ok: !generationFailed,
      ...(generationFailed && runner.failure ? { error: runner.failure.message } : {}),
      durationMs: runner.generation?.durationMs ?? 0,
      tokens: runner.generation?.tokens?.total ?? null,
      llmCalls: runner.generation?.llmCalls ?? 0,
      fixCycles: runner.fixCycles,
      ...(runner.repairs?.length ? { repairRounds: runner.repairs.length } : {}),
    },
    tests: runner.tests
      ? {
          summary: { ...runner.tests.counts, runner: runner.tests.counts.runner as TestRunnerKind | null },
          exitCode: runner.tests.exitCode,
          timedOut: runner.tests.timedOut,
        }
      : null,
    metrics,
    ...(!generationFailed && changedFiles === 0 ? { unchanged: true } : {}),
  };
}
