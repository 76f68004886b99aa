import OpenAI from 'openai';
import type { ProviderConfig } from '../config/config-types.js';

/**
 * Cerebras answers errors with a top-level `{ message, type, code }` instead of OpenAI's `{ error: {...} }`; the
 * SDK would then drop the message. Wrap it so `APIError.error` carries it either way.
 */
class ProviderClient extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ) {
    const body = error as { error?: unknown; message?: unknown } | undefined;
    const normalized =
      body && body.error === undefined && typeof body.message === 'string' ? { error: body } : error;
    return super.makeStatusError(status, normalized, message, headers);
  }
}

/** An openai SDK client for the configured provider. Retries are left to the fetch passed in. */
export function createProviderClient(
  config: ProviderConfig,
  apiKey: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): OpenAI {
  return new ProviderClient({
    baseURL: config.baseUrl,
    apiKey,
    fetch: fetchImpl,
    maxRetries: 0,
    timeout: Math.max(1, Math.ceil(timeoutMs)),
    // The SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_LOG from the environment: none of that belongs to
    // this provider, and its logger would write to stdout, which carries the MCP protocol.
    organization: null,
    project: null,
    logLevel: 'off',
  });
}
