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

/**
 * The CLI flag a command-line user typed for each argument the core names by its MCP name (`output_dir`,
 * `runners`, `timeout_s`, …): messages about a flag name the flag.
 */
const FLAGS: Record<string, string> = {
  output_dir: '--out',
  context_files: '--context',
  max_tokens: '--max-tokens',
  model: '--model',
  models: '--model',
  runners: '--runners',
  approaches: '--approach',
  feature: '--feature',
  timeout_s: '--timeout',
  test_command: '--test',
  repair_rounds: '--repair',
  setup_command: '--setup',
  output_subdir: '--out-subdir',
  contract_file: '<contract>',
  winner: '--winner',
};

/** Kinds that mean the command was asked for something invalid, not that the work failed: exit 2. */
const USAGE_KINDS = new Set(['config', 'invalid_input', 'path_rejected']);

/** The exit code a failure deserves: 2 for configuration and usage problems, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  return isSpeedRunError(error) && USAGE_KINDS.has(error.kind) ? EXIT_CONFIG : EXIT_FAILURE;
}

/** The failure as a user of the CLI should read it: the message naming the CLI flag, then the hint. */
export function failureText(error: unknown): string {
  if (!isSpeedRunError(error)) {
    return `speed-run: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  // The field itself, and any other argument named in snake_case (an unambiguous name), read as its flag.
  const names = Object.keys(FLAGS).filter((name) => name === error.field || name.includes('_'));
  const asFlag = (text: string) =>
    names.reduce(
      (out, name) => out.replace(new RegExp(`(^|[\\s(])${name}\\b(?!-)`, 'g'), `$1${FLAGS[name]}`),
      text,
    );
  const hint = error.hint ? `\n${asFlag(error.hint)}` : '';
  return `${asFlag(error.message)}${hint}`;
}

/** Prints a failure to stderr (message + hint, secrets redacted) and returns the exit code it deserves. */
export function reportFailure(error: unknown, config?: SpeedRunConfig): number {
  process.stderr.write(`${redactSecrets(failureText(error), knownSecrets(config))}\n`);
  return exitCodeFor(error);
}

/**
 * For `--json` commands: the failure as one JSON object on stdout, `{ "error": { kind, message, hint, field,
 * exit_code } }`, so scripts can read it, and the same text on stderr for people. Returns the exit code.
 */
export function reportFailureAsJson(error: unknown, config?: SpeedRunConfig): number {
  const code = reportFailure(error, config);
  const [message = '', ...hint] = isSpeedRunError(error)
    ? failureText(error).split('\n')
    : [`unexpected error: ${error instanceof Error ? error.message : String(error)}`];
  const body = {
    error: {
      kind: isSpeedRunError(error) ? error.kind : 'internal',
      message,
      ...(hint.length > 0 ? { hint: hint.join('\n') } : {}),
      ...(isSpeedRunError(error) && error.field ? { field: FLAGS[error.field] ?? error.field } : {}),
      exit_code: code,
    },
  };
  process.stdout.write(`${redactSecrets(JSON.stringify(body, null, 2), knownSecrets(config))}\n`);
  return code;
}

/** `1 line`, `2 lines`. */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
