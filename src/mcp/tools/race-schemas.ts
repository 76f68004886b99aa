// Schemas and plumbing shared by the race, any_percent, run_tests, judge and finish tools.
import * as z from 'zod';
import { readContract } from '../../race/plan-run.js';
import { startRun } from '../../race/race-engine.js';
import type { RaceMode } from '../../race/race-types.js';
import { resolveRepoDir } from '../../race/repo-dir.js';
import type { RunnerPlan } from '../../race/runner-prompts.js';
import type { RunProgress } from '../../race/run-tests.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';

export const featureField = z
  .string()
  .describe('Feature slug, e.g. "rate-limiter" (names branches and the record).');

export const modeField = z
  .enum(['race', 'any-percent'])
  .optional()
  .describe('Needed only when the feature has both runs.');

export const repoDirField = z.string().optional().describe('Repository; default the server cwd.');

/** The options race and any_percent share. Descriptions stay short: the tool list is sent every turn. */
export const runOptionFields = {
  feature: featureField,
  contract: z.string().optional().describe('The contract text (or contract_file).'),
  contract_file: z.string().optional().describe('Contract file, relative to repo_dir.'),
  models: z.array(z.string().min(1)).max(5).optional().describe('One model for all, or one per runner.'),
  output_subdir: z.string().optional().describe('Sub-directory of each workspace for the files.'),
  setup_command: z.string().optional().describe('Run once per workspace first, e.g. "npm ci".'),
  test_command: z.string().optional().describe('Run in each workspace, e.g. "npm test".'),
  timeout_s: z.number().positive().max(86_400).optional().describe('Per setup/test command; default 300.'),
  replace: z.boolean().optional().describe('Replace this feature’s existing run of this mode.'),
  repo_dir: repoDirField,
};

/**
 * Output schemas name the top-level fields only; docs/race.md has every field. The whole schema is sent to the
 * model with the tool list on every turn.
 */
const looseList = z.array(z.looseObject({}));

export const runnerScoreSchema = z.looseObject({ runner: z.string(), status: z.string() });

export const scoreboardSchema = z.looseObject({
  feature: z.string(),
  mode: z.string(),
  status: z.string(),
  manifest: z.string(),
  runners: looseList,
  next: z.string(),
});

export { looseList };

/** The repository directory for a call: repo_dir or the server cwd, inside the configured or client roots. */
export async function toolRepoDir(deps: ToolDeps, repoDir: string | undefined): Promise<string> {
  return resolveRepoDir(repoDir, {
    cwd: deps.config.cwd,
    allowedRoots: [...deps.config.allowedRoots, ...(await deps.clientRoots())],
  });
}

interface ProgressContext {
  mcpReq: {
    signal: AbortSignal;
    _meta?: { progressToken?: string | number } | undefined;
    notify(notification: {
      method: 'notifications/progress';
      params: Record<string, unknown>;
    }): Promise<void>;
  };
}

/**
 * Sends a progress notification for each runner event when the client sent a progress token; `flush` waits
 * for the ones in flight. Failures to notify are logged, never fatal.
 */
export function progressNotifier(
  ctx: ProgressContext,
  deps: ToolDeps,
): { onProgress: (progress: RunProgress) => void; flush: () => Promise<void> } {
  const token = ctx.mcpReq._meta?.progressToken;
  const pending: Promise<void>[] = [];
  let count = 0;
  return {
    onProgress: (progress) => {
      if (token === undefined) return;
      count += 1;
      pending.push(
        ctx.mcpReq
          .notify({
            method: 'notifications/progress',
            params: {
              progressToken: token,
              progress: count,
              message: `${progress.runner}: ${progress.status} ${progress.message}`.trim(),
            },
          })
          .catch((error: unknown) => deps.log(`progress notification failed: ${String(error)}`)),
      );
    },
    flush: async () => {
      await Promise.all(pending);
    },
  };
}

/** The run options both modes pass through unchanged. */
export function runOptions(args: {
  output_subdir?: string | undefined;
  setup_command?: string | undefined;
  test_command?: string | undefined;
  timeout_s?: number | undefined;
  replace?: boolean | undefined;
}) {
  return {
    ...(args.output_subdir !== undefined ? { outputSubdir: args.output_subdir } : {}),
    ...(args.setup_command !== undefined ? { setupCommand: args.setup_command } : {}),
    ...(args.test_command !== undefined ? { testCommand: args.test_command } : {}),
    ...(args.timeout_s !== undefined ? { timeoutS: args.timeout_s } : {}),
    ...(args.replace !== undefined ? { replace: args.replace } : {}),
  };
}

type RunToolArgs = z.infer<z.ZodObject<typeof runOptionFields>>;

/**
 * The body the race and any_percent tools share: read the contract, start the run, report progress, return the
 * scoreboard. The two modes differ only in `plan`, which makes each runner's prompt from the contract.
 */
export async function startRunForTool(
  mode: RaceMode,
  args: RunToolArgs,
  plan: (contract: string) => { plans: RunnerPlan[]; variation: string | null },
  ctx: ProgressContext,
  deps: ToolDeps,
) {
  const progress = progressNotifier(ctx, deps);
  try {
    const repoDir = await toolRepoDir(deps, args.repo_dir);
    const clientRoots = await deps.clientRoots();
    const contract = await readContract({
      contract: args.contract,
      contractFile: args.contract_file,
      baseDir: repoDir,
      allowedRoots: [...deps.config.allowedRoots, ...clientRoots],
    });
    const { plans, variation } = plan(contract.text);
    const board = await startRun(
      {
        mode,
        feature: args.feature,
        contract: contract.text,
        contractFile: contract.file,
        plans,
        variation,
        ...runOptions(args),
        repoDir,
      },
      {
        config: deps.config,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        extraRoots: clientRoots,
        onProgress: progress.onProgress,
        signal: ctx.mcpReq.signal,
      },
    );
    await progress.flush();
    return toolResult(board);
  } catch (error) {
    await progress.flush();
    return toolError(error, [deps.config.provider.apiKey]);
  }
}
