import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measureCode, type CodeMetrics } from './code-metrics.js';
import { findRun } from './find-run.js';
import {
  relativeToRoot,
  runDir,
  type ManifestStore,
  type RunManifest,
  type RunnerRecord,
} from './manifest-store.js';
import type { RaceMode, SourceFile, TestRunnerKind } from './race-types.js';
import { readRunnerFiles } from './runner-files.js';
import { variationLabel } from './scoreboard.js';
import { buildJudgeWorksheet, type JudgeWorksheet, type RunnerEvidence } from './judge-worksheet.js';
import { flagNearDuplicates, pairwiseSimilarity, type SimilarityPair } from './similarity.js';

export const WORKSHEET_FILE = 'judge-worksheet.json';

export interface JudgeRequest {
  repoDir: string;
  feature: string;
  mode?: RaceMode;
}

export interface JudgeResult {
  worksheet: JudgeWorksheet;
  /** Every pair's similarity (0..1); the near duplicates are also named in the worksheet. */
  similarity: SimilarityPair[];
  /** The worksheet as written beside the manifest, relative to the repository root. */
  worksheet_file: string;
}

/** What the engine measured for one runner, from the record and the workspace as it stands now. */
export function runnerEvidence(runner: RunnerRecord, metrics: CodeMetrics | null): RunnerEvidence {
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
      tokens: runner.generation?.tokens.total ?? 0,
      llmCalls: runner.generation?.llmCalls ?? 0,
      fixCycles: runner.fixCycles,
    },
    tests: runner.tests
      ? {
          summary: { ...runner.tests.counts, runner: runner.tests.counts.runner as TestRunnerKind | null },
          exitCode: runner.tests.exitCode,
          timedOut: runner.tests.timedOut,
        }
      : null,
    metrics,
  };
}

/** Reads every runner's current files and measures them. */
export async function measureRun(
  manifest: RunManifest,
): Promise<{ evidence: RunnerEvidence[]; files: Map<string, SourceFile[]> }> {
  const files = new Map<string, SourceFile[]>();
  const evidence: RunnerEvidence[] = [];
  for (const runner of manifest.runners) {
    const sources = await readRunnerFiles(manifest, runner).catch(() => []);
    files.set(runner.id, sources);
    evidence.push(runnerEvidence(runner, sources.length > 0 ? await measureCode(sources) : null));
  }
  return { evidence, files };
}

export async function judgeStore(store: ManifestStore): Promise<JudgeResult> {
  const manifest = store.record;
  const { evidence, files } = await measureRun(manifest);
  const withFiles = manifest.runners
    .filter((runner) => (files.get(runner.id)?.length ?? 0) > 0)
    .map((runner) => ({ runner: runner.id, files: files.get(runner.id)! }));
  const similarity = pairwiseSimilarity(withFiles);
  const worksheet = buildJudgeWorksheet({
    feature: manifest.feature,
    mode: manifest.mode,
    runners: evidence,
    nearDuplicates: flagNearDuplicates(similarity),
  });
  const file = path.join(runDir(manifest.repo.root, manifest.feature, manifest.mode), WORKSHEET_FILE);
  await writeFile(file, `${JSON.stringify({ worksheet, similarity }, null, 2)}\n`);
  await store.event('judged', null, `contenders: ${worksheet.contenders.join(', ') || 'none'}`);
  return { worksheet, similarity, worksheet_file: relativeToRoot(manifest.repo.root, file) };
}

/** The measured worksheet for a run: tests, files, LOC, code metrics, similarity, the gate; scores blank. */
export async function judgeRun(request: JudgeRequest): Promise<JudgeResult> {
  return judgeStore(await findRun(request.repoDir, request.feature, request.mode));
}
