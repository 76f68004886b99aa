import type { APIError } from 'openai';
import type { ProviderConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import { CEREBRAS_KEY_URL } from '../config/setup-hint.js';
import { SpeedRunError, type SpeedRunErrorKind, type SpeedRunErrorOptions } from '../errors.js';
import type { AbortCause } from './abort-scope.js';
import { openAIIfLoaded } from './openai-module.js';
import { describeExhaustedBucket, parseRateLimit, rateLimitResetMs } from './rate-limit.js';
import { classifyStreamError } from './stream-error.js';

export interface ProviderErrorContext {
  config: ProviderConfig;
  /** What was being asked for, e.g. "a chat completion". */
  operation: string;
  /** Why our own abort scope fired, if it did. */
  abortCause?: AbortCause;
  /** The response stream had begun (headers received). */
  streamStarted?: boolean;
  /** Content characters received before the failure. */
  receivedChars?: number;
  /** The provider's model list, when it could be fetched (for 404s). */
  availableModels?: string[];
  /** The time budget that applied, when not the config's whole-request timeout. */
  timeoutMs?: number;
  now?: () => number;
}

export function providerLabel(config: ProviderConfig): string {
  return config.provider === 'cerebras' ? 'Cerebras' : config.provider;
}

/**
 * Turns whatever the SDK, fetch or our timers threw into a SpeedRunError a person can act on. Nothing from the
 * provider is kept as `cause`: its messages may echo the key. Every text passes through `redactSecrets`.
 */
export function mapProviderError(error: unknown, context: ProviderErrorContext): SpeedRunError {
  if (error instanceof SpeedRunError) return error;
  const { config } = context;
  const label = providerLabel(config);
  const make = (kind: SpeedRunErrorKind, message: string, options: SpeedRunErrorOptions = {}) =>
    new SpeedRunError(kind, redact(message, config), {
      ...options,
      ...(options.hint === undefined ? {} : { hint: redact(options.hint, config) }),
    });
  const received = context.receivedChars ?? 0;

  if (context.abortCause === 'timeout' || isSdkConnectionTimeout(error)) {
    return make(
      'timeout',
      `${label} did not finish ${context.operation} within ${seconds(context.timeoutMs ?? config.timeoutMs)}.`,
      {
        field: 'GENERATION_TIMEOUT',
        hint: 'Raise GENERATION_TIMEOUT (seconds), or ask for less output.',
      },
    );
  }
  if (context.abortCause === 'idle_timeout') {
    const where = context.streamStarted ? ` mid-stream, after ${received} characters` : '';
    return make('idle_timeout', `${label} sent nothing for ${seconds(config.idleTimeoutMs)}${where}.`, {
      field: 'SPEED_RUN_IDLE_TIMEOUT',
      retryable: true,
      hint: 'The provider may be overloaded: try again, or raise SPEED_RUN_IDLE_TIMEOUT (seconds).',
    });
  }

  if (isSdkApiError(error) && typeof error.status === 'number') {
    const status = error.status;
    const said = providerMessage(error);
    if (status === 401 || status === 403) {
      return make('auth', `${label} rejected the API key from ${config.apiKeyVariable} (${status}${said}).`, {
        statusCode: status,
        field: config.apiKeyVariable,
        hint:
          `Check that ${config.apiKeyVariable} holds a current key for ${config.baseUrl}` +
          (config.provider === 'cerebras' ? ` (create one at ${CEREBRAS_KEY_URL}).` : '.'),
      });
    }
    if (status === 404) return notFound(error, context, make, said);
    if (status === 429) {
      const info = parseRateLimit(error.headers ?? new Headers());
      const resetMs = rateLimitResetMs(info) ?? retryAfterMs(error.headers);
      const bucket = describeExhaustedBucket(info);
      const now = (context.now ?? Date.now)();
      const when =
        resetMs === undefined
          ? ''
          : `; the limit resets in ${seconds(resetMs)} (at ${new Date(now + resetMs).toISOString()})`;
      return make(
        'rate_limited',
        `${label} rate limit reached (429) after ${config.maxRetries} retries` +
          `${bucket ? `: the ${bucket} quota is used up` : ''}${when}${said ? ` (${said.slice(2)})` : ''}.`,
        {
          statusCode: 429,
          hint:
            'Wait for the reset, run fewer generations at once (SPEED_RUN_MAX_IN_FLIGHT), or ask for fewer output ' +
            'tokens: Cerebras reserves max_completion_tokens from the quota up front.',
        },
      );
    }
    return make('provider', `${label} answered ${status} to ${context.operation}${said}.`, {
      statusCode: status,
      hint:
        status >= 500
          ? `The provider failed after ${config.maxRetries} retries; try again later.`
          : 'The provider refused the request as sent; the message above says why.',
    });
  }

  if (context.streamStarted) {
    return make('provider', `The ${label} stream broke after ${received} characters: ${describe(error)}.`, {
      retryable: true,
      hint: 'Run the generation again.',
    });
  }
  if (isConnectionFailure(error)) {
    return make('unreachable', `Could not reach ${label} at ${config.baseUrl} (${describe(error)}).`, {
      hint: `Check your network connection and that the base URL ${config.baseUrl} is right (SPEED_RUN_BASE_URL${config.provider === 'cerebras' ? ' or CEREBRAS_URL' : ''}).`,
    });
  }
  return make('provider', `${label} request failed during ${context.operation}: ${describe(error)}.`);
}

/**
 * The `error` object a server sent inside a 200 stream (the SDK throws it as an APIError without a status), or
 * undefined when `error` is something else (a broken connection, say).
 */
export function midStreamErrorBody(error: unknown): unknown {
  if (!isSdkApiError(error) || error.status !== undefined) return undefined;
  return error.error ?? error.message;
}

/**
 * A mid-stream error object, classified like an HTTP status: a 4xx is made once and its message shown; 429,
 * 408 and 5xx (overload) are `retryable`. Mentions a finish_reason that came before it ("length", say).
 */
export function midStreamError(
  config: ProviderConfig,
  body: unknown,
  receivedChars: number,
  finishReason: string | null,
): SpeedRunError {
  const meaning = classifyStreamError(body);
  const label = providerLabel(config);
  const status = meaning.status === undefined ? '' : ` ${meaning.status}`;
  const after = finishReason ? ` after finish_reason "${finishReason}"` : '';
  const said = meaning.message ? `: ${meaning.message}` : '';
  const message = `${label} sent error${status} mid-stream${after}, ${receivedChars} characters in${said}.`;
  const hint = meaning.retryable
    ? 'The provider was overloaded or rate-limited; run the generation again.'
    : finishReason === 'length'
      ? 'The reply had already hit max_tokens: ask for less output or raise max_tokens.'
      : 'The provider refused the request as sent; asking again would fail the same way. The message says why.';
  return new SpeedRunError(meaning.status === 429 ? 'rate_limited' : 'provider', redact(message, config), {
    retryable: meaning.retryable,
    hint,
    ...(meaning.status === undefined ? {} : { statusCode: meaning.status }),
  });
}

function notFound(
  error: APIError,
  context: ProviderErrorContext,
  make: (kind: SpeedRunErrorKind, message: string, options?: SpeedRunErrorOptions) => SpeedRunError,
  said: string,
): SpeedRunError {
  const { config } = context;
  const label = providerLabel(config);
  const models = context.availableModels;
  if ((models && !models.includes(config.model)) || (!models && error.code === 'model_not_found')) {
    return modelNotFoundError(config, models);
  }
  return make(
    'provider',
    `${label} answered 404 Not Found to ${context.operation} at ${config.baseUrl}${said}.`,
    {
      statusCode: 404,
      hint: 'Check the base URL: it should be the OpenAI-compatible root, usually ending in /v1.',
    },
  );
}

/** The configured model is not served; `models` is the provider's list when it could be fetched. */
export function modelNotFoundError(config: ProviderConfig, models: string[] | undefined): SpeedRunError {
  const modelVariable =
    config.provider === 'cerebras' ? 'CEREBRAS_MODEL or SPEED_RUN_MODEL' : 'SPEED_RUN_MODEL';
  const list = models ? ` Available models: ${models.length ? models.join(', ') : '(none listed)'}.` : '';
  return new SpeedRunError(
    'model_not_found',
    redact(`Model "${config.model}" is not available from ${providerLabel(config)}.${list}`, config),
    { statusCode: 404, field: modelVariable, hint: `Set ${modelVariable} to a model the provider serves.` },
  );
}

function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : '';
  return text ? `: ${text}` : '';
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  const secondsValue = value === null || value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(secondsValue) ? secondsValue * 1000 : undefined;
}

const CONNECTION_CODES =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|CERT|TLS|SSL|UND_ERR/;

function isConnectionFailure(error: unknown): boolean {
  return (
    (isSdkApiError(error) && error.status === undefined) ||
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    CONNECTION_CODES.test(describe(error))
  );
}

/** The innermost useful description: a system error code, else the deepest message. */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth += 1) {
    const item = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof item.code === 'string')
      return item.code + (typeof item.message === 'string' ? ` ${item.message}` : '');
    if (typeof item.message === 'string' && item.message) parts.push(item.message);
    current = item.cause;
  }
  return parts.at(-1) ?? String(error);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

function redact(text: string, config: ProviderConfig): string {
  return redactSecrets(text, [config.apiKey]);
}

function isSdkApiError(error: unknown): error is APIError {
  const sdk = openAIIfLoaded();
  return sdk !== undefined && error instanceof sdk.APIError;
}

function isSdkConnectionTimeout(error: unknown): boolean {
  const sdk = openAIIfLoaded();
  return sdk !== undefined && error instanceof sdk.APIConnectionTimeoutError;
}
