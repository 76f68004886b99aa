import { repairUntilGreen, testRunOf, type TestRun } from '../codegen/verify-and-repair.js';
import { redactSecrets } from '../config/redact.js';
import { recordCall, runnerEntry } from '../ledger/record-call.js';
import type { SafeFileWriter } from '../write/safe-file-writer.js';
import { commitMessage, markFailed } from './generate-runner.js';
import type { RunnerPlan } from './plan/runner-prompts.js';
import { testPhaseOptions, type RaceContext } from './race-context.js';
import type { RepairRecord } from './record/manifest-schema.js';
import type { ManifestStore } from './record/manifest-store.js';
import type { TestCommandResult } from './test-phase/run-test-command.js';
import { testWorkspace } from './test-phase/test-workspace.js';
import { commitPaths } from './workspace/git.js';

/**
 * A runner whose first test run failed, repaired by the model (race `repair_rounds`): the same loop as turbo's
 * (verify-and-repair.ts), with each round's edits committed on the runner's branch and each test run recorded
 * like any other. Does nothing without rounds, or when the tests passed or could not run at all.
 */
export async function repairRunner(
  store: ManifestStore,
  plan: RunnerPlan,
  writer: SafeFileWriter,
  first: TestCommandResult | null,
  workspaceDir: string,
  ctx: RaceContext,
): Promise<void> {
  const { repairRounds = 0, testCommand, outputSubdir } = store.record.options;
  if (repairRounds === 0 || testCommand === null || first === null) return;
  const firstRun = testRunOf(ctx.config, first);
  if (firstRun.ok || firstRun.final) return;

  const id = plan.runner;
  let round = 0;
  const runTests = async (): Promise<TestRun> => {
    round += 1;
    if (
      store.record.repo.git &&
      !(await commitRound(store, plan, writer, workspaceDir, outputSubdir, round))
    ) {
      return { ...firstRun, ok: false, final: true, failure: 'the repaired files could not be committed' };
    }
    const result = await testWorkspace(store, id, { ...testPhaseOptions(ctx), logLabel: `repair-${round}` });
    return result === null
      ? { ...firstRun, ok: false, final: true, failure: 'the workspace could not be tested' }
      : testRunOf(ctx.config, result);
  };

  let repaired: Awaited<ReturnType<typeof repairUntilGreen>>;
  try {
    repaired = await repairUntilGreen(ctx.config, {
      request: {
        prompt: plan.prompt,
        outputDir: writer.directory,
        ...(plan.model !== undefined ? { model: plan.model } : {}),
        ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
        extraRoots: [...(ctx.extraRoots ?? []), workspaceDir],
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      writer,
      command: testCommand,
      first: firstRun,
      rounds: repairRounds,
      runTests,
      hooks: {
        ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        ...(ctx.scheduler ? { scheduler: ctx.scheduler } : {}),
        onPhase: (phase) => {
          if (!phase.startsWith('repair round')) return;
          // onPhase cannot wait; every write holds the whole record, so the next one carries this change anyway.
          store
            .updateRunner(id, (r) => void (r.status = 'repairing'), {
              type: 'repair-started',
              message: phase,
            })
            .catch(() => undefined);
          ctx.onProgress?.({ runner: id, status: 'repairing', message: phase });
        },
      },
    });
  } catch (error) {
    // Cancelled mid-repair: the runner keeps its last test result; the run goes on to its scoreboard.
    const message = redactSecrets(error instanceof Error ? error.message : String(error), [
      ctx.config.provider.apiKey,
    ]);
    await markFailed(store, id, 'tests', `repair stopped: ${message}`);
    ctx.onProgress?.({ runner: id, status: 'failed', message: 'repair stopped' });
    return;
  }
  const { tests, results } = repaired;

  for (const [index, result] of results.entries()) {
    const entry = runnerEntry(
      store.record.mode,
      ctx.config.provider.provider,
      result,
      store.record.contract.chars,
      new Date(),
      { repairedFiles: tests.rounds[index + 1]?.editedFiles.length ?? 0 },
    );
    await recordCall(ctx.ledger, entry, ctx.log);
  }
  const repairs: RepairRecord[] = results.map((result, index) => {
    const after = tests.rounds[index + 1];
    return {
      round: index + 1,
      editedFiles: after?.editedFiles ?? [],
      tokens: result.usage?.totalTokens ?? null,
      durationMs: result.generationMs,
      passed: after?.passed ?? 0,
      failed: after?.failed ?? 0,
    };
  });
  await store.updateRunner(id, (r) => void (r.repairs = repairs), {
    type: tests.status === 'passed' ? 'repair-passed' : 'repair-failed',
    message:
      `${repairs.length} repair ${repairs.length === 1 ? 'round' : 'rounds'}: tests ${tests.status}` +
      (tests.failure ? ` (${tests.failure})` : ''),
  });
}

/** Commits what a repair round wrote on the runner's branch and records the new tip; false when it failed. */
async function commitRound(
  store: ManifestStore,
  plan: RunnerPlan,
  writer: SafeFileWriter,
  workspaceDir: string,
  outputSubdir: string | null,
  round: number,
): Promise<boolean> {
  const paths = writer.written.map((file) =>
    outputSubdir === null ? file.path : `${outputSubdir}/${file.path}`,
  );
  try {
    const commit = await commitPaths(
      workspaceDir,
      paths,
      commitMessage(store.record, plan, `repair round ${round}`),
    );
    if (commit !== null) {
      await store.updateRunner(plan.runner, (r) => void (r.commit = commit), {
        type: 'committed',
        message: commit,
      });
    }
    return true;
  } catch (error) {
    await markFailed(store, plan.runner, 'commit', error instanceof Error ? error.message : String(error));
    return false;
  }
}
