import path from 'node:path';
import { redactSecrets } from '../config/redact.js';
import { generateFiles, type GenerateFilesResult } from '../codegen/generate-files.js';
import { progressCounter } from '../codegen/generation-progress.js';
import { isSpeedRunError } from '../errors.js';
import { failureEntry, reachedProvider, recordCall, runnerEntry } from '../ledger/record-call.js';
import type { RunnerPlan } from './plan/runner-prompts.js';
import type { RunProgress } from './race-types.js';
import type { RunManifest, RunnerRecord } from './record/manifest-schema.js';
import type { ManifestStore } from './record/manifest-store.js';
import { generationRecord } from './record/new-record.js';
import { runRecordDir } from './record/run-paths.js';
import { commitPaths } from './workspace/git.js';
import { resolveOutputDir } from '../write/allowed-roots.js';
import { SafeFileWriter } from '../write/safe-file-writer.js';
import { allowedRoots, type RaceContext } from './race-context.js';

/**
 * Generates one runner's files, records them and commits them on its branch. Returns the writer that wrote them
 * (a repair round edits through it), or null when the runner failed.
 */
export async function generateRunner(
  store: ManifestStore,
  plan: RunnerPlan,
  workspaceDir: string,
  outputSubdir: string | null,
  ctx: RaceContext,
  onGenerated: () => void,
): Promise<SafeFileWriter | null> {
  const id = plan.runner;
  const progress = (status: RunProgress['status'], message: string) =>
    ctx.onProgress?.({ runner: id, status, message });
  const generate = ctx.generate ?? generateFiles;
  const outputDir =
    outputSubdir === null ? workspaceDir : path.join(workspaceDir, ...outputSubdir.split('/'));

  await store.updateRunner(id, (r) => void (r.status = 'generating'), {
    type: 'generation-started',
    message: plan.model ?? ctx.config.provider.model,
  });
  progress('generating', plan.model ?? ctx.config.provider.model);

  const startedAt = Date.now();
  let result: GenerateFilesResult;
  let writer: SafeFileWriter;
  let filesSoFar = 0;
  try {
    const roots = [...allowedRoots(ctx), workspaceDir];
    writer = new SafeFileWriter(
      await resolveOutputDir(outputDir, { cwd: ctx.config.cwd, allowedRoots: roots }),
      ctx.config.limits,
    );
    result = await generate(
      ctx.config,
      {
        prompt: plan.prompt,
        outputDir,
        ...(plan.model !== undefined ? { model: plan.model } : {}),
        ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
        extraRoots: [...(ctx.extraRoots ?? []), workspaceDir],
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      {
        ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        ...(ctx.scheduler ? { scheduler: ctx.scheduler } : {}),
        writer,
        ...(ctx.onGenerationProgress
          ? { onDelta: progressCounter((p) => ctx.onGenerationProgress?.(id, p)) }
          : {}),
        onFile: (file) => {
          filesSoFar += 1;
          progress('generating', `${filesSoFar} files (${file.path})`);
        },
      },
    );
  } catch (error) {
    if (reachedProvider(error)) {
      const model = plan.model ?? ctx.config.provider.model;
      const entry = failureEntry(
        store.record.mode,
        ctx.config.provider.provider,
        model,
        error,
        Date.now() - startedAt,
        new Date(),
      );
      await recordCall(ctx.ledger, entry, ctx.log);
    }
    const message = redactSecrets(
      isSpeedRunError(error) ? `${error.kind}: ${error.message}` : `internal error: ${String(error)}`,
      [ctx.config.provider.apiKey],
    );
    await markFailed(store, id, 'generation', message);
    progress('failed', message);
    return null;
  }

  onGenerated();
  await recordCall(
    ctx.ledger,
    runnerEntry(
      store.record.mode,
      ctx.config.provider.provider,
      result,
      store.record.contract.chars,
      new Date(),
      {
        runners: store.record.runners.length,
      },
    ),
    ctx.log,
  );
  const record = generationRecord(result);
  const noFiles = record.files.length === 0;
  await store.updateRunner(
    id,
    (r) => {
      r.generation = record;
      r.status = noFiles ? 'failed' : 'generated';
      if (noFiles)
        r.failure = { stage: 'generation', message: 'the reply contained no file that could be written' };
    },
    {
      type: noFiles ? 'generation-failed' : 'generation-done',
      message: `${record.files.length} files, ${record.lines} lines, ${record.tokens === null ? 'unknown' : record.tokens.completion} tokens in ${record.durationMs} ms`,
    },
  );
  progress(noFiles ? 'failed' : 'generated', `${record.files.length} files, ${record.lines} lines`);
  if (noFiles) return null;

  if (store.record.repo.git) {
    const paths = record.files.map((file) =>
      outputSubdir === null ? file.path : `${outputSubdir}/${file.path}`,
    );
    try {
      const commit = await commitPaths(workspaceDir, paths, commitMessage(store.record, plan));
      await store.updateRunner(id, (r) => void (r.commit = commit), {
        type: 'committed',
        message: commit ?? 'nothing new to commit',
      });
    } catch (error) {
      await markFailed(store, id, 'commit', error instanceof Error ? error.message : String(error));
      progress('failed', 'commit failed');
      return null;
    }
  }
  return writer;
}

export function commitMessage(manifest: RunManifest, plan: RunnerPlan, what = 'generated files'): string {
  const how =
    plan.variation.approach?.description ??
    [
      plan.variation.brief && `brief ${plan.variation.brief}`,
      plan.temperature !== undefined && `temperature ${plan.temperature}`,
    ]
      .filter(Boolean)
      .join(', ');
  return (
    `speed-run ${manifest.mode} ${manifest.feature}: ${plan.runner} ${what}\n\n` +
    `Run: ${runRecordDir(manifest.feature, manifest.mode)}\nRunner: ${plan.runner}${how ? ` (${how})` : ''}\n`
  );
}

export async function markFailed(
  store: ManifestStore,
  id: string,
  stage: NonNullable<RunnerRecord['failure']>['stage'],
  message: string,
): Promise<void> {
  await store.updateRunner(
    id,
    (r) => {
      r.status = 'failed';
      r.failure = { stage, message };
    },
    { type: `${stage}-failed`, message },
  );
}
