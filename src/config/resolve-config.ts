import { delimiter, resolve } from 'node:path';
import { SpeedRunError } from '../errors.js';
import { configFileDirs, loadConfigFiles, type ConfigFileProvider } from './config-file.js';
import type { ConfigOverrides, ProviderConfig, SpeedRunConfig, WriteLimits } from './config-types.js';
import { resolveFallbacks } from './fallback-providers.js';
import { mergeModelAliases, resolveModelAlias } from './model-aliases.js';
import { parseNumberSetting, usableValue, type NumberRule } from './read-setting.js';

export type { ConfigOverrides, ProviderConfig, SpeedRunConfig, WriteLimits } from './config-types.js';

export const CEREBRAS_BASE_URL = 'https://api.cerebras.ai/v1';
export const CEREBRAS_DEFAULT_MODEL = 'gpt-oss-120b';
export const GENERIC_PROVIDER_LABEL = 'openai-compatible';

export const DEFAULTS = {
  timeoutSeconds: 300,
  idleTimeoutSeconds: 60,
  maxRetries: 4,
  maxInFlight: 5,
  maxFiles: 100,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
} as const;

export interface ResolveConfigInput {
  env: Record<string, string | undefined>;
  cwd: string;
  overrides?: ConfigOverrides;
}

/**
 * The one place settings are resolved. Trusted settings (provider, base URL, key variable, allowed directories):
 * explicit override > environment > user config file > default. Harmless ones (model, timeouts, retries,
 * limits): explicit override > environment > project config file > user config file > default.
 */
