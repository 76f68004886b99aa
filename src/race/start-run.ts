import { ProviderScheduler } from '../provider/provider-scheduler.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { resolveModelAlias } from '../config/model-aliases.js';
import { requireApiKey } from '../config/require-api-key.js';
import { SpeedRunError } from '../errors.js';
import { validateFeatureSlug } from './plan/feature-slug.js';
import { racePlans, variantPlans } from './plan/run-plans.js';
import { DEFAULT_TIMEOUT_S, normalizeSubdir, validateRunRequest } from './plan/run-request.js';
import type { RaceVariation, RunnerPlan } from './plan/runner-prompts.js';
import {
  allowedRoots,
  raceSeal,
  scopedRepoDir,
  scopedRunRoot,
  testPhaseOptions,
  type RaceContext,
} from './race-context.js';
import type { Approach, RaceMode } from './race-types.js';
import { generateRunner } from './generate-runner.js';
import { repairRunner } from './repair-runner.js';
import { sealedCommands } from './record/command-seal.js';
import type { RunManifest, RunnerRecord } from './record/manifest-schema.js';
import { ownerAlive } from './record/find-run.js';
import { ManifestStore, listRunManifests, loadManifest, writeManifestFile } from './record/manifest-store.js';
import { newManifest, newRunnerRecord } from './record/new-record.js';
import { isRunRecordPath, relativeToRoot, runPaths } from './record/run-paths.js';
import { buildScoreboard, type Scoreboard } from './record/scoreboard.js';
import { testWorkspace } from './test-phase/test-workspace.js';
import { removeRunRecord, removeRunnerWorkspaces } from './workspace/cleanup.js';
import { readContract } from './workspace/read-contract.js';
import { inspectRepo } from './workspace/repo.js';
import {
  createWorkspaces,
  ensureWorktreesIgnored,
  findWorkspaceConflicts,
  planWorkspaces,
  removeWorkspace,
  type WorkspaceConflict,
} from './workspace/workspaces.js';

export { DEFAULT_TIMEOUT_S };

/** The options both modes share, as MCP arguments and CLI flags carry them. */
export interface StartRunOptions {
  feature: string;
  /** The contract text; or `contractFile`, read relative to the repository inside the allowed roots. */
  contract?: string | undefined;
  contractFile?: string | undefined;
  /** With `contract`: where the caller read it from (the CLI's file argument), kept in the record. */
  contractOrigin?: string | null | undefined;
  /** One model for all runners, or one per runner / approach. */
  models?: string[] | undefined;
  outputSubdir?: string | undefined;
  setupCommand?: string | undefined;
  testCommand?: string | undefined;
  /** Model repair rounds (0-3) per runner whose tests fail; needs testCommand. Default 0. */
  repairRounds?: number | undefined;
  timeoutS?: number | undefined;
  replace?: boolean | undefined;
  /** Default: the configured cwd. Must lie inside the allowed roots. */
  repoDir?: string | undefined;
}

export type StartRunRequest =
  | (StartRunOptions & { mode: 'race'; runners: number; variation?: RaceVariation | undefined })
  | (StartRunOptions & { mode: 'any-percent'; approaches: Approach[] });

/**
 * The start-run use case, as MCP and the CLI call it: resolve the repository inside the allowed roots, read the
 * contract, make each runner's prompt, then carry the run through (runPlanned).
 */
export async function startRun(request: StartRunRequest, ctx: RaceContext): Promise<Scoreboard> {
  const repoDir = await scopedRepoDir(ctx, request.repoDir);
  const contract =
    request.contractOrigin !== undefined && request.contract !== undefined
      ? { text: request.contract, file: request.contractOrigin }
      : await readContract({
          contract: request.contract,
          contractFile: request.contractFile,
          baseDir: repoDir,
          allowedRoots: allowedRoots(ctx),
        });
  // Aliases resolve before planning, so the record names real model ids and two aliases of one model are one.
  const models = request.models?.map((model) => resolveModelAlias(model, ctx.config.modelAliases));
  const { plans, variation } =
    request.mode === 'race'
      ? racePlans({
          contract: contract.text,
          runners: request.runners,
          variation: request.variation,
          models,
        })
      : {
          plans: variantPlans({
            contract: contract.text,
            approaches: request.approaches,
            models,
          }),
          variation: null,
        };
  return runPlanned(
    {
      mode: request.mode,
      feature: request.feature,
      contract: contract.text,
      contractFile: contract.file,
      plans,
      variation,
      ...(request.outputSubdir !== undefined ? { outputSubdir: request.outputSubdir } : {}),
      ...(request.setupCommand !== undefined ? { setupCommand: request.setupCommand } : {}),
      ...(request.testCommand !== undefined ? { testCommand: request.testCommand } : {}),
      ...(request.repairRounds !== undefined ? { repairRounds: request.repairRounds } : {}),
      ...(request.timeoutS !== undefined ? { timeoutS: request.timeoutS } : {}),
      ...(request.replace !== undefined ? { replace: request.replace } : {}),
      repoDir,
    },
    ctx,
  );
}

