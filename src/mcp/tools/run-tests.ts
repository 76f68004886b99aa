import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { rerunTests } from '../../race/run-tests.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';
import {
  featureField,
  modeField,
  progressNotifier,
  repoDirField,
  runnerScoreSchema,
  toolRepoDir,
} from './race-schemas.js';

const inputSchema = z.object({
  feature: featureField,
  runner: z.string().describe('"runner-2" / "2", or "variant-<slug>" / "<slug>".'),
  mode: modeField,
  repo_dir: repoDirField,
});

const outputSchema = z.object({
  feature: z.string(),
  mode: z.string(),
  runner: runnerScoreSchema,
  previous: z.looseObject({}).nullable(),
  tail: z.string(),
});

export function registerRunTestsTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'run_tests',
    {
      title: 'Re-run one runner’s tests',
      description:
        'Re-run one runner’s test command in its workspace after you fixed code there; counts a fix cycle. ' +
        'Returns counts, exit code, duration, a short output tail.',
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args, ctx) => {
      const progress = progressNotifier(ctx, deps);
      try {
        const result = await rerunTests(
          {
            repoDir: await toolRepoDir(deps, args.repo_dir),
            feature: args.feature,
            runner: args.runner,
            ...(args.mode ? { mode: args.mode } : {}),
          },
          {
            onProgress: progress.onProgress,
            secretVariables: [deps.config.provider.apiKeyVariable],
            signal: ctx.mcpReq.signal,
          },
        );
        await progress.flush();
        return toolResult(result);
      } catch (error) {
        await progress.flush();
        return toolError(error, [deps.config.provider.apiKey]);
      }
    },
  );
}
