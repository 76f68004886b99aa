import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { isSpeedRunError } from '../../errors.js';
import type { StatusReport } from '../../provider/check-status.js';
import type { LiveProbe } from '../../provider/live-probe.js';
import { configProblemStatus } from '../config-problem.js';
import type { ToolDeps } from '../tool-deps.js';
import { compactSchema } from '../compact-schema.js';
import { toolError, toolResult } from '../tool-result.js';

/** Models listed in a result; providers that serve hundreds get a count of the rest. */
const MAX_LISTED_MODELS = 50;

/** What `speed-run status --json` prints; the tool returns the lean form (`leanStatusOutput`). */
export interface CheckStatusOutput {
  status: 'ok' | 'error';
  provider: string;
  base_url: string;
  /** Configured model. */
  model: string;
  /** null when the model list could not be fetched. */
  model_available: boolean | null;
  available_models: string[];
  available_models_omitted?: number;
  /** Round trip of GET /models. */
  latency_ms: number | null;
  /** Quota windows learned from the provider (this check and the process's earlier requests). */
  rate_limit?: Record<string, { limit?: number; remaining?: number; reset_seconds?: number }>;
  /** With `live`: the tiny completion's outcome. */
  live?: LiveOutput;
  error_kind?: 'config' | 'no_key' | 'auth' | 'unreachable' | 'model_not_found' | 'provider';
  message?: string;
  /** Exact steps to fix the setup. */
  setup_hint?: string;
}

export type LiveOutput =
  | { ok: true; model: string; latency_ms: number }
  | { ok: false; error_kind: string; message: string; hint?: string };

/** The tool result: what is wrong, or that all is well, without what follows from `status: "ok"`. */
export type LeanStatusOutput = Omit<
  CheckStatusOutput,
  'model_available' | 'available_models' | 'latency_ms'
> &
  Partial<Pick<CheckStatusOutput, 'model_available' | 'available_models' | 'latency_ms'>>;

/** What a client needs to branch on; docs/mcp-tools.md has every field. */
const outputSchema = z.looseObject({ status: z.enum(['ok', 'error']) });

/**
 * A setup problem (no key, wrong key, unreachable, model missing) is a successful check that reports
 * `status: "error"`, not a tool error: the check itself worked and the fields say what to fix.
 */
export function registerCheckStatusTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'check_status',
    {
      title: 'Check hosted LLM status',
      description: 'Check the hosted-LLM key, endpoint, model and quota; live: one 16-token completion.',
      inputSchema: compactSchema(z.object({ live: z.boolean().optional() })),
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, ctx) => {
      try {
        const { checkStatus } = await import('../../provider/check-status.js');
        const report = await checkStatus(deps.config.provider, {
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          signal: ctx.mcpReq.signal,
          scheduler: deps.scheduler,
          live: args.live === true,
        });
        return toolResult(leanStatusOutput(report));
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
          // Whole seconds: the fraction costs the agent bytes and tells it nothing.
          ...(window.resetSeconds !== undefined ? { reset_seconds: Math.ceil(window.resetSeconds) } : {}),
        },
      ]),
    );
  }
  if (report.live) output.live = liveOutput(report.live);
  if (report.errorKind) output.error_kind = report.errorKind;
  if (report.message) output.message = report.message;
  if (report.setupHint) output.setup_hint = report.setupHint;
  return output;
}

function liveOutput(probe: LiveProbe): LiveOutput {
  if (probe.ok) return { ok: true, model: probe.model, latency_ms: Math.round(probe.latencyMs) };
  return {
    ok: false,
    error_kind: probe.errorKind,
    message: probe.message,
    ...(probe.hint ? { hint: probe.hint } : {}),
  };
}

/** `statusOutput` without a model list when the model is served, and without nulls. */
export function leanStatusOutput(report: StatusReport): LeanStatusOutput {
  const { model_available, available_models, latency_ms, ...rest } = statusOutput(report);
  return {
    ...rest,
    ...(model_available !== true ? { model_available, available_models } : {}),
    ...(latency_ms !== null ? { latency_ms } : {}),
  };
}
