import { writeFile } from 'node:fs/promises';
import { measureCode } from './judge/code-metrics.js';
import { runnerEvidence } from './judge/evidence.js';
import { buildJudgeWorksheet, type JudgeWorksheet, type RunnerEvidence } from './judge/judge-worksheet.js';
import { flagNearDuplicates, pairwiseSimilarity, type SimilarityPair } from './judge/similarity.js';
import { scopedRunRoot, type RaceScope } from './race-context.js';
import type { RaceMode, SourceFile } from './race-types.js';
import { findRun } from './record/find-run.js';
import type { RunManifest } from './record/manifest-schema.js';
import type { ManifestStore } from './record/manifest-store.js';
import { relativeToRoot, runPaths } from './record/run-paths.js';
import { readRunnerFiles } from './workspace/runner-files.js';

export interface JudgeRequest {
  /** Default: the configured cwd. Must lie inside the allowed roots. */
  repoDir?: string | undefined;
  feature: string;
  mode?: RaceMode | undefined;
}

export interface JudgeResult {
  worksheet: JudgeWorksheet;
  /** Every pair's similarity (0..1); the near duplicates are also named in the worksheet. */
  similarity: SimilarityPair[];
  /** The worksheet as written beside the manifest, relative to the repository root. */
  worksheet_file: string;
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
    evidence.push(
      runnerEvidence(runner, sources.length > 0 ? await measureCode(sources) : null, sources.length),
    );
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
  const file = runPaths(manifest.repo.root, manifest.feature, manifest.mode).worksheet;
  await writeFile(file, `${JSON.stringify({ worksheet, similarity }, null, 2)}\n`);
  await store.event('judged', null, `contenders: ${worksheet.contenders.join(', ') || 'none'}`);
  return { worksheet, similarity, worksheet_file: relativeToRoot(manifest.repo.root, file) };
}

/** The measured worksheet for a run: tests, files, LOC, code metrics, similarity, the gate; scores blank. */
export async function judgeRun(request: JudgeRequest, scope: RaceScope): Promise<JudgeResult> {
  const repoDir = await scopedRunRoot(scope, request.repoDir);
  return judgeStore(await findRun(repoDir, request.feature, request.mode, scope.now));
}
