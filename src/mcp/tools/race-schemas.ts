// Schemas shared by the race, any_percent, run_tests, judge and finish tools, and the one adapter from a tool
// call to a race use case.
import * as z from 'zod';
import type { RaceContext } from '../../race/race-context.js';
import type { StartRunOptions } from '../../race/start-run.js';
import { progressNotifier, type ProgressContext } from '../progress-notifier.js';
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

/**
 * The race use cases' context for one tool call: the server's settings, the client's roots, the server-wide
 * test slots, cancellation and one progress notifier (`flush` it before returning).
 */
export async function raceContext(
  deps: ToolDeps,
  ctx: ProgressContext,
): Promise<{ context: RaceContext; flush: () => Promise<void> }> {
  const progress = progressNotifier(ctx, deps);
  return {
    context: {
      config: deps.config,
      extraRoots: await deps.clientRoots(),
      testSlots: deps.testSlots,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      scheduler: deps.scheduler,
      onProgress: (p) => progress.notify(`${p.runner}: ${p.status} ${p.message}`.trim()),
      signal: ctx.mcpReq.signal,
    },
    flush: progress.flush,
  };
}

/** Runs one race use case for a tool: its result, or a tool error the model can act on. */
export async function raceCall<T extends object>(
  deps: ToolDeps,
  ctx: ProgressContext,
  call: (context: RaceContext) => Promise<T>,
) {
  let flush = async () => undefined as void;
  try {
    const race = await raceContext(deps, ctx);
    flush = race.flush;
    const result = await call(race.context);
    await flush();
    return toolResult(result);
  } catch (error) {
    await flush();
    return toolError(error, [deps.config.provider.apiKey]);
  }
}

/** The run options both modes pass through unchanged. */
export function runOptions(args: z.infer<z.ZodObject<typeof runOptionFields>>): StartRunOptions {
  return {
    feature: args.feature,
    contract: args.contract,
    contractFile: args.contract_file,
    models: args.models,
    outputSubdir: args.output_subdir,
    setupCommand: args.setup_command,
    testCommand: args.test_command,
    timeoutS: args.timeout_s,
    replace: args.replace,
    repoDir: args.repo_dir,
  };
}
