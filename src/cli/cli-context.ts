import { readFileSync } from 'node:fs';
import type { ConfigOverrides, SpeedRunConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import { resolveConfig } from '../config/resolve-config.js';
import { isSpeedRunError } from '../errors.js';

/** Exit codes: 0 success, 1 the generation or the provider failed, 2 a configuration or usage problem. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;

/** Set by scripts/build-bundle.mjs: the plugin bundle runs from a cache with no package.json beside it. */
declare const __SPEED_RUN_VERSION__: string | undefined;

/** The package version: inlined in the plugin bundle, else read from package.json next to dist/ (or src/). */
export function packageVersion(): string {
  if (typeof __SPEED_RUN_VERSION__ === 'string') return __SPEED_RUN_VERSION__;
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

/** Settings for this process: flags beat the environment, which beats the config file. */
export function loadConfig(overrides: ConfigOverrides = {}): SpeedRunConfig {
  return resolveConfig({ env: process.env, cwd: process.cwd(), overrides });
}

/** Every secret this process knows, for redacting anything it prints. */
export function knownSecrets(config?: SpeedRunConfig): string[] {
  const secrets = [
    ...(config?.secrets ?? []),
    config?.provider.apiKey,
    process.env.SPEED_RUN_API_KEY,
    process.env.CEREBRAS_API_KEY,
  ];
  return [...new Set(secrets.filter((secret): secret is string => secret !== undefined && secret !== ''))];
}

/** Prints a failure to stderr (message + hint, secrets redacted) and returns the exit code it deserves. */
export function reportFailure(error: unknown, config?: SpeedRunConfig): number {
  const text = isSpeedRunError(error)
    ? error.userMessage
    : `speed-run: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`${redactSecrets(text, knownSecrets(config))}\n`);
  return isSpeedRunError(error) && error.kind === 'config' ? EXIT_CONFIG : EXIT_FAILURE;
}
