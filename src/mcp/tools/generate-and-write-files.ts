import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { modelForCall } from '../../config/model-aliases.js';
import { readContractInput } from '../../codegen/contract-input.js';
import { checkRepairRounds } from '../../codegen/repair-rounds.js';
import { leanGenerationReport } from '../../codegen/generation-report.js';
import { failureEntry, generationEntry, reachedProvider, recordCall } from '../../ledger/record-call.js';
import { progressNotifier } from '../progress-notifier.js';
import type { ToolDeps } from '../tool-deps.js';
import { compactSchema } from '../compact-schema.js';
import { toolError, toolResult } from '../tool-result.js';

const inputSchema = compactSchema(
  z.object({
    prompt: z.string().min(1).optional().describe('The contract, naming every file path.'),
    contract_file: z.string().min(1).optional().describe('Or a file holding the contract.'),
    output_dir: z.string().min(1),
    context_files: z.array(z.string().min(1)).max(100).optional().describe('Existing files the model sees.'),
    allow_secret_context: z.boolean().optional(),
    system_prompt: z.string().optional(),
    model: z.string().min(1).optional(),
    max_tokens: z.int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    allow_elided: z.boolean().optional(),
    test_command: z.string().min(1).optional(),
    test_cwd: z.string().min(1).optional(),
    // 0-3, checked by generateAndVerify with a message naming the field (bounds here cost bytes every turn).
    repair_rounds: z.int().optional(),
  }),
);

/** What a client needs; docs/mcp-tools.md has every field. */
const outputSchema = z.looseObject({
  files: z.array(z.looseObject({ path: z.string(), lines: z.number() })),
  receipt: z.looseObject({}),
});

export function registerGenerateAndWriteFilesTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'generate_and_write_files',
    {
      title: 'Generate and write files',
      description:
        'Generate code files from a contract with the hosted LLM into output_dir. Returns metadata, no code.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      const progress = progressNotifier(ctx, deps);
      const started = performance.now();
      try {
        // Loaded on first use: the provider client is not needed to answer initialize quickly.
        const { generateAndVerify } = await import('../../codegen/verify-and-repair.js');
        const extraRoots = await deps.clientRoots();
        const contract = await readContractInput(
          { inline: args.prompt, contractFile: args.contract_file },
          {
            cwd: deps.config.cwd,
            allowedRoots: [...deps.config.allowedRoots, ...extraRoots],
            inlineField: 'prompt',
          },
        );
        checkRepairRounds(args.repair_rounds, args.test_command, 1);
        const result = await generateAndVerify(
          deps.config,
          {
            prompt: contract.text,
            outputDir: args.output_dir,
            ...(args.context_files ? { contextFiles: args.context_files } : {}),
            ...(args.allow_secret_context !== undefined
              ? { allowSecretContext: args.allow_secret_context }
              : {}),
            ...(args.system_prompt !== undefined ? { systemPrompt: args.system_prompt } : {}),
            ...(args.model !== undefined ? { model: args.model } : {}),
            ...(args.max_tokens !== undefined ? { maxTokens: args.max_tokens } : {}),
            ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
            ...(args.allow_elided !== undefined ? { allowElided: args.allow_elided } : {}),
            ...(args.test_command !== undefined
              ? {
                  test: {
                    command: args.test_command,
                    ...(args.test_cwd !== undefined ? { cwd: args.test_cwd } : {}),
                    ...(args.repair_rounds !== undefined ? { repairRounds: args.repair_rounds } : {}),
                  },
                }
              : {}),
            extraRoots,
            signal: ctx.mcpReq.signal,
          },
          {
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            scheduler: deps.scheduler,
            onFile: (file) => progress.notify(`${file.path} (${file.lines} lines)`),
            // Phases only matter once there is more than one: with a test command.
            ...(args.test_command !== undefined
              ? { onPhase: (phase: string) => progress.notify(phase) }
              : {}),
          },
        );
        await progress.flush();
        const promptBytes = Buffer.byteLength(contract.text);
        await recordCall(
          deps.ledger,
          generationEntry('turbo', deps.config.provider.provider, result, promptBytes, new Date()),
          deps.log,
        );
        return toolResult(leanGenerationReport(result, promptBytes));
      } catch (error) {
        await progress.flush();
        if (reachedProvider(error)) {
          const model = modelForCall(deps.config, args.model);
          const entry = failureEntry(
            'turbo',
            deps.config.provider.provider,
            model,
            error,
            performance.now() - started,
            new Date(),
          );
          await recordCall(deps.ledger, entry, deps.log);
        }
        return toolError(error, [deps.config.provider.apiKey]);
      }
    },
  );
}
