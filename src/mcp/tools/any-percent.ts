import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { readContract, variantPlans } from '../../race/plan-run.js';
import { startRun } from '../../race/race-engine.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';
import {
  progressNotifier,
  runOptionFields,
  runOptions,
  scoreboardSchema,
  toolRepoDir,
} from './race-schemas.js';

const inputSchema = z.object({
  ...runOptionFields,
  approaches: z
    .array(
      z.object({
        slug: z.string().describe('e.g. "event-sourcing"; names variant-<slug>.'),
        description: z.string().describe('How this variant solves it.'),
      }),
    )
    .describe('2-5 different approaches, one variant each.'),
});

export function registerAnyPercentTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'any_percent',
    {
      title: 'Try 2-5 different approaches to one contract',
      description:
        'One variant per approach (2-5), in parallel, each in its own worktree and branch; commit, run ' +
        'setup/test commands in each. Returns a scoreboard (metadata, no code). Then fix, run_tests, judge, finish.',
      inputSchema,
      outputSchema: scoreboardSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      const progress = progressNotifier(ctx, deps);
      try {
        const repoDir = await toolRepoDir(deps, args.repo_dir);
        const contract = await readContract({
          contract: args.contract,
          contractFile: args.contract_file,
          baseDir: repoDir,
          allowedRoots: [...deps.config.allowedRoots, ...(await deps.clientRoots())],
        });
        const plans = variantPlans({
          contract: contract.text,
          approaches: args.approaches,
          models: args.models,
        });
        const board = await startRun(
          {
            mode: 'any-percent',
            feature: args.feature,
            contract: contract.text,
            contractFile: contract.file,
            plans,
            variation: null,
            ...runOptions(args),
            repoDir,
          },
          {
            config: deps.config,
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            extraRoots: await deps.clientRoots(),
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
    },
  );
}