/** A run whose prompts are made: what runPlanned carries through. */
export interface RunRequest {
  mode: RaceMode;
  feature: string;
  /** The shared contract (already read from its file when one was given). */
  contract: string;
  /** Where the contract came from, for the record: a path, or null when inline. */
  contractFile?: string | null;
  /** What each runner gets, from plan/runner-prompts.ts (planRaceRunners / planVariantRunners). */
  plans: RunnerPlan[];
  /** The race variation chosen (briefs / temperature / models); null for any-percent. */
  variation?: string | null;
  /** Generated files go here inside each workspace (relative). */
  outputSubdir?: string;
  setupCommand?: string;
  testCommand?: string;
  /** Model repair rounds per runner whose tests fail (0-3, needs testCommand). Default 0. */
  repairRounds?: number;
  /** Per command (setup, tests). Default 300. */
  timeoutS?: number;
  /** Remove the previous run of this feature and mode (its recorded workspaces and branches only) first. */
  replace?: boolean;
  /** Real path of the directory the run happens in (see resolveRepoDir). */
  repoDir: string;
}

/**
 * Carries a planned run through: workspaces, concurrent generations, a commit of each runner's files on its
 * branch, setup and tests per workspace. Returns the scoreboard (metadata only). A runner that fails is marked
 * failed and the others go on; only input and set-up problems throw.
 */
export async function runPlanned(request: RunRequest, raceCtx: RaceContext): Promise<Scoreboard> {
  // The runners share one provider scheduler, so they queue for quota instead of colliding.
  const ctx = { ...raceCtx, scheduler: raceCtx.scheduler ?? new ProviderScheduler() };
  const now = ctx.now ?? Date.now;
  const startedAt = now();
  const feature = validateFeatureSlug(request.feature);
  validateRunRequest(request);
  requireApiKey(ctx.config); // no key: say so before making anything
  const outputSubdir = normalizeSubdir(request.outputSubdir);
  const timeoutS = request.timeoutS ?? DEFAULT_TIMEOUT_S;
  const root = await scopedRunRoot(ctx, request.repoDir);
  const paths = runPaths(root, feature, request.mode);
  const warnings: string[] = [];

  const previous = await loadManifest(root, feature, request.mode);
  if (previous?.status === 'running' && ownerAlive(previous.owner)) {
    throw new SpeedRunError(
      'invalid_input',
      `The ${request.mode} run "${feature}" is still running (process ${previous.owner?.pid} on ${previous.owner?.host}).`,
      {
        field: 'replace',
        hint: 'Wait for its scoreboard, or stop that process first; a run is never replaced while it runs.',
      },
    );
  }
  if (previous && !request.replace) {
    throw new SpeedRunError(
      'invalid_input',
      `A ${request.mode} run for feature "${feature}" already exists (${relativeToRoot(root, paths.manifest)}, ${previous.status}).`,
      {
        field: 'feature',
        hint:
          previous.status === 'finished'
            ? 'It is finished (its result.md stays until replaced). Pick another feature name, or pass replace: true ' +
              '(CLI: --replace) to start this feature again.'
            : `Finish it (CLI: speed-run finish ${feature} --winner N), pick another feature name, or pass replace: ` +
              'true (CLI: --replace) to remove its workspaces and branches and start again.',
      },
    );
  }
  if (previous) {
    const removed = await removeRunnerWorkspaces(
      previous,
      previous.runners.map((r) => r.id),
    );
    const kept = removed.filter((r) => r.skipped.length > 0);
    for (const r of kept) warnings.push(`replace: left ${r.dir} alone (${r.skipped.join('; ')})`);
  }

  const repo = await inspectRepo(root);
  // speed-run's own records (untracked by design) are not the user's uncommitted work.
  const uncommitted = repo.uncommitted.filter((p) => !isRunRecordPath(p));
  if (uncommitted.length > 0) {
    const shown =
      uncommitted.slice(0, 5).join(', ') + (uncommitted.length > 5 ? `, … (${uncommitted.length})` : '');
    warnings.push(
      `Uncommitted changes are not in the runners' worktrees (they start from HEAD ${repo.baseCommit?.slice(0, 8)}): ${shown}.`,
    );
  }

  const runnerIds = request.plans.map((plan) => plan.runner);
  const workspaces = planWorkspaces(repo, feature, runnerIds);
  const conflicts = await findWorkspaceConflicts(repo, workspaces);
  if (conflicts.length > 0) throw await conflictError(root, conflicts);
  // The replaced run's record goes only once nothing it kept stands in the way (the refusal above names it).
  if (previous) await removeRunRecord(previous);
  const gitignoreUpdated = await ensureWorktreesIgnored(repo);
  await createWorkspaces(repo, workspaces, { feature, mode: request.mode });

  let store: ManifestStore;
  try {
    await mkdir(paths.prompts, { recursive: true });
    const runners: RunnerRecord[] = [];
    for (const [index, plan] of request.plans.entries()) {
      const promptFile = path.join(paths.prompts, `${plan.runner}.md`);
      await writeFile(promptFile, plan.prompt);
      runners.push(
        newRunnerRecord(plan, index, relativeToRoot(root, promptFile), workspaces[index]!, outputSubdir),
      );
    }
    const manifest = newManifest(
      request,
      repo,
      {
        at: new Date(now()).toISOString(),
        owner: { pid: process.pid, host: hostname() },
        feature,
        outputSubdir,
        timeoutS,
        gitignoreUpdated,
        uncommitted,
      },
      runners,
    );
    manifest.options.commandSeal = await raceSeal(ctx).sign(sealedCommands(manifest));
    await writeManifestFile(paths.manifest, manifest);
    store = new ManifestStore(paths.manifest, manifest, now);
  } catch (error) {
    for (const workspace of workspaces)
      await removeWorkspace(repo, workspace, { feature, mode: request.mode });
    throw error;
  }
  await store.event(
    'run-started',
    null,
    `${request.plans.length} runners from ${repo.git ? repo.baseBranch : root}`,
  );
  for (const warning of warnings) await store.event('warning', null, warning);

  // The generation phase: from the moment every generation starts until the last one has all its files.
  const generationStartedAt = now();
  let generationEndedAt: number | null = null;
  const onGenerated = () => void (generationEndedAt = Math.max(generationEndedAt ?? 0, now()));
  await Promise.all(
    request.plans.map(async (plan, index) => {
      const writer = await generateRunner(
        store,
        plan,
        workspaces[index]!.dir,
        outputSubdir,
        ctx,
        onGenerated,
      );
      if (writer && store.record.options.testCommand !== null) {
        const first = await testWorkspace(store, plan.runner, testPhaseOptions(ctx));
        await repairRunner(store, plan, writer, first, workspaces[index]!.dir, ctx);
      }
    }),
  );

  const ready = (m: RunManifest) => {
    m.status = 'ready';
    m.owner = null;
  };
  await store.update(ready, {
    type: 'run-ready',
    runner: null,
    message: summarize(store.record),
  });
  return buildScoreboard(store.record, relativeToRoot(root, store.file), {
    warnings,
    generationWallMs: generationEndedAt === null ? null : generationEndedAt - generationStartedAt,
    totalMs: now() - startedAt,
  });
}

