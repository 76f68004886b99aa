import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { startRun } from '../../race/start-run.js';
import { SpeedRunError } from '../../errors.js';
import { compactSchema } from '../compact-schema.js';
import type { ToolDeps } from '../tool-deps.js';
import { leanScoreboard } from './race-results.js';
import { raceCall, runOptions } from './race-call.js';

const inputSchema = compactSchema(
  z.object({
    feature: z.string(),
    contract: z.string().optional(),
    contract_file: z.string().optional().describe('Relative to repo_dir.'),
    runners: z.int().optional().describe('Race: 2-5 runners of one design.'),
    approaches: z
      .array(z.object({ slug: z.string(), description: z.string() }))
      .optional()
      .describe('Any-percent: 2-5 designs, one variant each.'),
    variation: z.enum(['briefs', 'temperature', 'models']).optional(),
    models: z.array(z.string().min(1)).max(5).optional(),
    output_subdir: z.string().optional(),
    setup_command: z.string().optional(),
    test_command: z.string().optional(),
    repair_rounds: z.int().optional(),
    timeout_s: z.number().positive().max(86_400).optional(),
    replace: z.boolean().optional(),
    repo_dir: z.string().optional(),
  }),
);

const outputSchema = z.looseObject({ status: z.string(), runners: z.array(z.looseObject({})) });

export function registerRaceTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'race',
    {
      title: 'Race 2-5 implementations of one contract',
      description:
        'Implement a contract 2-5 ways in parallel git worktrees; runs setup/test commands. Takes minutes.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      const anyPercent = args.approaches !== undefined;
      if (anyPercent === (args.runners !== undefined)) {
        return raceCall(deps, ctx, () => {
          throw new SpeedRunError(
            'invalid_input',
            'Give runners (race) or approaches (any-percent), one of the two.',
            {
              field: 'runners',
              hint: 'runners: 3 races one design three times; approaches: [{slug, description}, …] builds different ones.',
            },
          );
        });
      }
      const { approaches, runners } = args;
      const board = (context: Parameters<typeof startRun>[1]) =>
        approaches !== undefined
          ? startRun({ mode: 'any-percent', ...runOptions(args), approaches }, context)
          : startRun(
              { mode: 'race', ...runOptions(args), runners: runners!, variation: args.variation },
              context,
            );
      return raceCall(deps, ctx, async (context) => leanScoreboard(await board(context)));
    },
  );
}