export function resolveConfig({ env, cwd: rawCwd, overrides = {} }: ResolveConfigInput): SpeedRunConfig {
  const cwd = resolve(rawCwd);
  const read = (name: string) => usableValue(env[name]);
  const files = loadConfigFiles(env, cwd, overrides.configFile ?? read('SPEED_RUN_CONFIG'));
  // Only the user's own file may decide where requests and keys go, or where files may be written.
  const file = files.user;
  const trusted = file?.settings ?? {};
  const harmless = { ...files.user?.settings, ...files.project?.settings };

  const envBaseUrl = read('SPEED_RUN_BASE_URL');
  const provider =
    usableValue(overrides.provider) ??
    read('SPEED_RUN_PROVIDER') ??
    trusted.provider ??
    (envBaseUrl !== undefined || overrides.baseUrl !== undefined ? GENERIC_PROVIDER_LABEL : 'cerebras');
  const entry: ConfigFileProvider | undefined = trusted.providers?.[provider];
  const isCerebras = provider === 'cerebras';

  const baseUrlSource = firstOf([
    ['baseUrl option', usableValue(overrides.baseUrl)],
    ['SPEED_RUN_BASE_URL', envBaseUrl],
    ['CEREBRAS_URL', isCerebras ? read('CEREBRAS_URL') : undefined],
    [`providers.${provider}.baseUrl in ${file?.path}`, usableValue(entry?.baseUrl)],
    ['the Cerebras default', isCerebras ? CEREBRAS_BASE_URL : undefined],
  ]);
  if (!baseUrlSource) {
    throw new SpeedRunError('config', `No base URL for provider "${provider}".`, {
      field: 'SPEED_RUN_BASE_URL',
      hint:
        `Set SPEED_RUN_BASE_URL to its OpenAI-compatible endpoint (e.g. https://api.groq.com/openai/v1), ` +
        `add providers.${provider}.baseUrl to your user config file (~/.config/speed-run/config.json), ` +
        'or unset SPEED_RUN_PROVIDER to use Cerebras.',
    });
  }
  const baseUrl = normalizeBaseUrl(baseUrlSource[1], baseUrlSource[0]);

  // The variable the user named for this provider comes first: that key was configured for this endpoint.
  const keyCandidates = [
    ...(entry?.apiKeyEnv ? [entry.apiKeyEnv] : []),
    'SPEED_RUN_API_KEY',
    ...(isCerebras ? ['CEREBRAS_API_KEY'] : []),
  ];
  const overrideKey = usableValue(overrides.apiKey);
  const foundKey = keyCandidates.find((name) => read(name) !== undefined);
  const apiKey = overrideKey ?? (foundKey === undefined ? undefined : read(foundKey));
  // When nothing is set, point people at the variable they would naturally use for this provider.
  const apiKeyVariable =
    overrideKey !== undefined
      ? 'apiKey option'
      : (foundKey ?? entry?.apiKeyEnv ?? (isCerebras ? 'CEREBRAS_API_KEY' : 'SPEED_RUN_API_KEY'));

  // Harmless like the model itself: the project file's aliases beat the user file's.
  const modelAliases = mergeModelAliases(
    [files.user, files.project].flatMap((loaded) =>
      loaded ? [{ path: loaded.path, aliases: loaded.settings.modelAliases }] : [],
    ),
  );
  const givenModel =
    usableValue(overrides.model) ??
    read('SPEED_RUN_MODEL') ??
    (isCerebras ? read('CEREBRAS_MODEL') : undefined) ??
    usableValue(files.project?.settings.model) ??
    usableValue(files.user?.settings.model) ??
    usableValue(entry?.model) ??
    (isCerebras ? CEREBRAS_DEFAULT_MODEL : undefined);
  const model = givenModel === undefined ? undefined : resolveModelAlias(givenModel, modelAliases);
  if (model === undefined) {
    throw new SpeedRunError('config', `No model for provider "${provider}".`, {
      field: 'SPEED_RUN_MODEL',
      hint: `Set SPEED_RUN_MODEL, or add "model" to speed-run.config.json.`,
    });
  }

  const number = (
    override: number | undefined,
    envName: string,
    fileName: keyof typeof DEFAULTS,
    rule: NumberRule,
  ): number => {
    if (override !== undefined) return parseNumberSetting(`${fileName} option`, override, rule);
    const fromEnv = read(envName);
    if (fromEnv !== undefined) return parseNumberSetting(envName, fromEnv, rule);
    const fromFile = harmless[fileName];
    if (fromFile !== undefined) return fromFile;
    return DEFAULTS[fileName];
  };
  const seconds: NumberRule = { unit: 'seconds' };
  const atLeastOne: NumberRule = { integer: true, min: 1 };

  const providerConfig: ProviderConfig = {
    provider,
    baseUrl,
    apiKey,
    apiKeyVariable,
    model,
    timeoutMs: secondsToMs(
      overrides.timeoutMs !== undefined
        ? parseNumberSetting('timeoutMs option', overrides.timeoutMs) / 1000
        : number(undefined, 'GENERATION_TIMEOUT', 'timeoutSeconds', seconds),
    ),
    idleTimeoutMs: secondsToMs(
      overrides.idleTimeoutMs !== undefined
        ? parseNumberSetting('idleTimeoutMs option', overrides.idleTimeoutMs) / 1000
        : number(undefined, 'SPEED_RUN_IDLE_TIMEOUT', 'idleTimeoutSeconds', seconds),
    ),
    maxRetries: number(overrides.maxRetries, 'SPEED_RUN_MAX_RETRIES', 'maxRetries', {
      integer: true,
      min: 0,
    }),
    maxInFlight: number(overrides.maxInFlight, 'SPEED_RUN_MAX_IN_FLIGHT', 'maxInFlight', atLeastOne),
    // Unset: each file generation sizes its own budget (src/codegen/token-budgets.ts).
    maxOutputTokens: optionalCount(
      overrides.maxOutputTokens,
      read('SPEED_RUN_MAX_TOKENS'),
      harmless.maxOutputTokens,
    ),
    ...reasoningEffortSetting(
      overrides.reasoningEffort ?? read('SPEED_RUN_REASONING_EFFORT') ?? harmless.reasoningEffort,
    ),
  };
  const limits: WriteLimits = {
    maxFiles: number(overrides.maxFiles, 'SPEED_RUN_MAX_FILES', 'maxFiles', atLeastOne),
    maxFileBytes: number(overrides.maxFileBytes, 'SPEED_RUN_MAX_FILE_BYTES', 'maxFileBytes', atLeastOne),
    maxTotalBytes: number(overrides.maxTotalBytes, 'SPEED_RUN_MAX_TOTAL_BYTES', 'maxTotalBytes', atLeastOne),
  };

  const envDirs = read('SPEED_RUN_ALLOWED_DIRS')
    ?.split(delimiter)
    .map((dir) => dir.trim())
    .filter((dir) => dir !== '');
  const extraDirs =
    overrides.allowedDirs?.map((dir) => resolve(cwd, dir)) ??
    envDirs?.map((dir) => resolve(cwd, dir)) ??
    (file ? configFileDirs(file) : undefined) ??
    [];
  const allowedRoots = [...new Set([cwd, ...extraDirs])];

  const { keyVariables, secrets } = configuredKeys(env, [
    ...Object.values(trusted.providers ?? {}).map((entry) => entry.apiKeyEnv),
    apiKeyVariable,
  ]);
  if (apiKey !== undefined && !secrets.includes(apiKey)) secrets.push(apiKey);

  const fallbackNames = read('SPEED_RUN_FALLBACK')?.split(',') ?? trusted.fallback ?? [];
  const fallbackProviders = resolveFallbacks(fallbackNames, providerConfig, trusted, read, normalizeBaseUrl, {
    baseUrl: CEREBRAS_BASE_URL,
    model: CEREBRAS_DEFAULT_MODEL,
  }).map((fallback) => ({ ...fallback, model: resolveModelAlias(fallback.model, modelAliases) }));
  for (const fallback of fallbackProviders) {
    if (fallback.apiKey !== undefined && !secrets.includes(fallback.apiKey)) secrets.push(fallback.apiKey);
  }

  return {
    provider: providerConfig,
    ...(fallbackProviders.length > 0 ? { fallbackProviders } : {}),
    ...(Object.keys(modelAliases).length > 0 ? { modelAliases } : {}),
    limits,
    allowedRoots,
    cwd,
    keyVariables,
    secrets,
  };
}

