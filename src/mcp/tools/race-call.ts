// The one adapter from a race or race_step tool call to a race use case.
import type { RaceContext } from '../../race/race-context.js';
import type { StartRunOptions } from '../../race/start-run.js';
import { progressNotifier, type ProgressContext } from '../progress-notifier.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';

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
      ...(deps.seal ? { seal: deps.seal } : {}),
      ...(deps.ledger ? { ledger: deps.ledger } : {}),
      log: deps.log,
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

/** The run arguments both modes pass through unchanged. */
export interface RunArgs {
  feature: string;
  contract?: string | undefined;
  contract_file?: string | undefined;
  models?: string[] | undefined;
  output_subdir?: string | undefined;
  setup_command?: string | undefined;
  test_command?: string | undefined;
  repair_rounds?: number | undefined;
  timeout_s?: number | undefined;
  replace?: boolean | undefined;
  repo_dir?: string | undefined;
}

export function runOptions(args: RunArgs): StartRunOptions {
  return {
    feature: args.feature,
    contract: args.contract,
    contractFile: args.contract_file,
    models: args.models,
    outputSubdir: args.output_subdir,
    setupCommand: args.setup_command,
    testCommand: args.test_command,
    repairRounds: args.repair_rounds,
    timeoutS: args.timeout_s,
    replace: args.replace,
    repoDir: args.repo_dir,
  };
}
