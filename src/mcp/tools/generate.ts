import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { DEFAULT_GENERATE_MAX_TOKENS } from '../../codegen/token-budgets.js';
import { requireApiKey } from '../../config/require-api-key.js';
import { usageReport } from '../../provider/usage.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';

const inputSchema = z.object({
  prompt: z.string().min(1).describe('The prompt.'),
  system_prompt: z.string().optional().describe('System prompt; default is a concise coding assistant.'),
  max_tokens: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(`Output token budget (default ${DEFAULT_GENERATE_MAX_TOKENS}); providers reserve quota by it.`),
  model: z.string().min(1).optional().describe('Model id; default from configuration.'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature, 0-2.'),
});

const outputSchema = z.object({
  text: z.string().describe('The reply, without reasoning.'),
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
  finish_reason: z.string().nullable().describe('"length" means the reply was cut at max_tokens.'),
  duration_ms: z.number(),
});

const GENERATE_SYSTEM_PROMPT =
  'You are a concise, expert software engineer. Answer exactly what is asked, without preamble.';

export function registerGenerateTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'generate',
    {
      title: 'Generate text',
      description:
        'Send a prompt to the fast hosted LLM and return its reply text. To write code files, use ' +
        'generate_and_write_files instead (it returns no file contents).',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      try {
        requireApiKey(deps.config);
        const { streamCompletion } = await import('../../provider/stream-completion.js');
        const result = await streamCompletion(
          deps.config.provider,
          {
            prompt: args.prompt,
            systemPrompt: args.system_prompt ?? GENERATE_SYSTEM_PROMPT,
            maxTokens: args.max_tokens ?? DEFAULT_GENERATE_MAX_TOKENS,
            ...(args.model !== undefined ? { model: args.model } : {}),
            ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
            signal: ctx.mcpReq.signal,
          },
          () => undefined,
          deps.fetch ? { fetch: deps.fetch } : {},
        );
        return toolResult({
          text: result.text,
          model: result.model,
          usage: usageReport(result.usage),
          finish_reason: result.finishReason,
          duration_ms: Math.round(result.durationMs),
        });
      } catch (error) {
        return toolError(error, [deps.config.provider.apiKey]);
      }
    },
  );
}
