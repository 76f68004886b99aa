/**
 * What went wrong, in words a person can act on. Every failure speed-run reports to a user is one of these;
 * presenters (CLI, MCP) turn `kind` into exit codes and `isError` results, and show `message` + `hint`.
 */
export type SpeedRunErrorKind =
  /** No key, placeholder key, bad setting: fix the configuration (CLI exit 2). */
  | 'config'
  /** The provider rejected the key (401/403). */
  | 'auth'
  /** Connection refused, DNS failure, TLS failure: the endpoint could not be reached. */
  | 'unreachable'
  /** The configured model is not served by the provider. */
  | 'model_not_found'
  /** 429 that outlasted the retries. */
  | 'rate_limited'
  /** The whole request exceeded its time budget. */
  | 'timeout'
  /** The stream went silent for longer than the idle timeout. */
  | 'idle_timeout'
  /** Any other provider-side failure (5xx after retries, malformed stream, 400/422). */
  | 'provider'
  /** A tool or command argument is invalid; `field` names it. */
  | 'invalid_input'
  /** A path is outside what speed-run may read or write. */
  | 'path_rejected'
  /** A configured limit (files, bytes) was reached. */
  | 'limit'
  /** A local file-system or subprocess failure. */
  | 'io';

export interface SpeedRunErrorOptions {
  /** What to do about it, as one or more short sentences. */
  hint?: string;
  /** The argument, setting or file the error is about. */
  field?: string;
  /** HTTP status from the provider, when there was one. */
  statusCode?: number;
  /** Whether trying the same thing again may succeed. */
  retryable?: boolean;
  cause?: unknown;
}

export class SpeedRunError extends Error {
  override readonly name = 'SpeedRunError';
  readonly kind: SpeedRunErrorKind;
  readonly hint: string | undefined;
  readonly field: string | undefined;
  readonly statusCode: number | undefined;
  readonly retryable: boolean;

  constructor(kind: SpeedRunErrorKind, message: string, options: SpeedRunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.hint = options.hint;
    this.field = options.field;
    this.statusCode = options.statusCode;
    this.retryable = options.retryable ?? false;
  }

  /** The message and the hint, as a user should read them. */
  get userMessage(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

export function isSpeedRunError(value: unknown): value is SpeedRunError {
  return value instanceof SpeedRunError;
}
