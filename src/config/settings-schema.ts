import { z } from 'zod';

/**
 * Every field a config file may hold, and which of them are trusted. A trusted setting decides where the key
 * goes, where files may be written or what runs; only the user may set it (environment, CLI flags, the plugin's
 * userConfig, the user-level config file). A project's `speed-run.config.json` may hold the harmless rest.
 *
 * To add a setting: add it to `settingsSchema`, and to `TRUSTED_SETTINGS` unless a file any model or
 * contributor may have written can safely decide it.
 */
const positive = z.number().positive();
const count = z.number().int().min(1);

export const providerEntrySchema = z.strictObject({
  baseUrl: z.string().min(1).describe('OpenAI-compatible base URL, e.g. https://api.groq.com/openai/v1'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional()
    .describe('The environment variable holding the key. Literal keys are not accepted in config files.'),
  model: z.string().min(1).optional(),
});

export const settingsSchema = z.strictObject({
  $schema: z.string().optional(),
  // trusted
  provider: z
    .string()
    .min(1)
    .optional()
    .describe('The provider to use: "cerebras" or a name under "providers".'),
  providers: z.record(z.string(), providerEntrySchema).optional(),
  fallback: z
    .array(z.string().min(1))
    .optional()
    .describe('Providers (names under "providers", or "cerebras") to try in order when the provider fails.'),
  allowedDirs: z
    .array(z.string().min(1))
    .optional()
    .describe('Resolved against the config file’s directory.'),
  // harmless
  model: z.string().min(1).optional().describe('Model id at the configured provider.'),
  modelAliases: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('Short names for model ids, e.g. {"fast": "gpt-oss-120b"}; usable wherever a model is given.'),
  timeoutSeconds: positive.optional(),
  idleTimeoutSeconds: positive.optional(),
  maxRetries: z.number().int().min(0).optional(),
  maxInFlight: count.optional(),
  maxOutputTokens: count.optional(),
  reasoningEffort: z.enum(['off', 'low', 'medium', 'high']).optional(),
  maxFiles: count.optional(),
  maxFileBytes: count.optional(),
  maxTotalBytes: count.optional(),
});

export type ConfigFileProvider = z.infer<typeof providerEntrySchema>;
export type ConfigFileSettings = z.infer<typeof settingsSchema>;
export type SettingName = Exclude<keyof ConfigFileSettings, '$schema'>;

/** Settings only the user may decide: where requests (and the key) go, where files go, what runs. */
export const TRUSTED_SETTINGS: ReadonlySet<string> = new Set<SettingName>([
  'provider',
  'providers',
  'fallback',
  'allowedDirs',
]);

/** Where the environment carries the same decision, for the refusal's hint. */
export const TRUSTED_SETTING_VARIABLES: Readonly<Record<string, string>> = {
  provider: 'SPEED_RUN_PROVIDER',
  providers: 'SPEED_RUN_BASE_URL + SPEED_RUN_API_KEY',
  fallback: 'SPEED_RUN_FALLBACK',
  allowedDirs: 'SPEED_RUN_ALLOWED_DIRS',
};
