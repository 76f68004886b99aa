import type { ProviderConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import type { SpeedRunErrorKind } from '../errors.js';
import { mapProviderError } from './map-provider-error.js';
import type { ProviderScheduler } from './provider-scheduler.js';
import { streamCompletion } from './stream-completion.js';

/**
 * `max_completion_tokens` of the probe. Not 1: models that reason first (gpt-oss, qwen3) spend their first tokens
 * thinking, and some servers refuse very small budgets; 16 lets any model start, and costs next to nothing
 * (Cerebras reserves prompt + 16 tokens of the minute's quota). A reply cut at the budget still counts: the probe
 * proves that generation works end to end, not what the model says.
 */
export const LIVE_PROBE_MAX_TOKENS = 16;
/** A status check answers quickly: the probe gives up (or refuses to wait for quota) after this long. */
export const LIVE_PROBE_TIMEOUT_MS = 30_000;
const PROBE_PROMPT = 'Reply with the single word OK.';

export type LiveProbe =
  | { ok: true; /** As the provider named it. */ model: string; latencyMs: number }
  | { ok: false; errorKind: SpeedRunErrorKind; message: string; hint?: string };

export interface LiveProbeDeps {
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  /** The process's scheduler: the probe is paced with everything else, and its quota figures are learned. */
  scheduler?: ProviderScheduler;
}

/**
 * One tiny streamed completion with the configured model, reasoning effort and key, the way a generation asks.
 * Never throws for provider trouble (it reports the classified error); a caller's abort rejects.
 */
export async function probeGeneration(config: ProviderConfig, deps: LiveProbeDeps = {}): Promise<LiveProbe> {
  const probeConfig: ProviderConfig = {
    ...config,
    timeoutMs: Math.min(config.timeoutMs, LIVE_PROBE_TIMEOUT_MS),
    idleTimeoutMs: Math.min(config.idleTimeoutMs, LIVE_PROBE_TIMEOUT_MS),
    maxRetries: Math.min(config.maxRetries, 1),
  };
  try {
    const result = await streamCompletion(
      probeConfig,
      {
        prompt: PROBE_PROMPT,
        maxTokens: LIVE_PROBE_MAX_TOKENS,
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
      () => undefined,
      {
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
      },
    );
    return { ok: true, model: result.model, latencyMs: result.durationMs };
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    const mapped = mapProviderError(error, { config: probeConfig, operation: 'the live probe' });
    const secrets = [config.apiKey];
    return {
      ok: false,
      errorKind: mapped.kind,
      message: redactSecrets(mapped.message, secrets),
      ...(mapped.hint ? { hint: redactSecrets(mapped.hint, secrets) } : {}),
    };
  }
}
