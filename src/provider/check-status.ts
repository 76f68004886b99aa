import type { ProviderConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import { setupHint } from '../config/setup-hint.js';
import { SpeedRunError } from '../errors.js';
import { listModels, type ListModelsDeps } from './list-models.js';
import { probeGeneration, type LiveProbe } from './live-probe.js';
import { mapProviderError, modelNotFoundError, providerLabel } from './map-provider-error.js';
import { ProviderScheduler } from './provider-scheduler.js';
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
  /**
   * The quota the process's scheduler has learned (from this check's responses and every earlier one), plus any
   * window of the /models response the scheduler does not pace by; absent when nothing was reported.
   */
  rateLimit?: RateLimitInfo;
  /** With `live`: the tiny completion's outcome. Absent when the check already failed for the key or endpoint. */
  live?: LiveProbe;
  errorKind?: StatusErrorKind;
  message?: string;
  setupHint?: string;
}

export interface CheckStatusDeps extends ListModelsDeps {
  /** The process's scheduler: /models headers teach it, and its figures are reported. Default: a new one. */
  scheduler?: ProviderScheduler;
  /** Also make one tiny completion (`probeGeneration`) to prove generation works; otherwise nothing is generated. */
  live?: boolean;
}

/**
 * Is the provider usable as configured? Asks GET /models (which costs no tokens), and with `live` makes one
 * tiny completion. Never throws for provider trouble: it reports it. With no key it makes no request at all.
 */
export async function checkStatus(config: ProviderConfig, deps: CheckStatusDeps = {}): Promise<StatusReport> {
  const scheduler = deps.scheduler ?? new ProviderScheduler(deps.now ? { now: deps.now } : {});
  const report = await checkModelList(config, deps, scheduler);
  // A key or endpoint the list refused would refuse the probe the same way.
  const probe =
    deps.live &&
    report.errorKind !== 'no_key' &&
    report.errorKind !== 'auth' &&
    report.errorKind !== 'unreachable'
      ? await probeGeneration(config, { ...deps, scheduler })
      : undefined;
  const rateLimit = { ...report.rateLimit, ...scheduler.quota() };
  return {
    ...report,
    ...(probe && !probe.ok ? { status: 'error' } : {}),
    ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
    ...(probe ? { live: probe } : {}),
  };
}

async function checkModelList(
  config: ProviderConfig,
  deps: ListModelsDeps,
  scheduler: ProviderScheduler,
): Promise<StatusReport> {
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
    scheduler.observe(list.headers);
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
