import type OpenAI from 'openai';
import type { ProviderConfig } from '../config/config-types.js';
import { loadOpenAI } from './openai-module.js';

let providerClientClass: Promise<typeof OpenAI> | undefined;

/**
 * Cerebras answers errors with a top-level `{ message, type, code }` instead of OpenAI's `{ error: {...} }`; the
 * SDK would then drop the message. Wrap it so `APIError.error` carries it either way.
 */
function loadProviderClientClass(): Promise<typeof OpenAI> {
  providerClientClass ??= loadOpenAI().then(
    ({ default: OpenAISdk }) =>
      class ProviderClient extends OpenAISdk {
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
      },
  );
  return providerClientClass;
}

/** An openai SDK client for the configured provider. Retries are left to the fetch passed in. */
export async function createProviderClient(
  config: ProviderConfig,
  apiKey: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<OpenAI> {
  const ProviderClient = await loadProviderClientClass();
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
