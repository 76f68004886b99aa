import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { finishRun } from '../../race/finish-run.js';
import type { ToolDeps } from '../tool-deps.js';
import { featureField, looseList, modeField, raceCall, repoDirField } from './race-schemas.js';

const inputSchema = z.object({
  feature: featureField,
  winner: z.string().describe('"runner-2" / "2", or "variant-<slug>" / "<slug>".'),
  mode: modeField,
  repo_dir: repoDirField,
  force: z.boolean().optional().describe('Even if it changed nothing.'),
  keep_branch: z.boolean().optional().describe('Keep its branch.'),
});

const outputSchema = z.object({
  feature: z.string(),
  mode: z.string(),
  winner: z.string(),
  merged: z.looseObject({}).nullable(),
  copied_files: z.array(z.string()).nullable(),
  removed: looseList,
  kept: z.looseObject({}),
  result_file: z.string(),
  manifest: z.string(),
});

export function registerFinishTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'finish',
    {
      title: 'Promote the winner and clean up',
      description:
        'Commit the winner’s worktree (your fixes), merge its branch into the starting branch (or copy files ' +
        'outside git), remove the worktrees and branches this run made, write result.md.',
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    (args, ctx) =>
      raceCall(deps, ctx, (context) =>
        finishRun(
          {
            repoDir: args.repo_dir,
            feature: args.feature,
            winner: args.winner,
            mode: args.mode,
            force: args.force,
            keepBranch: args.keep_branch,
          },
          context,
        ),
      ),
  );
}
