import type { ProviderConfig, SpeedRunConfig } from './config-types.js';

export const CEREBRAS_KEY_URL = 'https://cloud.cerebras.ai';
/** Cerebras' offer to new accounts, checked November 2026. */
export const CEREBRAS_OFFER =
  'no free tier since August 2026: a new account gets a one-time trial credit after adding a payment method';

/** The exact steps to give speed-run an API key for the configured provider. */
export function setupHint(config: ProviderConfig | SpeedRunConfig): string {
  const provider = 'limits' in config ? config.provider : config;
  const variable = provider.apiKeyVariable;
  const steps = [
    `Set ${variable} in one of these ways, then restart your agent:`,
    `  1. Claude Code: add it to ~/.claude/settings.json as {"env": {"${variable}": "your-key"}}.`,
    `  2. Shell: add \`export ${variable}=your-key\` to your shell profile (~/.zshrc or ~/.bashrc) and open a new terminal.`,
    `  3. The speed-run plugin: enter the key when it prompts for one.`,
  ];
  if (provider.provider === 'cerebras') {
    steps.push(
      `Get a Cerebras key at ${CEREBRAS_KEY_URL} (${CEREBRAS_OFFER}). Without a key, \`speed-run demo\` ` +
        'shows the whole pipeline on a local replay.',
    );
    steps.push(
      'To use another OpenAI-compatible provider instead, set SPEED_RUN_BASE_URL, SPEED_RUN_API_KEY, SPEED_RUN_MODEL ' +
        'and SPEED_RUN_PROVIDER (see docs/configuration.md).',
    );
  } else {
    steps.push(
      `The key must be valid for ${provider.baseUrl}. SPEED_RUN_BASE_URL, SPEED_RUN_API_KEY, SPEED_RUN_MODEL and ` +
        'SPEED_RUN_PROVIDER choose the provider (see docs/configuration.md).',
    );
  }
  return steps.join('\n');
}
