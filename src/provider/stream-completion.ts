import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../config/config-types.js';
import { requireApiKey } from '../config/require-api-key.js';
import { SpeedRunError } from '../errors.js';
import { createAbortScope } from './abort-scope.js';
import { listModels } from './list-models.js';
import { mapProviderError, midStreamError, midStreamErrorBody } from './map-provider-error.js';
import { createProviderClient } from './provider-client.js';
import { parseRateLimit, type RateLimitInfo } from './rate-limit.js';
import { ProviderScheduler } from './provider-scheduler.js';
import { readChunk } from './read-chunk.js';
import { reasoningEffortFor } from './reasoning-effort.js';
import { createRetryingFetch } from './retrying-fetch.js';
import type { Usage } from './usage.js';
import { watchBody } from './watch-body.js';

export interface CompletionRequest {
  prompt: string;
  systemPrompt?: string;
  /** Overrides config.model for this request. */
  model?: string;
  /** Sent as max_completion_tokens; default config.maxOutputTokens, else DEFAULT_COMPLETION_MAX_TOKENS. */
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface CompletionResult {
  /** The content, without reasoning. */
  text: string;
  model: string;
  /** "stop", "length" (truncated at maxTokens), … or null when the provider sent none. */
  finishReason: string | null;
  /** As the provider reported it; null when it sent none (never zeros it did not say). */
  usage: Usage | null;
  /** From the call until the stream ended, waiting for a limiter slot and retries included. */
  durationMs: number;
  /** From the call until the first streamed token (reasoning or content). */
  timeToFirstTokenMs: number | null;
  rateLimit?: RateLimitInfo;
}

/** max_completion_tokens when neither the call nor the configuration sets one (file generations size theirs). */
export const DEFAULT_COMPLETION_MAX_TOKENS = 8_192;

export interface StreamCompletionDeps {
  fetch?: typeof fetch;
  now?: () => number;
  /** Called for each chunk carrying reasoning (never passed to `onContent`), e.g. to show the model thinks. */
  onReasoning?: () => void;
  /** The process's provider scheduler (pacing by quota, bounded concurrency); default: one for this call. */
  scheduler?: ProviderScheduler;
}

/** A rough prompt token count (about 3.5 characters a token), on the high side so reservations are not short. */
export function estimatePromptTokens(messages: ChatCompletionMessageParam[]): number {
  let chars = 0;
  for (const message of messages) chars += typeof message.content === 'string' ? message.content.length : 0;
  return Math.ceil(chars / 3.5) + 8 * messages.length;
}

/**
 * Streams one chat completion, passing content deltas (never reasoning) to `onContent`. Request-level retries
 * happen inside; once the stream has begun a failure is thrown as a `retryable` SpeedRunError for the caller.
 * A caller abort (`request.signal`) rejects with the signal's reason.
 */
export async function streamCompletion(
  config: ProviderConfig,
  request: CompletionRequest,
  onContent: (delta: string) => void,
  deps: StreamCompletionDeps = {},
): Promise<CompletionResult> {
  const apiKey = requireApiKey(config);
  const now = deps.now ?? Date.now;
  const started = now();
  const model = request.model ?? config.model;
  const providerConfig = model === config.model ? config : { ...config, model };
  const messages = buildMessages(request);
  const maxTokens = request.maxTokens ?? config.maxOutputTokens ?? DEFAULT_COMPLETION_MAX_TOKENS;
  const reasoningEffort = reasoningEffortFor(config.reasoningEffort, model);
  const scheduler = deps.scheduler ?? new ProviderScheduler({ now });
  const ticket = await scheduler.acquire({
    tokens: estimatePromptTokens(messages) + maxTokens,
    maxInFlight: config.maxInFlight,
    maxWaitMs: config.timeoutMs,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const scope = createAbortScope({
    timeoutMs: config.timeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    ...(request.signal ? { parent: request.signal } : {}),
  });
  let streamStarted = false;
  let text = '';
  try {
    const baseFetch = deps.fetch ?? globalThis.fetch;
    const observed: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      ticket.observe(response.headers);
      return response;
    };
    const fetchImpl = createRetryingFetch(watchBody(observed, scope.touch), {
      maxRetries: config.maxRetries,
      deadline: now() + config.timeoutMs,
      now,
      onAttempt: scope.touch,
      onWait: scope.pauseIdle,
    });
    // Our own scope enforces the timeouts; the SDK's per-attempt timer is only a backstop behind it.
    const client = await createProviderClient(providerConfig, apiKey, fetchImpl, config.timeoutMs + 1000);
    const { data: stream, response } = await client.chat.completions
      .create(
        {
          model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          max_completion_tokens: maxTokens,
          ...(reasoningEffort === undefined ? {} : { reasoning_effort: reasoningEffort }),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        },
        { signal: scope.signal },
      )
      .withResponse();
    streamStarted = true;

    let finishReason: string | null = null;
    let usage: Usage | null = null;
    let reportedModel: string | undefined;
    let firstTokenAt: number | undefined;
    try {
      for await (const chunk of stream) {
        const reading = readChunk(chunk);
        reportedModel ??= reading.model;
        if (reading.usage) usage = reading.usage;
        if (firstTokenAt === undefined && (reading.content || reading.reasoning)) firstTokenAt = now();
        if (reading.content) {
          text += reading.content;
          onContent(reading.content);
        }
        if (reading.reasoning) deps.onReasoning?.();
        if (reading.finishReason) finishReason = reading.finishReason;
      }
    } catch (error) {
      const body = midStreamErrorBody(error);
      if (body === undefined || scope.cause() !== undefined) throw error;
      throw midStreamError(providerConfig, body, text.length, finishReason);
    }
    // The SDK ends iteration quietly when the request is aborted, so the abort has to be checked here.
    if (scope.signal.aborted) throw scope.signal.reason;
    // A stream that ended cleanly ([DONE] or the end of the body) is complete even without a finish_reason:
    // some servers (Snowflake, older vLLM) never send one.

    const rateLimit = parseRateLimit(response.headers);
    return {
      text,
      model: reportedModel ?? model,
      finishReason,
      usage,
      durationMs: now() - started,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : firstTokenAt - started,
      ...(rateLimit ? { rateLimit } : {}),
    };
  } catch (error) {
    if (scope.cause() === 'aborted') throw request.signal?.reason ?? error;
    if (error instanceof SpeedRunError) throw error;
    const context = {
      config: providerConfig,
      operation: 'a chat completion',
      abortCause: scope.cause(),
      streamStarted,
      receivedChars: text.length,
      now,
    };
    if (!streamStarted && (error as { status?: unknown }).status === 404 && scope.cause() === undefined) {
      throw mapProviderError(error, {
        ...context,
        availableModels: await availableModels(providerConfig, deps),
      });
    }
    throw mapProviderError(error, context);
  } finally {
    scope.dispose();
    ticket.release();
  }
}

function buildMessages(request: CompletionRequest): ChatCompletionMessageParam[] {
  return [
    ...(request.systemPrompt ? [{ role: 'system' as const, content: request.systemPrompt }] : []),
    { role: 'user' as const, content: request.prompt },
  ];
}

async function availableModels(
  config: ProviderConfig,
  deps: StreamCompletionDeps,
): Promise<string[] | undefined> {
  try {
    return (await listModels(config, { ...deps, maxRetries: 0 })).models;
  } catch {
    return undefined;
  }
}
