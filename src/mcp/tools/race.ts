import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { readContract, racePlans } from '../../race/plan-run.js';
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
  runners: z.number().int().describe('How many runners, 2-5.'),
  variation: z
    .enum(['briefs', 'temperature', 'models'])
    .optional()
    .describe('How runners differ: emphasis briefs (default), temperatures, or models.'),
});

export function registerRaceTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'race',
    {
      title: 'Race N implementations of one contract',
      description:
        'Implement one contract 2-5 times in parallel, each in its own worktree and branch, commit, run ' +
        'setup/test commands in each. Returns a scoreboard (metadata, no code). Then fix, run_tests, judge, ' +
        'finish. Takes minutes; reports progress.',
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
        const { plans, variation } = racePlans({
          contract: contract.text,
          runners: args.runners,
          variation: args.variation,
          models: args.models,
        });
        const board = await startRun(
          {
            mode: 'race',
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
