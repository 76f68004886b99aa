import type { CallToolResult } from '@modelcontextprotocol/server';
import { redactSecrets } from '../config/redact.js';
import { isSpeedRunError } from '../errors.js';

/** A successful result: the structured value, and the same JSON as text for clients that read only text. */
export function toolResult<T extends object>(structured: T): CallToolResult & { structuredContent: T } {
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

/**
 * A tool error the model can act on: `kind: message` then the hint, with every secret redacted. Unexpected
 * failures say so in one line; their stacks go to the server log, not to the model.
 */
export function toolError(error: unknown, secrets: readonly (string | undefined)[]): CallToolResult {
  const text = isSpeedRunError(error)
    ? `${error.kind}: ${error.message}${error.hint ? `\n${error.hint}` : ''}`
    : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  return { content: [{ type: 'text', text: redactSecrets(text, secrets) }], isError: true };
}
