import type { ProviderConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import { setupHint } from '../config/setup-hint.js';
import { SpeedRunError } from '../errors.js';
import { listModels, type ListModelsDeps } from './list-models.js';
import { mapProviderError, modelNotFoundError, providerLabel } from './map-provider-error.js';
import { parseRateLimit, type RateLimitInfo } from './rate-limit.js';

export type StatusErrorKind = 'no_key' | 'auth' | 'unreachable' | 'model_not_found' | 'provider';

export interface StatusReport {
  status: 'ok' | 'error';
  provider: string;
  baseUrl: string;
  model: string;
  /** null when the model list could not be fetched. */
  modelAvailable: boolean | null;
  availableModels: string[];
  /** Round trip of GET /models; null when no request was made or it failed. */
  latencyMs: number | null;
  /** From the /models response, when the provider sends x-ratelimit-* headers there. */
  rateLimit?: RateLimitInfo;
  errorKind?: StatusErrorKind;
  message?: string;
  setupHint?: string;
}

/**
 * Is the provider usable as configured? Asks GET /models (which costs no tokens). Never throws for provider
 * trouble: it reports it. With no key it makes no request at all.
 */
export async function checkStatus(config: ProviderConfig, deps: ListModelsDeps = {}): Promise<StatusReport> {
  const base = {
    provider: config.provider,
    baseUrl: config.baseUrl,
    model: config.model,
    modelAvailable: null,
    availableModels: [],
    latencyMs: null,
  };
  if (config.apiKey === undefined) {
    return {
      status: 'error',
      ...base,
      errorKind: 'no_key',
      message: `No API key for ${providerLabel(config)}: ${config.apiKeyVariable} is not set.`,
      setupHint: setupHint(config),
    };
  }
  try {
    const list = await listModels(config, deps);
    const rateLimit = parseRateLimit(list.headers);
    const available = list.models.includes(config.model);
    const report: StatusReport = {
      status: available ? 'ok' : 'error',
      ...base,
      modelAvailable: available,
      availableModels: list.models,
      latencyMs: list.latencyMs,
      ...(rateLimit ? { rateLimit } : {}),
    };
    if (available) return report;
    return { ...report, ...describeError(modelNotFoundError(config, list.models), config) };
  } catch (error) {
    const mapped =
      error instanceof SpeedRunError
        ? error
        : mapProviderError(error, { config, operation: 'the status check' });
    return { status: 'error', ...base, ...describeError(mapped, config) };
  }
}

function describeError(
  error: SpeedRunError,
  config: ProviderConfig,
): Pick<StatusReport, 'errorKind' | 'message' | 'setupHint'> {
  const kind: StatusErrorKind =
    error.kind === 'auth' || error.kind === 'unreachable' || error.kind === 'model_not_found'
      ? error.kind
      : 'provider';
  const hint = kind === 'auth' ? `${error.hint ?? ''}\n${setupHint(config)}`.trim() : error.hint;
  return {
    errorKind: kind,
    message: redactSecrets(error.message, [config.apiKey]),
    ...(hint ? { setupHint: redactSecrets(hint, [config.apiKey]) } : {}),
  };
}
