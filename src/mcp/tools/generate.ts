import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { DEFAULT_GENERATE_MAX_TOKENS } from '../../codegen/token-budgets.js';
import { requireApiKey } from '../../config/require-api-key.js';
import { completionEntry, failureEntry, reachedProvider, recordCall } from '../../ledger/record-call.js';
import { usageReport, type UsageReport } from '../../provider/usage.js';
import type { ToolDeps } from '../tool-deps.js';
import { compactSchema } from '../compact-schema.js';
import { toolError, toolResult } from '../tool-result.js';

const inputSchema = compactSchema(
  z.object({
    prompt: z.string().min(1),
    system_prompt: z.string().optional(),
    max_tokens: z.int().positive().optional().describe(`Default ${DEFAULT_GENERATE_MAX_TOKENS}.`),
    model: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
  }),
);

/** What a client needs; docs/mcp-tools.md has every field. */
const outputSchema = z.looseObject({ text: z.string() });

export interface GenerateOutput {
  /** The reply, without reasoning. */
  text: string;
  model: string;
  /** null when the provider reported none. */
  usage: UsageReport | null;
  duration_ms: number;
  /** Only when the reply did not end normally, e.g. "length" (cut at max_tokens). */
  finish_reason?: string;
}

const GENERATE_SYSTEM_PROMPT =
  'You are a concise, expert software engineer. Answer exactly what is asked, without preamble.';

export function registerGenerateTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'generate',
    {
      title: 'Generate text',
      description:
        'Prompt the hosted LLM; returns the reply text. For code files use generate_and_write_files.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args, ctx) => {
      const started = performance.now();
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
        const output: GenerateOutput = {
          text: result.text,
          model: result.model,
          usage: usageReport(result.usage),
          duration_ms: Math.round(result.durationMs),
        };
        if (result.finishReason !== null && result.finishReason !== 'stop')
          output.finish_reason = result.finishReason;
        await recordCall(
          deps.ledger,
          completionEntry(deps.config.provider.provider, result, new Date()),
          deps.log,
        );
        return toolResult(output);
      } catch (error) {
        if (reachedProvider(error)) {
          const model = args.model ?? deps.config.provider.model;
          const entry = failureEntry(
            'generate',
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
