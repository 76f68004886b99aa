import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { generationReport } from '../../codegen/generation-report.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';

const inputSchema = z.object({
  prompt: z
    .string()
    .min(1)
    .describe(
      'The contract: each file to write (path relative to output_dir), DATA CONTRACT, API CONTRACT, ALGORITHM, RULES.',
    ),
  output_dir: z
    .string()
    .min(1)
    .describe(
      'Directory for the files; absolute or relative to the server cwd; must be inside an allowed root.',
    ),
  context_files: z
    .array(z.string().min(1))
    .max(100)
    .optional()
    .describe(
      'Existing files the model should see, read server-side (absolute or relative to the server cwd).',
    ),
  allow_secret_context: z
    .boolean()
    .optional()
    .describe('Allow context files that look like secrets (.env, keys). Default false.'),
  system_prompt: z.string().optional().describe('Replaces the default system prompt.'),
  model: z.string().min(1).optional().describe('Model id; default from configuration.'),
  max_tokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Output token budget (default SPEED_RUN_MAX_TOKENS, 16384); providers reserve quota by it.'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature, 0-2.'),
});

const fileSchema = z.object({
  path: z.string(),
  lines: z.number(),
  bytes: z.number(),
  status: z.enum(['created', 'overwritten', 'edited']),
  attempt: z.number().optional(),
  added: z.number().optional(),
  removed: z.number().optional(),
  hunks: z.number().optional(),
});

const outputSchema = z.object({
  output_dir: z.string().describe('Absolute output directory.'),
  files: z.array(fileSchema).describe('Files written, paths relative to output_dir.'),
  files_omitted: z.number().optional().describe('Files written but not listed.'),
  total_lines: z.number(),
  rejected: z.array(z.object({ path: z.string(), reason: z.string() })).describe('Files refused, with why.'),
  rejected_omitted: z.number().optional(),
  unclosed: z
    .array(z.object({ path: z.string(), bytes: z.number() }))
    .optional()
    .describe('Cut-off files, not written.'),
  truncated: z.boolean().describe('The reply hit max_tokens or left a file unclosed.'),
  finish_reason: z.string().nullable(),
  model: z.string(),
  usage: z
    .object({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      total_tokens: z.number(),
      reasoning_tokens: z.number().optional(),
    })
    .nullable()
    .describe('null: the provider sent none.'),
  generation_ms: z.number(),
  time_to_first_file_ms: z.number().nullable(),
  attempts: z.number().describe('Whole-generation attempts (a broken stream is retried).'),
  limit_reached: z.string().optional(),
  hint: z.string().optional(),
});

export function registerGenerateAndWriteFilesTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'generate_and_write_files',
    {
      title: 'Generate and write files',
      description:
        'Generate code files with the fast hosted LLM and write them under output_dir. Write the prompt as a ' +
        'precise contract naming every file path. Returns metadata only (paths, lines, tokens, timings), never ' +
        'file contents: read or test the files yourself.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const notifications: Promise<void>[] = [];
      let written = 0;
      try {
        // Loaded on first use: the provider client is not needed to answer initialize quickly.
        const { generateFiles } = await import('../../codegen/generate-files.js');
        const result = await generateFiles(
          deps.config,
          {
            prompt: args.prompt,
            outputDir: args.output_dir,
            ...(args.context_files ? { contextFiles: args.context_files } : {}),
            ...(args.allow_secret_context !== undefined
              ? { allowSecretContext: args.allow_secret_context }
              : {}),
            ...(args.system_prompt !== undefined ? { systemPrompt: args.system_prompt } : {}),
            ...(args.model !== undefined ? { model: args.model } : {}),
            ...(args.max_tokens !== undefined ? { maxTokens: args.max_tokens } : {}),
            ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
            extraRoots: await deps.clientRoots(),
            signal: ctx.mcpReq.signal,
          },
          {
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            onFile: (file) => {
              written += 1;
              if (progressToken === undefined) return;
              const notification = ctx.mcpReq
                .notify({
                  method: 'notifications/progress',
                  params: { progressToken, progress: written, message: `${file.path} (${file.lines} lines)` },
                })
                .catch((error: unknown) => deps.log(`progress notification failed: ${String(error)}`));
              notifications.push(notification);
            },
          },
        );
        await flush(notifications);
        return toolResult(generationReport(result));
      } catch (error) {
        await flush(notifications);
        return toolError(error, [deps.config.provider.apiKey]);
      }
    },
  );
}

/** Pause between the last progress notification and the result; see `flush`. */
const PROGRESS_SETTLE_MS = 10;

/**
 * Waits for the progress notifications, then briefly, so the last one is read before the result: the SDK
 * client dispatches notifications a microtask late, and a result read in the same chunk retires the progress
 * handler first (the last notification is then dropped).
 */
async function flush(notifications: Promise<void>[]): Promise<void> {
  if (notifications.length === 0) return;
  await Promise.all(notifications);
  await new Promise((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
}
