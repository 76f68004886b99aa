import { SpeedRunError } from '../errors.js';
import type { ProviderConfig, SpeedRunConfig } from './config-types.js';
import { setupHint } from './setup-hint.js';

/** The configured key, or a `config` error that says exactly how to set one. */
export function requireApiKey(config: ProviderConfig | SpeedRunConfig): string {
  const provider = 'limits' in config ? config.provider : config;
  if (provider.apiKey !== undefined) return provider.apiKey;
  return missingKey(provider);
}

function missingKey(provider: ProviderConfig): never {
  throw new SpeedRunError(
    'config',
    `No API key for ${provider.provider}: ${provider.apiKeyVariable} is not set.`,
    {
      field: provider.apiKeyVariable,
      hint: setupHint(provider),
    },
  );
}
