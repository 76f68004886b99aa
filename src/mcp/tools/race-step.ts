import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { SpeedRunError } from '../../errors.js';
import { finishRun } from '../../race/finish-run.js';
import { judgeRun } from '../../race/judge-run.js';
import { rerunTests } from '../../race/rerun-tests.js';
import { compactSchema } from '../compact-schema.js';
import type { ToolDeps } from '../tool-deps.js';
import { leanFinish, leanJudge, leanRerun } from './race-results.js';
import { raceCall } from './race-call.js';

const inputSchema = compactSchema(
  z.object({
    step: z.enum(['test', 'judge', 'finish']),
    feature: z.string(),
    runner: z.string().optional().describe('test: the runner; finish: the winner.'),
    mode: z.enum(['race', 'any-percent']).optional(),
    repo_dir: z.string().optional(),
    force: z.boolean().optional().describe('finish: even a winner that changed nothing.'),
    keep_branch: z.boolean().optional(),
  }),
);

const outputSchema = z.looseObject({});

export function registerRaceStepTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'race_step',
    {
      title: 'After a race: re-test, judge, finish',
      description:
        'After race: re-test a fixed runner, judge, or finish (merge the winner, remove the rest).',
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (args, ctx) =>
      raceCall(deps, ctx, async (context) => {
        const run = { repoDir: args.repo_dir, feature: args.feature, mode: args.mode };
        if (args.step === 'judge') return leanJudge(await judgeRun(run, context));
        const runner = requireRunner(args.step, args.runner);
        if (args.step === 'test') return leanRerun(await rerunTests({ ...run, runner }, context));
        const finish = { ...run, winner: runner, force: args.force, keepBranch: args.keep_branch };
        return leanFinish(await finishRun(finish, context));
      }),
  );
}

function requireRunner(step: 'test' | 'finish', runner: string | undefined): string {
  if (runner !== undefined && runner.trim() !== '') return runner;
  throw new SpeedRunError('invalid_input', `step "${step}" needs runner.`, {
    field: 'runner',
    hint:
      step === 'finish'
        ? 'Name the winner: "runner-2" / "2", or "variant-<slug>" / "<slug>".'
        : 'Name the runner to re-test: "runner-2" / "2", or "variant-<slug>" / "<slug>".',
  });
}
