/** What an `error` object sent inside a 200 stream means, read like an HTTP status. */
export interface StreamErrorMeaning {
  /** The status it stands for: its numeric `code`/`status`, else one inferred from its type; undefined if unknown. */
  status: number | undefined;
  /** 429, 408 and 5xx (overload, outage) may succeed if asked again; 4xx and unknown errors will not. */
  retryable: boolean;
  /** The provider's own words, if it sent any. */
  message: string;
}

const RETRYABLE_WORDS = /overload|server_error|internal|unavailable|capacity|timeout|timed_out|try again/i;
const RATE_WORDS = /rate_limit|rate limit|quota|too_many/i;
const REQUEST_WORDS =
  /invalid|not_found|auth|permission|forbidden|context_length|content_filter|moderation|bad_request|credit|unsupported/i;

/**
 * Classifies a mid-stream error object: OpenRouter sends `{code: 502, message}` (numeric), Groq and others
 * `{type: "invalid_request_error", code: "…"}`, some `{status: 503}`. A 4xx is deterministic: asking again makes
 * the same error and spends quota, so it is not retried.
 */
export function classifyStreamError(body: unknown): StreamErrorMeaning {
  const error = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const message = typeof error.message === 'string' ? error.message : typeof body === 'string' ? body : '';
  const status =
    httpStatus(error.code) ?? httpStatus(error.status) ?? httpStatus(error.status_code) ?? inferred(error);
  const retryable = status !== undefined && (status === 408 || status === 429 || status >= 500);
  return { status, retryable, message };
}

function httpStatus(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(number) && number >= 400 && number <= 599 ? number : undefined;
}

function inferred(error: Record<string, unknown>): number | undefined {
  const words = [error.type, error.code, error.message].filter((v) => typeof v === 'string').join(' ');
  if (RATE_WORDS.test(words)) return 429;
  if (REQUEST_WORDS.test(words)) return 400;
  if (RETRYABLE_WORDS.test(words)) return 503;
  return undefined;
}
