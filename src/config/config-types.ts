import type { ModelAliases } from './model-aliases.js';

/** Where and how to reach the model provider. */
export interface ProviderConfig {
  /** 'cerebras' or a user label. */
  provider: string;
  /** e.g. https://api.cerebras.ai/v1 (no trailing slash, no /chat/completions). */
  baseUrl: string;
  /** undefined when unset, empty, whitespace, or an unexpanded `${...}` placeholder. */
  apiKey: string | undefined;
  /** The variable the key was (or should be) read from, for messages. */
  apiKeyVariable: string;
  model: string;
  /** Whole request, retries included (GENERATION_TIMEOUT seconds). */
  timeoutMs: number;
  /** No bytes from the provider for this long aborts the request. */
  idleTimeoutMs: number;
  /** Request-level retries (408/409/429/5xx, connection failures). */
  maxRetries: number;
  /** Provider-wide concurrent requests in this process. */
  maxInFlight: number;
  /**
   * `max_completion_tokens` when a file generation asks for none (SPEED_RUN_MAX_TOKENS). Cerebras reserves
   * rate-limit quota by it up front, so it is sized for a typical multi-file reply, not the model's maximum.
   */
  maxOutputTokens: number | undefined;
  /**
   * `reasoning_effort` (SPEED_RUN_REASONING_EFFORT): undefined = `low` for models that accept it, none for the
   * rest; `off` never sends it.
   */
  reasoningEffort?: 'off' | 'low' | 'medium' | 'high';
}

/** What one generation may write. The writer declares an identical structural type. */
export interface WriteLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export interface SpeedRunConfig {
  provider: ProviderConfig;
  /** Tried in order when the provider fails with an outage, a retired model or a long quota wait (trusted). */
  fallbackProviders?: ProviderConfig[];
  /**
   * Short names for model ids from the config files (`modelAliases`); `provider.model` and the fallbacks' models
   * are already resolved. A model given per call goes through `resolveModelAlias` with these.
   */
  modelAliases?: ModelAliases;
  limits: WriteLimits;
  /** Absolute directories output may be written to; the first is always cwd. */
  allowedRoots: string[];
  cwd: string;
  /**
   * Every variable that holds a provider key (SPEED_RUN_API_KEY, CEREBRAS_API_KEY, each provider's apiKeyEnv,
   * CLAUDE_PLUGIN_OPTION_*): never passed to a child process (`childProcessEnv`).
   */
  keyVariables: string[];
  /** Every configured key value: redacted from everything returned, logged or persisted (`redactSecrets`). */
  secrets: string[];
}

/** Explicit settings (CLI flags, tool arguments); they beat the environment and the config file. */
export interface ConfigOverrides {
  /** A provider label, or the name of a provider in the config file. */
  provider?: string;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  maxRetries?: number;
  maxInFlight?: number;
  maxOutputTokens?: number;
  reasoningEffort?: 'off' | 'low' | 'medium' | 'high';
  maxFiles?: number;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  /** Extra writable directories, resolved against cwd. */
  allowedDirs?: string[];
  /** The user-level config file to read instead of SPEED_RUN_CONFIG / ~/.config/speed-run/config.json. */
  configFile?: string;
}
