import { requireApiKey } from '../config/require-api-key.js';
import type { ProviderConfig } from '../config/config-types.js';
import { createAbortScope } from './abort-scope.js';
import { mapProviderError } from './map-provider-error.js';
import { createProviderClient } from './provider-client.js';
import { createRetryingFetch } from './retrying-fetch.js';

/** A model list is small: it should never take as long as a generation may. */
export const LIST_MODELS_TIMEOUT_MS = 15_000;

export interface ListModelsDeps {
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  /** Default: the config's maxRetries, at most 1 (a status check should answer quickly). */
  maxRetries?: number;
}

export interface ModelList {
  models: string[];
  headers: Headers;
  latencyMs: number;
}

/** GET {baseUrl}/models. Failures are SpeedRunErrors (auth, unreachable, timeout, provider). */
export async function listModels(config: ProviderConfig, deps: ListModelsDeps = {}): Promise<ModelList> {
  const apiKey = requireApiKey(config);
  const now = deps.now ?? Date.now;
  const timeoutMs = Math.min(config.timeoutMs, LIST_MODELS_TIMEOUT_MS);
  const scope = createAbortScope({
    timeoutMs,
    idleTimeoutMs: timeoutMs,
    ...(deps.signal ? { parent: deps.signal } : {}),
  });
  const started = now();
  const fetchImpl = createRetryingFetch(deps.fetch ?? globalThis.fetch, {
    maxRetries: deps.maxRetries ?? Math.min(config.maxRetries, 1),
    deadline: started + timeoutMs,
    now,
  });
  const client = await createProviderClient(config, apiKey, fetchImpl, timeoutMs + 1000);
  // Latency is the request's round trip, not loading the SDK (which happens once per process).
  const requestStarted = now();
  try {
    const { data, response } = await client.models.list({ signal: scope.signal }).withResponse();
    return {
      models: data.data.map((model) => model.id).sort(),
      headers: response.headers,
      latencyMs: now() - requestStarted,
    };
  } catch (error) {
    if (scope.cause() === 'aborted') throw deps.signal?.reason ?? error;
    throw mapProviderError(error, {
      config,
      operation: 'the model list request',
      abortCause: scope.cause(),
      timeoutMs,
      now,
    });
  } finally {
    scope.dispose();
  }
}
