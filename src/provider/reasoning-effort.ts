import type { ReasoningEffort } from '../codegen/token-budgets.js';

/** Models known to accept `reasoning_effort` (gpt-oss on Cerebras, Groq, OpenRouter; OpenAI's o-series, gpt-5). */
const ACCEPTS_EFFORT = /(^|\/)(gpt-oss|o\d|gpt-5)/i;

export function acceptsReasoningEffort(model: string): boolean {
  return ACCEPTS_EFFORT.test(model);
}

/**
 * The `reasoning_effort` to send, or undefined to send none. Unset means `low` for models that accept it: a
 * precise contract needs little deliberation, and reasoning tokens count against max_completion_tokens (and so
 * against the quota). `off` sends none; an explicit level is sent as set.
 */
export function reasoningEffortFor(
  configured: ReasoningEffort | undefined,
  model: string,
): Exclude<ReasoningEffort, 'off'> | undefined {
  if (configured === 'off') return undefined;
  if (configured !== undefined) return configured;
  return acceptsReasoningEffort(model) ? 'low' : undefined;
}
