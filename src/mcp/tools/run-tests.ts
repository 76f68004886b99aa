import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { rerunTests } from '../../race/rerun-tests.js';
import type { ToolDeps } from '../tool-deps.js';
import { featureField, modeField, raceCall, repoDirField, runnerScoreSchema } from './race-schemas.js';

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
      // It runs the recorded shell commands: anything may happen, on disk and on the network.
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (args, ctx) =>
      raceCall(deps, ctx, (context) =>
        rerunTests(
          { repoDir: args.repo_dir, feature: args.feature, runner: args.runner, mode: args.mode },
          context,
        ),
      ),
  );
}
