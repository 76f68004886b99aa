/**
 * `max_completion_tokens` for a plain text generation (the generate tool). Cerebras reserves rate-limit quota by
 * this number before generating, so it is sized for short answers; file generations use the configured
 * `maxOutputTokens` (SPEED_RUN_MAX_TOKENS). Every call can override either.
 */
export const DEFAULT_GENERATE_MAX_TOKENS = 4_096;