function summarize(manifest: RunManifest): string {
  const counts = new Map<string, number>();
  for (const runner of manifest.runners) counts.set(runner.status, (counts.get(runner.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

/**
 * The refusal when planned workspaces or branches exist: which run owns each (from the records), and the exact
 * command that clears it.
 */
async function conflictError(root: string, conflicts: WorkspaceConflict[]): Promise<SpeedRunError> {
  const runs = await listRunManifests(root).catch(() => []);
  const lines = conflicts.map((conflict) => {
    const what = [conflict.dir && `directory ${conflict.dir}`, conflict.branch && `branch ${conflict.branch}`]
      .filter(Boolean)
      .join(' and ');
    const owner = runs.find((run) =>
      run.manifest?.runners.some(
        (r) =>
          (conflict.dir !== null && r.workspace.dir === conflict.dir) ||
          (conflict.branch !== null && r.workspace.branch === conflict.branch),
      ),
    );
    if (owner?.manifest && owner.manifest.status !== 'finished') {
      return (
        `${what} belong to the ${owner.mode} run "${owner.feature}" (${owner.manifest.status}): finish it ` +
        `(speed-run finish ${owner.feature} --winner N${owner.mode === 'any-percent' ? ' --mode any-percent' : ''}) ` +
        `or start again with --replace (MCP: replace: true)`
      );
    }
    const clear = [
      conflict.dir && `git worktree remove --force ${conflict.dir}`,
      conflict.branch && `git branch -D ${conflict.branch}`,
    ]
      .filter(Boolean)
      .join(' && ');
    const why = owner
      ? `kept by the ${owner.manifest?.status ?? ''} ${owner.mode} run "${owner.feature}" because they hold work it did not make`
      : 'not made by any recorded run';
    return `${what}: ${why}; look, then clear with \`${clear}\``;
  });
  return new SpeedRunError(
    'invalid_input',
    `The workspaces this run needs already exist. ${lines.join('. ')}.`,
    {
      field: 'feature',
      hint: 'speed-run never takes over a directory or branch it did not make for this run.',
    },
  );
}
