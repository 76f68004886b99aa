import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { isSpeedRunError } from '../../errors.js';
import type { StatusReport } from '../../provider/check-status.js';
import { configProblemStatus } from '../config-problem.js';
import type { ToolDeps } from '../tool-deps.js';
import { toolError, toolResult } from '../tool-result.js';

/** Models listed in a result; providers that serve hundreds get a count of the rest. */
const MAX_LISTED_MODELS = 50;

const windowSchema = z.object({
  limit: z.number().optional(),
  remaining: z.number().optional(),
  reset_seconds: z.number().optional(),
});

const outputSchema = z.object({
  status: z.enum(['ok', 'error']),
  provider: z.string(),
  base_url: z.string(),
  model: z.string().describe('Configured model.'),
  model_available: z.boolean().nullable().describe('null when the model list could not be fetched.'),
  available_models: z.array(z.string()),
  available_models_omitted: z.number().optional(),
  latency_ms: z.number().nullable().describe('Round trip of GET /models.'),
  rate_limit: z
    .record(z.string(), windowSchema)
    .optional()
    .describe('Rate-limit windows the provider reported.'),
  error_kind: z.enum(['config', 'no_key', 'auth', 'unreachable', 'model_not_found', 'provider']).optional(),
  message: z.string().optional(),
  setup_hint: z.string().optional().describe('Exact steps to fix the setup.'),
});

export type CheckStatusOutput = z.infer<typeof outputSchema>;

/**
 * A setup problem (no key, wrong key, unreachable, model missing) is a successful check that reports
 * `status: "error"`, not a tool error: the check itself worked and the fields say what to fix.
 */
export function registerCheckStatusTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'check_status',
    {
      title: 'Check hosted LLM status',
      description:
        'Check the hosted-LLM setup: API key set and accepted, endpoint reachable, model served, latency, rate ' +
        'limits. No tokens used. On status "error", follow setup_hint.',
      inputSchema: z.object({}),
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (_args, ctx) => {
      try {
        const { checkStatus } = await import('../../provider/check-status.js');
        const report = await checkStatus(deps.config.provider, {
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          signal: ctx.mcpReq.signal,
        });
        return toolResult(statusOutput(report));
      } catch (error) {
        if (isSpeedRunError(error) && error.kind === 'config') return toolResult(configProblemStatus(error));
        return toolError(error, [deps.config.provider.apiKey]);
      }
    },
  );
}

export function statusOutput(report: StatusReport): CheckStatusOutput {
  const output: CheckStatusOutput = {
    status: report.status,
    provider: report.provider,
    base_url: report.baseUrl,
    model: report.model,
    model_available: report.modelAvailable,
    available_models: report.availableModels.slice(0, MAX_LISTED_MODELS),
    latency_ms: report.latencyMs === null ? null : Math.round(report.latencyMs),
  };
  if (report.availableModels.length > MAX_LISTED_MODELS) {
    output.available_models_omitted = report.availableModels.length - MAX_LISTED_MODELS;
  }
  if (report.rateLimit) {
    output.rate_limit = Object.fromEntries(
      Object.entries(report.rateLimit).map(([bucket, window]) => [
        bucket,
        {
          ...(window.limit !== undefined ? { limit: window.limit } : {}),
          ...(window.remaining !== undefined ? { remaining: window.remaining } : {}),
          ...(window.resetSeconds !== undefined ? { reset_seconds: window.resetSeconds } : {}),
        },
      ]),
    );
  }
  if (report.errorKind) output.error_kind = report.errorKind;
  if (report.message) output.message = report.message;
  if (report.setupHint) output.setup_hint = report.setupHint;
  return output;
}
