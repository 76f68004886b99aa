import { SpeedRunError } from '../errors.js';
import type { ProviderConfig } from './config-types.js';
import type { ConfigFileSettings } from './config-file.js';
import { usableValue } from './read-setting.js';

/**
 * The fallback providers, in order (a trusted setting: SPEED_RUN_FALLBACK, or `fallback` in the user config
 * file). Each is a provider under `providers` in the user file (or `cerebras`), with its own base URL, key
 * variable and model: a key goes only to the endpoint it was configured for, and the primary's
 * SPEED_RUN_API_KEY is never sent to a fallback.
 */
export function resolveFallbacks(
  names: string[],
  primary: ProviderConfig,
  trusted: ConfigFileSettings,
  read: (name: string) => string | undefined,
  normalizeBaseUrl: (raw: string, source: string) => string,
  cerebras: { baseUrl: string; model: string },
): ProviderConfig[] {
  return names
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== primary.provider)
    .map((name) => {
      const entry = trusted.providers?.[name];
      if (name === 'cerebras' && entry === undefined) {
        const key = read('CEREBRAS_API_KEY');
        return {
          ...primary,
          provider: 'cerebras',
          baseUrl: normalizeBaseUrl(read('CEREBRAS_URL') ?? cerebras.baseUrl, 'CEREBRAS_URL'),
          apiKey: key,
          apiKeyVariable: 'CEREBRAS_API_KEY',
          model: read('CEREBRAS_MODEL') ?? cerebras.model,
        };
      }
      if (entry === undefined || entry.model === undefined || entry.apiKeyEnv === undefined) {
        throw new SpeedRunError(
          'config',
          `Fallback provider "${name}" needs providers.${name} with baseUrl, apiKeyEnv and model in your user config file.`,
          {
            field: 'fallback',
            hint:
              `Add "providers": {"${name}": {"baseUrl": "…/v1", "apiKeyEnv": "…", "model": "…"}} to ` +
              '~/.config/speed-run/config.json (or the file SPEED_RUN_CONFIG names), or remove it from the fallback list.',
          },
        );
      }
      return {
        ...primary,
        provider: name,
        baseUrl: normalizeBaseUrl(entry.baseUrl, `providers.${name}.baseUrl`),
        apiKey: usableValue(read(entry.apiKeyEnv)),
        apiKeyVariable: entry.apiKeyEnv,
        model: entry.model,
      };
    });
}
