/**
 * `max_completion_tokens` defaults. Cerebras reserves rate-limit quota by this number before generating, so
 * each is sized for its job rather than for the model's maximum; every call can override it.
 */

/** A file generation (turbo, generate_and_write_files): room for a typical multi-file reply (~60 KB of code). */
export const DEFAULT_FILES_MAX_TOKENS = 16_384;

/** A plain text generation (the generate tool). */
export const DEFAULT_GENERATE_MAX_TOKENS = 4_096;