const PLUGIN_OPTION_PREFIX = 'CLAUDE_PLUGIN_OPTION_';
const SECRET_OPTION = /KEY|TOKEN|SECRET|PASSWORD/i;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables that hold provider keys and their values. Claude Code exports every plugin option to plugin
 * processes as CLAUDE_PLUGIN_OPTION_<NAME>: all of them count as key variables (a child needs none), and the
 * values of those named like a secret are redacted.
 */
function configuredKeys(
  env: Record<string, string | undefined>,
  named: (string | undefined)[],
): { keyVariables: string[]; secrets: string[] } {
  const pluginOptions = Object.keys(env).filter((name) => name.startsWith(PLUGIN_OPTION_PREFIX));
  const keyVariables = [
    ...new Set(
      ['SPEED_RUN_API_KEY', 'CEREBRAS_API_KEY', ...named, ...pluginOptions].filter(
        (name): name is string => name !== undefined && VARIABLE_NAME.test(name),
      ),
    ),
  ];
  const secrets: string[] = [];
  for (const name of keyVariables) {
    if (name.startsWith(PLUGIN_OPTION_PREFIX) && !SECRET_OPTION.test(name)) continue;
    const value = usableValue(env[name]);
    if (value !== undefined && !secrets.includes(value)) secrets.push(value);
  }
  return { keyVariables, secrets };
}

function optionalCount(
  override: number | undefined,
  fromEnv: string | undefined,
  fromFile: number | undefined,
): number | undefined {
  const rule: NumberRule = { integer: true, min: 1 };
  if (override !== undefined) return parseNumberSetting('maxOutputTokens option', override, rule);
  if (fromEnv !== undefined) return parseNumberSetting('SPEED_RUN_MAX_TOKENS', fromEnv, rule);
  return fromFile;
}

const REASONING_EFFORTS = ['off', 'low', 'medium', 'high'] as const;

function reasoningEffortSetting(value: string | undefined): Pick<ProviderConfig, 'reasoningEffort'> {
  if (value === undefined) return {};
  const effort = REASONING_EFFORTS.find((level) => level === value.trim().toLowerCase());
  if (effort === undefined) {
    throw new SpeedRunError(
      'config',
      `SPEED_RUN_REASONING_EFFORT must be off, low, medium or high; got "${value}".`,
      {
        field: 'SPEED_RUN_REASONING_EFFORT',
        hint: 'Unset it to send "low" to models that accept reasoning_effort (gpt-oss) and nothing to the rest.',
      },
    );
  }
  return { reasoningEffort: effort };
}

function firstOf(candidates: [string, string | undefined][]): [string, string] | undefined {
  for (const [source, value] of candidates) if (value !== undefined) return [source, value];
  return undefined;
}

function secondsToMs(value: number): number {
  return Math.round(value * 1000);
}

/** Accepts a base URL or a full `…/chat/completions` URL; returns the base without a trailing slash. */
export function normalizeBaseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badUrl(raw, source);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl(raw, source);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return `${url.origin}${path}${url.search}`;
}

function badUrl(raw: string, source: string): SpeedRunError {
  return new SpeedRunError('config', `${source} must be an http(s) URL; got ${JSON.stringify(raw)}.`, {
    field: source,
    hint: 'Use the OpenAI-compatible base URL, e.g. https://api.cerebras.ai/v1.',
  });
}
