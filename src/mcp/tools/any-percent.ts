import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { startRun } from '../../race/start-run.js';
import type { ToolDeps } from '../tool-deps.js';
import { raceCall, runOptionFields, runOptions, scoreboardSchema } from './race-schemas.js';

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
    (args, ctx) =>
      raceCall(deps, ctx, (context) =>
        startRun({ mode: 'any-percent', ...runOptions(args), approaches: args.approaches }, context),
      ),
  );
}
