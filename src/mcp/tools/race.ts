import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { startRun } from '../../race/start-run.js';
import type { ToolDeps } from '../tool-deps.js';
import { raceCall, runOptionFields, runOptions, scoreboardSchema } from './race-schemas.js';

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
    (args, ctx) =>
      raceCall(deps, ctx, (context) =>
        startRun(
          { mode: 'race', ...runOptions(args), runners: args.runners, variation: args.variation },
          context,
        ),
      ),
  );
}
