import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { judgeRun } from '../../race/judge-run.js';
import type { ToolDeps } from '../tool-deps.js';
import { featureField, looseList, modeField, raceCall, repoDirField } from './race-schemas.js';

const inputSchema = z.object({ feature: featureField, mode: modeField, repo_dir: repoDirField });

const outputSchema = z.object({
  worksheet: z.looseObject({ contenders: z.array(z.string()), runners: looseList }),
  similarity: looseList,
  worksheet_file: z.string(),
});

export function registerJudgeTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'judge',
    {
      title: 'Measured judging worksheet',
      description:
        'Measure each runner as it stands: tests, files, LOC, code metrics, pairwise similarity, the measurable ' +
        'gate. Subjective criteria are left blank for you to score. Metadata only.',
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    (args, ctx) =>
      raceCall(deps, ctx, (context) =>
        judgeRun({ repoDir: args.repo_dir, feature: args.feature, mode: args.mode }, context),
      ),
  );
}
