import type { SpeedRunConfig } from './config-types.js';

/** Shorter values are too common to judge a variable by (PATH may well contain "ollama"). */
const MIN_EMBEDDED_SECRET = 16;

/**
 * The environment for a command speed-run runs (setup and test commands run generated code): the given one
 * without any variable that holds a provider key — the configured key variables, every `CLAUDE_PLUGIN_OPTION_*`
 * Claude Code exports to plugin processes, and any other variable whose value is (or embeds) a configured key.
 */
export function childProcessEnv(
  config: Pick<SpeedRunConfig, 'keyVariables' | 'secrets'>,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const drop = new Set(config.keyVariables);
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (drop.has(name) || name.startsWith('CLAUDE_PLUGIN_OPTION_')) continue;
    if (value !== undefined && holdsSecret(value, config.secrets)) continue;
    result[name] = value;
  }
  return result;
}

function holdsSecret(value: string, secrets: readonly string[]): boolean {
  const trimmed = value.trim();
  return secrets.some(
    (secret) => trimmed === secret || (secret.length >= MIN_EMBEDDED_SECRET && value.includes(secret)),
  );
}
